"""Mention detection (SPEC §1): find every quantity a report states, and nothing else.

Candidates come from one linear regular expression over the normalized text (number, optional
approximation words, unit from the lexicon). Each candidate then passes general filters: dates and
times, ordinals (第N), numbering, identifiers, fixed words and slogans (lexicon + quoted numeral names
+ jieba word boundaries for Chinese numerals), and the rule that a bare number without a unit or a
scale word is not a quantity. Offsets are mapped back to the original text at the end.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import NamedTuple

import regex

from schemas import Quantity, decimal_str

from . import lexicon, wordseg
from .document import Document, as_document
from .firstchars import guarded
from .normalize import NormalizedText
from .numerals import NumeralError, Reading, read_number


@dataclass(slots=True)
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
_RATE_PARTS = ("money", "count", "measure")  # kinds of unit that may stand below a slash (元/人, 元/吨)

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
_CLAUSE_END = r"(?=[，。；、,;：:）)！？!?\s]|$)"


def _number(currencies: str) -> str:
    """A number (Arabic, Chinese or mixed, with scale words). 两个亿, 5个亿卢布: 个 between a numeral and 亿
    is colloquial for an amount, but only where the clause ends (after a currency at most); before a noun
    it counts things of that class (三个亿元以上项目, 两个万亿元台阶)."""
    ge_yi = rf"个(?=亿(?:{currencies})?(?:左右|以上|多)?{_CLAUSE_END})"
    return (rf"(?:{_AR_NUM}(?:[多余](?=[{_CN_SCALE}])|{ge_yi})?{_SCALE_WORD}*"
            rf"(?:[多余](?=[万亿萬億]){_SCALE_WORD}+)?"
            rf"{_AR_COMPOUND}"
            rf"|{_CN_NUM}(?:{ge_yi}亿|[多余餘](?=[万亿萬億]){_SCALE_WORD}+)?)")


# 元/圆 followed by 角 and 分, or by 整 at the end (壹佰捌拾壹圆柒角, 123元1角1分, 伍仟元整) is one amount.
_JIAO_FEN_DIGIT = "[0-9０-９零一二三四五六七八九壹贰叁肆伍陆柒捌玖两]"
_YUAN_TAIL = (rf"(?<=[元圆])(?:{_JIAO_FEN_DIGIT}角(?:{_JIAO_FEN_DIGIT}分)?|{_JIAO_FEN_DIGIT}分"
              r"|[整正](?=[，。；、,;）)\s]|$))")
_FINANCIAL = frozenset("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟")
# A minus sign or 负 right before a number that no digit precedes (增长-3.9%, 负增长 is no number).
# 负 only after a word that takes a signed figure (增长负2%, 为负), never inside one (税负, 减负).
# 零下 (below zero) is a sign wherever it stands: 零下四摄氏度 = -4.
_SIGN = (rf"(?:(?:(?<=[长为至到是达：:，,（(\s])|^)(?:[-－−](?=[{_AR}])|[负負](?=[{_AR}{_CN}]))"
         rf"|零下(?=[{_AR}{_CN}]))")
# N分之M, and a mixed number X又N分之M (三又二分之一 = 3.5).
_FRACTION = rf"(?:{_CN_NUM}|{_AR_NUM})(?:又(?:{_CN_NUM}|{_AR_NUM}))?分之(?:{_CN_NUM}|{_AR_NUM})"
_RANGE_SEP = r"(?:[-－~～至到]|—{1,2})"
_INCLUSIVE = r"(?:[(（]含[)）])"  # 1万(含)-5万元: the lower end is included
# N成 is a tenth (三成 = 30%) unless 成 starts a word (成为, 成员, 成果, 成本 …).
_TENTH_DIGIT = "[一二三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖]"
_TENTHS = (rf"(?:(?:{_TENTH_DIGIT}|[两兩])(?:[点點]{_TENTH_DIGIT})?|十|10|１０"
           r"|[1-9１-９](?:[.．][0-9０-９])?)")
# 七成六 = 76%: one more digit after 成 only where the clause ends (七成六个 is 七成 and 六个).
_CHENG = rf"{_TENTHS}成(?:半|{_TENTH_DIGIT}{_CLAUSE_END})?(?![为员立长功果绩效就交本品都熟型年人套片批不])"
# N折 is a discount in tenths (八折 = 80%, 九五折 = 95%, 7.5折 = 75%) unless 折 starts a word (折合, 折旧).
_ZHE = rf"(?:{_TENTHS}|{_TENTH_DIGIT}{{2}}|[1-9]{{2}})折(?![合算旧射扣叠腾返服现])"


def _alternation(words: list[str], after: str = "") -> str:
    """Words as one alternation, longest first (so 千瓦时 wins over 千瓦); `after` guards each word."""
    return "|".join(re.escape(w) + after for w in sorted(words, key=len, reverse=True))


def _denominator_words() -> list[str]:
    """Unit words that may stand below a slash: money, counts and measures, and the `denominator` rows."""
    return [w for w, u in lexicon.units().items()
            if u.denominator_only or (u.kind in _RATE_PARTS and not u.compound_only)]


@cache
def _unit_pattern() -> str:
    """A unit word (units.tsv), optionally a rate: unit `/` [scale] denominator, or measure 每 measure."""
    units = lexicon.units()
    alt = _alternation([w for w, u in units.items() if not u.compound_only and not u.denominator_only])
    heads = alt + "|" + _alternation([w for w, u in units.items() if u.compound_only], "(?=[/／])")
    denominators = _alternation(_denominator_words())
    return (rf"(?P<unit>(?:{heads})(?:（(?:{alt})(?:、(?:{alt}))*）次?)?"
            rf"(?P<per>[/／](?P<dscale>[{_CN_SCALE}]{{0,3}}?)(?P<denom>{denominators})|每(?P<mdenom>{denominators}))?)?")


@cache
def _pattern() -> re.Pattern[str]:
    """The candidate scanner. The standard library's engine runs this simple pattern 2.7x faster than
    `regex`; it has no nested quantifiers (each repetition is over a character class or a fixed word),
    so neither engine can backtrack catastrophically on it. A lookahead on the characters a match can
    start with (a prefix word, a sign, a numeral) lets the engine skip every other position at C speed."""
    return re.compile(guarded(_scanner_source()))


@cache
def _scanner_source() -> str:
    words = lexicon.approx_words()
    prefixes = [a.word for a in words if a.position == "prefix" and a.in_span]
    suffixes = [a.word for a in words if a.position == "suffix" and a.word not in ("多", "余")]
    currencies = [w for w, u in lexicon.units().items() if u.kind == "money" and not u.compound_only]
    num = _number(_alternation(currencies))
    return (
        rf"(?P<pre>{_alternation(prefixes)})?"
        rf"(?P<sign>{_SIGN})?"
        rf"(?P<num>{_FRACTION}|{_CHENG}|{_ZHE}|{num}(?:[多余]?{_INCLUSIVE}?{_RANGE_SEP}{num})?)"
        rf"(?P<infix>[多余餘])?"
        rf"{_unit_pattern()}"
        rf"(?P<tail>{_YUAN_TAIL})?"
        rf"(?P<half>半)?"
        rf"(?P<suf>{_alternation(suffixes)})?"
    )


_RATIO = regex.compile(rf"(?<![{_AR}.:：])(?:{_AR_NUM})(?:[:：](?:{_AR_NUM})){{1,6}}(?![{_AR}.:：])")

# What right after a number (with no unit) marks it as a date or time, not a quantity.
_DATE_AFTER = ("年", "月", "日", "号", "时", "周年", "季度", "世纪", "年代", "点钟", "分钟")  # str.startswith
_QUOTED = regex.compile(r"[“\"「『‘]([^”\"」』’\n]{1,14})[”\"」』’]")
# An address starts only where a word does, so a long run of letters or digits is scanned once.
_URL = regex.compile(r"(?:https?://|www\.)[^\s，。；、“”\"'（）()<>]+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# single-character tests, asked of every candidate: sets, not patterns
_LETTERS = frozenset(string.ascii_letters) | {chr(ord(c) + 0xFEE0) for c in string.ascii_letters}  # Ａ-ｚ
_ARABIC_DIGITS = frozenset("0123456789０１２３４５６７８９")
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
_HSPACE = " \t\u3000\xa0"
_INCLUSIVE_MARK = re.compile(_INCLUSIVE)
# a decimal, a vague number, a range, a fraction: no half unit is added to these
_NOT_WHOLE = re.compile(r"[.．点點多余餘几数\-－~～至到分成折]")
_HALF = Decimal("0.5")
_ARTICLES = frozenset(("一", "壹", "幺", "零", "〇"))
_RANK_VERBS = ("提高", "上升", "提升", "前移", "前进", "下降", "后退", "下滑", "跃升", "跃居", "攀升")


def _has_cn_only(num: str) -> bool:
    return _ARABIC_DIGITS.isdisjoint(num)


@cache
def _non_mention_pattern() -> re.Pattern[str]:
    """Names built on numerals (non_mentions.tsv) and slogans; searched through every document, so by
    stdlib `re` behind a first-character lookahead (half the time of `regex`, the same matches)."""
    words = sorted(lexicon.non_mentions(), key=len, reverse=True)
    heads = "|".join(map(re.escape, sorted(lexicon.word_list("slogan_heads.txt"), key=len, reverse=True)))
    # 四项基本原则, 四个现代化, 两个维护: a small count of abstract principles is a programme's name
    slogan = rf"(?<![{_CN}])[一二三四五六七八九十两兩]{{1,3}}[个個项項条條大](?:基本)?(?:{heads})"
    return re.compile(guarded("|".join([*map(re.escape, words), slogan])))


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

    def __bool__(self) -> bool:
        return bool(self._starts)

    def covers(self, start: int, end: int) -> bool:
        i = bisect_right(self._starts, start) - 1
        return i >= 0 and self._max_end[i] >= end


@dataclass(slots=True)
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


def _word_ends(nt: str, pos: int) -> bool:
    """Does a word end at `pos` (二斤半|薯类), rather than run on past it (8英寸半导体)?"""
    lo = max(0, pos - 4)
    at = lo
    for word, _ in wordseg.pos_tags(nt[lo:pos + 6]):
        at += len(word)
        if at >= pos:
            return at == pos
    return True


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


@cache  # a few hundred unit words
def _classify_unit(unit: str) -> str:
    if not unit:
        return "count"
    base = unit.split("（", 1)[0]
    info = lexicon.units().get(base)
    return info.kind if info else "count"


def _rate_kind(head: lexicon.Unit | None, denominator: lexicon.Unit) -> str:
    """A rate's kind (units.tsv header): a measure per measure or per time is a measure, else `other`."""
    if head is not None and head.kind == "measure" and denominator.kind in ("measure", "time"):
        return "measure"
    return "other"


class _Number(NamedTuple):
    """The number of a candidate, with what the filters ask of it."""

    text: str
    cn_only: bool  # Chinese numerals only, no Arabic digit
    bare: bool  # a scale word without a digit (百万, 千亿)
    scaled: bool  # 万 or 亿 in it


class _UnitRead(NamedTuple):
    """The unit a candidate ends with, once checked against what follows it."""

    raw: str  # the unit word as written (元 before 角/分 goes to the numeral engine)
    text: str  # as SPEC writes it: 元, 元/千瓦时, 人/万人
    kind: str
    end: int  # normalized offset where the number and its unit end
    whole: bool  # the match stands as scanned (else the unit or its denominator was cut off)


class _Scan:
    """The candidates of one document: each match of the pattern becomes a candidate or is refused."""

    def __init__(self, doc: Document) -> None:
        self.nt = doc.norm.text
        self.norm = doc.norm
        self.blocked = _SpanSet(_blocked_spans(self.nt))
        self.skip = _SpanSet(doc.skip)
        self.units = lexicon.units()
        self.approx = {a.word: a for a in lexicon.approx_words()}
        # verbs that qualify a figure without being part of it (突破2500亿美元), by their last character
        self.verbs: dict[str, list[lexicon.ApproxWord]] = {}
        for a in self.approx.values():
            if a.position == "prefix" and not a.in_span:
                self.verbs.setdefault(a.word[-1], []).append(a)

    def candidates(self) -> list[_Candidate]:
        return [c for m in _pattern().finditer(self.nt) if (c := self._candidate(m)) is not None]

    def _starts_word(self, word: str, info: lexicon.Unit | None, end: int) -> bool:
        """Is the unit word really the start of a longer word (方面, 人员, 口岸; 5PB after P)?"""
        nxt = self.nt[end:end + 1]
        if not nxt:
            return False
        last = word[-1]
        return (info is not None and nxt in info.not_before) or (
            last.isascii() and last.isalpha() and nxt.isascii() and nxt.isalpha())

    def _unit(self, m: re.Match[str], num: _Number) -> _UnitRead | None:
        """The unit after the number (None: the word after the numeral makes it a name or a class)."""
        num_end = m.end("infix") if m.group("infix") else m.end("num")
        matched = m.group("unit")
        if not matched:
            return _UnitRead("", "", "", num_end, not m.group("half"))  # 半 counts only after a unit
        per = m.group("per") or ""
        head = matched[:len(matched) - len(per)]
        info = self.units.get(head.split("（", 1)[0])
        # 亿度 and 万千瓦 are measures even in Chinese numerals; 一度, 千亿级, 十六届 are not quantities
        if (info is not None and info.arabic_only and num.cn_only
                and not (info.kind == "measure" and num.scaled)):
            return None  # 十六届人大, 五百亿级开发区
        end = m.end("tail") if m.group("tail") else m.end("unit")
        whole = True
        denominator = self.units.get(m.group("denom") or m.group("mdenom")) if per else None
        if denominator is not None and (self._starts_word(per, denominator, end) or (
                per[0] == "每" and not (info is not None and info.kind == denominator.kind == "measure"))):
            per, denominator, end, whole = "", None, m.start("per"), False  # 3家每年, 元/人员
        if (info is not None and info.compound_only and not per) or self._starts_word(head, info, end):
            return _UnitRead("", "", "", num_end, False)  # 分 alone; 方面, 人员: the unit word is not one
        if m.group("half") and whole:
            # 十三斤半, 两米半: half a unit more, after a whole number of a measure (3个半月 is no 3.5个)
            if (info is not None and info.kind == "measure" and not per and not num.scaled
                    and not _NOT_WHOLE.search(num.text) and _word_ends(self.nt, m.end("half"))):
                end = m.end("half")
            else:
                whole = False
        text = self.units[head].canonical if head in self.units else head  # 辆（艘、架、列）次 as written
        if denominator is None:
            return _UnitRead(head, text, _classify_unit(text), end, whole)
        text += "/" + (m.group("dscale") or "") + denominator.canonical
        return _UnitRead(head, text, _rate_kind(info, denominator), end, whole)

    def _refused(self, m: re.Match[str], num: _Number, unit: _UnitRead, core_start: int,
                 pre: str | None) -> bool:
        """Filters of SPEC §1: the numeral is part of a code, a date, an ordinal, a name or a vague amount."""
        nt = self.nt
        core_end = unit.end
        before = nt[max(0, core_start - 2):core_start]
        after = nt[core_end:core_end + 2]
        # A number glued to letters or to + (5G, PM2.5, 1+4+4) is a name or a code; so is one a space
        # away from a letter (百分之52.5 k: shorthand).
        if nt[core_start - 1:core_start] in _LETTERS or (
                not unit.text and after.lstrip(_HSPACE)[:1] in _LETTERS):
            return True
        if "+" in (nt[core_start - 1:core_start], after[:1]):
            return True
        # Part of a longer digit run (identifiers: 2021-144507, 001008006002090/…)
        if (before[-1:] == "/" or nt[core_start - 1:core_start] in (".", "．")
                or (before[-1:] in ("-", "－") and before[:1].isalnum())):
            return True
        if before[-1:] == "每":
            return True  # 每万人, 每百户: the denominator of a rate, not an amount
        if before[-1:] in _VAGUE and not num.text.strip(_CN_SCALE):
            return True  # 几百万人, 数十亿元, 一百一十几万: a vague amount (SPEC §1 has none)
        if (num.bare and pre is None and not m.group("infix")
                and (not nt.endswith(_BARE_SCALE_QUALIFIERS, 0, core_start)
                     or nt.endswith(_STEP_ONTO, 0, core_start))):
            return True  # 千亩高产片, 百万亩造林, 万亿元台阶, 亿元以上项目: a class or a name, not an amount
        if before[-1:] == "届":
            return True  # 十一届十次全会: a session's number
        if nt.startswith("级", core_end):
            return True  # 万吨级码头, 千亿级产业: a size class, not an amount
        if before[-1:] == "第" and unit.raw not in ("名", "位"):
            return True  # ordinals: 第三届, 第五条, 第一
        if not unit.text and after.startswith(_DATE_AFTER):
            return True  # 2020年, 6月, 15日: dates and times
        start, end = (m.start() if pre else core_start), (m.end() if unit.whole else core_end)
        if (self.skip and self.skip.covers(*self.norm.span(start, end))) or self.blocked.covers(
                core_start, core_end):
            return True
        # 百亿, 千亿 alone are a class (千亿级产业), not an amount, unless qualified (超百万) or with a unit
        if not unit.text and pre is None and num.bare:
            return True
        return self._idiom(num, unit, core_start, pre)

    def _idiom(self, num: _Number, unit: _UnitRead, core_start: int, pre: str | None) -> bool:
        """Idioms and fixed words built on one numeral character (统一, 千家万户, 两手抓) are words to jieba;
        an approximation word before the numeral (近百场, 突破百万辆) or 万/亿 in it marks a quantity, and
        financial numerals (壹贰叁…) make no idioms once two of them or a money unit stand together."""
        text = num.text
        if not num.cn_only or len(text) > 2 or _FRACTION_OR_TENTH.search(text):
            return False
        financial = bool(_FINANCIAL & set(text)) and (len(text) > 1 or unit.kind == "money")
        return (not financial and (num.bare or not num.scaled)
                and pre is None and not self.nt.endswith(("突破", "上"), 0, core_start)
                and not _jieba_boundaries_ok(self.nt, core_start, unit.end))

    def _approx(self, m: re.Match[str], num: _Number, reading: Reading, core_start: int, pre: str | None,
                suffix: str | None) -> str | None:
        """SPEC §2 approx: a prefix word decides, else the reading's own word, else a suffix word."""
        approx = reading.approx
        if m.group("infix"):
            approx = approx or "at_least"
        if pre:
            approx = self.approx[pre].approx
        elif num.bare and self.nt[core_start - 1:core_start] == "上":
            approx = "at_least"  # 上万种, 上亿元
        else:  # a verb before the figure that qualifies it without being part of it (突破2500亿美元)
            verbs = self.verbs.get(self.nt[core_start - 1:core_start], ())
            approx = next((a.approx for a in verbs if self._ends_with_word(a, core_start)), approx)
        if suffix:
            approx = approx or self.approx[suffix].approx
        return approx

    def _ends_with_word(self, a: lexicon.ApproxWord, pos: int) -> bool:
        """Does the approximation word end at `pos`, as a word of its own (not 节约, 最近)?"""
        if not self.nt.endswith(a.word, 0, pos):
            return False
        ch = self.nt[pos - len(a.word) - 1:pos - len(a.word)]
        return not (ch and ch in a.not_after)

    def _prefix(self, m: re.Match[str]) -> str | None:
        """The approximation word before the number, unless it ends another word (节约百分之十, 条约187个).
        Checked here rather than by a lookbehind in the pattern, which would slow every scan."""
        pre = m.group("pre")
        return pre if pre is not None and self._ends_with_word(self.approx[pre], m.end("pre")) else None

    def _candidate(self, m: re.Match[str]) -> _Candidate | None:
        text = m.group("num")
        if len(text) > _MAX_NUMBER_CHARS:
            return None
        num_end = m.end("infix" if m.group("infix") else "num")
        if m.group("unit") is None and self.nt.startswith(_DATE_AFTER, num_end):
            return None  # 2020年, 6月: the most common refusal, made before any other work
        pre = self._prefix(m)
        if text in _ARTICLES and pre is None:
            return None  # 一 on its own before a measure word is an article (一个, 一批, 一次), not a count
        core_start = m.start("sign") if m.group("sign") else m.start("num")
        if self.blocked.covers(core_start, m.end()):
            return None  # inside a name (四个现代化) even with all it may take: no need to read the unit
        num = _Number(text, _has_cn_only(text), _bare_scale(text), not _BIG_SCALE.isdisjoint(text))
        unit = self._unit(m, num)
        if unit is None:
            return None
        if self._refused(m, num, unit, core_start, pre):
            return None
        reading = _read(m.group("sign") or "", text, unit.raw + m.group("tail") if m.group("tail") else "")
        if reading is None:
            return None
        if m.group("half") and unit.end == m.end("half"):
            if reading.value_max is not None or reading.unit_hint or reading.fraction:
                return None
            reading = Reading(reading.value + (-_HALF if reading.value < 0 else _HALF), approx=reading.approx)
        start, end = (m.start() if pre else core_start), (m.end() if unit.whole else unit.end)
        unit_out, kind = unit.text, unit.kind or "count"
        if self.nt[core_start - 1:core_start] == "第":
            kind, start = "rank", min(start, core_start - 1)  # 第16名
        elif unit.raw == "位" and any(v in self.nt[max(0, core_start - 4):core_start] for v in _RANK_VERBS):
            kind = "rank"  # 提高了12位
        if reading.unit_hint:
            unit_out, kind = reading.unit_hint, "percent"
        elif reading.fraction:
            unit_out, kind = "", "ratio"
        approx = self._approx(m, num, reading, core_start, pre, m.group("suf") if unit.whole else None)
        return _Candidate(start, end, core_start, unit.end, text, unit_out, reading.value, reading.value_max,
                          approx, kind, num.scaled)


def _bare_scale(num: str) -> bool:
    """百万, 千亿: no digit at all (a leading 十 is a digit: 十万吨 = 100,000 t)."""
    return not num.strip(_CN_SCALE) and num[0] not in "十拾"


def _read(sign: str, num: str, money_tail: str) -> Reading | None:
    """The numeral engine's reading of the number (None when it refuses: never a wrong value)."""
    try:
        return read_number(sign + num + money_tail)
    except NumeralError:
        if num[0] not in "十百千万亿拾佰仟萬億":
            return None
    try:  # 万亿斤, 百亿美元: a bare scale word counts one of it
        return read_number(sign + "一" + num)
    except NumeralError:
        return None


def find_quantities(doc: Document | str) -> list[Mention]:
    """All quantity mentions of the document (offsets into `doc.text`), in order."""
    doc = as_document(doc)
    scan = _Scan(doc)
    out = _per_head(scan.nt, _resolve_unitless(scan.nt, scan.candidates()))
    out.extend(_ratios(scan.nt, doc.norm, scan.skip))
    out.sort(key=lambda c: c.start)
    return [_to_mention(doc.text, doc.norm, c) for c in out]


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


@cache
def _per_head_pattern() -> re.Pattern[str]:
    """每千人口, 每万人, 每百户, 每立方米: a denominator that opens a clause of rates."""
    return re.compile(rf"每(?P<scale>[{_CN_SCALE}]{{0,3}}?)(?P<denom>{_alternation(_denominator_words())})")


_CLAUSE_BREAK = re.compile(r"[，,。；;！？!?\n]")
# A clause that opens with a comparison goes on about the same figure (比2007年增加15.5辆).
_COMPARISON_OPENERS = ("比", "较", "同比", "相比")


def _per_head(nt: str, cands: list[_Candidate]) -> list[_Candidate]:
    """每千人口拥有床位6.5张: the figures of the clause a scaled 每-denominator opens are rates (张/千人口).

    Only amounts without a rate of their own (money, counts, measures) take it; after an unscaled 每 only
    a measure per measure (每立方米19微克: 微克/立方米; 每人每年240元 and 每亩增收200元 stay as they are).
    It holds up to the end of the clause, or of a following clause that compares the same unit
    (，比2007年增加15.5辆): what follows a comma may be about the whole population (新增床位6639张)."""
    if "每" not in nt:
        return cands
    units = lexicon.units()
    starts = [c.start for c in cands]
    for m in _per_head_pattern().finditer(nt):
        denominator = units[m.group("denom")]
        takes = _RATE_PARTS if m.group("scale") else ("measure",) if denominator.kind == "measure" else ()
        if not takes:
            continue
        per = "/" + m.group("scale") + denominator.canonical
        rated: set[str] = set()  # units the head clause rated: a comparing clause may go on with them
        head = True
        pos, i = m.end(), bisect_right(starts, m.end() - 1)
        while True:
            stop = _CLAUSE_BREAK.search(nt, pos)
            limit = stop.start() if stop else len(nt)
            while i < len(cands) and cands[i].start < limit:
                c = cands[i]
                if c.kind in takes and "/" not in c.unit and (head or c.unit in rated):
                    rated.add(c.unit)
                    c.kind = _rate_kind(units.get(c.unit), denominator)
                    c.unit += per
                i += 1
            if not rated or stop is None or stop.group() not in "，," or not nt.startswith(
                    _COMPARISON_OPENERS, limit + 1):
                break
            pos, head = limit + 1, False
    return cands


def _merge_ranges(nt: str, cands: list[_Candidate]) -> list[_Candidate]:
    """`6%－6.5%`, `5万元至10万元`: a range written with its unit twice is one mention (SPEC §2 value_max)."""
    out: list[_Candidate] = []
    for c in cands:
        prev = out[-1] if out else None
        if (prev is not None and prev.unit and prev.unit == c.unit and prev.kind == c.kind
                and prev.value_max is None and c.value_max is None and prev.approx is None
                and prev.value < c.value
                and _INCLUSIVE_MARK.sub("", nt[prev.end:c.start], count=1) in _RANGE_JOINERS):
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
