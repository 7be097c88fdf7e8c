"""Printed precision and exact interval arithmetic for the consistency checks (SPEC §3).

A printed number stands for the interval its last printed digit allows: `68.1%` is
[68.05, 68.15], `7071万元` is [7070.5万, 7071.5万]. Whole numbers written out in full
without a scale word (`4768平方米`, `27家`, `500元`) are exact. Percents, multiples and
ratios are always rounded at their last digit (`122%` is [121.5, 122.5]). Intervals are
closed: a value on the boundary is given the benefit of the doubt, because a spurious
`inconsistent` is the worst output a checker can give.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal, localcontext

import regex

from schemas import Quantity

_CTX = Context(prec=60)
_ROUNDED_KINDS = {"percent", "multiple", "ratio"}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_ARABIC = regex.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_CN_DIGITS = "〇零一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
_CN_DECIMALS = regex.compile(rf"[点點]([{_CN_DIGITS}]+)")
_CN_SCALE = regex.compile(r"[万萬亿億]")
INF = Decimal("Infinity")


@dataclass(frozen=True)
class Interval:
    """A closed interval [lo, hi] of Decimals (hi may be +Infinity for `超…` values)."""

    lo: Decimal
    hi: Decimal

    @staticmethod
    def point(v: Decimal) -> Interval:
        return Interval(v, v)

    def __add__(self, other: Interval) -> Interval:
        with localcontext(_CTX):
            return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        with localcontext(_CTX):
            return Interval(self.lo - other.hi, self.hi - other.lo)

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo)

    def scale(self, k: Decimal) -> Interval:
        with localcontext(_CTX):
            a, b = self.lo * k, self.hi * k
        return Interval(min(a, b), max(a, b))

    def __mul__(self, other: Interval) -> Interval:
        with localcontext(_CTX):
            prods = [a * b for a in (self.lo, self.hi) for b in (other.lo, other.hi)
                     if not ((a == 0 and b.is_infinite()) or (b == 0 and a.is_infinite()))]
        return Interval(min(prods), max(prods))

    def __truediv__(self, other: Interval) -> Interval:
        """Divides endpoint by endpoint (not by a rounded reciprocal), so that a quotient that is exactly
        a whole number at an interval's edge stays exact (14700 / 91.875 = 160)."""
        if other.lo <= 0 <= other.hi:
            return Interval(-INF, INF)
        with localcontext(_CTX):
            quots = []
            for a in (self.lo, self.hi):
                for b in (other.lo, other.hi):
                    if b.is_infinite():
                        quots.append(Decimal(0) if a.is_finite() else (INF if (a > 0) == (b > 0) else -INF))
                    else:
                        quots.append(a / b)
        return Interval(min(quots), max(quots))

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def contains(self, v: Decimal) -> bool:
        return self.lo <= v <= self.hi

    def union(self, other: Interval) -> Interval:
        return Interval(min(self.lo, other.lo), max(self.hi, other.hi))

    def has_integer(self, minimum: int = 1) -> Decimal | None:
        """The smallest integer >= minimum inside, or None (the GRIM test)."""
        lo = max(self.lo, Decimal(minimum))
        if self.hi < lo:
            return None
        n = lo.to_integral_value(rounding=ROUND_CEILING)
        return n if n <= self.hi else None

    def integers(self, limit: int = 3) -> list[Decimal]:
        first = self.has_integer()
        if first is None:
            return []
        out = [first]
        while len(out) < limit and out[-1] + 1 <= self.hi:
            out.append(out[-1] + 1)
        return out


def _printed_number(text: str) -> tuple[Decimal, int] | None:
    """The Arabic number printed in `text` and its count of decimals, if any."""
    m = _ARABIC.search(text.translate(_FULLWIDTH))
    if not m:
        return None
    digits = m.group().replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return Decimal(digits), decimals


def ulp(q: Quantity) -> Decimal:
    """The value of one unit in the last printed digit (0 for exact whole numbers)."""
    value = Decimal(q.value)
    printed = _printed_number(q.text)
    if printed is not None:
        number, decimals = printed
        step = Decimal(1).scaleb(-decimals)
        scale = (value / number) if number != 0 else Decimal(1)
        with localcontext(_CTX):
            scale = scale.normalize()
        if decimals == 0 and scale == 1 and q.kind not in _ROUNDED_KINDS:
            return Decimal(0)
        with localcontext(_CTX):
            return abs(step * scale)
    # Chinese numerals: 点 gives decimals; 万/亿 mean the number was rounded at its last
    # non-zero digit (一千六百三十万吨 is ±5万); plain whole numbers are exact.
    m = _CN_DECIMALS.search(q.text)
    if m:
        return Decimal(1).scaleb(-len(m.group(1)))
    if q.kind in _ROUNDED_KINDS:
        return Decimal(1)
    if _CN_SCALE.search(q.text) and value == value.to_integral_value() and value != 0:
        v = int(abs(value))
        zeros = len(str(v)) - len(str(v).rstrip("0"))
        return Decimal(10) ** zeros
    return Decimal(0)


def interval(q: Quantity, truncated: bool = False) -> Interval:
    """The interval a printed quantity stands for.

    `truncated` reads the last digit as cut off rather than rounded ([v, v + ulp]).
    Approximate values widen: `超6000` is [6000, ∞), `近700` is [0, 700], `约5` is ±10%.
    """
    v = Decimal(q.value)
    top = Decimal(q.value_max) if q.value_max is not None else v
    step = ulp(q)
    with localcontext(_CTX):
        if truncated:
            iv = Interval(v, top + step)
        else:
            half = step / 2
            iv = Interval(v - half, top + half)
        if q.approx == "at_least":
            return Interval(iv.lo, INF)
        if q.approx == "at_most":
            return Interval(min(Decimal(0), iv.lo), iv.hi)
        if q.approx == "about":
            slack = max(abs(v) / 10, step)
            return Interval(v - slack, top + slack)
    return iv


def floor_int(v: Decimal) -> Decimal:
    return v.to_integral_value(rounding=ROUND_FLOOR)


def fmt(v: Decimal, places: int = 2) -> str:
    """A short human form of a derived value: at most `places` decimals, no exponent."""
    if not v.is_finite():
        return "∞" if v > 0 else "-∞"
    with localcontext(_CTX):
        q = v.quantize(Decimal(1).scaleb(-places))
    text = format(q.normalize(), "f")
    return "0" if text in ("-0", "") else text
