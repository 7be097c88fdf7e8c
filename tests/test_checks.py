"""Consistency checks under SPEC's precision rule, on real sentences and as properties."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from gold_helper import GOLD, gold_doc, gold_roles
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rel_helper import quantities

from extractor.checks import run_checks
from extractor.precision import interval, ulp
from extractor.relations import find_relations
from schemas import Quantity, Relation

M, C, MS, P = "money", "count", "measure", "percent"


def q(text: str, value: str, unit: str, kind: str, approx: str | None = None, qid: str = "q1") -> Quantity:
    return Quantity(id=qid, start=0, end=len(text), text=text, value=value, unit=unit, kind=kind,
                    approx=approx)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "value", "unit", "kind", "lo", "hi"), [
    ("68.1%", "68.1", "%", P, "68.05", "68.15"),
    ("4768平方米", "4768", "平方米", MS, "4768", "4768"),
    ("7071万元", "70710000", "元", M, "70705000", "70715000"),
    ("3.15万平方米", "31500", "平方米", MS, "31450", "31550"),
    ("122%", "122", "%", P, "121.5", "122.5"),
    ("１３，９８３万元", "139830000", "元", M, "139825000", "139835000"),
    ("２．５亿元", "250000000", "元", M, "245000000", "255000000"),
    ("百分之三十点七", "30.7", "%", P, "30.65", "30.75"),
    ("二十七家", "27", "家", C, "27", "27"),
])
def test_printed_precision(text: str, value: str, unit: str, kind: str, lo: str, hi: str) -> None:
    iv = interval(q(text, value, unit, kind))
    assert (iv.lo, iv.hi) == (Decimal(lo), Decimal(hi))


_FULL = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


@given(st.integers(1, 10 ** 9), st.integers(0, 3), st.sampled_from(["万元", "亿元", "吨", "%"]),
       st.sets(st.integers(0, 12)))
def test_full_width_figures_read_as_their_ascii_form(n: int, places: int, unit: str, widen: set[int]) -> None:
    """A figure printed in full-width digits or separators (any of its characters) has the interval of
    its ASCII form: the number is found in either width, and only it is translated."""
    number = f"{Decimal(n).scaleb(-places):,f}"
    mixed = "".join(ch.translate(_FULL) if k in widen else ch for k, ch in enumerate(number))
    scale = {"万元": 10 ** 4, "亿元": 10 ** 8}.get(unit, 1)
    value = format(Decimal(number.replace(",", "")) * scale, "f")
    kind = P if unit == "%" else M
    ascii_q, mixed_q = q(number + unit, value, unit, kind), q(mixed + unit, value, unit, kind)
    assert interval(mixed_q) == interval(ascii_q)
    assert ulp(mixed_q) == ulp(ascii_q)


def test_approximate_values_are_one_sided() -> None:
    assert interval(q("超6000家", "6000", "家", C, "at_least")).hi == Decimal("Infinity")
    assert interval(q("近700万元", "7000000", "元", M, "at_most")).hi == Decimal("7005000")
    assert ulp(q("30多万元", "300000", "元", M, "at_least")) == 10000


def _check(text: str, figures: list) -> list:
    qs = quantities(text, figures)
    return run_checks(text, qs, find_relations(text, qs))


# (sentence, figures, [(check, status, message fragment, derived subset)])
CASES = [
    ("已完成整治31处4768平方米,其中硬化4108平方米、绿化660平方米。",
     [("31处", "31", "处", C), ("4768平方米", "4768", "平方米", MS), ("4108平方米", "4108", "平方米", MS),
      ("660平方米", "660", "平方米", MS)],
     [("sum", "consistent", "4108 + 660 = 4768 ✓", {})]),
    ("已完成整治31处4768平方米,其中硬化4108平方米、绿化700平方米。",
     [("31处", "31", "处", C), ("4768平方米", "4768", "平方米", MS), ("4108平方米", "4108", "平方米", MS),
      ("700平方米", "700", "平方米", MS)],
     [("sum", "inconsistent", "4108 + 700 = 4808 > 4768", {"parts_sum": "4808"})]),
    ("已完成整治31处4768平方米,其中硬化4108平方米、绿化600平方米。",
     [("31处", "31", "处", C), ("4768平方米", "4768", "平方米", MS), ("4108平方米", "4108", "平方米", MS),
      ("600平方米", "600", "平方米", MS)],
     [("sum", "warning", "may be partial", {"unlisted": "60"})]),
    ("冶金工业部有五十七个建设项目，地方有十四个建设项目，共计七十二个。",
     [("五十七个", "57", "个", C), ("十四个", "14", "个", C), ("七十二个", "72", "个", C)],
     [("sum", "inconsistent", "57 + 14 = 71 ≠ 72", {})]),
    ("完成27家企业排污许可注册登记,占任务数的62.7%;",
     [("27家", "27", "家", C), ("62.7%", "62.7", "%", P)],
     [("completion", "warning", "27/43 = 62.79% ≠ 62.7% (only under truncation", {"implied_target": "43"})]),
    ("完成27家企业排污许可注册登记,占任务数的62.9%;",
     [("27家", "27", "家", C), ("62.9%", "62.9", "%", P)],
     [("completion", "inconsistent", "no whole-number target gives 62.9%", {})]),
    ("完成个转企11家，完成122%；",
     [("11家", "11", "家", C), ("122%", "122", "%", P)],
     [("completion", "consistent", "11/9 = 122.2% → 122% ✓", {"implied_target": "9"})]),
    ("实现工业投资3408万元，完成全年目标任务的68.1%；",
     [("3408万元", "34080000", "元", M), ("68.1%", "68.1", "%", P)],
     [("completion", "consistent", "none stated", {"implied_target": "50044052.8634"})]),
    ("全年中央财政用于“三农”的投入5955亿元，比上年增加1637亿元，增长37.9%，",
     [("5955亿元", "595500000000", "元", M), ("1637亿元", "163700000000", "元", M),
      ("37.9%", "37.9", "%", P)],
     [("growth", "consistent", "5955亿 − 1637亿 = 4318亿; 1637亿 / 4318亿 = 37.91% → 37.9% ✓",
       {"base": "431800000000"})]),
    ("全年中央财政用于“三农”的投入5955亿元，比上年增加1637亿元，增长27.9%，",
     [("5955亿元", "595500000000", "元", M), ("1637亿元", "163700000000", "元", M),
      ("27.9%", "27.9", "%", P)],
     [("growth", "inconsistent", "the increase and the rate disagree", {})]),
    # GDP growth is real: a nominal mismatch is only a warning (SPEC §3)
    ("全省地区生产总值达到13697.5亿元，较“十三五”末的9323.1亿元增加4374.4亿元，增长33.6%，",
     [("13697.5亿元", "1369750000000", "元", M), ("9323.1亿元", "932310000000", "元", M),
      ("4374.4亿元", "437440000000", "元", M), ("33.6%", "33.6", "%", P)],
     [("growth", "warning", "real growth", {})]),
    ("工业企业用电成本8.7亿元，下降6.8%，",
     [("8.7亿元", "870000000", "元", M), ("6.8%", "6.8", "%", P)],
     [("growth", "consistent", "8.7亿 / (1 − 6.8%) = 9.335亿", {})]),
    ("城镇化率从52.6%提高到58.5%，提高5.9个百分点。",
     [("52.6%", "52.6", "%", P), ("58.5%", "58.5", "%", P), ("5.9个百分点", "5.9", "个百分点", P)],
     [("change", "consistent", "58.5% − 52.6% = 5.9 ✓", {"delta": "5.9"})]),
    ("城镇化率从52.6%提高到58.5%，提高6.1个百分点。",
     [("52.6%", "52.6", "%", P), ("58.5%", "58.5", "%", P), ("6.1个百分点", "6.1", "个百分点", P)],
     [("change", "inconsistent", "≠ 6.1个百分点", {})]),
    ("关税总水平由9.8%降至7.5%。",
     [("9.8%", "9.8", "%", P), ("7.5%", "7.5", "%", P)],
     [("change", "consistent", "降 ✓", {"delta": "-2.3"})]),
    ("关税总水平由7.5%降至9.8%。",
     [("7.5%", "7.5", "%", P), ("9.8%", "9.8", "%", P)],
     [("change", "inconsistent", "but the text says 降", {})]),
    ("空气质量状况在绍兴市所有乡镇中排位第16名,比2019年同期提高了12位。",
     [("第16名", "16", "名", "rank"), ("12位", "12", "位", "rank")],
     [("change", "consistent", "第28名", {"prior_rank": "28"})]),
    ("研发投入强度从全国第10位升至第7位，",
     [("第10位", "10", "位", "rank"), ("第7位", "7", "位", "rank")],
     [("change", "consistent", "升 ✓", {})]),
    ("非金融类对外直接投资从2007年的248亿美元上升到2012年的772亿美元，年均增长25.5%，",
     [("248亿美元", "24800000000", "美元", M), ("772亿美元", "77200000000", "美元", M),
      ("25.5%", "25.5", "%", P)],
     [("change", "consistent", "5 years", {})]),
    ("全国财政收入从1997年的8651亿元增加到2002年的18914亿元，平均每年增加2053亿元；",
     [("8651亿元", "865100000000", "元", M), ("18914亿元", "1891400000000", "元", M),
      ("2053亿元", "205300000000", "元", M)],
     [("change", "consistent", "(18914亿 − 8651亿) / 5 = 2052.6亿", {})]),
    ("完成内资13983万元，其中市外到位资金8896万元，占比63.6%。",
     [("13983万元", "139830000", "元", M), ("8896万元", "88960000", "元", M), ("63.6%", "63.6", "%", P)],
     [("part_of", "consistent", "8896万 ≤ 13983万 ✓", {}), ("share", "consistent", "= 63.62%", {})]),
    ("完成内资13983万元，其中市外到位资金8896万元，占比66.6%。",
     [("13983万元", "139830000", "元", M), ("8896万元", "88960000", "元", M), ("66.6%", "66.6", "%", P)],
     [("part_of", "consistent", "", {}), ("share", "inconsistent", "≠ 66.6%", {})]),
    ("三次产业结构为7.1:39.0:53.9。",
     [("7.1", "7.1", "", "ratio"), ("39.0", "39", "", "ratio"), ("53.9", "53.9", "", "ratio")],
     [("structure", "consistent", "7.1 + 39.0 + 53.9 = 100 ✓", {})]),
    ("三次产业结构为7.1:39.0:54.9。",
     [("7.1", "7.1", "", "ratio"), ("39.0", "39", "", "ratio"), ("54.9", "54.9", "", "ratio")],
     [("structure", "inconsistent", "≠ 100", {})]),
    # 超 makes the total open-ended: an excess is only a warning
    ("开展药品监督抽检超1.5万批次，其中零售环节抽检2万批次、农村地区抽检1500批次，",
     [("超1.5万批次", "15000", "批次", C, "at_least"), ("2万批次", "20000", "批次", C),
      ("1500批次", "1500", "批次", C)],
     [("sum", "consistent", "", {})]),
    ("累计梳理出企业、基层反映的问题231个，已解决232个。",
     [("231个", "231", "个", C), ("232个", "232", "个", C)],
     [("part_of", "inconsistent", "232 > 231", {})]),
]


@pytest.mark.parametrize(("text", "figures", "expected"), CASES, ids=[c[0][:18] for c in CASES])
def test_checks_of_real_sentences(text: str, figures: list, expected: list) -> None:
    findings = _check(text, figures)
    assert len(findings) == len(expected), [f.message for f in findings]
    for f, (check, status, fragment, derived) in zip(findings, expected, strict=True):
        assert (f.check, f.status) == (check, status), f.message
        assert fragment in f.message
        for k, v in derived.items():
            assert f.derived[k] == v


# which checks compared two stated things and which only derived a value nothing stated could contradict
COMPARED = {
    "已完成整治31处4768平方米,其中硬化4108平方米、绿化660平方米。": True,
    "完成个转企11家，完成122%；": True,  # the GRIM test compares the count with the percent
    "实现工业投资3408万元，完成全年目标任务的68.1%；": False,  # implied target
    "工业企业用电成本8.7亿元，下降6.8%，": False,  # implied base
    "全年中央财政用于“三农”的投入5955亿元，比上年增加1637亿元，增长37.9%，": True,
    "城镇化率从52.6%提高到58.5%，提高5.9个百分点。": True,
    "空气质量状况在绍兴市所有乡镇中排位第16名,比2019年同期提高了12位。": True,  # a prior rank below 1 fails
}


@pytest.mark.parametrize(("text", "compared"), COMPARED.items(), ids=[t[:18] for t in COMPARED])
def test_findings_say_whether_they_compared_stated_figures(text: str, compared: bool) -> None:
    (case,) = [c for c in CASES if c[0] == text]
    (f, *_) = _check(text, case[1])
    assert f.compared is compared, f.message
    assert ("none stated" in f.message) is (not compared)


@pytest.mark.skipif(not GOLD.exists(), reason="../shared/gold is absent")
@pytest.mark.parametrize("name", ["seed-lipu-2020h1", "national-2019-s1", "prov2026-guangdong-s1"])
def test_gold_relations_get_the_status_their_holds_says(name: str) -> None:
    text, qs, gold = gold_doc(name)
    rels = find_relations(text, qs)
    by_key = {frozenset(zip(r.quantities, r.roles, strict=True)): r.id for r in rels}
    findings = {f.relation: f for f in run_checks(text, qs, rels)}
    want = {True: "consistent", False: "inconsistent", "warning": "warning"}
    for g in gold:
        rid = by_key[frozenset(gold_roles(g).items())]
        assert findings[rid].status == want[g["holds"]], (g, findings[rid].message)
    if name == "seed-lipu-2020h1":
        msgs = [f.message for f in findings.values()]
        assert "4108 + 660 = 4768 ✓" in msgs
        assert any(m.startswith("27/43 = 62.79% ≠ 62.7%") for m in msgs)


# ---- properties -----------------------------------------------------------------------------

def _measure(v: Decimal, places: int, qid: str) -> Quantity:
    text = f"{v:.{places}f}平方米"
    return Quantity(id=qid, start=0, end=len(text), text=text, value=str(v), unit="平方米", kind="measure")


def _sum(total: Quantity, parts: list[Quantity]) -> str:
    rel = Relation(id="r1", type="sum", quantities=[total.id] + [p.id for p in parts],
                   roles=["total"] + ["part"] * len(parts))
    (f,) = run_checks("", [total, *parts], [rel])
    return f.status


parts_st = st.lists(st.integers(min_value=0, max_value=10 ** 7), min_size=2, max_size=6)


@settings(max_examples=200, deadline=None)
@given(parts=parts_st, places=st.integers(min_value=0, max_value=2),
       off=st.integers(min_value=1, max_value=50))
def test_exact_sums_pass_and_sums_beyond_precision_fail(parts: list[int], places: int, off: int) -> None:
    step = Decimal(1).scaleb(-places)
    values = [Decimal(p) * step for p in parts]
    qs = [_measure(v, places, f"p{i}") for i, v in enumerate(values)]
    total = sum(values, Decimal(0))
    assert _sum(_measure(total, places, "t"), qs) == "consistent"
    # every printed number may be off by half a step: beyond (n + 1) half-steps no reading helps
    slack = step * (len(parts) + 1) / 2
    beyond = slack + off * step
    if total - beyond >= 0:
        assert _sum(_measure(total - beyond, places + 1, "t"), qs) == "inconsistent"
    assert _sum(_measure(total + beyond, places + 1, "t"), qs) == "warning"


def _completion(value: int, pct: Decimal) -> str:
    v = Quantity(id="v", start=0, end=3, text=f"{value}家", value=str(value), unit="家", kind="count")
    p = Quantity(id="p", start=5, end=9, text=f"{pct}%", value=str(pct), unit="%", kind="percent")
    rel = Relation(id="r1", type="completion", quantities=["v", "p"], roles=["value", "percent"])
    (f,) = run_checks("", [v, p], [rel])
    return f.status


@settings(max_examples=300, deadline=None)
@given(target=st.integers(min_value=1, max_value=5000), frac=st.fractions(min_value=0, max_value=3),
       places=st.integers(min_value=0, max_value=2))
@example(target=160, frac=Fraction(34, 37), places=2)  # 147/160 = 91.875% sits on the interval's edge
def test_grim_rounded_percent_of_whole_numbers_always_passes(target: int, frac, places: int) -> None:
    value = int(target * frac)
    if value == 0:
        return
    exact = Decimal(value) * 100 / Decimal(target)
    step = Decimal(1).scaleb(-places)
    rounded = exact.quantize(step, rounding=ROUND_HALF_UP)  # 四舍五入, as SPEC §3 reads a printed digit
    if rounded == 0:
        return  # a 0% completion states no target at all
    assert _completion(value, rounded) == "consistent"
    # truncation may only ever lower the status to a warning, never to inconsistent
    truncated = exact.quantize(step, rounding=ROUND_DOWN)
    if truncated > 0:
        assert _completion(value, truncated) in ("consistent", "warning")


@settings(max_examples=200, deadline=None)
@given(a=st.integers(min_value=0, max_value=1000), b=st.integers(min_value=0, max_value=1000),
       off=st.integers(min_value=2, max_value=9))
def test_change_delta_in_points(a: int, b: int, off: int) -> None:
    fa, fb = Decimal(a) / 10, Decimal(b) / 10
    verb = "提高" if b >= a else "下降"
    delta = abs(fb - fa)
    for d, status in ((delta, "consistent"), (delta + Decimal(off) / 10, "inconsistent")):
        text = f"比重从{fa:.1f}%{verb}到{fb:.1f}%，{verb}{d:.1f}个百分点。"
        figs = [(f"{fa:.1f}%", str(fa), "%", P), (f"{fb:.1f}%", str(fb), "%", P),
                (f"{d:.1f}个百分点", str(d), "个百分点", P)]
        (f,) = _check(text, figs)
        assert f.status == status, (text, f.message)


def _repeat_doc(second: str) -> tuple[str, list[Quantity]]:
    text = f"2025年全省经济稳中有进。城镇新增就业54万人。\n2025年民生持续改善。城镇新增就业{second}。"
    value = str(int(Decimal(second[:-2]) * 10000))
    qs = quantities(text, [("54万人", "540000", "人", C), (second, value, "人", C)])
    return text, [x.model_copy(update={"metric": "城镇新增就业", "period": "2025年"}) for x in qs]


@pytest.mark.parametrize(("second", "status"), [("54万人", "consistent"), ("56万人", "warning")])
def test_a_metric_restated_for_the_same_period(second: str, status: str) -> None:
    text, qs = _repeat_doc(second)
    rels = find_relations(text, qs)
    assert [(r.type, r.roles) for r in rels] == [("repeat", ["first", "second"])]
    (f,) = run_checks(text, qs, rels)
    assert f.status == status


def test_no_repeat_when_the_period_is_only_inherited_from_a_heading() -> None:
    text, qs = _repeat_doc("56万人")
    text = text.replace("\n2025年", "\n今年")
    qs = [x.model_copy(update={"start": text.index(x.text, qs[0].end if i else 0)}) for i, x in enumerate(qs)]
    qs = [x.model_copy(update={"end": x.start + len(x.text)}) for x in qs]
    assert find_relations(text, qs) == []


@pytest.mark.parametrize(("rate", "status"),
                         [("百分之三十六", "consistent"), ("百分之四十六", "inconsistent")])
def test_growth_against_a_stated_base(rate: str, status: str) -> None:
    text = f"货物运输量将达到五亿二千万吨，比一九五八年的三亿八千万吨增长{rate}；"
    figs = [("五亿二千万吨", "520000000", "吨", MS), ("三亿八千万吨", "380000000", "吨", MS),
            (rate, "36" if "三十六" in rate else "46", "%", P)]
    (f,) = _check(text, figs)
    assert (f.check, f.status) == ("growth", status), f.message
    assert "≈ 3.8亿" in f.message if status == "consistent" else "≠ 3.8亿" in f.message


# ---- issue 11: every example as written, through the whole pipeline ----------------------------------

ISSUE_11 = [
    # 其中 lists check every part, also after a comma (parts named alike) and with a stop word both share
    ("各项贷款新增1.91万亿元，其中制造业中长期贷款新增1124亿元，无还本续贷新增28651亿元。",
     "sum", "inconsistent", "1124亿 + 28651亿 = 29775亿 > 1.91万亿 ✗"),
    ("各项贷款新增1.91万亿元，其中制造业中长期贷款新增1124亿元，无还本续贷新增5982亿元。",
     "sum", "warning", "1124亿 + 5982亿 = 7106亿 < 1.91万亿 (the list may be partial)"),
    ("各项贷款新增1.91万亿元，其中制造业中长期贷款新增1124亿元、无还本续贷新增28651亿元。",
     "sum", "inconsistent", "1124亿 + 28651亿 = 29775亿 > 1.91万亿 ✗"),
    ("财政总收入1545万元，其中地方一般税收850.2万元，公共财政预算收入完成2318万元。",
     "sum", "inconsistent", "850.2万 + 2318万 = 3168.2万 > 1545万 ✗"),
    ("固定资产投资5亿元，其中工业投资3.7亿元，服务业投资4.8亿元。",
     "sum", "inconsistent", "3.7亿 + 4.8亿 = 8.5亿 > 5亿 ✗"),
    ("固定资产投资5亿元，其中工业投资3.7亿元，服务业投资1.3亿元。",
     "sum", "consistent", "3.7亿 + 1.3亿 = 5亿 ✓"),
    # a stated increase is exact subtraction of two nominal levels, even for GDP
    ("地区生产总值达到13697.5亿元，较“十三五”末的9323.1亿元增加6564.6亿元，增长33.6%。",
     "growth", "inconsistent", "13697.5亿 − 9323.1亿 = 4374.4亿 ≠ 6564.6亿 ✗"),
    ("地区生产总值达到13697.5亿元，较“十三五”末的9323.1亿元增加4374.4亿元，增长33.6%。",
     "growth", "warning", "a real growth rate at comparable prices"),
    # completion with a stated target links value and target
    ("工业投资120亿元，年度目标为200亿元，完成年度目标的52.3%。",
     "completion", "inconsistent", "120亿/200亿 = 60% ≠ 52.3% ✗"),
    ("工业投资120亿元，年度目标为200亿元，完成年度目标的60%。",
     "completion", "consistent", "120亿/200亿 = 60% → 60% ✓"),
    ("完成工业投资120亿元，占年度目标200亿元的66%。",
     "completion", "inconsistent", "120亿/200亿 = 60% ≠ 66% ✗"),
    # 其中 after a sentence end starts a relation; a part's own growth rate does not end the list
    ("全县实现地区生产总值286.4亿元，同比增长6.8%。其中，第一产业增加值45.1亿元，增长3.5%；"
     "第二产业增加值98.6亿元，增长8.2%；第三产业增加值142.7亿元，增长7.1%。",
     "sum", "consistent", "45.1亿 + 98.6亿 + 142.7亿 = 286.4亿 ✓"),
    ("全县实现地区生产总值286.4亿元，同比增长6.8%。其中，第一产业增加值45.1亿元，增长3.5%；"
     "第二产业增加值98.6亿元，增长8.2%。",
     "sum", "warning", "45.1亿 + 98.6亿 = 143.7亿 < 286.4亿 (the list may be partial)"),
    # shares against the whole wherever the document states it for the same period
    ("2025年全市地区生产总值2000亿元，增长5%。全市上下团结奋斗。2025年工业增加值300亿元，占地区生产总值的15.3%。",
     "share", "inconsistent", "300亿/2000亿 = 15% ≠ 15.3% ✗"),
    ("2025年全市地区生产总值2000亿元。2025年工业增加值306亿元，增长6%，占全市GDP的比重为15.3%。",
     "share", "consistent", "306亿/2000亿 = 15.3% → 15.3% ✓"),
    # printed precision: a whole number of 万 in Chinese numerals is as precise as in digits
    ("项目总投资三千二百万元，其中财政资金一千五百万元、银行贷款八百万元、自筹资金七百万元。",
     "sum", "warning", "1500万 + 800万 + 700万 = 3000万 < 3200万 (the list may be partial)"),
    ("项目总投资三千二百万元，其中财政资金一千五百万元、银行贷款八百万元、自筹资金九百万元。",
     "sum", "consistent", "1500万 + 800万 + 900万 = 3200万 ✓"),
    # interval edges are half-open: 5.8亿 is [5.75, 5.85), 2.6 + 2.1 + 0.9 is [5.45, 5.75)
    ("项目总投资5.8亿元，其中财政资金2.6亿元、银行贷款2.1亿元、自筹资金0.9亿元。",
     "sum", "warning", "2.6亿 + 2.1亿 + 0.9亿 = 5.6亿 < 5.8亿 (the list may be partial)"),
    ("财政资金2.6亿元、银行贷款2.1亿元、自筹资金0.9亿元，共计5.8亿元。",
     "sum", "inconsistent", "2.6亿 + 2.1亿 + 0.9亿 = 5.6亿 ≠ 5.8亿 ✗"),
    # beyond the issue: a list ending with 其他 is complete (national-1956, 14,328 vs 14,128 million)
    ("国营企业收入为14.3亿元。其中，工业企业收入为6.7亿元；交通企业收入为2.1亿元；其他企业收入为3.5亿元。",
     "sum", "inconsistent", "6.7亿 + 2.1亿 + 3.5亿 = 12.3亿 ≠ 14.3亿 ✗ (the list ends with 其他"),
    ("国营企业收入为14.3亿元。其中，工业企业收入为6.7亿元；交通企业收入为2.1亿元；商业企业收入为3.5亿元。",
     "sum", "warning", "(the list may be partial)"),
]


@pytest.mark.parametrize(("text", "check", "status", "message"), ISSUE_11, ids=[c[0][:16] for c in ISSUE_11])
def test_issue_11_examples_through_the_pipeline(text: str, check: str, status: str, message: str) -> None:
    from extractor import extract

    report = extract(text)
    shown = [(f.check, f.status, f.message) for f in report.findings]
    hits = [f for f in report.findings if f.check == check and message in f.message]
    assert hits and all(f.status == status for f in hits), shown
    assert not [f for f in report.findings if f.status == "inconsistent" and f.check != check]


@pytest.mark.parametrize(("text", "value", "lo", "hi"), [
    ("三千二百万元", "32000000", "31995000", "32005000"),
    ("一千六百三十万吨", "16300000", "16295000", "16305000"),
    ("三点五亿元", "350000000", "345000000", "355000000"),
    ("五亿二千万吨", "520000000", "515000000", "525000000"),  # mixed scales: 5.2亿
    ("三千二百元", "3200", "3200", "3200"),
])
def test_printed_precision_of_chinese_numerals(text: str, value: str, lo: str, hi: str) -> None:
    iv = interval(q(text, value, text[-1], M))
    assert (iv.lo, iv.hi) == (Decimal(lo), Decimal(hi))
    assert iv.hi_open is (lo != hi)


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(st.integers(min_value=1, max_value=999), min_size=2, max_size=5))
def test_sums_touching_only_at_an_edge_do_not_agree(parts: list[int]) -> None:
    """Parts and a total printed to one decimal: a total a whole half-step per part above the exact sum
    meets the parts' interval only at its open edge, so no rounding makes it hold."""
    values = [Decimal(p) / 10 for p in parts]
    qs = [_measure(v, 1, f"p{i}") for i, v in enumerate(values)]
    edge = sum(values, Decimal(0)) + Decimal("0.05") * len(parts) + Decimal("0.05")
    assert _sum(_measure(edge, 2, "t"), qs) == "warning"  # short of the total: only a partial list
    inside = sum(values, Decimal(0)) + Decimal("0.05") * (len(parts) - 1)
    assert _sum(_measure(inside, 2, "t"), qs) == "consistent"
