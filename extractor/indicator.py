"""Indicator and area attribution (SPEC §2 `indicator`, `area`; §6 the catalogue).

A figure's metric (from the metric stage, which already gives a rate the subject it inherits:
`地区生产总值5.3万亿元、增长5.5%` → both 地区生产总值) names a catalogued indicator when it ends in one
of the indicator's wordings (the longest wording wins, so 人均地区生产总值 is gdp_per_capita and 工业投资
is industrial_investment, never the broader code) and what precedes the wording is only the report's
own scope (全省, 我市, a period) or a named place (then the place is the `area`). Anything else before
the wording is a sub-sector or a qualifier (民间投资, 扣除房地产开发投资后的投资): no indicator.
The catalogue, the scope words and the place suffixes are data under extractor/data/.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from . import lexicon
from .document import Document, as_document
from .quantities import Mention


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    wordings: tuple[str, ...]
    english: str
    kinds: frozenset[str]


@cache
def catalogue() -> dict[str, Indicator]:
    """Code → Indicator, in catalogue order."""
    out = {}
    for row in lexicon.table("indicators.tsv"):
        code, name, wordings, english, kinds = row[:5]
        words = tuple(dict.fromkeys([name, *(w for w in wordings.split("|") if w)]))
        out[code] = Indicator(code, name, words, english, frozenset(kinds.split("|")))
    return out


@cache
def _wording_index() -> dict[str, str]:
    """Wording → code (a wording names one indicator)."""
    index: dict[str, str] = {}
    for ind in catalogue().values():
        for w in ind.wordings:
            if w in index and index[w] != ind.code:
                raise ValueError(f"indicators.tsv: wording {w!r} is given to {index[w]} and {ind.code}")
            index[w] = ind.code
    return index


@cache
def _wording_lengths() -> dict[str, tuple[int, ...]]:
    """For each last character of a wording, the lengths of the wordings ending in it, longest first:
    the suffixes of a phrase worth looking up."""
    out: dict[str, set[int]] = {}
    for w in _wording_index():
        out.setdefault(w[-1], set()).add(len(w))
    return {c: tuple(sorted(ns, reverse=True)) for c, ns in out.items()}


@cache
def _scope() -> regex.Pattern[str]:
    words = sorted(lexicon.word_list("scope_words.txt"), key=len, reverse=True)
    period_lead = (r"[12][0-9]{3}年(?:度|末|底)?|[0-9]{1,2}[-—~至]?[0-9]{0,2}月(?:份|底|末)?|上半年|前三季度"
                   r"|“?十[一二三四五六七八九]五”?(?:时期|期间)?")
    return regex.compile(rf"^(?:{'|'.join(map(regex.escape, words))}|{period_lead}|[，,、的])+")


@cache
def _place() -> regex.Pattern[str]:
    suffixes = sorted(lexicon.word_list("place_suffixes.txt"), key=len, reverse=True)
    name = rf"[\p{{Han}}]{{1,10}}?(?:{'|'.join(map(regex.escape, suffixes))})"
    return regex.compile(rf"^{name}(?:(?:、|和|及|与){name})*(?:等[\p{{Han}}]{{0,3}}(?:个|地))?$")


_TRAIL = regex.compile(r"(?:(?:年均|同比|累计|平均)?(?:增速|增幅|增长率|涨幅|降幅|占比|比重|排名|位次|增长|"
                       r"下降|上涨|总量排名|上涨幅度|增长幅度|幅度)|同口径|按|为|达到|达|实现|保持|调整为|调整|平均值|均值|平均数|平均|(?<=..)[从由比较].*)$")
_BRACKETS = regex.compile(r"[（(][^）)]{0,12}[）)]|[“”\"]")
_SHORT_NAMES = regex.compile(r"^[\p{Han}]{2,4}(?:、[\p{Han}]{2,4})+$")  # 庆阳、酒泉: a list of names


@lru_cache(maxsize=65536)
def classify(metric: str) -> tuple[str | None, str | None]:
    """(indicator code, area) for a metric phrase; (None, None) when it names no catalogued indicator.
    A list subject sharing one figure (`社会消费品零售总额、固定资产投资增长4%左右`) takes its first item."""
    found = _classify(metric)
    if found[0] is None and "、" in metric:
        first = _classify(metric.split("、", 1)[0])
        if first[0] is not None and _classify(metric.rsplit("、", 1)[1])[0] is not None:
            return first
    return found


def _classify(metric: str) -> tuple[str | None, str | None]:
    phrase = _BRACKETS.sub("", metric).strip()
    if "占" in phrase[1:]:  # 服务业增加值占地区生产总值比重: the share's subject is before 占
        phrase = phrase[: phrase.index("占", 1)]
    index = _wording_index()
    lengths = _wording_lengths()
    while phrase:  # 经济增长 is a wording; 规上工业增加值增速 is one after trimming 增速
        for n in lengths.get(phrase[-1], ()):
            code = index.get(phrase[-n:]) if n <= len(phrase) else None
            if code is None:
                continue
            prefix = _scope().sub("", phrase[:-n])
            if not prefix:
                return code, None
            prefix = prefix.rstrip("的")
            if _place().match(prefix) or _SHORT_NAMES.match(prefix):
                return code, prefix
            return None, None
        trimmed = _TRAIL.sub("", phrase)
        if trimmed == phrase:
            break
        phrase = trimmed
    return None, None


_JOIN = regex.compile(r"^[、，,]?(?:同比|比上年|较上年|比去年|较去年|比全国|年均|分别|均)?"
                      r"(?:增长|下降|增加|减少|提高|降低|上涨|增速|增幅|回落|回升)?(?:了)?$")


_PREDICATES = regex.compile(r"^、[^，,；;。：:]{0,12}、(?:同比|比上年|较上年)?"
                           r"(?:增长|下降|增加|减少|提高|降低|上涨)$")


def _inherits(between: str, prev: Mention) -> bool:
    """A rate right after its subject's figure (`5.3万亿元、增长5.5%`), or after a list of predicates
    of the same subject (`达到5.53万亿元、稳居全国前十强、增长4.8%`)."""
    return bool(_JOIN.match(between) or (prev.aspect == "level" and _PREDICATES.match(between)))


def _of_metric(text: str, m: Mention) -> tuple[str | None, str | None]:
    """The metric's indicator. The metric stage may have trimmed a word a wording needs, before it
    (新增市场主体 → 市场主体) or after it (经济增长 → 经济): those readings are tried too."""
    if not m.metric:
        return None, None
    at = text.rfind(m.metric, max(0, m.start - 40), m.start)
    if at >= 2:
        found = classify(text[at - 2:at] + m.metric)
        if found[0] is not None:
            return found
    found = classify(m.metric)
    if found[0] is None and at >= 0:
        found = classify(text[at:m.start])
    return found


def attach_indicators(doc: Document | str, mentions: list[Mention]) -> None:
    """Set `indicator` and `area` on every mention (after metric and aspect)."""
    doc = as_document(doc)
    text, segments = doc.text, doc.segments
    table = catalogue()
    prev: Mention | None = None
    for m in mentions:
        code, area = _of_metric(text, m)
        if (code is None and prev is not None and prev.indicator and m.aspect != "level"
                and segments.same_sentence(prev.end, m.start) and _inherits(text[prev.end:m.start], prev)):
            code, area = prev.indicator, prev.area  # 5.3万亿元、增长5.5%: the rate inherits the subject
        if code is not None and m.aspect == "level" and m.kind not in table[code].kinds:
            code, area = None, None  # a level in a unit the indicator never takes is something else
        m.indicator, m.area = code, area
        prev = m
