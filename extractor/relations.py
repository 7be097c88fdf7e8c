"""Relations between quantities (SPEC §3): the arithmetic a report asserts.

Relations are read from cue words (`extractor/data/relation_cues.json`) in the text between
quantities of one sentence, using the quantities' offsets into the original text. A relation
is only recorded when its cue is unambiguous: a spurious relation can become a spurious
`inconsistent` finding, the worst output the checker can give, so every rule errs on
the side of finding nothing.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from itertools import islice
from operator import attrgetter

import regex

from schemas import Quantity, Relation

from .document import Document, as_document
from .indicator import classify
from .precision import interval

_AMOUNT_KINDS = {"money", "count", "measure", "other"}
_LEVEL_KINDS = {"money", "count", "measure", "other"}
_FULL_STOP = re.compile(r"[。！？!?\n]")  # stdlib re: a scan of the whole text for one class of characters
# characters that count towards the distance of a total from its 其中 (digits and separators do not)
_SPELLED = regex.compile(r"(?r)[^\d.,，、]")
_MAX_TOTAL_DISTANCE = 30
_MAX_CLAUSE = 200
_THAN = r"(?:比(?!较)|(?<!比)较)"  # 比/较 comparing, not the word 比较 (comparatively)
# 比预算数X元少支Y元, 比1980年的X亿元增加: X is the base of a comparison
_COMPARED_TO = regex.compile(_THAN + r"[^，,。；;\d]{0,12}?$")
_THAN_IN_CLAUSE = regex.compile(_THAN + r"[^，,。；;]*$")  # 比预算数 before X元少支Y元
_THEN_MORE = regex.compile(r"(?:多|少|超|增|减|高|低|提高|下降|上升|降低)")
# 占地区生产总值的15.3%, 占GDP比重为12.1%: a share of a whole named, not stated beside it
_SHARE_OF_NAMED = regex.compile(r"占(?P<name>[^，,。；;、\d%％]{2,12}?)的?(?:比重|比例)?(?:为|达到?|约)?$")
_MAX_LIST = 40  # figures walked back from a `共计` total (a bound, so that no walk is unbounded)
_CLAUSE_COMMA = regex.compile(r"[，,；;]")  # a comma or ； in a gap: the list goes on in a new clause
_SHARE_OF_BEFORE = regex.compile(r"占[^，,。；;]{0,15}$")  # 占… before a whole: 占GDP 300亿元的20%
_NEXT_SHARE = regex.compile(r"[、，,][^，,。；;、\d]{0,6}?")  # the gap before the next share of a structure


def _alt(words: list[str]) -> str:
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


@dataclass(frozen=True)
class _Cues:
    """Compiled cue patterns, built once per process from the data file."""

    clause_end: str
    growth_gap: regex.Pattern[str]
    growth_end: regex.Pattern[str]
    growth_after: regex.Pattern[str]
    down_verb: regex.Pattern[str]
    completion: regex.Pattern[str]
    completion_bare: regex.Pattern[str]
    target_named: regex.Pattern[str]
    target_of: regex.Pattern[str]
    share_suffix: regex.Pattern[str]
    share_after_whole: regex.Pattern[str]
    share_ratio: regex.Pattern[str]
    parts_cue: regex.Pattern[str]
    parts_stop: regex.Pattern[str]
    total_after: regex.Pattern[str]
    whole_after_new: regex.Pattern[str]
    new_part: regex.Pattern[str]
    per_period: regex.Pattern[str]
    already: regex.Pattern[str]
    change_gap: regex.Pattern[str]
    change_from: regex.Pattern[str]
    change_delta: regex.Pattern[str]
    delta_amount: regex.Pattern[str]
    base_cue: regex.Pattern[str]
    rank_delta: regex.Pattern[str]
    structure: regex.Pattern[str]
    repeat_verbs: regex.Pattern[str]
    repeat_stop: regex.Pattern[str]
    real_growth: regex.Pattern[str]
    up_words: tuple[str, ...]
    down_words: tuple[str, ...]


@lru_cache(maxsize=1)
def cues() -> _Cues:
    raw = json.loads(resources.files("extractor").joinpath("data/relation_cues.json").read_text("utf-8"))
    cmp_, up, down = _alt(raw["growth_compare"]), _alt(raw["growth_up"]), _alt(raw["growth_down"])
    adv = _alt(raw["growth_adverb"])
    approx = r"(?:约|近|超过?|逾|达)?"
    ch_up, ch_down, ch_to = _alt(raw["change_up"]), _alt(raw["change_down"]), _alt(raw["change_to"])
    rk_up, rk_down = _alt(raw["rank_up"]), _alt(raw["rank_down"])
    return _Cues(
        clause_end=raw["clause_end"],
        growth_gap=regex.compile(
            rf"^(?P<pre>.*?)(?:{cmp_}[，,]?)?(?:{adv})?(?P<verb>{up}|{down})了?{approx}$", regex.S),
        # how every growth gap ends: searched from the end, it passes over most gaps at once
        growth_end=regex.compile(rf"(?r)(?:{up}|{down})了?{approx}$"),
        growth_after=regex.compile(rf"^[，,、]\s*{_alt(raw['growth_value_after'])}"
                                   r"(?:突破|达到?|为|超过?|近)?$"),
        down_verb=regex.compile(rf"{down}了?{approx}$"),
        completion=regex.compile(rf"(?:{'|'.join(raw['completion'][:-1])}){approx}$"),
        completion_bare=regex.compile(rf"^[，,、]\s*(?:{raw['completion'][-1]}){approx}$"),
        # `年度目标为200亿元` and `占年度目标200亿元的`: a stated target
        target_named=regex.compile(rf"(?:^|[，,；;])\s*{raw['completion_target']}(?:为|是|达到?)?$"),
        target_of=regex.compile(rf"(?:完成|占|为|达到?|实现)了?{raw['completion_target']}$"),
        share_suffix=regex.compile(rf"(?:{'|'.join(raw['share'])}){approx}$"),
        share_after_whole=regex.compile(rf"^(?:{raw['share_after_whole'][0]}){approx}$"),
        # 占比, 占…比重, a bare 占 after a part (其中发明专利授权2106件，占24.4%): of the list's whole
        share_ratio=regex.compile(r"(?:占比|占(?:其中|总数|总量|总额|全部)?的?(?:比重|比例)|^[，,]\s*占)(?:为|达到?)?"
                                  + approx + "$"),
        parts_cue=regex.compile(_alt(raw["parts_cue"])),
        parts_stop=regex.compile(_alt(raw["parts_stop"]) + "|带动|拉动|撬动|吸引|争取|比上年|同比|增长"),
        total_after=regex.compile(rf"^[^，,。；;\d]{{0,8}}[，,]\s*{_alt(raw['total_after_parts'])}(?:有|达到?|为)?$"),
        whole_after_new=regex.compile(rf"^[，,、]\s*[^，,。；;]{{0,6}}?{_alt(raw['whole_after_new'])}"
                                      r"(?:达到?|为|突破|超过?|增至|增加到)?$"),
        new_part=regex.compile(_alt(raw["new_part"])),
        per_period=regex.compile(_alt(raw["per_period"])),
        already=regex.compile(rf"^\s*{_alt(raw['already_part'])}"),
        change_gap=regex.compile(
            rf"^(?P<verb>{ch_up}|{ch_down})(?:{ch_to})(?:[\d〇零一二三四五六七八九十０-９]{{4}}年(?:底|末)?)?的?$"),
        change_from=regex.compile(rf"{_alt(raw['change_from'])}[^，,。；;：:]{{0,10}}$"),
        change_delta=regex.compile(rf"^[，,、]?\s*(?:{cmp_})?(?:共|累计|{_alt(raw['per_period'])})?"
                                   rf"(?P<verb>{ch_up}|{ch_down})了?{approx}$"),
        delta_amount=regex.compile(rf"(?:比|较)[^，,。；;]{{0,12}}?(?:{ch_up}|{ch_down}|多|少)了?{approx}$"),
        base_cue=regex.compile(r"^[，,、]?\s*(?:比|较)[^，,。；;\d]{0,12}?的$"),
        rank_delta=regex.compile(rf"^[，,、]?\s*(?:比[^，,。；;]{{0,12}}?|较[^，,。；;]{{0,12}}?)?"
                                 rf"(?P<verb>{rk_up}|{rk_down})了?$"),
        structure=regex.compile(_alt(raw["structure_cue"])),
        repeat_verbs=regex.compile(r"(?:达到|达|为|实现|完成|共|有)$"),
        repeat_stop=regex.compile(_alt(raw["repeat_stop"] + raw["per_period"])),
        real_growth=regex.compile(_alt(raw["real_growth_metrics"])),
        up_words=tuple(raw["change_up"] + raw["rank_up"]),
        down_words=tuple(raw["change_down"] + raw["rank_down"]),
    )


@lru_cache(maxsize=1)
def _clause_stop() -> re.Pattern[str]:
    """The clause stops of relation_cues.json (，：（）), one character each."""
    return re.compile("[" + re.escape(cues().clause_end) + "]")


class _Doc:
    """The document with its quantities and sentence boundaries, for window queries.

    Every lookup is a bisection into an index built once (sentence ends, clause stops, full stops,
    line breaks), never a rescan of the text before a position: a document without a single `。`
    is one long sentence, and rescans of it would make relation finding quadratic (issue 14).
    """

    def __init__(self, doc: Document, quantities: list[Quantity]) -> None:
        self.text = doc.text
        self.qs = sorted(quantities, key=attrgetter("start", "end"))
        self.starts = [q.start for q in self.qs]
        self.segments = doc.segments
        self.bounds = doc.segments.sentence_ends
        self.sent = [bisect.bisect_right(self.bounds, start) for start in self.starts]
        self._gaps: list[str | None] = [None] * len(self.qs)
        self._prefixes: list[str | None] = [None] * len(self.qs)
        self._clause_chars = [m.start() for m in _clause_stop().finditer(self.text)]
        self._line_starts = doc.line_starts
        self._occurrences: dict[str, list[int]] = {}
        self._by_indicator: dict[str, list[int]] | None = None

    def sentence_of(self, pos: int) -> int:
        return bisect.bisect_right(self.bounds, pos)

    def sentence_span(self, pos: int) -> tuple[int, int]:
        return self.segments.sentence(pos)

    def sentence_start(self, i: int) -> int:
        """Where quantity i's sentence starts (its sentence number is known: no bisection)."""
        k = self.sent[i]
        return self.bounds[k - 1] if k else 0

    def gap(self, i: int) -> str:
        """Text between quantity i and the previous one in its sentence (or the sentence start);
        sliced once per quantity (every relation rule reads it)."""
        gap = self._gaps[i]
        if gap is None:
            q = self.qs[i]
            if i > 0 and self.sent[i - 1] == self.sent[i]:
                gap = self.text[self.qs[i - 1].end:q.start]
            else:
                gap = self.text[self.sentence_start(i):q.start]
            self._gaps[i] = gap
        return gap

    def last_clause_char(self, lo: int, hi: int) -> int:
        """The position of the last clause stop (，：（）) in text[lo:hi], or -1."""
        k = bisect.bisect_left(self._clause_chars, hi)
        return self._clause_chars[k - 1] if k and self._clause_chars[k - 1] >= lo else -1

    def clause_start(self, i: int) -> int:
        """Where quantity i's clause starts (after a clause stop, or at the sentence start)."""
        s = self.sentence_start(i)
        return max(s, self.last_clause_char(s, self.qs[i].start) + 1)

    def clause_prefix(self, i: int) -> str:
        """Text from the start of quantity i's clause to the quantity (its last 200 characters: cues
        are read near a figure, and an unpunctuated text is one clause that must not be re-read whole)."""
        prefix = self._prefixes[i]
        if prefix is None:
            q = self.qs[i]
            prefix = self.text[max(self.clause_start(i), q.start - _MAX_CLAUSE):q.start]
            self._prefixes[i] = prefix
        return prefix

    def full_stop_after(self, pos: int) -> int:
        """The end of the first `。！？` or line break at or after pos (the text's end if none)."""
        k = bisect.bisect_right(self._full_stops, pos)
        return self._full_stops[k] if k < len(self._full_stops) else len(self.text)

    @cached_property
    def _full_stops(self) -> list[int]:
        """The ends of `。！？` and line breaks (only 其中 lists ask: built on first use)."""
        return [m.end() for m in _FULL_STOP.finditer(self.text)]

    def paragraph_start(self, pos: int) -> int:
        return self._line_starts[bisect.bisect_right(self._line_starts, pos) - 1]

    def occurs_in(self, word: str, lo: int, hi: int) -> bool:
        """`word in text[lo:hi]`, from an index of the word's occurrences built on first use."""
        found = self._occurrences.get(word)
        if found is None:
            found = [m.start() for m in regex.finditer(regex.escape(word), self.text, overlapped=True)]
            self._occurrences[word] = found
        k = bisect.bisect_right(found, hi - len(word))
        return bool(k) and found[k - 1] >= lo

    def by_indicator(self) -> dict[str, list[int]]:
        """The quantities (indices) of each catalogued indicator, in text order (built on first use)."""
        if self._by_indicator is None:
            self._by_indicator = {}
            for i, q in enumerate(self.qs):
                if q.indicator:
                    self._by_indicator.setdefault(q.indicator, []).append(i)
        return self._by_indicator

    def prev(self, i: int) -> int | None:
        return i - 1 if i > 0 and self.sent[i - 1] == self.sent[i] else None

    def next(self, i: int) -> int | None:
        return i + 1 if i + 1 < len(self.qs) and self.sent[i + 1] == self.sent[i] else None


def _growth_gap(gap: str) -> regex.Match[str] | None:
    """`cues().growth_gap.match(gap)`, tried only on a gap that ends as it requires."""
    c = cues()
    return c.growth_gap.match(gap) if c.growth_end.search(gap) else None


def is_percent(q: Quantity) -> bool:
    return q.kind == "percent" or q.unit in ("%", "‰", "个百分点")


def is_decline(text: str, q: Quantity) -> bool:
    """Whether the verb right before a rate or delta says it went down (下降3.1% is −3.1%)."""
    before = text[max(0, q.start - 12):q.start]
    c = cues()
    if c.down_verb.search(before):
        return True
    return before.rstrip("了约近超过逾达").endswith(c.down_words)


def is_real_growth(text: str, quantities: list[Quantity]) -> bool:
    """GDP and value-added growth is stated at comparable prices (SPEC §3)."""
    c = cues()
    for q in quantities:
        if q.metric and c.real_growth.search(q.metric):
            return True
        if c.real_growth.search(text[max(0, q.start - 10):q.start]):
            return True
    return False


def _compatible(a: Quantity, b: Quantity) -> bool:
    """A part and its whole share a unit (the unit is scale-free: 万元 and 元 are both 元)."""
    return a.unit == b.unit and a.kind == b.kind and a.kind in _AMOUNT_KINDS


Found = tuple[str, list[tuple[str, str]]]


def _growth(doc: _Doc, used: set[str]) -> list[Found]:
    c = cues()
    out: list[Found] = []
    for i, q in enumerate(doc.qs):
        if q.unit != "%" or q.id in used:
            continue
        m = _growth_gap(doc.gap(i))
        if not m or "分别" in m.group(0):
            continue
        p = doc.prev(i)
        if p is not None and not m.group("pre").strip("，,、 \t") and doc.qs[p].kind in _LEVEL_KINDS:
            if _is_delta(doc, p):
                # 投入5955亿元，比上年增加1637亿元，增长37.9%: the level, its increase and the rate
                if c.per_period.search(doc.gap(p)):
                    continue  # 平均每年增加42亿元，增长4.9%: yearly figures over unstated years
                lv = doc.prev(p)
                if lv is None or not _compatible(doc.qs[lv], doc.qs[p]) or len(doc.gap(p)) > 15:
                    continue
                roles = [("value", doc.qs[lv].id), ("delta", doc.qs[p].id), ("rate", q.id)]
                if c.base_cue.search(doc.gap(lv)):
                    # 达到13697.5亿元，较“十三五”末的9323.1亿元增加4374.4亿元，增长33.6%
                    v = doc.prev(lv)
                    if v is None or not _compatible(doc.qs[v], doc.qs[lv]) or len(doc.gap(lv)) > 20:
                        continue
                    roles = [("value", doc.qs[v].id), ("base", doc.qs[lv].id)] + roles[1:]
                out.append(("growth", roles))
                used.add(q.id)
                continue
            if c.base_cue.match(doc.gap(p)):
                # 达到五亿二千万吨，比一九五八年的三亿八千万吨增长百分之三十六: the base is stated
                v = doc.prev(p)
                if v is not None and _compatible(doc.qs[v], doc.qs[p]) and len(doc.gap(p)) <= 20:
                    out.append(("growth", [("value", doc.qs[v].id), ("base", doc.qs[p].id), ("rate", q.id)]))
                    used.add(q.id)
                continue
            out.append(("growth", [("value", doc.qs[p].id), ("rate", q.id)]))
            used.add(q.id)
            continue
        n = doc.next(i)
        if n is not None and doc.qs[n].kind in _LEVEL_KINDS and c.growth_after.match(doc.gap(n)):
            pre = m.group("pre")
            if p is None or pre.strip("，,、 "):
                out.append(("growth", [("value", doc.qs[n].id), ("rate", q.id)]))
                used.add(q.id)
    return out


def _value_before(doc: _Doc, i: int, max_gap: int = 40) -> int | None:
    """The nearest non-percent quantity before i in its sentence, skipping only percents."""
    span = len(doc.gap(i))
    j = doc.prev(i)
    while j is not None and is_percent(doc.qs[j]) and span <= max_gap:
        span += len(doc.gap(j)) + len(doc.qs[j].text)
        j = doc.prev(j)
    if j is None or span > max_gap or doc.qs[j].kind not in _LEVEL_KINDS:
        return None
    return j


def _completion(doc: _Doc, used: set[str]) -> list[Found]:
    c = cues()
    out: list[Found] = []
    for i, q in enumerate(doc.qs):
        if q.unit != "%" or q.id in used:
            continue
        gap = doc.gap(i)
        if c.completion.search(gap):
            j = _value_before(doc, i)
        elif c.completion_bare.match(gap):
            j = doc.prev(i)
            if j is not None and doc.qs[j].kind not in _LEVEL_KINDS:
                j = None
        elif gap.strip() == "的" and doc.prev(i) is not None and c.target_of.search(doc.gap(doc.prev(i))):
            j = doc.prev(i)  # 完成120亿元，占年度目标200亿元的60%
        else:
            continue
        if j is None:
            continue
        roles = [("value", doc.qs[j].id), ("percent", q.id)]
        v = doc.prev(j)
        if (c.target_named.search(doc.gap(j)) or c.target_of.search(doc.gap(j))) and v is not None and \
                _compatible(doc.qs[v], doc.qs[j]) and len(doc.gap(j)) <= 20:
            # 工业投资120亿元，年度目标为200亿元，完成年度目标的52.3%: value / target is the percent
            roles = [("value", doc.qs[v].id), ("target", doc.qs[j].id), ("percent", q.id)]
        out.append(("completion", roles))
        used.add(q.id)
    return out


def _is_delta(doc: _Doc, i: int) -> bool:
    """A quantity stated as a difference (比上年增加4000亿元, 比预算数X元少支Y元), no total and no part."""
    c = cues()
    gap = doc.gap(i)
    if c.delta_amount.search(gap) or c.change_delta.match(gap):
        return True
    p = doc.prev(i)
    return p is not None and bool(_MORE_LESS.match(gap)) and bool(_THAN_IN_CLAUSE.search(doc.gap(p)))


def _no_member(doc: _Doc, i: int) -> bool:
    """A difference, or the base of a comparison (比1980年的7159亿元): neither a total nor a part."""
    gap = doc.gap(i)
    if _is_delta(doc, i) or cues().base_cue.match(gap):
        return True
    return bool(_COMPARED_TO.search(gap) and _THEN_MORE.match(doc.text, doc.qs[i].end))


def _sum_fits(doc: _Doc, total: int, parts: list[int]) -> bool:
    s = interval(doc.qs[parts[0]])
    for p in parts[1:]:
        s = s + interval(doc.qs[p])
    return s.overlaps(interval(doc.qs[total]))


def _near_start(doc: _Doc, pos: int) -> int:
    """The earliest end a total may have: at most 30 spelled characters (digits and separators aside)
    between it and its 其中, found by scanning back from `pos`, never from the sentence start."""
    m = next(islice(_SPELLED.finditer(doc.text, 0, pos), _MAX_TOTAL_DISTANCE, None), None)
    return m.end() if m is not None else 0


def _total_before(doc: _Doc, s: int, pos: int, near: int, unit: str, kind: str,
                  froms: set[str], verb: str = "") -> int | None:
    """The last quantity of this unit before `pos` in text[s:pos] that is no difference or `from`, if
    it stands near enough (`near`): walking back stops at the first one, or where none can be near.
    A difference is a total of parts stated with the same verb (`比预算超收7239亿元，其中中央财政超收…`)."""
    i = bisect.bisect_right(doc.starts, pos) - 1
    while i >= 0 and doc.qs[i].start >= s:
        q = doc.qs[i]
        if q.end <= pos:
            if q.end < near:
                return None
            if q.unit != unit or q.kind != kind or q.id in froms:
                i -= 1
                continue
            if not _no_member(doc, i) or (len(verb) == 2 and doc.gap(i).endswith(verb) and _is_delta(doc, i)):
                return i
        i -= 1
    return None


_MORE_LESS = regex.compile(r"^(?:多|少|超|增加?|减少?)[支收出付]?了?$")  # 比预算数X元少支Y元
_LEAD_VERB = regex.compile(r"(?:达到|达|为|是|完成|实现|共|有|了|约|近|超过?)+$")
_LAST_CLAUSE_CUT = regex.compile(r"(?r)[，,；;：:、（(]")  # searched from the end: the last one


def _lead_in(text: str) -> str:
    """The words that name a figure: its clause up to the number, without a trailing verb (为, 完成…)."""
    cut = _LAST_CLAUSE_CUT.search(text)
    return text[cut.end() if cut else 0:].strip()


def _parallel(lead: str, *others: str) -> bool:
    """Two figures named alike: the same last two characters with or without a trailing verb
    (工业投资 / 服务业投资, 制造业贷款新增 / 续贷新增, 公共财政预算收入完成 / 财政总收入)."""
    stripped = _LEAD_VERB.sub("", lead)
    for other in others:
        for a, b in ((lead, other), (stripped, _LEAD_VERB.sub("", other))):
            if len(a) >= 2 and len(b) >= 2 and a[-2:] == b[-2:]:
                return True
    return False


def _qizhong_parts(doc: _Doc, k: int, e: int) -> list[tuple[int, str, str]]:
    """The figures listed after a 其中 ending at k, up to e, with how each joins the list and the words
    that name it: `first` (and its lead-in), `list` (、), `clause` (after a comma or ；, and its lead-in).

    A rate or share right after a part is the part's own (`第一产业增加值45.1亿元，增长3.5%；第二产业…`)
    and is passed over; a stop word (新增, 达到, 同比…) ends the list unless the first part has it too
    (`其中制造业贷款新增1124亿元，无还本续贷新增2865亿元`).
    """
    c = cues()
    parts: list[tuple[int, str, str]] = []
    last, first_gap = k, ""
    for i in range(bisect.bisect_left(doc.starts, k), bisect.bisect_left(doc.starts, e)):
        q = doc.qs[i]
        gap = doc.text[last:q.start]
        # the first part may be named at length (粮食直补、农资综合补贴…资金达1030亿元), in one clause
        limit = 40 if not parts and not _CLAUSE_COMMA.search(gap) else 25
        if len(gap) > limit or c.parts_cue.search(gap):
            break
        if q.kind not in _AMOUNT_KINDS:
            if not parts:
                break  # 其中 followed by a rate or a share is no list of parts
            last = q.end
            continue
        if not parts:
            parts.append((i, "first", _lead_in(gap)))
            first_gap, last = gap, q.end
            continue
        stop = c.parts_stop.search(gap)
        if stop and stop.group() not in first_gap:
            break
        parts.append((i, "clause", _lead_in(gap)) if _CLAUSE_COMMA.search(gap) else (i, "list", ""))
        last = q.end
    return parts


def _joins(parts: list[tuple[int, str, str]], whole_lead: str) -> list[tuple[int, str]]:
    """How each part joins its list: a part in its own clause is `parallel` when named like the first
    part or the whole (`固定资产投资…其中工业投资3.7亿元，服务业投资4.8亿元`), else `comma`."""
    first = parts[0][2] if parts else ""
    return [(i, ("parallel" if _parallel(lead, first, whole_lead) else "comma") if how == "clause" else how)
            for i, how, lead in parts]


def _list_span(doc: _Doc, m_start: int, k: int) -> tuple[int, int]:
    """Where the total of a 其中 list may stand (from s) and where its parts end (e).

    The parts run to the full stop (through ；); the total is in the sentence of 其中, or in the one
    before when 其中 opens its sentence or follows a ；
    (`…286.4亿元，同比增长6.8%。其中，第一产业增加值45.1亿元`)."""
    s, _ = doc.sentence_span(m_start)
    before = m_start
    while before > s and doc.text[before - 1].isspace():
        before -= 1
    if before == s and s > 0:
        s = doc.sentence_span(s - 1)[0]
    return s, doc.full_stop_after(k)


def _qizhong_lists(doc: _Doc, froms: set[str]) -> list[Found]:
    """`total，其中 A x、B y` lists.

    Parts joined by 、 are one list; parts after a comma or ； named like the first part (or the
    whole) belong to it too (`固定资产投资5亿元，其中工业投资3.7亿元，服务业投资4.8亿元`); any other
    part after a comma joins only when the whole list then adds up, since a comma may as well start
    a new statement.
    """
    c = cues()
    out: list[Found] = []
    for m in c.parts_cue.finditer(doc.text):
        k = m.end()
        s, e = _list_span(doc, m.start(), k)
        near = _near_start(doc, m.start())
        after = range(bisect.bisect_left(doc.starts, k), bisect.bisect_left(doc.starts, e))
        verb = doc.text[k:doc.qs[after[0]].start][-2:] if after else ""
        walked = _qizhong_parts(doc, k, e)  # bounded: it stops where the list does
        for unit_kind in sorted({(doc.qs[i].unit, doc.qs[i].kind) for i, _, _ in walked}):
            t = _total_before(doc, s, m.start(), near, *unit_kind, froms, verb)
            per = _per_period(doc, t) if t is not None else None
            if t is None or per is None:
                continue
            whole_lead = _LEAD_VERB.sub("", _lead_in(doc.clause_prefix(t)))
            found = [(i, how) for i, how in _joins(walked, whole_lead)
                     if (doc.qs[i].unit, doc.qs[i].kind) == unit_kind and doc.qs[i].id not in froms
                     and not _no_member(doc, i) and _per_period(doc, i) == per]
            if found:
                out.append(_list_relation(doc, t, found))
    return out


_ADDITIVE_PERIODS = frozenset({"每年", "每月", "每天", "每日"})


def _per_period(doc: _Doc, i: int) -> frozenset[str] | None:
    """The per-period words of a figure's clause (每年安排支出1030亿元: 每年), or None when they make it an
    average or a rate (平均, 人均, 年均, 每千人…), which adds up with nothing."""
    words = frozenset(cues().per_period.findall(doc.clause_prefix(i)))
    return words if words <= _ADDITIVE_PERIODS else None


def _list_relation(doc: _Doc, t: int, found: list[tuple[int, str]]) -> Found:
    """A sum of the parts (or part_of for one part); plainly comma-joined parts only when they fit."""
    tq = doc.qs[t]
    idx = [i for i, _ in found]
    # parts named alike stay; the first other comma starts a new statement (when the sum needs it cut)
    cut = next((n for n, (_, how) in enumerate(found) if how == "comma"), len(found))
    if 1 < len(idx) and cut < len(idx) and (tq.approx or not _sum_fits(doc, t, idx)):
        idx = idx[:cut]
    if len(idx) == 1:
        return ("part_of", [("part", doc.qs[idx[0]].id), ("whole", tq.id)])
    return ("sum", [("total", tq.id)] + [("part", doc.qs[i].id) for i in idx])


def _totals_after_parts(doc: _Doc) -> list[Found]:
    """`A x，B y，共计 z`: a total after its parts."""
    c = cues()
    out: list[Found] = []
    for i, q in enumerate(doc.qs):
        if q.kind not in _AMOUNT_KINDS or not c.total_after.match(doc.gap(i)):
            continue
        parts = []
        j = doc.prev(i)
        while j is not None and i - j <= _MAX_LIST:
            g = doc.gap(j)
            if _compatible(doc.qs[j], q):
                parts.append(j)
            elif parts:
                break
            if len(g) > 25 or c.parts_stop.search(g):
                break
            j = doc.prev(j)
        if len(parts) >= 2:
            out.append(("sum", [("total", q.id)] + [("part", doc.qs[p].id) for p in reversed(parts)]))
    return out


def _part_of(doc: _Doc) -> list[Found]:
    """`新增 x，总量达 y` and `梳理出问题 y，已解决 x`: a part no larger than its whole."""
    c = cues()
    out: list[Found] = []
    for i, q in enumerate(doc.qs):
        if q.kind not in _AMOUNT_KINDS:
            continue
        if c.whole_after_new.match(doc.gap(i)):
            j, span = doc.prev(i), len(doc.gap(i))
            while j is not None and span <= 30:
                if _compatible(doc.qs[j], q):
                    prefix = doc.clause_prefix(j)
                    if c.new_part.search(prefix) and not c.per_period.search(prefix):
                        out.append(("part_of", [("part", doc.qs[j].id), ("whole", q.id)]))
                    break
                span += len(doc.gap(j)) + len(doc.qs[j].text)
                j = doc.prev(j)
        prefix = doc.clause_prefix(i)
        if c.already.match(prefix) and len(prefix) <= 20:
            s = doc.sentence_start(i)
            clause_start = q.start - len(prefix)
            j = doc.prev(i)
            while j is not None and doc.qs[j].start >= clause_start:
                j = doc.prev(j)
            # the whole sits in the clause right before the part's clause
            last = doc.last_clause_char(s, clause_start - 1)
            cut = last + 1 if last >= 0 else s
            while j is not None and doc.qs[j].start >= cut:
                if _compatible(doc.qs[j], q):
                    out.append(("part_of", [("part", q.id), ("whole", doc.qs[j].id)]))
                    break
                j = doc.prev(j)
    return out


def _share(doc: _Doc, used: set[str], wholes: dict[str, str]) -> list[Found]:
    c = cues()
    out: list[Found] = []
    for i, q in enumerate(doc.qs):
        if q.unit != "%" or q.id in used:
            continue
        gap = doc.gap(i)
        w = doc.prev(i)
        if w is not None and c.share_after_whole.match(gap) and _SHARE_OF_BEFORE.search(doc.gap(w)):
            p = doc.prev(w)
            if p is not None and _compatible(doc.qs[p], doc.qs[w]) and len(doc.gap(w)) <= 30:
                out.append(("share", [("part", doc.qs[p].id), ("whole", doc.qs[w].id), ("percent", q.id)]))
                used.add(q.id)
            continue
        if c.share_ratio.search(gap):
            j = _value_before(doc, i, max_gap=20)
            if j is not None and doc.qs[j].id in wholes:
                out.append(("share", [("part", doc.qs[j].id), ("whole", wholes[doc.qs[j].id]),
                                      ("percent", q.id)]))
                used.add(q.id)
            continue
        named = _SHARE_OF_NAMED.search(gap)
        j = _value_before(doc, i, max_gap=30) if named else None
        whole = _whole_named(doc, named.group("name"), doc.qs[j]) if named and j is not None else None
        if whole is not None:
            # 工业增加值300亿元，占地区生产总值的15.3%: the whole stated elsewhere for the same period
            out.append(("share", [("part", doc.qs[j].id), ("whole", whole.id), ("percent", q.id)]))
            used.add(q.id)
    return out


def _whole_named(doc: _Doc, name: str, part: Quantity) -> Quantity | None:
    """The figure the document states for the indicator `name` names (地区生产总值, GDP…): a level of the
    part's unit, area, period and modality; none when the document states it with differing values, or
    when neither has a period and it is stated more than once."""
    code, area = classify(name)
    if code is None or part.indicator == code or part.kind not in _AMOUNT_KINDS:
        return None
    cands = [w for w in (doc.qs[i] for i in doc.by_indicator().get(code, []) if not _no_member(doc, i))
             if w.unit == part.unit and w.kind == part.kind and w.aspect in (None, "level") and w.area == area
             and w.period_iso == part.period_iso and w.modality == part.modality and not w.approx
             and w.id != part.id]
    if not cands or (part.period_iso is None and len(cands) > 1):
        return None
    first = interval(cands[0])
    return cands[0] if all(interval(w).overlaps(first) for w in cands[1:]) else None


def _change(doc: _Doc, used: set[str]) -> list[Found]:
    c = cues()
    out: list[Found] = []
    for i, q in enumerate(doc.qs):
        n = doc.next(i)
        if n is None:
            continue
        b = doc.qs[n]
        # 从 a 提高到 b (，提高 d)
        if (q.unit == b.unit and q.kind == b.kind and c.change_gap.match(doc.gap(n))
                and c.change_from.search(doc.gap(i))):
            roles = [("from", q.id), ("to", b.id)]
            d = doc.next(n)
            if d is not None:
                dq = doc.qs[d]
                ok_unit = (dq.unit == "个百分点" and q.unit == "%") or (
                    dq.unit == q.unit and dq.kind == q.kind) or (dq.unit == "%" and q.unit != "%")
                if ok_unit and c.change_delta.match(doc.gap(d)):
                    roles.append(("delta", dq.id))
                    used.add(dq.id)
            out.append(("change", roles))
            used.update((q.id, b.id))
            continue
        # 第16名，比2019年同期提高了12位
        if q.kind == "rank" and b.kind == "rank" and b.unit == "位" and c.rank_delta.match(doc.gap(n)):
            out.append(("change", [("to", q.id), ("delta", b.id)]))
            used.update((q.id, b.id))
            continue
        # 城镇化率58.5%，提高1.2个百分点
        if (q.unit == "%" and b.unit == "个百分点" and b.id not in used
                and c.change_delta.match(doc.gap(n)) and q.id not in used):
            out.append(("change", [("to", q.id), ("delta", b.id)]))
            used.add(b.id)
    return out


def _structure(doc: _Doc) -> list[Found]:
    """`结构为7.1:39.0:53.9` and `结构…a%、b%、c%`: the cue is looked for first, so that a long run of
    figures without it is passed over once, not re-chained from every figure in it."""
    c = cues()
    out: list[Found] = []
    i = 0
    while i < len(doc.qs):
        q = doc.qs[i]
        if not ((q.kind == "ratio" and ":" not in q.text) or q.unit == "%") or not c.structure.search(
                doc.clause_prefix(i)):
            i += 1
            continue
        chain = [i]
        j = doc.next(i)
        if q.kind == "ratio" and ":" not in q.text:
            while j is not None and doc.qs[j].kind == "ratio" and doc.gap(j).strip() in (":", "："):
                chain.append(j)
                j = doc.next(j)
        else:
            while j is not None and doc.qs[j].unit == "%" and _NEXT_SHARE.fullmatch(
                    doc.gap(j)) and not _growth_gap(doc.gap(j)):
                chain.append(j)
                j = doc.next(j)
        if len(chain) >= (2 if q.kind == "ratio" else 3):  # `比重分别为a%、b%` may be of two wholes
            out.append(("structure", [("part", doc.qs[k].id) for k in chain]))
            i = chain[-1] + 1
            continue
        i += 1
    return out


def _repeat(doc: _Doc) -> list[Found]:
    """The same metric, period and unit stated twice.

    Metric and period attribution are heuristic, and reports restate a metric for other
    spans of time (the year, the five-year plan, the target) without saying so in the
    sentence; so a repeat is only read when the metric alone opens the sentence of both
    numbers (`城镇新增就业54.58万人。`), the period is written before both in their paragraphs,
    neither is approximate, and neither clause speaks of a cumulative, average or planned figure.
    """
    c = cues()
    out: list[Found] = []
    seen: dict[tuple[str, str, str], Quantity] = {}
    for i, q in enumerate(doc.qs):
        if (not q.metric or len(q.metric) < 4 or not q.period or q.approx
                or q.kind not in ("money", "count", "measure")):
            continue
        prefix = doc.clause_prefix(i)
        if (c.repeat_verbs.sub("", prefix.strip()) != q.metric or c.repeat_stop.search(prefix)
                or doc.clause_start(i) != doc.sentence_start(i)):
            continue  # the metric must be the whole subject: the first clause of its sentence
        if not doc.occurs_in(q.period, doc.paragraph_start(q.start), q.start):
            continue  # the period must be stated in the paragraph, not inherited from a heading
        key = (q.metric, q.period, q.unit)
        first = seen.get(key)
        if first is not None and doc.sent[i] != doc.sentence_of(first.start):
            out.append(("repeat", [("first", first.id), ("second", q.id)]))
        seen[key] = q
    return out


def find_relations(document: Document | str, quantities: list[Quantity]) -> list[Relation]:
    """Every relation the cue words make unambiguous, in text order of their first quantity."""
    doc = _Doc(as_document(document), quantities)
    used: set[str] = set()
    found: list[Found] = []
    found += _change(doc, used)
    found += _completion(doc, used)
    found += _growth(doc, used)
    froms = {qid for _, roles in found for r, qid in roles if r in ("from", "base", "target")}
    lists = _qizhong_lists(doc, froms) + _totals_after_parts(doc)
    found += lists
    found += _part_of(doc)
    wholes: dict[str, str] = {}
    for _typ, roles in lists:
        whole = next(qid for r, qid in roles if r in ("total", "whole"))
        for r, qid in roles:
            if r == "part":
                wholes[qid] = whole
    found += _share(doc, used, wholes)
    found += _structure(doc)
    found += _repeat(doc)
    order = {q.id: q.start for q in doc.qs}
    seen: set[tuple[str, tuple[str, ...]]] = set()
    rels: list[Relation] = []
    for typ, roles in sorted(found, key=lambda f: min([order[qid] for _, qid in f[1]])):
        key = (typ, tuple(sorted([qid for _, qid in roles])))
        if key in seen:
            continue
        seen.add(key)
        rels.append(Relation(id=f"r{len(rels) + 1}", type=typ,  # type: ignore[arg-type]
                             quantities=[qid for _, qid in roles], roles=[r for r, _ in roles]))
    return rels
