"""Printed precision and exact interval arithmetic for the consistency checks (SPEC §3).

A printed number stands for the interval its last printed digit allows: `68.1%` is
[68.05, 68.15), `7071万元` is [7070.5万, 7071.5万). Whole numbers written out in full
without a scale word (`4768平方米`, `27家`, `500元`) are exact. Percents, multiples and
ratios are always rounded at their last digit (`122%` is [121.5, 122.5)). Intervals are
half-open as SPEC §3 says (rounding half up, 四舍五入, reaches the lower edge, never the upper):
two rounded figures that meet only at an edge do not agree. A whole number of 万 or 亿 written
in Chinese numerals is as precise as the same number in digits (三千二百万 is 3200万, ±0.5万).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal

import regex

from schemas import Quantity

_CTX = Context(prec=60)
_ROUNDED_KINDS = {"percent", "multiple", "ratio"}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
# the separators in either width (\d takes full-width digits too): only the number found is translated
_ARABIC = regex.compile(r"\d+(?:[,，]\d{3})*(?:[.．]\d+)?")
_CN_DIGITS = "〇零一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
_CN_DECIMALS = regex.compile(rf"[点點]([{_CN_DIGITS}]+)")
_CN_SCALE = regex.compile(r"[万萬亿億]")
_SCALE_VALUE = {"万": Decimal(10) ** 4, "萬": Decimal(10) ** 4,
                "亿": Decimal(10) ** 8, "億": Decimal(10) ** 8}
# the scale words that end a Chinese numeral: no digit or 十百千 after them
_CN_LAST_SCALE = regex.compile(rf"[万萬亿億]+(?=[^{_CN_DIGITS}十拾百佰千仟]*$)")
INF = Decimal("Infinity")
_STEPS = tuple(Decimal(1).scaleb(-places) for places in range(12))


@dataclass(frozen=True)
class Interval:
    """An interval of Decimals from lo to hi (hi may be +Infinity for `超…` values), each end closed
    unless flagged open: a rounded figure is half-open (`68.1%` is [68.05, 68.15), SPEC §3), so that two
    figures that only touch at an edge no rounding reaches do not agree (5.8亿 vs 2.6+2.1+0.9 亿)."""

    lo: Decimal
    hi: Decimal
    lo_open: bool = False
    hi_open: bool = False

    @staticmethod
    def point(v: Decimal) -> Interval:
        return Interval(v, v)

    def __add__(self, other: Interval) -> Interval:
        return Interval(_CTX.add(self.lo, other.lo), _CTX.add(self.hi, other.hi),
                        self.lo_open or other.lo_open, self.hi_open or other.hi_open)

    def __sub__(self, other: Interval) -> Interval:
        return self + -other

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo, self.hi_open, self.lo_open)

    def scale(self, k: Decimal) -> Interval:
        a, b = _CTX.multiply(self.lo, k), _CTX.multiply(self.hi, k)
        if k == 0:
            return Interval.point(Decimal(0))
        if k > 0:
            return Interval(a, b, self.lo_open, self.hi_open)
        return Interval(b, a, self.hi_open, self.lo_open)

    @staticmethod
    def _hull(ends: list[tuple[Decimal, bool]]) -> Interval:
        """The interval spanned by (value, open) ends; an end reached by a closed one is closed."""
        lo = min(v for v, _ in ends)
        hi = max(v for v, _ in ends)
        return Interval(lo, hi, all(o for v, o in ends if v == lo), all(o for v, o in ends if v == hi))

    def _ends(self) -> tuple[tuple[Decimal, bool], tuple[Decimal, bool]]:
        return (self.lo, self.lo_open), (self.hi, self.hi_open)

    def __mul__(self, other: Interval) -> Interval:
        prods = [(_CTX.multiply(a, b), oa or ob) for a, oa in self._ends() for b, ob in other._ends()
                 if not ((a == 0 and b.is_infinite()) or (b == 0 and a.is_infinite()))]
        return Interval._hull(prods)

    def __truediv__(self, other: Interval) -> Interval:
        """Divides endpoint by endpoint (not by a rounded reciprocal), so that a quotient that is exactly
        a whole number at an interval's edge stays exact (14700 / 91.875 = 160)."""
        if other.lo <= 0 <= other.hi:
            return Interval(-INF, INF)
        quots = []
        for a, oa in self._ends():
            for b, ob in other._ends():
                if b.is_infinite():
                    q = Decimal(0) if a.is_finite() else (INF if (a > 0) == (b > 0) else -INF)
                else:
                    q = _CTX.divide(a, b)
                quots.append((q, oa or ob))
        return Interval._hull(quots)

    def overlaps(self, other: Interval) -> bool:
        return not self.intersect(other).empty

    def intersect(self, other: Interval) -> Interval:
        # on a tie the open end wins: it is the stricter one
        lo, lo_open = max((self.lo, self.lo_open), (other.lo, other.lo_open))
        hi, hi_closed = min((self.hi, not self.hi_open), (other.hi, not other.hi_open))
        return Interval(lo, hi, lo_open, not hi_closed)

    @property
    def empty(self) -> bool:
        return self.lo > self.hi or (self.lo == self.hi and (self.lo_open or self.hi_open))

    def at_most(self, other: Interval) -> bool:
        """Some value of self is <= some value of other (a part can be no larger than its whole)."""
        return self.lo < other.hi or (self.lo == other.hi and not (self.lo_open or other.hi_open))

    def contains(self, v: Decimal) -> bool:
        return not self.intersect(Interval.point(v)).empty

    def has_integer(self, minimum: int = 1) -> Decimal | None:
        """The smallest integer >= minimum inside, or None (the GRIM test)."""
        n = max(self.lo, Decimal(minimum)).to_integral_value(rounding=ROUND_CEILING)
        if n == self.lo and self.lo_open:
            n += 1
        return n if self.contains(n) else None

    def integers(self, limit: int = 3) -> list[Decimal]:
        first = self.has_integer()
        if first is None:
            return []
        out = [first]
        while len(out) < limit and self.contains(out[-1] + 1):
            out.append(out[-1] + 1)
        return out


def _unit_step(places: int) -> Decimal:
    """10^-places (1, 0.1, 0.01 …), from a table for the usual numbers of decimals."""
    return _STEPS[places] if 0 <= places < len(_STEPS) else Decimal(1).scaleb(-places)


def _printed_number(text: str) -> tuple[Decimal, int] | None:
    """The Arabic number printed in `text` and its count of decimals, if any."""
    m = _ARABIC.search(text)
    if not m:
        return None
    digits = m.group().translate(_FULLWIDTH).replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return Decimal(digits), decimals


def ulp(q: Quantity) -> Decimal:
    """The value of one unit in the last printed digit (0 for exact whole numbers)."""
    value = Decimal(q.value)
    printed = _printed_number(q.text)
    if printed is not None:
        number, decimals = printed
        step = _unit_step(decimals)
        scale = _CTX.normalize((value / number) if number != 0 else Decimal(1))
        if decimals == 0 and scale == 1 and q.kind not in _ROUNDED_KINDS:
            return Decimal(0)
        return _CTX.abs(_CTX.multiply(step, scale))
    # Chinese numerals: 点 gives decimals (of the scale words after them: 三点五亿 is ±0.05亿); a whole
    # number of 万 or of 亿 is as precise as in digits (三千二百万 is 3200万, ±0.5万); other whole
    # numbers (三千二百, 十二万五千) are exact.
    m = _CN_DECIMALS.search(q.text)
    if m:
        return Decimal(1).scaleb(-len(m.group(1))) * _scale_words(q.text[m.end():])
    if q.kind in _ROUNDED_KINDS:
        return Decimal(1)
    if value == value.to_integral_value() and value != 0 and _CN_SCALE.search(q.text):
        last = _CN_LAST_SCALE.search(q.text)
        if last and len(_CN_SCALE.findall(q.text)) == len(last.group()):
            return _scale_words(last.group())
        # mixed scales read as a decimal of the larger (五亿二千万 is 5.2亿): rounded at the last
        # non-zero digit
        v = int(abs(value))
        return Decimal(10) ** (len(str(v)) - len(str(v).rstrip("0")))
    return Decimal(0)


def _scale_words(text: str) -> Decimal:
    """The product of the scale words 万 and 亿 in `text` (万亿 is 10^12)."""
    out = Decimal(1)
    for ch in _CN_SCALE.findall(text):
        out *= _SCALE_VALUE[ch]
    return out


def interval(q: Quantity, truncated: bool = False) -> Interval:
    """The interval a printed quantity stands for.

    `truncated` reads the last digit as cut off rather than rounded ([v, v + ulp)).
    Approximate values widen: `超6000` is [6000, ∞), `近700` is [0, 700], `约5` is ±10%.
    """
    v = Decimal(q.value)
    top = Decimal(q.value_max) if q.value_max is not None else v
    step = ulp(q)
    if truncated:
        iv = Interval(v, _CTX.add(top, step), hi_open=step > 0)
    else:
        half = _CTX.divide(step, 2)
        iv = Interval(_CTX.subtract(v, half), _CTX.add(top, half), hi_open=step > 0)
    if q.approx == "at_least":
        return Interval(iv.lo, INF)
    if q.approx == "at_most":
        return Interval(min(Decimal(0), iv.lo), iv.hi)
    if q.approx == "about":
        slack = max(_CTX.divide(_CTX.abs(v), 10), step)
        return Interval(_CTX.subtract(v, slack), _CTX.add(top, slack))
    return iv


def floor_int(v: Decimal) -> Decimal:
    return v.to_integral_value(rounding=ROUND_FLOOR)


def fmt(v: Decimal, places: int = 2) -> str:
    """A short human form of a derived value: at most `places` decimals, no exponent."""
    if not v.is_finite():
        return "∞" if v > 0 else "-∞"
    q = v.quantize(_unit_step(places), context=_CTX)
    text = format(q.normalize(), "f")
    return "0" if text in ("-0", "") else text
