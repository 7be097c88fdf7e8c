"""The numeral engine: Chinese/Arabic number text -> exact Decimal.

Two entry points, the contract other stages use:

* `parse_number(text)` reads ONE exact number: Arabic digits (half/full width, `,`/`，` thousands
  separators), Chinese numerals (一二三, 两, 零/〇, 幺, 廿/卅), financial numerals (壹贰叁…拾佰仟萬億,
  with 元/圆 角 分 整), mixed forms (`1.2万`, `3千万亿`, `2千零30万`) and `点` decimals.
* `read_number(text)` reads a number as reports write it: approximation words (约, 近, 超过, 左右,
  以上, 多, 余…; meanings per SPEC §2, lexicon in data/numerals.json), ranges (`1万-5万`, `两到三万`,
  `从8500到3万`), fractions (`三分之一`, `1/3`, `一半`, `3又一千分之23`), percent-like forms (`百分之十`,
  `千分之五`, `三成`, `七成六`, `10%`, `8‰`; also `八折` = 80%) and vague digits (`几十万`, `七八万`).

Conventions (decided here; SPEC.md §2 is the contract they follow):

* Scale words combine multiplicatively when stacked directly (`万亿`, `千万亿`, `万万`): 3千万亿 =
  3×10^15, 四万万 = 4×10^8.  A descending stack (`亿万`) is an error, not a guess.
* A lone Chinese digit right after 百/千/万/亿 is an implied next digit (colloquial but common):
  `二百五` = 250, `三万五` = 35000, `两千六` = 2600.  After 十 it is the units digit (`十五` = 15).
  An Arabic run after a scale word is read literally (`3万4000` = 34000, `1万600` = 10600, as cn2an's
  smart mode does); a single Arabic digit there (`1万6`) is ambiguous and raises.
* A run of two or more bare Chinese digits is read digit by digit (`一二三` = 123, `二〇二三` = 2023);
  such a run followed by a unit or scale (`一二三万`, `七八万`) is not one number: parse_number
  raises, and read_number reads the conventional pairs (`七八万`, `三五百`, `十七八`) as a range.
* `两` counts only before a unit or alone (`两百`, `两万`, `两`), never inside a digit run (`两两`).
* `k`/`w` after Arabic digits (`15k`, `30w`) are read as 千/万 (shorthand; the detector decides
  whether to look for them); `10.36百亿亿` (a unit before stacked scales) is 1.036×10^19.
* `兆` is not a numeral here (in mainland reports it is the mega prefix of 兆瓦); `打` (dozen),
  `半百` and exponent notation (`2e5`, `2^5`) are not read either.
* `八到九百亿` is read as 800亿..900亿: a bare single digit on the left of a range borrows the right
  side's whole unit tail (`两到三仟` = 2000..3000).  Otherwise the left side borrows the right's
  trailing scale words only when its bare value is smaller than the right's mantissa (`1-5万` =
  1万..5万, `十八至三十万` = 18万..30万, but `8500到3万` = 8500..30000).
* Fuzzy amounts keep their lower bound with approx: `30多万` = 300000 at_least; `几十万` = 100000
  at_least (几 before a unit counts as 1, 几 in the last place as 0: `二十几万` = 200000).
* Limits: input longer than 256 characters, values of 10^48 or more, or more than 40 fraction
  digits raise NumeralError (so hostile input costs linear time and never a huge computation).
* `strict=True` (cn2an's strict mode) accepts only the canonical written form: no implied digits,
  no digit runs, 零 exactly where the standard reading puts it, 元/圆 only with 整/正/角/分.

Values are exact Decimals computed in a local context that traps any rounding.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, Inexact, InvalidOperation, Rounded, localcontext
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple


class NumeralError(ValueError):
    """Malformed number text: raised instead of ever returning a wrong value."""


@dataclass(frozen=True)
class Reading:
    """A number as written: value (and upper end of a range), approximation, percent-like unit.

    `unit_hint` is "%" for 百分之N / N成 / N%, "‰" for 千分之N / N‰, and None otherwise; `fraction`
    is True for N分之M and 一半 (value rounded half-even to 4 places).
    """

    value: Decimal
    value_max: Decimal | None = None
    approx: str | None = None  # "about" | "at_least" | "at_most"
    unit_hint: str | None = None
    fraction: bool = False


# --------------------------------------------------------------------------- lexicon


class _Lex(NamedTuple):
    digits: dict[str, int]
    liang: frozenset[str]
    tens: dict[str, int]
    units: dict[str, int]
    scales: dict[str, int]
    latin: dict[str, int]
    points: frozenset[str]
    minus: tuple[str, ...]  # sign words, longest first (零下 = below zero: 零下四摄氏度 = -4)
    minus_first: frozenset[str]
    yuan: frozenset[str]
    jiao: frozenset[str]
    fen: frozenset[str]
    zheng: frozenset[str]
    measure: frozenset[str]
    separators: frozenset[str]
    range_prefixes: tuple[str, ...]
    ignorable: tuple[str, ...]
    prefixes: tuple[tuple[str, str | None], ...]
    suffixes: tuple[tuple[str, str | None], ...]
    inner: dict[str, str]
    vague: frozenset[str]
    pairs: frozenset[str]
    percent: dict[str, str]
    half: frozenset[str]
    max_exp: int
    max_frac: int
    max_len: int
    simple: dict[str, str]


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    """Load the lexicon once per process (data file, not code, per house rules)."""
    raw: dict[str, Any] = json.loads((Path(__file__).parent / "data" / "numerals.json").read_text("utf-8"))
    digits: dict[str, int] = raw["digits"]
    units: dict[str, int] = raw["small_units"]
    scales: dict[str, int] = raw["big_scales"]
    # canonical simple form of each numeral character, for the strict-mode comparison
    simple = {ch: "零一二三四五六七八九"[v] for ch, v in digits.items()}
    simple.update({ch: "_十百千"[p] for ch, p in units.items()})
    simple.update({ch: {4: "万", 8: "亿"}[p] for ch, p in scales.items()})
    simple.update({ch: "零一二三四五六七八九"[v] + "十" for ch, v in raw["tens"].items()})
    by_len = lambda d: tuple(sorted(d.items(), key=lambda kv: -len(kv[0])))  # noqa: E731
    return _Lex(
        digits=digits, liang=frozenset(raw["liang"]), tens=raw["tens"], units=units, scales=scales,
        latin=raw["latin_scales"], points=frozenset(raw["points"]),
        minus=tuple(sorted(raw["minus"], key=len, reverse=True)),
        minus_first=frozenset(w[0] for w in raw["minus"]),
        yuan=frozenset(raw["yuan"]), jiao=frozenset(raw["jiao"]), fen=frozenset(raw["fen"]),
        zheng=frozenset(raw["zheng"]), measure=frozenset(raw["measure_word_before_scale"]),
        separators=frozenset(raw["range_separators"]), range_prefixes=tuple(raw["range_prefixes"]),
        ignorable=tuple(raw["ignorable"]), prefixes=by_len(raw["approx_prefixes"]),
        suffixes=by_len(raw["approx_suffixes"]), inner=raw["inner_approx"],
        vague=frozenset(raw["vague_digits"]), pairs=frozenset(raw["digit_pairs"]), percent=raw["percent"],
        half=frozenset(raw["half"]), max_exp=int(raw["max_value_exponent"]),
        max_frac=int(raw["max_fraction_digits"]), max_len=int(raw["max_text_length"]), simple=simple,
    )


# full-width ASCII block -> ASCII; ideographic space -> space
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def _normalize(text: str) -> str:
    """Fold full-width forms and drop whitespace; whitespace between two Arabic digits is an error."""
    s = text.translate(_WIDTH)
    if not any(ch.isspace() for ch in s):
        return s
    out: list[str] = []
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        if ch.isspace():
            j = i
            while j < n and s[j].isspace():
                j += 1
            if out and j < n and out[-1] in "0123456789,." and s[j] in "0123456789,.":
                raise NumeralError(f"whitespace inside an Arabic number: {text!r}")
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out)


# --------------------------------------------------------------------------- tokens


class _Tok(NamedTuple):
    kind: str  # D digit, U small unit, S scale, A arabic, P point, Y yuan, J jiao, F fen, Z zheng
    value: Any = None  # digit value / power / Decimal
    char: str = ""
    extra: Any = None  # A: (is_int, n_int_digits); S: latin?


_ASCII_DIGITS = frozenset("0123456789")


def _arabic(s: str, i: int, text: str, max_exp: int, max_frac: int) -> tuple[_Tok, int]:
    """Scan one Arabic run (digits, `,` groups, one `.`) starting at s[i]; validate grouping."""
    n = len(s)
    j = i
    while j < n and (s[j] in _ASCII_DIGITS or s[j] in ",."):
        j += 1
    run = s[i:j]
    if run.endswith((",", ".")):
        # a trailing separator belongs to the sentence, not to the number
        raise NumeralError(f"number ends with a separator: {text!r}")
    if run.count(".") > 1:
        raise NumeralError(f"more than one decimal point: {text!r}")
    int_part, _, frac = run.partition(".")
    if "," in frac:
        raise NumeralError(f"thousands separator after the decimal point: {text!r}")
    if "," in int_part:
        groups = int_part.split(",")
        if not (1 <= len(groups[0]) <= 3) or any(len(g) != 3 for g in groups[1:]):
            raise NumeralError(f"misplaced thousands separator: {text!r}")
        int_part = "".join(groups)
    if "." in run and not frac:
        raise NumeralError(f"decimal point without digits: {text!r}")
    if len(int_part.lstrip("0")) > max_exp:
        raise NumeralError(f"number too large (limit 10^{max_exp}): {text!r}")
    if len(frac) > max_frac:
        raise NumeralError(f"more than {max_frac} fraction digits: {text!r}")
    value = Decimal((int_part or "0") + ("." + frac if frac else ""))
    return _Tok("A", value, run, ("." not in run, len(int_part))), j


def _tokenize(s: str, text: str, lx: _Lex) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        if ch in _ASCII_DIGITS or (ch == "." and i + 1 < n and s[i + 1] in _ASCII_DIGITS):
            tok, i = _arabic(s, i, text, lx.max_exp, lx.max_frac)
            toks.append(tok)
            continue
        if ch in lx.digits:
            toks.append(_Tok("D", lx.digits[ch], ch))
        elif ch in lx.tens:
            toks.append(_Tok("D", lx.tens[ch], ch))
            toks.append(_Tok("U", 1, ch))
        elif ch in lx.units:
            toks.append(_Tok("U", lx.units[ch], ch))
        elif ch in lx.scales:
            toks.append(_Tok("S", lx.scales[ch], ch, False))
        elif ch in lx.latin:
            toks.append(_Tok("S", lx.latin[ch], ch, True))
        elif ch in lx.points or ch == ".":
            toks.append(_Tok("P", None, ch))
        elif ch in lx.yuan:
            toks.append(_Tok("Y", None, ch))
        elif ch in lx.jiao:
            toks.append(_Tok("J", None, ch))
        elif ch in lx.fen:
            toks.append(_Tok("F", None, ch))
        elif ch in lx.zheng:
            toks.append(_Tok("Z", None, ch))
        elif ch in lx.measure and toks and toks[-1].kind in "DA" and i + 1 < n and s[i + 1] in lx.scales:
            pass  # 两个亿: the measure word between a numeral and its scale carries nothing
        else:
            raise NumeralError(f"not part of a number: {ch!r} in {text!r}")
        i += 1
    return toks


# --------------------------------------------------------------------------- evaluation


class _Term(NamedTuple):
    value: Decimal
    place: int  # the power of ten of the term's lowest written digit; later terms must lie below it


def _pow10(p: int) -> Decimal:
    return Decimal(10) ** p


def _eval_int(toks: list[_Tok], text: str, lx: _Lex, strict: bool) -> tuple[Decimal, bool]:
    """Integer part with scale words (Chinese, Arabic or mixed). Returns (value, saw a scale word)."""
    if not toks:
        raise NumeralError(f"no digits: {text!r}")
    if all(t.kind == "D" for t in toks) and len(toks) > 1:
        # a digit run: 一二三 = 123, 二〇二三 = 2023 (not in strict mode, never with 两)
        if strict:
            raise NumeralError(f"digit-by-digit numeral not allowed in strict mode: {text!r}")
        if any(t.char in lx.liang for t in toks):
            raise NumeralError(f"两 inside a digit run: {text!r}")
        if len(toks) > lx.max_exp:
            raise NumeralError(f"number too large (limit 10^{lx.max_exp}): {text!r}")
        return Decimal("".join(str(t.value) for t in toks)), False

    limit = _pow10(lx.max_exp)
    terms: list[_Term] = []
    pending: _Tok | None = None
    prev = ""  # kind of the previous token ("Z" for 零)
    last_unit: int | None = None  # power of the last small unit in the current section
    last_power = 0  # power of the last unit/scale token (for the implied digit)
    last_scale = 0
    zero = False
    pend_prev = ""  # kind of the token before the pending digit
    need_scale = False  # 28十 is not a number, 10.36百亿 is
    locked = False  # a decimal mantissa has been scaled: only more scale words may follow
    saw_scale = False

    def push(term: _Term) -> None:
        if terms and term.value >= _pow10(terms[-1].place):
            raise NumeralError(f"digits out of order: {text!r}")
        if term.value >= limit:
            raise NumeralError(f"number too large (limit 10^{lx.max_exp}): {text!r}")
        terms.append(term)

    for tok in toks:
        if locked and tok.kind != "S":
            raise NumeralError(f"only scale words may follow here: {text!r}")
        if tok.kind == "D":
            if pending is not None:
                raise NumeralError(f"two digits in a row {pending.char}{tok.char} (a range? digit run "
                                   f"before a unit?): {text!r}")
            if tok.value == 0:
                zero = True
                prev = "Z"
                continue
            pending = tok
            pend_prev = prev
            prev = "D"
        elif tok.kind == "A":
            if pending is not None:
                raise NumeralError(f"digits run together: {text!r}")
            pending = tok
            prev = "A"
        elif tok.kind == "U":
            if pending is None:
                if not (tok.value == 1 or (zero and terms) or (not strict and not terms and not prev)):
                    raise NumeralError(f"{tok.char} without a digit: {text!r}")
                mult = Decimal(1)
            else:
                if pending.kind == "A":
                    if pending.value <= 0 or (pending.value >= 10 and terms):
                        raise NumeralError(f"{pending.char}{tok.char}: a unit takes one digit: {text!r}")
                    if pending.value >= 10:
                        # 10.36百亿亿 (算力 E级): a unit-prefixed scale; a scale word must follow
                        need_scale = True
                        locked = True
                    if not pending.extra[0]:
                        locked = True
                mult = Decimal(pending.value)
            if last_unit is not None and tok.value >= last_unit:
                raise NumeralError(f"units out of order at {tok.char}: {text!r}")
            push(_Term(mult * _pow10(tok.value), tok.value))
            last_unit = tok.value
            last_power = tok.value
            pending = None
            zero = False
            prev = "U"
        elif tok.kind == "S":
            saw_scale = True
            need_scale = False
            if tok.extra and (pending is None or pending.kind != "A") and prev != "S":
                raise NumeralError(f"{tok.char} only follows Arabic digits: {text!r}")
            if prev == "S":
                # stacked scale words multiply: 万亿, 千万亿, 万万
                if tok.value < last_scale:
                    raise NumeralError(f"descending scale words ({tok.char} after a larger one): {text!r}")
                t = terms.pop()
                push(_Term(t.value * _pow10(tok.value), t.place + tok.value))
                last_scale = tok.value
                last_power = tok.value
                continue
            if pending is not None:
                if pending.kind == "D" and pend_prev == "U" and last_power >= 2 and not zero:
                    # 一百三万: 103万 with a missing 零, or a colloquial 130万? Not guessed.
                    raise NumeralError(f"ambiguous digit before {tok.char} (missing 零?): {text!r}")
                if pending.kind == "A" and not pending.extra[0]:
                    locked = True
                push(_Term(Decimal(pending.value), 0))
                pending = None
            elif prev != "U":
                raise NumeralError(f"scale word {tok.char} without a number before it: {text!r}")
            scale = _pow10(tok.value)
            # the number right before the scale word is always scaled (13983万), and with it
            # every earlier term below the scale (一千一百万: 1000 + 100)
            group: list[_Term] = [terms.pop()] if terms else []
            while terms and terms[-1].value < scale:
                group.append(terms.pop())
            if not group:
                raise NumeralError(f"scale word {tok.char} without a number before it: {text!r}")
            total = sum((t.value for t in group), Decimal(0))
            push(_Term(total * scale, min(t.place for t in group) + tok.value))
            last_unit = None
            last_scale = tok.value
            last_power = tok.value
            zero = False
            prev = "S"
        else:
            raise NumeralError(f"unexpected {tok.char!r} in {text!r}")

    if need_scale:
        raise NumeralError(f"a unit takes one digit unless a scale word follows: {text!r}")
    if pending is not None:
        after_unit = not zero and terms and last_power >= 2 and not strict
        if pending.kind == "D":
            if terms and pending.char in lx.liang:
                raise NumeralError(f"两 must come before a unit: {text!r}")
            if after_unit:
                # 二百五 = 250, 三万五 = 35000: the digit fills the place below the last unit
                push(_Term(Decimal(pending.value) * _pow10(last_power - 1), last_power - 1))
            else:
                push(_Term(Decimal(pending.value), 0))
        else:
            is_int, n_int = pending.extra
            if terms and not is_int:
                raise NumeralError(f"a decimal after a scale word: {text!r}")
            if terms and n_int == 1 and not zero and prev == "A" and last_power >= 2:
                raise NumeralError(f"ambiguous single Arabic digit after a unit: {text!r}")
            push(_Term(Decimal(pending.value), 0))
    if not terms:
        if zero:
            return Decimal(0), saw_scale
        raise NumeralError(f"no digits: {text!r}")
    return sum((t.value for t in terms), Decimal(0)), saw_scale


def _fraction_digits(toks: list[_Tok], text: str, lx: _Lex, strict: bool) -> str:
    """The digits after 点/`.`: Chinese digits one by one, or one Arabic integer run."""
    if len(toks) == 1 and toks[0].kind == "A":
        if not toks[0].extra[0] or "," in toks[0].char:
            raise NumeralError(f"malformed fraction digits: {text!r}")
        digits = toks[0].char
    else:
        if not toks or any(t.kind != "D" or t.char in lx.liang or t.char in lx.tens for t in toks):
            raise NumeralError(f"malformed fraction digits after the point: {text!r}")
        digits = "".join(str(t.value) for t in toks)
    if strict and digits.endswith("0"):
        raise NumeralError(f"trailing zero after the point in strict mode: {text!r}")
    if len(digits) > lx.max_frac:
        raise NumeralError(f"more than {lx.max_frac} fraction digits: {text!r}")
    return digits


def _eval_body(toks: list[_Tok], text: str, lx: _Lex, strict: bool) -> Decimal:
    """A number without money tail: integer part, optional 点 fraction, optional trailing scales."""
    points = [i for i, t in enumerate(toks) if t.kind == "P"]
    if not points:
        return _eval_int(toks, text, lx, strict)[0]
    if len(points) > 1:
        raise NumeralError(f"more than one decimal point: {text!r}")
    k = points[0]
    int_toks, rest = toks[:k], toks[k + 1 :]
    if not int_toks:
        raise NumeralError(f"decimal point without an integer part: {text!r}")
    j = len(rest)
    while j > 0 and rest[j - 1].kind == "S":
        j -= 1
    frac_toks, scale_toks = rest[:j], rest[j:]
    value, saw_scale = _eval_int(int_toks, text, lx, strict)
    value += Decimal("0." + _fraction_digits(frac_toks, text, lx, strict))
    if scale_toks:
        if saw_scale or any(t.kind not in "DA" for t in int_toks):
            # 两千万点五五四四 is fine; 三点五万 is fine; 一万点五亿 is not
            if saw_scale:
                raise NumeralError(f"scale words on both sides of the point: {text!r}")
        last = 0
        for t in scale_toks:
            if t.value < last:
                raise NumeralError(f"descending scale words: {text!r}")
            last = t.value
            value *= _pow10(t.value)
        if value >= _pow10(lx.max_exp):
            raise NumeralError(f"number too large (limit 10^{lx.max_exp}): {text!r}")
    return value


def _single_digit(toks: list[_Tok], text: str) -> int:
    if len(toks) == 2 and toks[0].kind == "D" and toks[0].value == 0:
        toks = toks[1:]  # 元零五分
    if len(toks) != 1:
        raise NumeralError(f"角/分 take one digit: {text!r}")
    t = toks[0]
    if t.kind == "D":
        return int(t.value)
    if t.kind == "A" and t.extra[0] and len(t.char) == 1:
        return int(t.value)
    raise NumeralError(f"角/分 take one digit: {text!r}")


def _eval_money_tail(toks: list[_Tok], text: str, strict: bool) -> Decimal:
    """What follows 元/圆/块: 整/正, or N角[N分][整], or N分."""
    if toks and toks[-1].kind == "Z":
        toks = toks[:-1]
        if any(t.kind == "Z" for t in toks):
            raise NumeralError(f"repeated 整: {text!r}")
    elif not toks and strict:
        raise NumeralError(f"元 without 整/角/分 in strict mode: {text!r}")
    if not toks:
        return Decimal(0)
    total = Decimal(0)
    start = 0
    for i, t in enumerate(toks):
        if t.kind in "JF":
            d = _single_digit(toks[start:i], text)
            total += Decimal(d) * (Decimal("0.1") if t.kind == "J" else Decimal("0.01"))
            if t.kind == "F" and i != len(toks) - 1:
                raise NumeralError(f"nothing may follow 分: {text!r}")
            if t.kind == "J" and start:
                raise NumeralError(f"角 after 分: {text!r}")
            start = i + 1
    if start != len(toks):
        raise NumeralError(f"digits after 元 without 角/分: {text!r}")
    return total


def _spell4(n: int) -> str:
    out: list[str] = []
    zero = False
    for p in (3, 2, 1, 0):
        d = n // 10**p % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append("零一二三四五六七八九"[d] + ("", "十", "百", "千")[p])
    return "".join(out)


def _spell(n: int) -> str:
    """The canonical simplified spelling of a non-negative integer (一十 at the head, standard 零)."""
    if n == 0:
        return "零"
    if n >= 10**8:
        hi, lo = divmod(n, 10**8)
        return _spell(hi) + "亿" + (("零" if lo < 10**7 else "") + _spell(lo) if lo else "")
    if n >= 10**4:
        hi, lo = divmod(n, 10**4)
        return _spell4(hi) + "万" + (("零" if lo < 1000 else "") + _spell4(lo) if lo else "")
    return _spell4(n)


def _check_strict(s: str, int_value: Decimal, lx: _Lex) -> None:
    """cn2an strict mode: the integer part must be written exactly the canonical way."""
    if "〇" in s or "○" in s:
        raise NumeralError(f"〇 is not a strict numeral: {s!r}")
    if any(ch in _ASCII_DIGITS for ch in s):
        return  # mixed Arabic forms have no canonical Chinese spelling to compare with
    cut = len(s)
    for i, ch in enumerate(s):
        if ch in lx.points or ch in lx.yuan:
            cut = i
            break
    simple = "".join(lx.simple.get(ch, ch) for ch in s[:cut])
    if simple.startswith("十"):
        simple = "一" + simple
    for u in "十百千":
        simple = simple.replace("零" + u, "零一" + u)
    if simple != _spell(int(int_value)):
        raise NumeralError(f"not the canonical form {_spell(int(int_value))!r} (strict mode): {s!r}")


def _parse(text: str, strict: bool) -> Decimal:
    lx = _lex()
    s = _normalize(text).strip()
    if not s:
        raise NumeralError("empty number text")
    if len(s) > lx.max_len:
        raise NumeralError(f"number text longer than {lx.max_len} characters")
    sign = next((w for w in lx.minus if s.startswith(w)), "") if s[0] in lx.minus_first else ""
    negative = bool(sign)
    if negative:
        s = s[len(sign):]
        if not s:
            raise NumeralError(f"sign without a number: {text!r}")
    toks = _tokenize(s, text, lx)
    if strict and any(t.kind == "S" and t.extra for t in toks):
        raise NumeralError(f"k/w shorthand not allowed in strict mode: {text!r}")
    with localcontext() as ctx:
        ctx.prec = lx.max_exp + lx.max_frac + 20
        ctx.traps[Inexact] = True
        ctx.traps[Rounded] = True
        try:
            yuan = [i for i, t in enumerate(toks) if t.kind == "Y"]
            if len(yuan) > 1:
                raise NumeralError(f"more than one 元: {text!r}")
            if yuan:
                body, tail = toks[: yuan[0]], toks[yuan[0] + 1 :]
                if not body:
                    raise NumeralError(f"元 without an amount: {text!r}")
                value = _eval_body(body, text, lx, strict) + _eval_money_tail(tail, text, strict)
            else:
                if any(t.kind in "JFZ" for t in toks):
                    raise NumeralError(f"角/分/整 without 元: {text!r}")
                value = _eval_body(toks, text, lx, strict)
            if strict:
                _check_strict(s, value.to_integral_value(rounding="ROUND_DOWN"), lx)
        except (InvalidOperation, ArithmeticError) as exc:
            if isinstance(exc, NumeralError):
                raise
            raise NumeralError(f"arithmetic failed on {text!r}: {exc}") from exc
        return -value if negative else value


def parse_number(text: str, *, strict: bool = False) -> Decimal:
    """One exact number (Arabic, Chinese, financial or mixed, with scale words) -> Decimal.

    `strict=True` accepts only the canonical written form (see module docstring).
    """
    return _parse(text, strict)


# --------------------------------------------------------------------------- read_number


_AT_LEAST = "at_least"


def _is_numeral_char(ch: str, lx: _Lex) -> bool:
    return (ch in _ASCII_DIGITS or ch in lx.digits or ch in lx.units or ch in lx.scales or ch in lx.tens
            or ch in lx.latin)


_EDGES: dict[int, tuple[frozenset[str], frozenset[str]]] = {}


def _edges(lx: _Lex) -> tuple[frozenset[str], frozenset[str]]:
    """First characters of the prefix words and last characters of the suffix words (cached per lexicon)."""
    got = _EDGES.get(id(lx))
    if got is None:
        got = (frozenset(w[0] for w, _ in lx.prefixes if w), frozenset(w[-1] for w, _ in lx.suffixes if w))
        _EDGES[id(lx)] = got
    return got


def _strip_words(s: str, lx: _Lex) -> tuple[str, str | None]:
    """Remove approximation words around the number; the first one found decides approx."""
    firsts, lasts = _edges(lx)
    if s and s[0] not in firsts and s[-1] not in lasts:
        return s, None  # the common case: a bare number, nothing to strip
    approx: str | None = None
    found = False
    changed = True
    while changed and s:
        changed = False
        for word, meaning in lx.prefixes:
            if s.startswith(word) and len(s) > len(word):
                s = s[len(word) :]
                if meaning and not found:
                    approx, found = meaning, True
                changed = True
                break
        for word, meaning in lx.suffixes:
            if s.endswith(word) and len(s) > len(word):
                s = s[: -len(word)]
                if meaning and not found:
                    approx, found = meaning, True
                elif meaning == _AT_LEAST and approx == "about":
                    approx = _AT_LEAST  # 大约十多: the inner 多 is the more specific word
                changed = True
                break
    return s, approx


def _inner_vague(s: str, lx: _Lex) -> tuple[str, bool]:
    """30多万 -> 30万, 十几万 -> 十万, 几十万 -> 一十万, 数十亿 -> 一十亿. Returns (core, vague?)."""
    if not any(ch in lx.inner or ch in lx.vague for ch in s):
        return s, False
    out: list[str] = []
    n = len(s)
    for i, ch in enumerate(s):
        if ch in lx.inner or ch in lx.vague:
            nxt = s[i + 1] if i + 1 < n else ""
            rest_scales = all(c in lx.scales or c in lx.latin for c in s[i + 1 :])
            if ch in lx.vague and (nxt in lx.units or (nxt in lx.scales and not out)):
                out.append("一")  # 几十 / 数百 / 几万: the unspecified digit is at least 1
                continue
            if out and _is_numeral_char(out[-1], lx) and rest_scales:
                if ch in lx.vague and out[-1] in lx.digits and lx.digits[out[-1]] == 0:
                    out.pop()  # 一百零几万 -> 一百万
                continue
            raise NumeralError(f"misplaced {ch} in {s!r}")
        out.append(ch)
    return "".join(out), True


def _digit_pair(s: str, lx: _Lex) -> tuple[str, str] | None:
    """七八万 -> (七万, 八万); 十七八 -> (十七, 十八); 三五百 -> (三百, 五百)."""
    for i in range(len(s) - 1):
        if s[i : i + 2] not in lx.pairs:
            continue
        before = s[i - 1] if i else ""
        after = s[i + 2] if i + 2 < len(s) else ""
        if before in lx.digits or after in lx.digits or after in _ASCII_DIGITS:
            continue
        if not (after in lx.units or after in lx.scales or before in lx.units or len(s) == 2):
            continue  # a bare pair (七八个) is a range too; 一二三 stays a digit run
        return s[:i] + s[i] + s[i + 2 :], s[:i] + s[i + 1] + s[i + 2 :]
    return None


def _percent_like(s: str, lx: _Lex) -> tuple[Decimal, str | None, bool] | None:
    """百分之N, 千分之N, N%, N‰, N成, N折, N分之M, 一半 -> (value, unit_hint, fraction)."""
    if s in lx.half:
        return Decimal("0.5"), None, True
    for marker, hint in lx.percent.items():
        if s.startswith(marker) or s.startswith(marker.replace("百", "佰").replace("千", "仟")):
            return _core_value(s[len(marker) :], lx), hint, False
    if s.endswith("%"):
        return _core_value(s[:-1], lx), "%", False
    if s.endswith("‰"):
        return _core_value(s[:-1], lx), "‰", False
    if "/" in s:
        # 1/2, 3/5: an Arabic fraction reads like 二分之一
        num_text, _, den_text = s.partition("/")
        if not (num_text.lstrip("-").isdigit() and den_text.lstrip("-").isdigit()):
            raise NumeralError(f"malformed fraction: {s!r}")
        s = f"{den_text}分之{num_text}"
    if "分之" in s:
        left, _, right = s.partition("分之")
        if "又" in left:
            whole_text, _, left = left.rpartition("又")
            whole = parse_number(whole_text)
            negative = whole_text.startswith(lx.minus)  # 负零又二分之一 too
        else:
            whole, negative = Decimal(0), False
        if left and all(ch in lx.units or ch in lx.scales for ch in left):
            left = "一" + left  # 万分之三 = 1/10000 × 3
        den = parse_number(left)
        num = parse_number(right)
        if den == 0:
            raise NumeralError(f"zero denominator: {s!r}")
        with localcontext() as ctx:
            ctx.prec = 100
            frac = num / den
            value = -(abs(whole) + frac) if negative else whole + frac
            value = value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)
        return value, None, True
    for word, per in (("成", 10), ("折", 10)):
        if word in s:
            left, _, right = s.partition(word)
            if left == "半" and not right:
                return Decimal(per // 2 if word == "成" else 50), "%", False
            if left in ("对", "對") and word == "折" and not right:
                return Decimal(50), "%", False
            n = parse_number(left)
            if n < 0:
                raise NumeralError(f"negative {word}: {s!r}")
            if word == "折" and n >= 10:
                # 75折 / 五五折 / 三八折 are two written digits; 十折 / 一十折 is no discount
                spelled = any(ch in lx.units or ch in lx.scales or ch in lx.tens for ch in left)
                if right or n >= 100 or n != n.to_integral_value() or spelled:
                    raise NumeralError(f"not a discount: {s!r}")
                return n, "%", False
            if n > 10:
                raise NumeralError(f"more than ten 成: {s!r}")
            extra = Decimal(0)
            if right == "半":
                extra = Decimal(5)
            elif right:
                # 七成六 = 76%: one more digit, nothing else
                one_digit = len(right) == 1 and right not in lx.liang and (
                    right in lx.digits or right in _ASCII_DIGITS)
                if n != n.to_integral_value() or not one_digit:
                    raise NumeralError(f"malformed digit after {word}: {s!r}")
                extra = Decimal(_digit_value(right, lx))
            return n * per + extra, "%", False
    return None


def _core_value(s: str, lx: _Lex) -> Decimal:
    """The number inside 百分之…/…%: vague forms (百分之三十多) keep their lower bound."""
    core, _ = _inner_vague(s, lx)
    return parse_number(core)


def _bare_scale(core: str, approx: str | None, lx: _Lex) -> str:
    """近万, 超亿, 上万: a bare scale word after an approximation word means one of it."""
    if approx is not None and core and all(ch in lx.scales for ch in core):
        return "一" + core
    return core


def _read_single(s: str, lx: _Lex) -> Reading:
    if not s:
        raise NumeralError("empty number text")
    core, approx = _strip_words(s, lx)
    pct = _percent_like(core, lx)
    if pct is not None:
        value, hint, fraction = pct
        if approx is None and any(ch in lx.inner or ch in lx.vague for ch in core):
            approx = _AT_LEAST
        return Reading(value, approx=approx, unit_hint=hint, fraction=fraction)
    pair = _digit_pair(core, lx)
    if pair is not None:
        lo, hi = parse_number(pair[0]), parse_number(pair[1])
        return Reading(lo, hi, approx=approx or "about")
    core = _bare_scale(core, approx, lx)
    core, vague = _inner_vague(core, lx)
    value = parse_number(core)
    if vague and approx != "at_most":
        approx = _AT_LEAST
    return Reading(value, approx=approx)


def _split_range(s: str, lx: _Lex) -> tuple[str, str] | None:
    for i in range(1, len(s)):
        if s[i] in lx.separators and s[i - 1] not in lx.separators:
            j = i
            while j < len(s) and s[j] == s[i]:
                j += 1  # 1万--5万, 2——3万; but in -5~-3 the second dash is a sign
            if j < len(s):
                return s[:i], s[j:]
            return None
    return None


def _digit_value(ch: str, lx: _Lex) -> int:
    return int(ch) if ch in _ASCII_DIGITS else lx.digits[ch]


def _inherit(left: str, right: str, lx: _Lex) -> str:
    """The left end of a range borrows the unit tail of the right end (`两到三万` -> 两万)."""
    for suffix in ("%", "‰", "成"):
        if right.endswith(suffix) and not left.endswith(suffix):
            return _inherit(left, right[: -len(suffix)], lx) + suffix
    if any(ch in lx.scales or ch in lx.latin for ch in left):
        return left
    if len(left) == 1 and (left in lx.digits or left in _ASCII_DIGITS) and len(right) >= 2 \
            and (right[0] in lx.digits or right[0] in _ASCII_DIGITS) and right[1] in lx.units \
            and _digit_value(left, lx) < _digit_value(right[0], lx):
        return left + right[1:]  # 八到九百亿 -> 八百亿
    j = len(right)
    while j > 0 and (right[j - 1] in lx.scales or right[j - 1] in lx.latin):
        j -= 1
    chain = right[j:]
    if not chain or j == 0:
        return left
    try:
        bare, mantissa = parse_number(left), parse_number(right[:j])
    except NumeralError:
        return left
    return left + chain if bare < mantissa else left


@lru_cache(maxsize=16384)  # a Reading is immutable; reports repeat their numbers (5%, 10%, 1.5万亿元)
def read_number(text: str) -> Reading:
    """A number with approximation words, ranges, fractions, 百分之/成 -> Reading."""
    lx = _lex()
    s = _normalize(text).strip()
    if len(s) > lx.max_len:
        raise NumeralError(f"number text longer than {lx.max_len} characters")
    for word in lx.ignorable:
        s = s.replace(word, "")
    if not s:
        raise NumeralError("empty number text")
    core, approx = _strip_words(s, lx)
    for p in lx.range_prefixes:
        if core.startswith(p):
            core = core[len(p) :]
            break
    parts = _split_range(core, lx)
    if parts is None:
        inner = _read_single(_bare_scale(core, approx, lx), lx)
        if approx is None or (approx == "about" and inner.approx == _AT_LEAST):
            approx = inner.approx
        return Reading(inner.value, inner.value_max, approx, inner.unit_hint, inner.fraction)
    left, right = parts
    for marker in lx.percent:
        if left.startswith(marker) and not right.startswith(marker):
            right = marker + right
    left = _inherit(left, right, lx)
    lo, hi = _read_single(left, lx), _read_single(right, lx)
    if lo.value_max is not None or hi.value_max is not None:
        raise NumeralError(f"a range inside a range: {text!r}")
    if lo.unit_hint != hi.unit_hint or lo.fraction != hi.fraction:
        raise NumeralError(f"range ends of different kinds: {text!r}")
    if lo.value > hi.value:
        raise NumeralError(f"range runs backwards: {text!r}")
    return Reading(lo.value, hi.value, approx, hi.unit_hint, hi.fraction)
