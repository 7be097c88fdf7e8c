"""Modality attribution (SPEC §2 `modality`): whether a figure was achieved, is a goal, or an estimate.

A period that was over when the document was written is `actual`, one that was not is a `target`
(a work report written early in 2026 reviews 2025 and plans 2026; a half-year summary's 1-6月 is over,
its 全年 is not). The figure's period comes from the period stage (its sentence, paragraph or section:
the review part and the plan part of a work report). Cue words in the sentence before the figure
override: 预计 → `expected`; 力争/确保/目标/到2030年 → `target`; in a review section (or a period that
is over) only an explicit horizon (到2030年) or 预计 changes it. The cues are data (modality_cues.tsv).
"""

from __future__ import annotations

from functools import cache, lru_cache

import regex

from . import lexicon, period
from .document import Document, as_document
from .quantities import Mention

_WINDOW = 200  # characters of the sentence before a figure read for cue words


@cache
def _cues() -> tuple[regex.Pattern[str], regex.Pattern[str], regex.Pattern[str]]:
    rows = lexicon.table("modality_cues.tsv")

    def join(mod: str, where: str) -> regex.Pattern[str]:
        return regex.compile("|".join(f"(?:{r[0]})" for r in rows if r[1] == mod and r[2] == where) or "(?!)")

    return join("expected", "before"), join("target", "before"), join("actual", "clause")


def attach_modality(doc: Document | str, mentions: list[Mention]) -> None:
    """Set `modality` on every mention (after period_iso is set)."""
    doc = as_document(doc)
    tl = period.timeline(doc)
    segments, text = doc.segments, doc.text
    expected, target_before, done = _cues()
    for m in mentions:
        s0 = segments.sentence(m.start)[0]
        before = text[max(s0, m.start - _WINDOW):m.start]  # bounded: an unpunctuated text is one sentence
        if expected.search(before):
            m.modality = "expected"
            continue
        horizon = period.phrase_before(tl, s0, m.start)
        if horizon is not None and horizon.upto and tl.over(horizon.period) is False:
            m.modality = "target"
            continue
        p = _parse(m.period_iso)
        over = tl.over(p) if p is not None else None
        mode = period.section_at(tl, m.start)[0]
        if over is True:
            m.modality = "actual"
        elif over is False:
            # a period not yet over: a work report's plan; a summary's own year only with a target cue
            planned = tl.work_report or mode == "plan" or target_before.search(before)
            if planned and done.search(text, max(segments.clause_start(m.start), m.start - _WINDOW), m.start):
                planned = False  # 国家已设立400亿元…基金; 扣除比例从75%提高到100%
            m.modality = "target" if planned else "actual"
        elif mode is not None:
            m.modality = "target" if mode == "plan" else "actual"
        else:
            m.modality = "target" if target_before.search(before) else "actual"


@lru_cache(maxsize=1024)
def _parse(value: str | None) -> period.Period | None:
    """An ISO period string back to a Period (the inverse of period.iso); a document states few periods,
    each for many figures, so each string is parsed once."""
    if not value:
        return None
    first, _, last = value.partition("/")
    last = last or first

    def ym(x: str, end: bool) -> tuple[int, int, bool]:
        if "-" in x:
            y, mo = x.split("-")
            return int(y), int(mo), True
        return int(x), 12 if end else 1, False

    y1, m1, months = ym(first, False)
    y2, m2, _ = ym(last, True)
    return (y1, m1, y2, m2, months)
