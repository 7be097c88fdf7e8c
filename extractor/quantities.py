"""Mention detection (SPEC §1): find every quantity a report states, and nothing else.

Candidates come from one linear regular expression over the normalized text (number, optional
approximation words, unit from the lexicon). Each candidate then passes general filters: dates and
times, ordinals (第N), numbering, identifiers, fixed words and slogans (lexicon + quoted numeral names
+ jieba word boundaries for Chinese numerals), and the rule that a bare number without a unit or a
scale word is not a quantity. Offsets are mapped back to the original text at the end.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

import regex

from schemas import Quantity, decimal_str

from . import lexicon, wordseg
from .document import Document, as_document
from .firstchars import guarded
from .normalize import NormalizedText
from .numerals import NumeralError, read_number


@dataclass
class Mention:
    """A quantity mention while the pipeline works on it (values still Decimal, offsets original)."""

    start: int
    end: int
    text: str
    value: Decimal
    unit: str
    kind: str
    value_max: Decimal | None = None
    approx: str | None = None
    metric: str | None = None
    period: str | None = None
    period_iso: str | None = None
    indicator: str | None = None
    aspect: str | None = None
    area: str | None = None
    modality: str | None = None
    core_start: int = 0  # where the number itself starts (after a prefix approximation word)
    core_end: int = 0  # where the number and its unit end (before a suffix approximation word)
    extras: dict[str, str] = field(default_factory=dict)

    def to_record(self, qid: str) -> Quantity:
        return Quantity(
            id=qid, start=self.start, end=self.end, text=self.text, value=decimal_str(self.value),
            value_max=None if self.value_max is None else decimal_str(self.value_max), unit=self.unit,
            kind=self.kind, approx=self.approx, metric=self.metric, period=self.period,  # type: ignore[arg-type]
            period_iso=self.period_iso, indicator=self.indicator,
            aspect=self.aspect, area=self.area, modality=self.modality,  # type: ignore[arg-type]
        )


# --- the candidate pattern -------------------------------------------------------------------------

_AR = "0-9０-９"
_CN_DIGIT = "零〇○一二三四五六七八九两兩壹贰貳叁參肆伍陆陸柒捌玖廿卅幺"
_CN_SCALE = "十百千万亿拾佰仟萬億"
_CN = _CN_DIGIT + _CN_SCALE
_BIG_SCALE = set("万亿萬億")

_AR_NUM = rf"[{_AR}]+(?:[,，][{_AR}]{{3}})*(?:[.．][{_AR}]+)?"
# 千 before 瓦/米/克/伏 starts the unit (1亿千瓦), not a scale word.
_THOUSAND = "千(?![瓦米克伏])"
_SCALE_WORD = rf"(?:[十百万亿拾佰仟萬億]|{_THOUSAND})"
_CN_CHAR = rf"(?:[{_CN.replace('千', '')}]|{_THOUSAND})"
# 点 is a decimal point only between numerals (三点五); 多/余 may sit before a scale word (30多万, 二百多万).
_CN_NUM = rf"{_CN_CHAR}(?:{_CN_CHAR}|[点點](?=[{_CN_DIGIT}]))*"
# Arabic digits chain after a scale word (1亿2000万, 5万4千6百, 2千零30万): each further group must follow
# a scale character, so the split into groups is unique and the repetition cannot backtrack.
# A last bare group must fill the place after 万 (3万4000), so 390万65岁 stays two figures.
_AR_COMPOUND = (rf"(?:(?<=[十百千万亿拾佰仟萬億])零?{_AR_NUM}(?:[多余](?=[{_CN_SCALE}]))?{_SCALE_WORD}+"
                rf"(?:[多余](?=[万亿萬億]){_SCALE_WORD}+)?)*"
                rf"(?:(?<=[万萬])[{_AR}]{{4}}(?![{_AR}.．]))?")
_NUM = (rf"(?:{_AR_NUM}(?:[多余](?=[{_CN_SCALE}]))?{_SCALE_WORD}*(?:[多余](?=[万亿萬億]){_SCALE_WORD}+)?"
        rf"{_AR_COMPOUND}"
        rf"|{_CN_NUM}(?:[多余餘](?=[万亿萬億]){_SCALE_WORD}+)?)")
# 元/圆 followed by 角 and 分, or by 整 at the end (壹佰捌拾壹圆柒角, 123元1角1分, 伍仟元整) is one amount.
_JIAO_FEN_DIGIT = "[0-9０-９零一二三四五六七八九壹贰叁肆伍陆柒捌玖两]"
_YUAN_TAIL = (rf"(?<=[元圆])(?:{_JIAO_FEN_DIGIT}角(?:{_JIAO_FEN_DIGIT}分)?|{_JIAO_FEN_DIGIT}分"
              r"|[整正](?=[，。；、,;）)\s]|$))")
_FINANCIAL = frozenset("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟")
# A minus sign or 负 right before a number that no digit precedes (增长-3.9%, 负增长 is no number).
# 负 only after a word that takes a signed figure (增长负2%, 为负), never inside one (税负, 减负).
_SIGN = (rf"(?:(?<=[长为至到是达：:，,（(\s])|^)(?:[-－−](?=[{_AR}])|[负負](?=[{_AR}{_CN}]))")
_FRACTION = rf"(?:{_CN_NUM}|{_AR_NUM})分之(?:{_CN_NUM}|{_AR_NUM})"
_RANGE_SEP = r"(?:[-－~～至到]|—{1,2})"
# N成 is a tenth (三成 = 30%) unless 成 starts a word (成为, 成员, 成果, 成本 …).
_TENTHS = (r"(?:[一二三四五六七八九两兩](?:[点點][一二三四五六七八九])?|十|10|１０"
           r"|[1-9１-９](?:[.．][0-9０-９])?)")
_CHENG = rf"{_TENTHS}成半?(?![为员立长功果绩效就交本品都熟型年人套片批不])"
# N折 is a discount in tenths (八折 = 80%, 九五折 = 95%, 7.5折 = 75%) unless 折 starts a word (折合, 折旧).
_ZHE = rf"(?:{_TENTHS}|[一二三四五六七八九]{{2}}|[1-9]{{2}})折(?![合算旧射扣叠腾返服现])"


@cache
def _pattern() -> re.Pattern[str]:
    """The candidate scanner. The standard library's engine runs this simple pattern 2.7x faster than
    `regex`; it has no nested quantifiers (each repetition is over a character class or a fixed word),
    so neither engine can backtrack catastrophically on it. A lookahead on the characters a match can
    start with (a prefix word, a sign, a numeral) lets the engine skip every other position at C speed."""
    return re.compile(guarded(_scanner_source()))


@cache
def _scanner_source() -> str:
    units = sorted(lexicon.units(), key=len, reverse=True)
    unit_alt = "|".join(re.escape(u) for u in units)
    prefixes = sorted((a.word for a in lexicon.approx_words() if a.position == "prefix" and a.in_span),
                      key=len, reverse=True)
    suffixes = sorted((a.word for a in lexicon.approx_words() if a.position == "suffix"
                       and a.word not in ("多", "余")), key=len, reverse=True)
    return (
        rf"(?P<pre>{'|'.join(map(re.escape, prefixes))})?"
        rf"(?P<sign>{_SIGN})?"
        rf"(?P<num>{_FRACTION}|{_CHENG}|{_ZHE}|{_NUM}(?:[多余]?{_RANGE_SEP}{_NUM})?)"
        rf"(?P<infix>[多余餘])?"
        rf"(?P<unit>(?:{unit_alt})(?:（(?:{unit_alt})(?:、(?:{unit_alt}))*）次?)?)?"
        rf"(?P<tail>{_YUAN_TAIL})?"
        rf"(?P<suf>{'|'.join(map(re.escape, suffixes))})?"
    )


_RATIO = regex.compile(rf"(?<![{_AR}.:：])(?:{_AR_NUM})(?:[:：](?:{_AR_NUM})){{1,6}}(?![{_AR}.:：])")

# What right after a number (with no unit) marks it as a date or time, not a quantity.
_DATE_AFTER = regex.compile(r"[年月日号时]|周年|季度|世纪|年代|点钟|分钟")
_QUOTED = regex.compile(r"[“\"「『‘]([^”\"」』’\n]{1,14})[”\"」』’]")
# An address starts only where a word does, so a long run of letters or digits is scanned once.
_URL = regex.compile(r"(?:https?://|www\.)[^\s，。；、“”\"'（）()<>]+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LETTER = regex.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
_ARABIC_DIGIT = regex.compile(rf"[{_AR}]")
_ANY_NUMERAL = regex.compile(rf"[{_AR}{_CN}]")
_NAMED_AMOUNT = regex.compile(r"[%％]|[元]$")
_FRACTION_OR_TENTH = regex.compile("分之|成半?$|折$")
_COLON = regex.compile(r"[:：]")
# No real number is longer than this; longer runs are noise (and would cost the parser and jieba dearly).
_MAX_NUMBER_CHARS = 40
_VAGUE = frozenset("几幾數数多余餘")
# Verbs that make a bare scale word an amount: 突破百亿元, 过万亿元, 达千亿元, 上万种.
_BARE_SCALE_QUALIFIERS = ("突破", "破", "过", "达", "达到", "上", "超过", "超", "逾", "近", "约", "在", "到",
                          "至", "为")
_STEP_ONTO = ("迈上", "跃上", "登上", "踏上", "走上", "站上", "跨上")  # 迈上万亿元台阶: 上 is no "over" here
_LIST_JOINERS = ("、", "和", "与", "及")
_RANGE_JOINERS = ("-", "－", "~", "～", "至", "到", "—", "——", "--", "－－")
_RANK_VERBS = ("提高", "上升", "提升", "前移", "前进", "下降", "后退", "下滑", "跃升", "跃居", "攀升")


def _has_cn_only(num: str) -> bool:
    return _ARABIC_DIGIT.search(num) is None


@cache
def _non_mention_pattern() -> regex.Pattern[str]:
    words = sorted(lexicon.non_mentions(), key=len, reverse=True)
    heads = "|".join(map(regex.escape, sorted(lexicon.word_list("slogan_heads.txt"), key=len, reverse=True)))
    # 四项基本原则, 四个现代化, 两个维护: a small count of abstract principles is a programme's name
    slogan = rf"(?<![{_CN}])[一二三四五六七八九十两兩]{{1,3}}[个個项項条條大](?:基本)?(?:{heads})"
    return regex.compile("|".join([*map(regex.escape, words), slogan]))


def _blocked_spans(nt: str) -> list[tuple[int, int]]:
    """Spans of the normalized text whose numerals are names, not quantities."""
    spans = [m.span() for m in _non_mention_pattern().finditer(nt)]
    if "@" in nt or "http" in nt or "www." in nt:
        spans += [m.span() for m in _URL.finditer(nt)]
    for m in _QUOTED.finditer(nt):
        inner = m.group(1)
        # A short quoted phrase with a numeral and no unit-bearing figure is a name (“六稳”, “132”).
        if _ANY_NUMERAL.search(inner) and not _NAMED_AMOUNT.search(inner):
            spans.append(m.span())
    spans.sort()
    return spans


class _SpanSet:
    """Sorted, possibly overlapping spans; `covers` asks whether one of them contains [start, end)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self._starts = [s for s, _ in spans]
        self._max_end: list[int] = []
        best = -1
        for _, e in spans:
            best = max(best, e)
            self._max_end.append(best)

    def covers(self, start: int, end: int) -> bool:
        i = bisect_right(self._starts, start) - 1
        return i >= 0 and self._max_end[i] >= end


@dataclass
class _Candidate:
    start: int  # normalized offsets
    end: int
    core_start: int
    core_end: int
    num: str
    unit: str
    value: Decimal
    value_max: Decimal | None
    approx: str | None
    kind: str
    scaled: bool


def _jieba_boundaries_ok(nt: str, start: int, end: int) -> bool:
    """A short Chinese-numeral candidate must be a numeral word of its own: it starts and ends on word
    boundaries (统一, 千家万户 are words) and its first word is tagged as a numeral (拾起 is a verb)."""
    lo = max(0, start - 8)
    window = nt[lo:min(len(nt), end + 8)]
    pos = lo
    first_flag = None
    ends = set()
    for word, flag in wordseg.pos_tags(window):
        if pos == start:
            first_flag = flag
        pos += len(word)
        ends.add(pos)
    return first_flag is not None and first_flag.startswith("m") and end in ends


def _classify_unit(unit: str) -> str:
    if not unit:
        return "count"
    base = unit.split("（", 1)[0]
    info = lexicon.units().get(base)
    return info.kind if info else "count"


def find_quantities(doc: Document | str) -> list[Mention]:
    """All quantity mentions of the document (offsets into `doc.text`), in order."""
    doc = as_document(doc)
    text, norm, skip = doc.text, doc.norm, doc.skip
    nt = norm.text
    blocked = _SpanSet(_blocked_spans(nt))
    skip_orig = _SpanSet(skip)
    units = lexicon.units()
    approx_info = {a.word: a for a in lexicon.approx_words()}
    cands: list[_Candidate] = []

    for m in _pattern().finditer(nt):
        num = m.group("num")
        if len(num) > _MAX_NUMBER_CHARS:
            continue
        unit = m.group("unit") or ""
        start, end = m.span()
        core_start = m.start("sign") if m.group("sign") else m.start("num")
        core_end = m.end("unit") if unit else (m.end("infix") if m.group("infix") else m.end("num"))
        if m.group("tail"):
            core_end = m.end("tail")
        before = nt[max(0, core_start - 2):core_start]
        after = nt[core_end:core_end + 2]
        cn_only = _has_cn_only(num)

        # Unit words that are really the start of another word (方面, 人员, 口岸) do not count.
        if unit:
            info = units.get(unit.split("（", 1)[0])
            # 亿度 and 万千瓦 are measures even in Chinese numerals; 一度, 千亿级, 十六届 are not quantities
            arabic_only = info is not None and info.arabic_only and cn_only and not (
                info.kind == "measure" and _BIG_SCALE & set(num))
            if arabic_only:
                continue  # 十六届人大, 五百亿级开发区: the word after the numeral makes it a name or a class
            if info and after[:1] and after[0] in info.not_before:
                unit = ""
                core_end = m.end("infix") if m.group("infix") else m.end("num")
                end = core_end
                after = nt[core_end:core_end + 2]
        # A number glued to letters or to + (5G, PM2.5, 1+4+4) is a name or a code.
        if _LETTER.match(nt[core_start - 1:core_start] or " ") or (not unit and _LETTER.match(after or " ")):
            continue
        if "+" in (nt[core_start - 1:core_start], after[:1]):
            continue
        # Part of a longer digit run (identifiers: 2021-144507, 001008006002090/…)
        if (before[-1:] == "/" or nt[core_start - 1:core_start] in (".", "．")
                or (before[-1:] in ("-", "－") and before[:1].isalnum())):
            continue
        if before[-1:] == "每":
            continue  # 每万人, 每百户: the denominator of a rate, not an amount
        # 百万, 千亿: no digit at all (a leading 十 is a digit: 十万吨 = 100,000 t)
        bare_scale = not num.strip(_CN_SCALE) and num[0] not in "十拾"
        if before[-1:] in _VAGUE and not num.strip(_CN_SCALE):
            continue  # 几百万人, 数十亿元, 一百一十几万: a vague amount (SPEC §1 has none)
        if (bare_scale and m.group("pre") is None and not m.group("infix")
                and (not nt.endswith(_BARE_SCALE_QUALIFIERS, 0, core_start)
                     or nt.endswith(_STEP_ONTO, 0, core_start))):
            continue  # 千亩高产片, 百万亩造林, 万亿元台阶, 亿元以上项目: a class or a name, not an amount
        if before[-1:] == "届":
            continue  # 十一届十次全会: a session's number
        if nt.startswith("级", core_end):
            continue  # 万吨级码头, 千亿级产业: a size class, not an amount
        if before[-1:] == "第":
            if unit in ("名", "位"):
                kind = "rank"
                start = min(start, core_start - 1)
            else:
                continue  # ordinals: 第三届, 第五条, 第一
        else:
            kind = ""
        if not unit and _DATE_AFTER.match(after):
            continue  # 2020年, 6月, 15日: dates and times
        if skip_orig.covers(*norm.span(start, end)):
            continue
        if blocked.covers(core_start, core_end):
            continue
        # 一 on its own before a measure word is an article (一个, 一批, 一次), not a count.
        if num in ("一", "壹", "幺", "零", "〇") and m.group("pre") is None:
            continue
        # 百亿, 千亿 alone are a class (千亿级产业), not an amount, unless qualified (超百万) or with a unit
        if not unit and m.group("pre") is None and bare_scale:
            continue
        # idioms and fixed words built on one numeral character (统一, 千家万户, 两手抓) are words to jieba;
        # an approximation word before the numeral (近百场, 突破百万辆) or 万/亿 in it marks a quantity
        # financial numerals (壹贰叁…) make no idioms once two of them or a money unit stand together
        financial = bool(_FINANCIAL & set(num)) and (len(num) > 1 or _classify_unit(unit) == "money")
        if (cn_only and len(num) <= 2 and not _FRACTION_OR_TENTH.search(num) and not financial
                and (bare_scale or not _BIG_SCALE & set(num))
                and m.group("pre") is None and not nt.endswith(("突破", "上"), 0, core_start)
                and not _jieba_boundaries_ok(nt, core_start, core_end)):
            continue
        try:
            reading = read_number((m.group("sign") or "") + num
                                  + (unit + m.group("tail") if m.group("tail") else ""))
        except NumeralError:
            if num[0] not in "十百千万亿拾佰仟萬億":
                continue
            try:  # 万亿斤, 百亿美元: a bare scale word counts one of it
                reading = read_number((m.group("sign") or "") + "一" + num)
            except NumeralError:
                continue
        unit_out = units[unit].canonical if unit in units else unit
        if reading.unit_hint:
            unit_out = reading.unit_hint
            kind = "percent"
        elif reading.fraction:
            kind = "ratio"
            unit_out = ""
        approx = reading.approx
        if m.group("infix"):
            approx = approx or "at_least"
        pre = m.group("pre")
        if pre:
            approx = approx_info[pre].approx
        elif bare_scale and before[-1:] == "上":
            approx = "at_least"  # 上万种, 上亿元
        else:  # a verb before the figure that qualifies it without being part of it (突破2500亿美元)
            approx = next((a.approx for w, a in approx_info.items()
                           if a.position == "prefix" and not a.in_span and nt.endswith(w, 0, core_start)),
                          approx)
        suf = m.group("suf")
        if suf:
            approx = approx or approx_info[suf].approx
        scaled = any(c in _BIG_SCALE for c in num)
        if not kind:
            if unit_out:
                kind = _classify_unit(unit_out)
            else:
                kind = "count"
        if unit in ("位",) and kind != "rank":
            back = nt[max(0, core_start - 4):core_start]
            if any(v in back for v in _RANK_VERBS):
                kind = "rank"
        cand = _Candidate(start, end, core_start, core_end, num, unit_out, reading.value, reading.value_max,
                          approx, kind, scaled)
        cands.append(cand)

    out = _resolve_unitless(nt, cands)
    out.extend(_ratios(nt, norm, skip_orig))
    out.sort(key=lambda c: c.start)
    return [_to_mention(text, norm, c) for c in out]


def _resolve_unitless(nt: str, cands: list[_Candidate]) -> list[_Candidate]:
    """A bare number takes the unit of the next figure in a list (1409万、1305万人次), else needs a scale."""
    keep: list[_Candidate] = []
    for i, c in enumerate(cands):
        nxt = cands[i + 1] if i + 1 < len(cands) else None
        # 高于全国12.7个、12个百分点: the first figure's 个 is the start of the shared unit
        if (c.unit and nxt is not None and nxt.unit.startswith(c.unit) and nxt.unit != c.unit
                and nt[c.end:nxt.start] in _LIST_JOINERS):
            c.unit, c.kind = nxt.unit, nxt.kind
        if c.unit or c.kind in ("ratio", "percent"):
            keep.append(c)
            continue
        if nxt is not None and nxt.unit and nt[c.end:nxt.start] in _LIST_JOINERS:
            if c.scaled == nxt.scaled or nxt.unit in ("%", "‰", "个百分点"):
                c.unit = nxt.unit
                c.kind = nxt.kind if nxt.kind != "rank" else "count"
                keep.append(c)
                continue
        if c.scaled:
            keep.append(c)
    return _merge_ranges(nt, keep)


def _merge_ranges(nt: str, cands: list[_Candidate]) -> list[_Candidate]:
    """`6%－6.5%`, `5万元至10万元`: a range written with its unit twice is one mention (SPEC §2 value_max)."""
    out: list[_Candidate] = []
    for c in cands:
        prev = out[-1] if out else None
        if (prev is not None and prev.unit and prev.unit == c.unit and prev.kind == c.kind
                and nt[prev.end:c.start] in _RANGE_JOINERS and prev.value_max is None and c.value_max is None
                and prev.approx is None and prev.value < c.value):
            out[-1] = _Candidate(prev.start, c.end, prev.core_start, c.core_end, prev.num, prev.unit,
                                 prev.value, c.value, c.approx, prev.kind, prev.scaled or c.scaled)
            continue
        out.append(c)
    return out


def _ratios(nt: str, norm: NormalizedText, skip: _SpanSet) -> list[_Candidate]:
    """Structure ratios a:b:c: one mention per part. Clock times (15:59) are not ratios."""
    out: list[_Candidate] = []
    for m in _RATIO.finditer(nt):
        parts = _COLON.split(m.group())
        if len(parts) == 2 and not any("." in p for p in parts):
            continue
        if skip.covers(*norm.span(m.start(), m.end())):
            continue
        pos = m.start()
        for p in parts:
            try:
                value = read_number(p).value
            except NumeralError:
                break
            end = pos + len(p)
            out.append(_Candidate(pos, end, pos, end, p, "", value, None, None, "ratio", False))
            pos += len(p) + 1
    return out


def _to_mention(text: str, norm: NormalizedText, c: _Candidate) -> Mention:
    start, end = norm.span(c.start, c.end)
    core_start, core_end = norm.span(c.core_start, c.core_end)
    return Mention(
        start=start, end=end, text=text[start:end], value=c.value, unit=c.unit, kind=c.kind,
        value_max=c.value_max, approx=c.approx, core_start=core_start, core_end=core_end,
    )
