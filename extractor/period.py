"""Period attribution: the time span each figure covers."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

import regex

from schemas import Meta

from . import lexicon
from .document import Document, as_document
from .firstchars import guarded
from .quantities import Mention

_PARAGRAPH_BREAK = regex.compile(r"\n")


@cache
def _pattern() -> regex.Pattern[str]:
    return regex.compile("|".join(f"(?:{p})" for p in lexicon.word_list("periods.tsv")))


def document_period(text: str, meta: Meta) -> str | None:
    """The document's own period, from its title (`2020年上半年重点工作任务完成情况` → `2020年上半年`)."""
    for source in (meta.title or "", text[:200]):
        m = _pattern().search(source)
        if m:
            return m.group().strip("“”")
    return None


def attach_periods(doc: Document | str, mentions: list[Mention]) -> None:
    """Set `period` on every mention: the nearest period expression before it in its paragraph,
    else the document's own period."""
    doc = as_document(doc)
    text = doc.text
    default = document_period(text, doc.meta)
    found = [(m.start(), m.end(), m.group().strip("“”")) for m in _pattern().finditer(text)]
    breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(text)]
    j = 0
    last: tuple[int, int, str] | None = None
    for q in mentions:
        while j < len(found) and found[j][0] < q.start:
            last = found[j]
            j += 1
        period = default
        if last is not None:
            k = bisect_left(breaks, last[1])
            if k == len(breaks) or breaks[k] >= q.start:  # no paragraph break in between
                period = last[2]
        q.period = period


# --- period_iso (SPEC §2): periods resolved against the document's own year ----------------------------

Period = tuple[int, int, int, int, bool]  # first year, first month, last year, last month, month precision


def iso(p: Period | None) -> str | None:
    """`2025`, `2025-06`, `2020-01/2020-06`, `2021/2025`."""
    if p is None:
        return None
    y1, m1, y2, m2, months = p
    if not months:
        return str(y1) if y1 == y2 else f"{y1}/{y2}"
    if (y1, m1) == (y2, m2):
        return f"{y1}-{m1:02d}"
    return f"{y1}-{m1:02d}/{y2}-{m2:02d}"


def _year(p: int) -> Period:
    return (p, 1, p, 12, False)


_CN_YEAR = str.maketrans("〇零○一二三四五六七八九０１２３４５６７８９", "0001234567890123456789")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_FULL_WIDTH_RUN = re.compile("[０-９]+")
_SHAPES: dict[str, tuple[int, int]] = {"h1": (1, 6), "h2": (7, 12), "q1": (1, 3), "q2": (4, 6), "q3": (7, 9),
                                       "q4": (10, 12), "q13": (1, 9)}
_CN_DIGITS = "一二三四五六七八九"


_GROUP = re.compile(r"\(\?P<(\w+)>")


@cache
def _iso_rules() -> tuple[re.Pattern[str], list[tuple[str, str]]]:
    """One pattern for all rows (stdlib `re`: ~2x faster than `regex` here, behind the lookahead `guarded`
    computes), each row's groups renamed `y_3`, `m_3` … so that rows may share names; the row is the outer
    group `a3` that matched."""
    rows = lexicon.table("period_words.tsv")
    return re.compile(guarded(iso_alternation())), [(r[1], r[2]) for r in rows]  # guarded: 1st-char lookahead


@cache
def iso_alternation() -> str:
    """The rows of period_words.tsv as one alternation (row i is group `a{i}`; its groups `y_{i}` …)."""
    return "|".join(f"(?P<a{i}>" + _GROUP.sub(lambda g, i=i: f"(?P<{g.group(1)}_{i}>", r[0]) + ")"
                    for i, r in enumerate(lexicon.table("period_words.tsv")))


@cache
def _row_groups(k: int) -> tuple[tuple[str, str], ...]:
    """Row k's groups: (own name, name in the joined pattern)."""
    tail = f"_{k}"
    return tuple((name[: -len(tail)], name) for name in _iso_rules()[0].groupindex if name.endswith(tail))


def _row(m: re.Match[str]) -> tuple[int, dict[str, str]]:
    """Which row matched, and its named groups under their own names."""
    k = int((m.lastgroup or "a0")[1:])
    return k, {own: v for own, full in _row_groups(k) if (v := m.group(full)) is not None}


@cache
def _year_number(digits: str) -> int:
    return int(digits.translate(_CN_YEAR))


def _resolve(m: re.Match[str], groups: dict[str, str], base: str, shape: str,
             current: int | None) -> Period | None:
    """One matched period phrase as a Period; relative phrases need the document's current year."""
    if groups.get("y"):
        year = _year_number(groups["y"])
    elif shape == "fyp":
        n = _CN_DIGITS.index(groups["n"]) + 1 + (10 if m.group().lstrip("“").startswith("十") else 0)
        first = 1953 + 5 * (n - 1) if n < 3 else 1966 + 5 * (n - 3)
        return (first, 1, first + 4, 12, False)
    elif current is None:
        return None
    else:
        # R rows are resolved against the review year, which the caller passes as `current`
        year = current if base in ("C", "R", "-") else current + int(base[1:])
    if shape in ("year", "upto"):
        return _year(year)
    if shape == "years":
        return (year, 1, int(groups["y2"]), 12, False)
    if shape == "last5":
        return (year - 5, 1, year - 1, 12, False)
    if shape == "month":
        month = int(groups["m"])
        return (year, month, year, month, True) if 1 <= month <= 12 else None
    if shape == "months":
        a, b = int(groups["m"]), int(groups["m2"])
        return (year, a, year, b, True) if 1 <= a <= b <= 12 else None
    if shape == "yearend":
        return (year, 12, year, 12, True)
    if shape in _SHAPES:
        a, b = _SHAPES[shape]
        return (year, a, year, b, True)
    return None


@dataclass(frozen=True)
class PeriodPhrase:
    start: int
    end: int
    period: Period
    upto: bool  # 到2030年: a horizon, so a target
    base: bool = False  # 较“十三五”末, 比2020年: a comparison base, not the figure's period


@dataclass
class Timeline:
    """The document's own time: its current year (今年), the year its review covers (过去一年), the
    month before which a period is over when it was written, and its sections (review or plan)."""

    current: int | None
    review: int | None
    now: int | None  # year*12 + month index of the first month not yet over
    work_report: bool
    default: Period | None  # a figure's period when nothing closer states one
    phrases: list[PeriodPhrase]
    phrase_starts: list[int]
    sections: list[tuple[int, str | None, Period | None]]  # (start, "review"/"plan"/None, period)
    section_starts: list[int]

    def over(self, p: Period) -> bool | None:
        """Whether period p had ended when the document was written (None when unknown)."""
        if self.now is None:
            return None
        return p[2] * 12 + p[3] - 1 < self.now


_COMPARISON_BEFORE = regex.compile(r"(?:比|较|同比|相比|低于|高于|快于|慢于|超过|回到|恢复到|自|从)$")
_COMPARED_WITH = regex.compile(r"(?:与|和|同)$")  # 与2020年相比
_COMPARED_AFTER = regex.compile(r"(?:同期)?(?:相比|比较|持平)")
_MULTIPLE_OF = regex.compile(r"(?:为|是|等于|等於|相当于)$")  # 为“十三五”时期的2.2倍
_MULTIPLE_AFTER = regex.compile(r"(?:时期|同期)?的")
_YEAR_IN = regex.compile(r"([12][0-9]{3}|[一二][〇零○一二三四五六七八九]{3})年")
_REVIEW_HEAD = regex.compile(r"回顾|工作情况|完成情况|过去|成就|成绩|进展|总结|一年来|五年来")
_PLAN_HEAD = regex.compile(r"安排|重点工作|主要任务|总体要求|目标|工作任务|今年|部署|建议|计划|展望|思路|"
                           r"政策取向|关于[12][0-9]{3}年")
_NUMBERED = regex.compile(r"[ \t\u3000]*(?:[一二三四五六七八九十]{1,3}[、．.]"
                          r"|[（(][一二三四五六七八九十]{1,3}[）)]|第)")
_LATER_HEAD = regex.compile(r"下步|下一步|下半年|明年|计划|工作安排|打算|思路|展望")
_WORK_REPORT = regex.compile(r"政府工作报告|工作报告")
_HEAD_SCAN = 600


def _find_phrases(text: str, current: int | None, review: int | None) -> list[PeriodPhrase]:
    pattern, rules = _iso_rules()
    out = []
    for m in pattern.finditer(text):
        k, groups = _row(m)
        base, shape = rules[k]
        p = _resolve(m, groups, base, shape, review if base == "R" else current)
        if p is not None:
            lead = max(0, m.start() - 2)
            is_base = (_COMPARISON_BEFORE.search(text, lead, m.start()) is not None
                       or (_COMPARED_WITH.search(text, lead, m.start()) is not None
                           and _COMPARED_AFTER.match(text, m.end()) is not None)
                       or (_MULTIPLE_OF.search(text, lead, m.start()) is not None
                           and _MULTIPLE_AFTER.match(text, m.end()) is not None))
            out.append(PeriodPhrase(m.start(), m.end(), p, shape == "upto", is_base))
    return out


def _doc_years(doc: Document) -> tuple[int | None, int | None, bool, Period | None]:
    """Current year, review year, whether it is a work report, and the period a non-report covers."""
    text, meta = doc.text, doc.meta
    title = meta.title or ""
    head = text[:_HEAD_SCAN]
    work = bool(_WORK_REPORT.search(title) or _WORK_REPORT.search(head) or "各位代表" in head)
    pattern, rules = _iso_rules()
    title_period = None
    for m in pattern.finditer(title.translate(_FULL_WIDTH)):
        k, groups = _row(m)
        if groups.get("y"):
            title_period = _resolve(m, groups, rules[k][0], rules[k][1], None)
            break
    date_year = int(meta.date[:4]) if meta.date and meta.date[:4].isdigit() else None
    if work:
        current = title_period[0] if title_period else date_year
        if current is None:  # a review heading (一、2024年工作回顾) dates the report
            for a, b in doc.headings:
                line = text[a:b].translate(_FULL_WIDTH)
                y = _YEAR_IN.search(line)
                if y and _REVIEW_HEAD.search(line):
                    current = int(y.group(1).translate(_CN_YEAR)) + 1
                    break
        if current is None and doc.source:  # a file named for its year (national-1997.txt)
            y = regex.search(r"(?<![0-9])(1[89][0-9]{2}|20[0-9]{2})(?![0-9])", doc.source.rsplit("/", 1)[-1])
            current = int(y.group(1)) if y else None
        return current, None if current is None else current - 1, True, None
    if title_period is not None:
        return title_period[0], title_period[0], False, title_period
    return date_year, date_year, False, None


def timeline(doc: Document) -> Timeline:
    """The document's Timeline, built once per document."""
    cached = doc.analyses.get("timeline")
    if cached is None:
        cached = doc.analyses["timeline"] = _build_timeline(doc)
    return cached


def _build_timeline(doc: Document) -> Timeline:
    current, review, work, covered = _doc_years(doc)
    # full-width digits as ASCII, one for one (offsets unchanged); only the runs are translated (fast)
    text = doc.text
    if any(c in text for c in "０１２３４５６７８９"):  # ten substring tests: 10x faster than the regex scan
        text = _FULL_WIDTH_RUN.sub(lambda r: r.group().translate(_FULL_WIDTH), text)
    phrases = _find_phrases(text, current, review)
    starts = [p.start for p in phrases]  # in order: a heading's phrases by bisection (linear in the text)
    if work and current is not None:
        now: int | None = current * 12
    elif covered is not None:
        now = covered[2] * 12 + covered[3]
    else:
        now = None if current is None else current * 12 + 12
    default = covered or (None if review is None else _year(review))
    plan_head = _PLAN_HEAD if work else _LATER_HEAD  # a summary's 重点工作 is what was done
    sections: list[tuple[int, str | None, Period | None]] = []
    for a, b in doc.headings:
        line = text[a:b]
        if "报告" in line:  # the title line, not a section
            continue
        if not _NUMBERED.match(line) and not (_REVIEW_HEAD.search(line) or plan_head.search(line)):
            continue  # an unnumbered short line is a heading only when it says what its section is
        inside = [p.period for p in phrases[bisect_left(starts, a):bisect_left(starts, b)] if not p.base]
        # 一、“十四五”时期和2025年工作回顾: the year is the section's period (年均 figures find the span)
        period = min(inside, key=_span) if inside else None
        over = None if period is None or now is None else period[2] * 12 + period[3] - 1 < now
        if over is not None:  # a heading's own period decides: 2025年工作回顾, 2026年主要工作, “十五五”时期
            mode: str | None = "review" if over else "plan"
        else:
            mode = "review" if _REVIEW_HEAD.search(line) else "plan" if plan_head.search(line) else None
        if mode is None:
            continue
        if period is None:
            period = default if mode == "review" else None if current is None else _year(current)
        sections.append((a, mode, period))
    return Timeline(current, review, now, work, default, phrases, starts, sections,
                    [s[0] for s in sections])


def attach_period_iso(doc: Document | str, mentions: list[Mention]) -> None:
    """Set `period_iso` (after aspect) from `governing_period`; a level reached at the end of a span
    (五年来…达到13697.5亿元) is the span's last year."""
    doc = as_document(doc)
    tl = timeline(doc)
    segments = doc.segments
    lines = doc.line_starts
    text = doc.text
    for q in mentions:
        p = governing_period(tl, segments.sentence(q.start)[0], lines[bisect_right(lines, q.start) - 1],
                             q.start, text)
        if (p is not None and p[2] > p[0] and q.aspect == "level"
                and _REACHED.search(text, max(0, q.start - 6), q.start)
                and not _CUMULATIVE.search(text, max(0, q.start - 16), q.start)):
            p = _year(p[2])  # 五年来…地区生产总值达到13697.5亿元: the level at the span's end
        q.period_iso = iso(p)


def section_at(tl: Timeline, pos: int) -> tuple[str | None, Period | None]:
    i = bisect_right(tl.section_starts, pos)
    if not i:
        return None, None
    return tl.sections[i - 1][1], tl.sections[i - 1][2]


def phrase_before(tl: Timeline, lo: int, pos: int, base: bool = False,
                  multi_year: bool = False) -> PeriodPhrase | None:
    """The last period phrase (or comparison base) that ends before `pos` and starts at or after `lo`;
    at most `_LOOK_BACK` phrases are looked at, so that a flattened text stays linear."""
    i = bisect_left(tl.phrase_starts, pos)
    for j in range(i - 1, max(-1, i - 1 - _LOOK_BACK), -1):
        p = tl.phrases[j]
        if p.start < lo:
            return None
        if p.end <= pos and p.base == base and (not multi_year or p.period[2] > p.period[0]):
            return p
    return None


def _span(p: Period) -> int:
    return (p[2] - p[0]) * 12 + p[3] - p[1]


_LOOK_BACK = 40
_REACHED = regex.compile(r"(?:达到|达|突破|超过|迈上|提高到|提升到|增加到|增至|升至|为)$")
_CUMULATIVE = regex.compile(r"累计|共计|合计|总计|新增|累积")
_AVERAGE = regex.compile(r"年均|平均每年|每年平均")


def governing_period(tl: Timeline, sentence_start: int, line_start: int, pos: int,
                     text: str = "") -> Period | None:
    """The figure's period: its sentence's nearest phrase, else its paragraph's, else its section's, else
    the document's. A comparison base after it (较“十三五”末增长33.6%) stretches it back to the base;
    an average (年均增长) over a single year takes the nearest multi-year span of its section."""
    hit = phrase_before(tl, sentence_start, pos)
    mode, section_period = section_at(tl, pos)
    if hit is None:
        hit = phrase_before(tl, line_start, pos)
        if hit is not None and mode == "plan" and tl.over(hit.period) and _span(hit.period) >= 12:
            hit = None  # a plan's paragraph recalling past years (“十四五”时期…) does not date its targets
    period = hit.period if hit is not None else section_period or tl.default
    if period is None:
        return None
    base = phrase_before(tl, sentence_start, pos, base=True)
    if base is not None and (hit is None or base.start > hit.start) and base.period[2] + 1 < period[2]:
        return (base.period[2] + 1, 1, period[2], 12, False)
    if text and _span(period) < 12 and _AVERAGE.search(text, max(line_start, pos - 8), pos):
        i = bisect_right(tl.section_starts, pos)
        lo = tl.section_starts[i - 1] if i else 0
        span = phrase_before(tl, lo, pos, multi_year=True)
        if span is not None and span.period[2] == period[2]:
            return span.period
    return period
