"""Aspect attribution (SPEC §2 `aspect`): what a figure says about its metric.

The words between the figure and whatever precedes it in its clause (the previous figure or the clause
start) decide; the cue nearest the figure wins (`地区生产总值5.3万亿元、增长5.5%`: level, then growth).
A change verb makes a rate a growth (`增长5.5%`, `下降3%`, `增长1.1倍`) and an amount or 个百分点 a change;
a verb with 到/至 names the level reached (`提高到58.5%`). Ranks are ranks; a figure continuing a list
(`分别增长4.4%、5.9%`) takes its predecessor's aspect. The cues are data (aspect_cues.tsv).
"""

from __future__ import annotations

from functools import cache

import regex

from . import lexicon
from .document import Document, as_document
from .quantities import Mention

_LIST_JOIN = regex.compile(r"^(?:[、，,和及与]|以及)$")
_RATE_UNITS = frozenset({"%", "‰", "倍"})
_WINDOW = 40
_METRIC_TAIL = regex.compile(r"(?:涨幅|增速|增幅|增长率|降幅|上涨幅度|增长幅度|比重|占比)$")


@cache
def _cues() -> list[tuple[regex.Pattern[str], str]]:
    return [(regex.compile(r[0]), r[1]) for r in lexicon.table("aspect_cues.tsv")]


@cache
def _any_cue() -> regex.Pattern[str]:
    """All cues in one alternation: most leads hold none (a figure right after its metric), and one
    scan says so where each cue's own scan would be run in turn."""
    return regex.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in _cues()))


def aspect_of(lead: str, m: Mention) -> str:
    """The aspect of figure m given the words `lead` right before it (after the previous figure)."""
    if m.kind == "rank":  # 第16名, 提高了12位 (30多名 is a count)
        return "rank"
    if not _any_cue().search(lead):
        return "level"
    best: tuple[int, int, str] | None = None
    for order, (pattern, aspect) in enumerate(_cues()):
        for hit in pattern.finditer(lead):
            key = (hit.end(), -order)
            if best is None or key > best[:2]:
                best = (hit.end(), -order, aspect)
    if best is None:
        return "level"
    aspect = best[2]
    if aspect == "to":
        return "level"
    if aspect == "motion":
        return "growth" if m.unit in _RATE_UNITS else "change"
    if aspect == "gap":
        return "change" if m.unit == "个百分点" else "level"
    if aspect == "share" and m.kind != "percent":
        return "level"  # 占地面积300亩: a measure, not a share
    if aspect == "completion" and m.kind != "percent":
        return "level"
    return aspect


def attach_aspects(doc: Document | str, mentions: list[Mention]) -> None:
    """Set `aspect` on every mention, in text order."""
    doc = as_document(doc)
    text, segments = doc.text, doc.segments
    prev: Mention | None = None
    for m in mentions:
        lo = max(m.start - _WINDOW, prev.end if prev is not None else 0)
        stops = segments.clause_stops(lo, m.start)
        lead = text[stops[-1] if stops else lo:m.start]
        if m.metric and m.metric in lead:  # the metric's own words (新增就业, 增加值) are no cue …
            lead = lead[lead.rindex(m.metric) + len(m.metric):]
            tail = _METRIC_TAIL.search(m.metric)  # … except a trailing rate noun (居民消费价格涨幅)
            lead = (tail.group() if tail else "") + lead
        if prev is not None and not stops and _LIST_JOIN.match(lead) and prev.aspect and prev.unit == m.unit:
            m.aspect = prev.aspect
        else:
            m.aspect = aspect_of(lead, m)
        prev = m
