"""An offset-preserving normalized view of the text, for the mention detector.

What changes (everything else is kept as is):

* zero-width characters (U+200B-U+200D, U+2060, U+FEFF, soft hyphen U+00AD) are removed everywhere;
* a run of whitespace (spaces, U+3000, NBSP, tabs, single line breaks) is removed when it sits inside
  a numeric expression: after a digit, numeral, decimal point, `%` or a partial unit word, and before
  what continues it (a digit, decimal point, scale word, unit word, `多`/`余`/`以上`...):
  `3212 万元` -> `3212万元`, `5 个百\\n分点` -> `5个百分点`, `74.4\\n\\u200b\\n万亿元` -> `74.4万亿元`;
* never across a paragraph break (a line holding only whitespace); a line holding only a zero-width
  character is an HTML line-wrap artifact, not a blank line;
* across a single line break only in hard-wrapped text (most lines end mid-sentence, or too few lines
  to tell) or when a zero-width line marks the wrap: published reports put one paragraph per line,
  and there `附件2\n名词解释` is two lines, not `2名`;
* two Arabic digit groups are joined only when both are a single digit and the gap has no line
  break: `1 9 9 7 年` (how one national report is typeset) -> `1997年`, `1 2 . 5 %` -> `12.5%`, but
  `12 34`, `2021-01-07 15:59` and `附件1\\n2026年` stay apart;
* 1:1 substitutions that keep offsets: full-width digits and `％` -> ASCII; `．` between digits -> `.`;
  `，` used as a thousands separator (`33，212万吨`: 1-3 digits, then groups of exactly 3) -> `,`.

The mapping stores only the deletion points (two `array('q')` of normalized position and cumulative
deleted count) and answers `to_orig()` by bisection; when nothing is deleted it is the identity and
costs nothing. Scanning uses one regex whose only repetition is a single character class (no nested
or adjacent quantifiers over overlapping classes), so it cannot backtrack; all other checks look at a
bounded window around each whitespace run, so the whole pass is linear in the text length.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from functools import cache
from importlib import resources

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_DIGITS = frozenset("0123456789０１２３４５６７８９")
_CN_NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两兩壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億兆廿卅")
# Digits that may follow a Chinese decimal point (四点五, 陆点五) or stand after 成 (七成六).
_CN_DIGITS = frozenset("〇零一二三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖")
_POINTS = frozenset("点點")
_TENTH = "成"
_AND = "又"  # 三又二分之一
_BIG_SCALE = frozenset("万亿千百萬億仟佰")
# After one of these a lone digit has nothing more to join: the clause ends.
_CLAUSE_END = frozenset("，。；、,;：:）)！？!?\n")
_SCALE = frozenset("十百千万亿兆萬億拾佰仟")
_DOTS = frozenset(".．")
_DIGITS_OR_SLASH = _DIGITS | frozenset("/／")
_PERCENT = frozenset("%％‰‱")
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_HSPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c not in _LINE_BREAKS) + "\u3000"
_LINE_BREAK_RE = re.compile("[" + re.escape(_LINE_BREAKS) + "]")
# Two line breaks with only horizontal whitespace (no zero-width char) between them; U+2029 is one.
_BREAK_CLASS = "[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028]"
_PARAGRAPH_RE = re.compile(_BREAK_CLASS + "[" + re.escape(_HSPACE) + "]*" + _BREAK_CLASS + "|\u2029")
# A digit group after these is a decimal part, a rank, or part of a date, range or ratio.
_NOT_BEFORE_THOUSANDS = frozenset(".．第-－~～/／:：")
_SENTENCE_END = frozenset("。！？：；…”’）)」』】》!?:;")
_ZW_RE = re.compile("[" + ZERO_WIDTH + "]+")
_FULLWIDTH = str.maketrans("０１２３４５６７８９％", "0123456789%")
_FULLWIDTH_RE = re.compile("[０-９％]+")
# the literal first lets the engine skip to it (10x faster than a leading lookbehind)
_DOT_RE = re.compile("．(?<=[0-9０-９]．)(?=[0-9０-９])")
_COMMA_RE = re.compile("，(?<=[0-9０-９]，)(?=[0-9０-９])")


def _data_words(name: str, column: int = 0, where: tuple[int, str] | None = None) -> list[str]:
    """Words of a data file (tab-separated, `#` comments); [] when the file is absent."""
    try:
        text = resources.files("extractor.data").joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return []
    out = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        row = line.split("\t")
        if where and (len(row) <= where[0] or row[where[0]].strip() != where[1]):
            continue
        if len(row) > column and row[column].strip():
            out.append(row[column].strip())
    return out


class _Lexicon:
    """Unit words as the normalizer needs them: which characters start one, which continue a prefix."""

    def __init__(self, words: list[str]) -> None:
        self.starts = frozenset(w[0] for w in words)
        self.cont: dict[str, frozenset[str]] = {}
        pairs: dict[str, set[str]] = {}
        for w in words:
            for k in range(1, len(w)):
                pairs.setdefault(w[:k], set()).add(w[k])
        self.cont = {p: frozenset(s) for p, s in pairs.items()}
        self.cont_chars = frozenset(c for s in pairs.values() for c in s)
        self.max_prefix = max((len(p) for p in self.cont), default=0)
        self.approx_starts: frozenset[str] = frozenset()
        # words after which the number comes (百分之, 分之)
        self.connectors = frozenset(w for w in words if w.endswith("之"))
        self.connector_ends = frozenset(w[-1] for w in self.connectors)
        # Characters after which a whitespace run may need a closer look (fast reject otherwise).
        self.left = frozenset(_DIGITS | _CN_NUMERALS | _DOTS | _PERCENT | {c for p in self.cont for c in p}
                              | {w[-1] for w in self.connectors} | _POINTS | {_TENTH, _AND})


@cache
def _lexicon() -> _Lexicon:
    # a space before a Latin-letter unit (P, mg) may start an English word: it is never closed
    words = [w for w in _data_words("units.tsv") if not (w[0].isascii() and w[0].isalpha())]
    words += _data_words("numeric_spacing.txt")
    approx = _data_words("approx.tsv", 0, (1, "suffix"))
    lex = _Lexicon(words + approx)
    lex.approx_starts = frozenset(w[0] for w in approx)
    return lex


@cache
def _site_re() -> re.Pattern[str]:
    """Whitespace runs after a character that may end a number part; zero-width runs anywhere."""
    left = "".join(sorted(_lexicon().left))
    ws_zw = r"\s" + ZERO_WIDTH
    # the lookahead lets the engine skip to the next whitespace before trying the lookbehind (2x faster)
    return re.compile(f"(?=[{ws_zw}])(?:(?<=[{re.escape(left)}])[{ws_zw}]+|[{ZERO_WIDTH}]+)")


class NormalizedText:
    """`text` is the normalized string; `span()` maps a span of it back to the original text."""

    __slots__ = ("original", "text", "_norm_at", "_orig_at", "_shift")

    def __init__(self, original: str, text: str | None = None,
                 deletions: list[tuple[int, int]] | None = None) -> None:
        self.original = original
        self.text = original if text is None else text
        # For deletion k: the normalized index it precedes, the original index where it starts, and
        # the number of characters deleted up to and including it.
        self._norm_at = array("q")
        self._orig_at = array("q")
        self._shift = array("q")
        total = 0
        for start, end in deletions or ():
            self._norm_at.append(start - total)
            self._orig_at.append(start)
            total += end - start
            self._shift.append(total)

    @classmethod
    def _from_arrays(cls, original: str, text: str, norm_at: array, orig_at: array,
                     shift: array) -> NormalizedText:
        self = cls(original, text)
        self._norm_at, self._orig_at, self._shift = norm_at, orig_at, shift
        return self

    def __len__(self) -> int:
        return len(self.text)

    @property
    def deleted(self) -> int:
        """How many original characters the normalized text leaves out."""
        return self._shift[-1] if self._shift else 0

    def to_orig(self, i: int) -> int:
        """Original index of normalized index `i` (0 <= i <= len(text); len maps to len(original))."""
        if not 0 <= i <= len(self.text):
            raise IndexError(f"normalized index {i} outside 0..{len(self.text)}")
        if not self._norm_at:
            return i
        if i == len(self.text):
            return len(self.original)
        k = bisect_right(self._norm_at, i)
        return i if k == 0 else i + self._shift[k - 1]

    def to_norm(self, j: int) -> int:
        """Normalized index of original index `j`; a deleted character maps to the next kept one."""
        if not 0 <= j <= len(self.original):
            raise IndexError(f"original index {j} outside 0..{len(self.original)}")
        if not self._orig_at:
            return j
        k = bisect_right(self._orig_at, j)
        if k == 0:
            return j
        start = self._orig_at[k - 1]
        before = self._shift[k - 2] if k >= 2 else 0
        deleted_here = self._shift[k - 1] - before
        if j < start + deleted_here:  # inside the deleted run
            return start - before
        return j - self._shift[k - 1]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span covering normalized [start, end), including whitespace removed inside it."""
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"normalized span ({start}, {end}) outside 0..{len(self.text)}")
        if not self._norm_at:  # nothing deleted: the identity
            return start, end
        if start == end:
            p = self.to_orig(start)
            return p, p
        return self.to_orig(start), self.to_orig(end - 1) + 1


def _numeric(ch: str) -> bool:
    return ch in _DIGITS or ch in _CN_NUMERALS or ch in _DOTS or ch in _PERCENT


def _hard_wrapped(text: str) -> bool:
    """Is this text hard-wrapped (most lines end mid-sentence), so that a line break is not a boundary?

    Published reports put one paragraph or heading on each line; there a line break between `附件2`
    and `名词解释` ends the line and must not be closed. In wrapped text most lines end mid-sentence.
    """
    lasts = [line[-1] for line in (raw.rstrip() for raw in text.split("\n")[:-1]) if line]
    if len(lasts) < 8:  # too few lines to tell: a snippet, where a break inside a number is a wrap
        return True
    return sum(1 for c in lasts if c not in _SENTENCE_END) > 0.5 * len(lasts)


def _next_visible(text: str, k: int) -> str:
    """The first character at or after `k` that is not horizontal whitespace (a few spaces at most)."""
    end = min(len(text), k + 4)
    while k < end and text[k] in _HSPACE:
        k += 1
    return text[k] if k < end else ""


def _joins(text: str, g: int, j: int, tail: str, lex: _Lexicon, wrapped: list[bool]) -> bool:
    """Does the whitespace run text[g:j] sit inside a numeric expression (tail: normalized text before)?"""
    n = len(text)
    if j >= n or not tail:
        return False
    gap = text[g:j]
    a, r = tail[-1], text[j]
    breaks = _LINE_BREAK_RE.search(gap) is not None
    if breaks:
        if _PARAGRAPH_RE.search(gap.replace("\r\n", "\n")):
            return False
        if not _ZW_RE.search(gap):  # a line holding only a zero-width char is a wrap artifact
            if not wrapped:
                wrapped.append(_hard_wrapped(text))
            if not wrapped[0]:
                return False
    if r == _AND and (a in _DIGITS or a in _CN_NUMERALS):  # "三百五 又 三分之一": a mixed number
        nxt = _next_visible(text, j + 1)
        return nxt in _DIGITS or nxt in _CN_NUMERALS
    if a == _AND and len(tail) >= 2 and (tail[-2] in _DIGITS or tail[-2] in _CN_NUMERALS):
        return r in _DIGITS or r in _CN_NUMERALS
    if a in _BIG_SCALE and r in _DIGITS and len(tail) >= 2 and (
            tail[-2] in _DIGITS or tail[-2] in _CN_NUMERALS):
        k = j
        while k < n and k - j < 4 and text[k] in _DIGITS:
            k += 1
        return k < n and text[k] in _SCALE  # "7万 5千 4百": the digits take the next lower scale word
    if a in _DIGITS:
        if r in _DIGITS:  # only single-digit groups: "1 9 9 7", never "12 34" nor "4 6/3"
            return (not breaks and (g < 2 or text[g - 2] not in _DIGITS_OR_SLASH)
                    and (j + 1 >= n or text[j + 1] not in _DIGITS_OR_SLASH))
        if r in _DOTS:  # "1 2 . 5": the dot must lead to a digit, possibly after one space
            if breaks or j + 1 >= n:
                return False
            nxt = text[j + 1]
            return nxt in _DIGITS or (nxt in _HSPACE and j + 2 < n and text[j + 2] in _DIGITS)
        return r in _SCALE or r in _PERCENT or r in lex.starts or r in lex.approx_starts
    if a in _DOTS:
        return not breaks and r in _DIGITS and len(tail) >= 2 and tail[-2] in _DIGITS
    if a in _CN_NUMERALS and (r in _CN_NUMERALS or r in _PERCENT or r in lex.starts):
        return True
    if a in _CN_NUMERALS and r in _POINTS:  # "四 点 五": a point between Chinese numerals (PDF, OCR)
        return _next_visible(text, j + 1) in _CN_DIGITS
    if len(tail) >= 2 and tail[-2] in _CN_NUMERALS and r in _CN_DIGITS:
        if a in _POINTS:  # "四点 五个百分点"
            return True
        if a == _TENTH:  # "七成 六": one more digit, then the clause ends
            return j + 1 >= n or text[j + 1] in _CLAUSE_END
    if a in _PERCENT:
        return r in lex.approx_starts
    # inside a unit word: "万平方\n米", "个百\n分点", "人\n次", "百 分 之"
    for k in range(1, min(lex.max_prefix, len(tail)) + 1 if r in lex.cont_chars else 0):
        part = tail[-k:]
        follow = lex.cont.get(part)
        if follow and r in follow and (part[0] in _CN_NUMERALS or (k < len(tail) and _numeric(tail[-k - 1]))):
            return True
    # after 百分之 / 分之 comes the number
    if (r in _DIGITS or r in _CN_NUMERALS) and a in lex.connector_ends:
        return any(tail.endswith(c) for c in lex.connectors)
    return False


def normalize(text: str) -> NormalizedText:
    """The normalized view of `text` (see the module docstring for what changes)."""
    lex = _lexicon()
    keep = lex.max_prefix + 2
    cut_start = array("q")  # deleted runs [cut_start[k], cut_end[k]), adjacent runs merged
    cut_end = array("q")
    tail = ""
    wrapped: list[bool] = []  # computed on first need: is the text hard-wrapped?
    last = 0  # original index up to which `tail` has been brought
    for m in _site_re().finditer(text):
        g, j = m.span()
        run = m.group()
        tail = text[g - keep:g] if g - last >= keep else (tail + text[last:g])[-keep:]
        last = j
        if not run.strip(ZERO_WIDTH) or _joins(text, g, j, tail, lex, wrapped):
            # zero-width only (always removed), or whitespace inside a numeric expression
            if cut_end and cut_end[-1] == g:
                cut_end[-1] = j
            else:
                cut_start.append(g)
                cut_end.append(j)
            continue
        if _ZW_RE.search(run):  # whitespace kept, the zero-width characters inside it not
            for z in _ZW_RE.finditer(run):
                if cut_end and cut_end[-1] == g + z.start():
                    cut_end[-1] = g + z.end()
                else:
                    cut_start.append(g + z.start())
                    cut_end.append(g + z.end())
            run = _ZW_RE.sub("", run)
        tail = (tail + run)[-keep:]
    if not cut_start:
        return NormalizedText(text, _one_to_one(text))
    parts = []
    norm_at = array("q")
    shift = array("q")
    prev = 0
    total = 0
    for s, e in zip(cut_start, cut_end, strict=True):
        parts.append(text[prev:s])
        norm_at.append(s - total)
        total += e - s
        shift.append(total)
        prev = e
    parts.append(text[prev:])
    return NormalizedText._from_arrays(text, _one_to_one("".join(parts)), norm_at, cut_start, shift)


def _thousands_comma(t: str, c: int) -> bool:
    """Is the `，` at t[c] a thousands separator: 1-3 digits before, exactly 3 digits after?"""
    n = len(t)
    if c + 4 > n or not all(ch in _DIGITS for ch in t[c + 1:c + 4]):
        return False
    if c + 4 < n and t[c + 4] in _DIGITS:
        return False
    b = c
    while b > 0 and c - b < 4 and t[b - 1] in _DIGITS:
        b -= 1
    if c - b > 3:
        return False
    if b == 0:
        return True
    before = t[b - 1]
    if before == "，" and b >= 2 and t[b - 2] in _DIGITS:  # a chain: 27，203，319，000
        return c - b == 3
    return before not in _NOT_BEFORE_THOUSANDS


def _one_to_one(t: str) -> str:
    """Substitutions that keep every offset: full-width digits and `％`, decimal `．`, thousands `，`."""
    if "．" in t:
        t = _DOT_RE.sub(".", t)
    if "，" in t:
        commas = [m.start() for m in _COMMA_RE.finditer(t) if _thousands_comma(t, m.start())]
        if commas:
            parts, prev = [], 0
            for c in commas:
                parts.append(t[prev:c])
                parts.append(",")
                prev = c + 1
            parts.append(t[prev:])
            t = "".join(parts)
    if any(c in t for c in "０１２３４５６７８９％"):  # ten substring tests: 10x faster than a regex scan
        t = _FULLWIDTH_RE.sub(lambda m: m.group().translate(_FULLWIDTH), t)
    return t


__all__ = ["NormalizedText", "ZERO_WIDTH", "normalize"]
