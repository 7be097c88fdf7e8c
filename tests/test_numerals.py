"""The numeral engine: real report phrasings, malformed input, strict mode, and round-trip properties."""

from __future__ import annotations

import json
import re
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from extractor.numerals import NumeralError, Reading, parse_number, read_number

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# --------------------------------------------------------------------------- parse_number

PARSE_CASES = [
    # Arabic, full width, separators, decimals
    ("7071", "7071"), ("68.1", "68.1"), ("82,225.00", "82225"), ("233,333，333", "233333333"),
    ("１２３", "123"), ("１２３．５", "123.5"), ("２，１００", "2100"), ("0.5", "0.5"), ("-3.8", "-3.8"),
    # Chinese numerals
    ("十五", "15"), ("一十五", "15"), ("两百", "200"), ("一万零一", "10001"), ("一千零十", "1010"),
    ("一千零一十", "1010"), ("一百零一", "101"), ("十万", "100000"), ("三千五百万", "35000000"),
    ("一亿五千万", "150000000"), ("四亿五千六百四十二万零一十五", "456420015"), ("零", "0"), ("〇", "0"),
    ("二〇二三", "2023"), ("一二三", "123"), ("三点五", "3.5"), ("零点零五", "0.05"), ("廿二", "22"),
    ("卅", "30"), ("两千万点五五四四", "20000000.5544"), ("负十一", "-11"), ("幺八九", "189"),
    # implied digit after 百/千/万/亿 (colloquial; documented)
    ("二百五", "250"), ("三万五", "35000"), ("两千六", "2600"), ("一百二十万三", "1203000"),
    # financial numerals and money tails
    ("壹佰捌拾壹圆柒角", "181.7"), ("壹拾壹元整", "11"), ("玖仟陆佰陆拾伍圆壹角捌分", "9665.18"),
    ("肆佰叁拾萬", "4300000"), ("壹万二千三百四十五元", "12345"), ("六十四万零一百四十三元一角七分",
    "640143.17"),
    ("123元1角1分", "123.11"), ("壹仟玖佰圆整", "1900"), ("貳拾", "20"),
    # mixed Arabic + scale words, stacked scales
    ("1.2万", "12000"), ("3千万亿", "3000000000000000"), ("1.76万", "17600"), ("7.1万亿", "7100000000000"),
    ("1.2万亿", "1200000000000"), ("38.7万亿", "38700000000000"), ("3.15万", "31500"), ("13983万",
    "139830000"),
    ("10042万", "100420000"), ("1,100万", "11000000"), ("1,100.9亿", "110090000000"), ("2千零30万",
    "20300000"),
    ("3万4000", "34000"), ("1万600", "10600"), ("200亿零四千230", "20000004230"), ("1百01", "101"),
    ("四万万", "400000000"), ("10万万", "1000000000"), ("两个亿", "200000000"), ("千万", "10000000"),
    ("百万", "1000000"),
    ("10.36百亿亿", "10360000000000000000"), ("百亿亿", "1000000000000000000"), ("一百零十万", "1100000"),
    ("3.5万", "35000"), ("十三点五万", "135000"),
    ("15k", "15000"), ("30w", "300000"), ("１１.92亿", "1192000000"), ("  7071  ", "7071"), ("7 万5 千4 百",
    "75400"),
]


@pytest.mark.parametrize(("text", "expected"), PARSE_CASES)
def test_parse_number(text: str, expected: str) -> None:
    value = parse_number(text)
    assert isinstance(value, Decimal)
    assert value == Decimal(expected)


def test_parse_keeps_printed_decimals() -> None:
    # 82,225.00 keeps its two printed places: the checks' precision rule reads them
    assert parse_number("82,225.00").as_tuple().exponent == -2


PARSE_ERRORS = [
    "", "   ", "1..2", "1.", "1,2345", "12,34", "1,234.5,6", "万", "万万", "亿万", "一亿万", "十十",
    "十一十二",
    "十七十八", "百百", "一万二万", "abc", "12a", "一二三万", "七八万", "两两", "一百两", "点五", "零点",
    "零点点",
    "零点零大", "元整", "圆", "负", "-", "10.1万零100", "10..1万", "1万6", "1万16000", "一万一千万", "角",
    "三角", "1 000", "12 345", "一万点五亿", "28十一", "28十", "零百万", "一百三万", "一千三万", "12千",
    "五兆", "2e5", "%", "一半", "三分之一", "k", "十k",
]


@pytest.mark.parametrize("text", PARSE_ERRORS)
def test_parse_number_rejects(text: str) -> None:
    with pytest.raises(NumeralError):
        parse_number(text)


@pytest.mark.parametrize("text", [
    "1" * 100_000, "万" * 100_000, "一" * 100_000, "一万" * 50_000, "1." + "1" * 100_000,
    "1" + "0" * 100, "一" + "万亿" * 20, "1" + ",000" * 30_000, "九" * 49 + "亿",
])
def test_hostile_input_fails_fast(text: str) -> None:
    t0 = time.perf_counter()
    with pytest.raises(NumeralError):
        parse_number(text)
    with pytest.raises(NumeralError):
        read_number(text)
    assert time.perf_counter() - t0 < 1.0


def test_magnitude_limit_is_10_to_48() -> None:
    assert parse_number("9" * 48) == Decimal("9" * 48)
    with pytest.raises(NumeralError):
        parse_number("1" + "0" * 48)
    with pytest.raises(NumeralError):
        parse_number("一亿亿亿亿亿亿")  # 10^48


# --------------------------------------------------------------------------- strict mode (cn2an's)

STRICT_OK = [("十一", "11"), ("一十一", "11"), ("一千零十", "1010"), ("一万零百一十一", "10111"),
             ("一千亿一千万一千零一", "100010001001"), ("壹拾壹元整", "11"), ("壹拾壹元壹角壹分", "11.11"),
             ("零点零零一", "0.001"), ("负一十一", "-11"), ("廿二", "22"), ("一亿零一", "100000001")]
STRICT_BAD = ["一一", "一二三", "三万五", "一百二", "一百十一", "一千一十", "十万零一千", "壹拾壹元", "〇",
              "零点零", "负零点一零", "百十一", "一亿五千万零六千三百五十五"]


@pytest.mark.parametrize(("text", "expected"), STRICT_OK)
def test_strict_accepts_canonical(text: str, expected: str) -> None:
    assert parse_number(text, strict=True) == Decimal(expected)


@pytest.mark.parametrize("text", STRICT_BAD)
def test_strict_rejects_loose_forms(text: str) -> None:
    parse_number(text)  # the loose form is fine by default...
    with pytest.raises(NumeralError):
        parse_number(text, strict=True)  # ...but not in strict mode


# --------------------------------------------------------------------------- read_number

R = Reading
D = Decimal
READ_CASES = [
    ("7071万", R(D(70710000))),
    ("约4.287亿", R(D(428700000), approx="about")),
    ("6800亿左右", R(D(680000000000), approx="about")),
    ("近700万", R(D(7000000), approx="at_most")),
    ("接近3成", R(D(30), approx="at_most", unit_hint="%")),
    ("超6000", R(D(6000), approx="at_least")),
    ("超过1.8万", R(D(18000), approx="at_least")),
    ("逾千", R(D(1000), approx="at_least")),
    ("超千万", R(D(10000000), approx="at_least")),
    ("超百万", R(D(1000000), approx="at_least")),
    ("近万", R(D(10000), approx="at_most")),
    ("超亿", R(D(100000000), approx="at_least")),
    ("上万", R(D(10000), approx="at_least")),
    ("20%以上", R(D(20), approx="at_least", unit_hint="%")),
    ("13.6%左右", R(D("13.6"), approx="about", unit_hint="%")),
    ("不足5%", R(D(5), approx="at_most", unit_hint="%")),
    ("不到1.9万", R(D(19000), approx="at_most")),
    ("至少九千以上", R(D(9000), approx="at_least")),
    ("50万(含)以上", R(D(500000), approx="at_least")),
    ("3万亿以上", R(D(3000000000000), approx="at_least")),
    ("30多万", R(D(300000), approx="at_least")),
    ("1000余", R(D(1000), approx="at_least")),
    ("十余万", R(D(100000), approx="at_least")),
    ("两万多", R(D(20000), approx="at_least")),
    ("百余", R(D(100), approx="at_least")),
    ("3000多", R(D(3000), approx="at_least")),
    ("几十万", R(D(100000), approx="at_least")),
    ("数十亿", R(D(1000000000), approx="at_least")),
    ("十几", R(D(10), approx="at_least")),
    ("二十几万", R(D(200000), approx="at_least")),
    ("一百零几万", R(D(1000000), approx="at_least")),
    ("大约十多", R(D(10), approx="at_least")),
    ("1万-5万", R(D(10000), D(50000))),
    ("1万—5万", R(D(10000), D(50000))),
    ("1-5万", R(D(10000), D(50000))),
    ("两到三万", R(D(20000), D(30000))),
    ("10~15万", R(D(100000), D(150000))),
    ("10～15万", R(D(100000), D(150000))),
    ("3至5", R(D(3), D(5))),
    ("八到九百亿", R(D(80000000000), D(90000000000))),
    ("八百到九百亿", R(D(80000000000), D(90000000000))),
    ("十八至三十万", R(D(180000), D(300000))),
    ("一百二十到一百五十万", R(D(1200000), D(1500000))),
    ("从8500到3万", R(D(8500), D(30000))),
    ("2——3万", R(D(20000), D(30000))),
    ("1万(含)-5万", R(D(10000), D(50000))),
    ("10%-20%", R(D(10), D(20), unit_hint="%")),
    ("10-20%", R(D(10), D(20), unit_hint="%")),
    ("百分之十到二十", R(D(10), D(20), unit_hint="%")),
    ("约10-15万", R(D(100000), D(150000), approx="about")),
    ("七八万", R(D(70000), D(80000), approx="about")),
    ("三五百", R(D(300), D(500), approx="about")),
    ("十七八", R(D(17), D(18), approx="about")),
    ("三四十", R(D(30), D(40), approx="about")),
    ("两三", R(D(2), D(3), approx="about")),
    ("三分之一", R(D("0.3333"), fraction=True)),
    ("三分之二", R(D("0.6667"), fraction=True)),
    ("一半", R(D("0.5"), fraction=True)),
    ("过半", R(D("0.5"), approx="at_least", fraction=True)),
    ("万分之三", R(D("0.0003"), fraction=True)),
    ("一百分之五十五点五七九", R(D("0.5558"), fraction=True)),
    ("一千零十又3分之1", R(D("1010.3333"), fraction=True)),
    ("百分之十", R(D(10), unit_hint="%")),
    ("百分之三十五点五", R(D("35.5"), unit_hint="%")),
    ("百分之５６.２", R(D("56.2"), unit_hint="%")),
    ("百分之三十多", R(D(30), approx="at_least", unit_hint="%")),
    ("千分之五", R(D(5), unit_hint="‰")),
    ("10%", R(D(10), unit_hint="%")),
    ("１０％", R(D(10), unit_hint="%")),
    ("3‰", R(D(3), unit_hint="‰")),
    ("三成", R(D(30), unit_hint="%")),
    ("7.5成", R(D(75), unit_hint="%")),
    ("七成六", R(D(76), unit_hint="%")),
    ("三成半", R(D(35), unit_hint="%")),
    ("五成以上", R(D(50), approx="at_least", unit_hint="%")),
    ("八折", R(D(80), unit_hint="%")),
    ("1/2", R(D("0.5"), fraction=True)),
    ("2/3", R(D("0.6667"), fraction=True)),
    ("75折", R(D(75), unit_hint="%")),
    ("-10.1万", R(D(-101000))),
    ("-5~-3", R(D(-5), D(-3))),
    ("1万元-5万元", R(D(10000), D(50000))),
    # 零下 is a sign (temperature below zero); X又Y分之Z is a mixed number; spaces between Chinese
    # numerals (PDF and OCR text) are read through, never between two Arabic digits
    ("零下四", R(D(-4))),
    ("零下4.5", R(D("-4.5"))),
    ("三又二分之一", R(D("3.5"), fraction=True)),
    ("负一又二分之一", R(D("-1.5"), fraction=True)),
    ("三百五十又3分之1", R(D("350.3333"), fraction=True)),
    ("四点 五", R(D("4.5"))),
    ("陆 点 五 折", R(D(65), unit_hint="%")),
    ("1万(含)-5万", R(D(10000), D(50000))),
]


@pytest.mark.parametrize(("text", "expected"), READ_CASES)
def test_read_number(text: str, expected: Reading) -> None:
    assert read_number(text) == expected


READ_ERRORS = ["", "约", "多", "几", "5万-1万", "三分之", "零分之一", "十一成", "十折", "一十折", "零下",
               "4 5", "又二分之一",
               "十五折", "1万-", "百分之", "1-2-3",
               "多万", "多多", "1万-5%", "abc左右"]


@pytest.mark.parametrize("text", READ_ERRORS)
def test_read_number_rejects(text: str) -> None:
    with pytest.raises(NumeralError):
        read_number(text)


# --------------------------------------------------------------------------- round trip (hypothesis)

LOWER = "零一二三四五六七八九"
UPPER = "零壹贰叁肆伍陆柒捌玖"
UNITS = {False: ("", "十", "百", "千"), True: ("", "拾", "佰", "仟")}
BIG = {False: ("", "万", "亿", "万亿"), True: ("", "萬", "億", "萬億")}


def spell_group(g: int, fin: bool, head: bool, short_ten: bool, liang: bool) -> str:
    """One 4-digit group; `head` marks the leading group (where 十五 may drop its 一)."""
    digits = UPPER if fin else LOWER
    out: list[str] = []
    gap = False
    for p in (3, 2, 1, 0):
        d = g // 10**p % 10
        if d == 0:
            gap = bool(out)
            continue
        if gap:
            out.append(digits[0])
            gap = False
        if d == 1 and p == 1 and head and not out and short_ten:
            out.append(UNITS[fin][1])
        elif d == 2 and p >= 2 and liang and not fin:
            out.append("两" + UNITS[fin][p])
        else:
            out.append(digits[d] + UNITS[fin][p])
    return "".join(out)


def spell(n: int, fin: bool = False, short_ten: bool = False, liang: bool = False) -> str:
    """Chinese spelling of 0 <= n < 10^16 by 4-digit groups (万, 亿, 万亿), zeros read per convention."""
    if n == 0:
        return (UPPER if fin else LOWER)[0]
    groups = []
    while n:
        n, g = divmod(n, 10_000)
        groups.append(g)
    out = ""
    skipped = False
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            skipped = skipped or bool(out)
            continue
        if out and (skipped or g < 1000):
            out += (UPPER if fin else LOWER)[0]
        skipped = False
        out += spell_group(g, fin, not out, short_ten, liang) + BIG[fin][i]
    return out


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**16 - 1), st.booleans(), st.booleans(), st.booleans())
def test_chinese_integer_round_trip(n: int, fin: bool, short_ten: bool, liang: bool) -> None:
    text = spell(n, fin, short_ten, liang)
    assert parse_number(text) == n, text


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**12 - 1), st.booleans(), st.booleans())
def test_canonical_spelling_passes_strict(n: int, fin: bool, short_ten: bool) -> None:
    text = spell(n, fin, short_ten)
    assert parse_number(text, strict=True) == n, text


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**12 - 1), st.text(alphabet="0123456789", min_size=1, max_size=6), st.booleans())
def test_chinese_decimal_round_trip(n: int, frac: str, fin: bool) -> None:
    digits = UPPER if fin else LOWER
    text = spell(n, fin) + "点" + "".join(digits[int(c)] for c in frac)
    assert parse_number(text) == Decimal(f"{n}.{frac}"), text


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=10**12, places=3, allow_nan=False, allow_infinity=False),
       st.booleans(), st.booleans())
def test_arabic_round_trip(value: Decimal, commas: bool, full_width: bool) -> None:
    text = f"{value:,f}" if commas else f"{value:f}"
    if full_width:
        text = text.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    assert parse_number(text) == value, text


SCALES = [("万", 4), ("亿", 8), ("万亿", 12), ("万万", 8), ("亿亿", 16)]
UNIT_SCALES = [("千万", 7), ("百万", 6), ("千亿", 11), ("十万", 5), ("千", 3), ("百万亿", 14)]


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=0, max_value=99999, places=4, allow_nan=False, allow_infinity=False),
       st.sampled_from(SCALES))
def test_mixed_round_trip(mantissa: Decimal, scale: tuple[str, int]) -> None:
    """1.2万, 13983万, 7.1万亿: an Arabic mantissa times stacked scale words."""
    word, power = scale
    text = f"{mantissa.normalize():f}" + word
    assert parse_number(text) == mantissa * Decimal(10) ** power, text


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value="0.0001", max_value="9.9999", places=4, allow_nan=False, allow_infinity=False),
       st.sampled_from(UNIT_SCALES))
def test_mixed_unit_round_trip(mantissa: Decimal, scale: tuple[str, int]) -> None:
    """3千万亿, 1.5千亿: a small unit takes one digit (or a decimal below 10)."""
    word, power = scale
    text = f"{mantissa.normalize():f}" + word
    assert parse_number(text) == mantissa * Decimal(10) ** power, text


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 10**8), st.integers(1, 10**8))
def test_range_reads_both_ends(a: int, b: int) -> None:
    """Ends spelled in full read as written (the borrowing of units needs a bare left end)."""
    lo, hi = sorted((a, b))
    assume(lo >= 10 and (hi < 10**4 or lo >= 10**4))
    r = read_number(f"{spell(lo)}至{spell(hi)}")
    assert (r.value, r.value_max) == (lo, hi)


FUZZ_ALPHABET = list("0123456789.,，-~％%‰零〇一二两三四五六七八九十百千万亿"
                     "壹贰叁拾佰仟萬億廿点元角分整多余几数成折之又半kw约近超以上左右个/负 (含)")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=FUZZ_ALPHABET, min_size=0, max_size=12))
def test_any_text_reads_or_raises_numeral_error(text: str) -> None:
    """Whatever the detector hands over, the engine answers with a Reading or a NumeralError."""
    for fn in (parse_number, read_number):
        try:
            out = fn(text)
        except NumeralError:
            continue
        value = out if isinstance(out, Decimal) else out.value
        assert value.is_finite()


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**8), st.integers(2, 1000), st.integers(1, 999), st.booleans())
def test_mixed_number_is_whole_plus_fraction(whole: int, den: int, num: int, negative: bool) -> None:
    """X又Y分之Z = X + Z/Y (half-even to 4 places, SPEC §2), whatever the spelling of each part."""
    assume(num < den)
    text = ("负" if negative else "") + spell(whole) + "又" + spell(den) + "分之" + spell(num)
    exact = (Decimal(whole) + Decimal(num) / Decimal(den)).quantize(Decimal("0.0001"))
    r = read_number(text)
    assert r.fraction and r.value == (-exact if negative and exact else exact), text


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**12), st.text(alphabet="0123456789", max_size=4), st.booleans(),
       st.lists(st.sampled_from(["", "", " ", "\u3000", "  "]), min_size=40, max_size=40))
def test_spaced_chinese_numeral_reads_whole(n: int, frac: str, below_zero: bool, gaps: list[str]) -> None:
    """Whitespace between Chinese numeral characters (PDF, OCR) never changes the value."""
    point = "点" + "".join(LOWER[int(d)] for d in frac) if frac else ""
    text = ("零下" if below_zero else "") + spell(n) + point
    spaced = "".join(ch + gap for ch, gap in zip(text, gaps[:len(text)], strict=True))
    expected = Decimal(f"{n}.{frac}" if frac else n)
    assert read_number(spaced).value == (-expected if below_zero else expected), spaced


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 10**12), st.sampled_from(["多", "余"]), st.sampled_from(["", "约", "超过", "近"]))
def test_fuzzy_amount_keeps_lower_bound(n: int, word: str, prefix: str) -> None:
    r = read_number(prefix + spell(n) + word)
    assert r.value == n and r.value_max is None
    assert r.approx == {"": "at_least", "约": "at_least", "超过": "at_least", "近": "at_most"}[prefix]


# --------------------------------------------------------------------------- real gold mentions

GOLD = SHARED / "gold"


@pytest.mark.skipif(not GOLD.is_dir(), reason="../shared/gold not present")
def test_gold_mention_values() -> None:
    """Every gold mention's number (its unit word removed) reads back as the gold value."""
    checked = 0
    wrong: list[str] = []
    for path in sorted(GOLD.glob("*.json")):
        for m in json.loads(path.read_text("utf-8"))["mentions"]:
            if m["kind"] in ("rank", "grade"):
                continue  # 第16名 / Ⅱ类: the ordinal marker is the detector's business
            text, unit = m["text"], m["unit"]
            if unit and unit in text:
                i = text.rfind(unit)
                text = text[:i] + text[i + len(unit):]
            r = read_number(text)
            checked += 1
            vmax = m.get("value_max")
            if r.value != Decimal(m["value"]) or (vmax is not None and r.value_max != Decimal(vmax)):
                wrong.append(f"{m['text']}: {r}")
    assert checked > 100
    assert not wrong, wrong


# --------------------------------------------------------------------------- peer suites (engine side)

PEERS = SHARED / "peers"


def _peer_rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (PEERS / name).read_text("utf-8").splitlines() if line]


@pytest.mark.skipif(not PEERS.is_dir(), reason="../shared/peers not present")
def test_cn2an_suites() -> None:
    """cn2an strict (in strict mode), normal and smart values; error lists raise (merged as cn2an does)."""
    by: dict[str, list[dict]] = {}
    for r in _peer_rows("cn2an.jsonl"):
        by.setdefault(r["suite"], []).append(r)
    for suite, strict in (("cn2an.strict", True), ("cn2an.strict", False), ("cn2an.normal", False),
                          ("cn2an.smart", False)):
        for r in by[suite]:
            assert parse_number(r["input"], strict=strict) == Decimal(str(r["expect"])), (suite, r["input"])
    keys = [r["input"] for r in by["cn2an.normal"]]
    strict_errors = [r["input"] for r in by["cn2an.error_strict"] + by["cn2an.error_normal"]] + keys
    assert len(strict_errors) == 47
    for text in strict_errors:
        with pytest.raises(NumeralError):
            parse_number(text, strict=True)
    for r in by["cn2an.error_normal"] + by["cn2an.error_smart"]:
        with pytest.raises(NumeralError):
            parse_number(r["input"])


@pytest.mark.skipif(not PEERS.is_dir(), reason="../shared/peers not present")
def test_jionlp_parse_money_values() -> None:
    """JioNLP amounts through read_number; the one documented difference is 八到九百亿 (800亿..900亿)."""
    currency = re.compile(r"人民币|新台币|台币|港币|港元|美元|日元|日币|欧元|泰铢|卢布|韩元|澳元|钱")
    yuan = re.compile(r"[元块](?![0-9零一二三四五六七八九壹贰叁肆伍陆柒捌玖角毛分整正])")
    differ = []
    for r in _peer_rows("jionlp.jsonl"):
        if r["suite"] != "jionlp.parse_money":
            continue
        rd = read_number(yuan.sub("", currency.sub("", r["input"])))
        num = r["expect"]["num"]
        if isinstance(num, list):
            ok = (rd.value, rd.value_max) == (Decimal(num[0]), Decimal(num[1])) or (
                rd.value_max is None and rd.value == Decimal(num[0]) and rd.approx == "at_least")
        else:
            ok = rd.value.quantize(Decimal("0.01")) == Decimal(num) and rd.value_max is None
        if not ok:
            differ.append(r["input"])
    assert differ == ["八到九百亿泰铢"]
