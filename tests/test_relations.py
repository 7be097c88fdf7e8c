"""Relations read from real sentences (SPEC §3), and the gold relations of ../shared/gold."""

from __future__ import annotations

import pytest
from gold_helper import GOLD, gold_doc, gold_roles
from rel_helper import quantities

from extractor.relations import find_relations

M, C, MS, P, PT, R = "money", "count", "measure", "percent", "percent", "rank"

CASES = [
    # (sentence, figures, expected relations as (type, {qid: role}))
    ("已完成整治31处4768平方米,其中硬化4108平方米、绿化660平方米,“五个一点”的做法",
     [("31处", "31", "处", C), ("4768平方米", "4768", "平方米", MS), ("4108平方米", "4108", "平方米", MS),
      ("660平方米", "660", "平方米", MS)],
     [("sum", {"q2": "total", "q3": "part", "q4": "part"})]),
    ("冶金工业部有五十七个建设项目，地方有十四个建设项目，共计七十一个。",
     [("五十七个", "57", "个", C), ("十四个", "14", "个", C), ("七十一个", "71", "个", C)],
     [("sum", {"q3": "total", "q1": "part", "q2": "part"})]),
    ("今年拟安排财政赤字1.2万亿元，比去年预算增加4000亿元，其中中央财政赤字8500亿元，代地方发债3500亿元。",
     [("1.2万亿元", "1200000000000", "元", M), ("4000亿元", "400000000000", "元", M),
      ("8500亿元", "850000000000", "元", M), ("3500亿元", "350000000000", "元", M)],
     [("sum", {"q1": "total", "q3": "part", "q4": "part"})]),
    ("汽车保有量由2552万辆增至3230万辆，其中新能源汽车由45万辆增至356万辆。",
     [("2552万辆", "25520000", "辆", C), ("3230万辆", "32300000", "辆", C), ("45万辆", "450000", "辆", C),
      ("356万辆", "3560000", "辆", C)],
     [("change", {"q1": "from", "q2": "to"}), ("change", {"q3": "from", "q4": "to"}),
      ("part_of", {"q4": "part", "q2": "whole"})]),
    ("完成内资13983万元，其中市外到位资金8896万元，完成任务数的148.3%。",
     [("13983万元", "139830000", "元", M), ("8896万元", "88960000", "元", M), ("148.3%", "148.3", "%", P)],
     [("part_of", {"q2": "part", "q1": "whole"}), ("completion", {"q2": "value", "q3": "percent"})]),
    ("完成内资13983万元，其中市外到位资金8896万元，占比63.6%。",
     [("13983万元", "139830000", "元", M), ("8896万元", "88960000", "元", M), ("63.6%", "63.6", "%", P)],
     [("part_of", {"q2": "part", "q1": "whole"}), ("share", {"q2": "part", "q1": "whole", "q3": "percent"})]),
    ("铁路营业里程达到12.1万公里，其中高速铁路超过1.9万公里，占世界60%以上。",
     [("12.1万公里", "121000", "公里", MS), ("超过1.9万公里", "19000", "公里", MS, "at_least"),
      ("60%以上", "60", "%", P, "at_least")],
     [("part_of", {"q2": "part", "q1": "whole"})]),
    ("完成27家企业排污许可注册登记,占任务数的62.7%;",
     [("27家", "27", "家", C), ("62.7%", "62.7", "%", P)],
     [("completion", {"q1": "value", "q2": "percent"})]),
    ("完成个转企11家，完成122%；",
     [("11家", "11", "家", C), ("122%", "122", "%", P)],
     [("completion", {"q1": "value", "q2": "percent"})]),
    ("1-6月，全镇实现规上工业总产值7071万元，同比增长10% ；",
     [("7071万元", "70710000", "元", M), ("10%", "10", "%", P)],
     [("growth", {"q1": "value", "q2": "rate"})]),
    ("国内生产总值增长6.6%，总量突破90万亿元。",
     [("6.6%", "6.6", "%", P), ("90万亿元", "90000000000000", "元", M, "at_least")],
     [("growth", {"q2": "value", "q1": "rate"})]),
    ("全年中央财政用于“三农”的投入5955亿元，比上年增加1637亿元，增长37.9%，",
     [("5955亿元", "595500000000", "元", M), ("1637亿元", "163700000000", "元", M),
      ("37.9%", "37.9", "%", P)],
     [("growth", {"q1": "value", "q2": "delta", "q3": "rate"})]),
    ("全省地区生产总值达到13697.5亿元，较“十三五”末的9323.1亿元增加4374.4亿元，增长33.6%，",
     [("13697.5亿元", "1369750000000", "元", M), ("9323.1亿元", "932310000000", "元", M),
      ("4374.4亿元", "437440000000", "元", M), ("33.6%", "33.6", "%", P)],
     [("growth", {"q1": "value", "q2": "base", "q3": "delta", "q4": "rate"})]),
    # 增加值 is another metric than the count of firms: no growth of 7.6万家
    ("规模以上工业企业达7.6万家、增加值增长3%，",
     [("7.6万家", "76000", "家", C), ("3%", "3", "%", P)], []),
    # 分别 pairs values and rates by position: not read
    ("城乡居民人均可支配收入分别增长5.3%、7%，", [("5.3%", "5.3", "%", P), ("7%", "7", "%", P)], []),
    # a per-day figure is no part of a stock
    ("日均新设企业超过1.8万户，市场主体总量超过1亿户。",
     [("超过1.8万户", "18000", "户", C, "at_least"), ("超过1亿户", "100000000", "户", C, "at_least")], []),
    ("城乡居民基础养老金最低标准从每月70元提高到88元。",
     [("70元", "70", "元", M), ("88元", "88", "元", M)],
     [("change", {"q1": "from", "q2": "to"})]),
    ("城镇化率从52.6%提高到58.5%，提高5.9个百分点。",
     [("52.6%", "52.6", "%", P), ("58.5%", "58.5", "%", P), ("5.9个百分点", "5.9", "个百分点", PT)],
     [("change", {"q1": "from", "q2": "to", "q3": "delta"})]),
    ("空气质量状况在绍兴市所有乡镇中排位第16名,比2019年同期提高了12位。",
     [("第16名", "16", "名", R), ("12位", "12", "位", R)],
     [("change", {"q1": "to", "q2": "delta"})]),
    ("科技型中小企业数增长4.9倍、从全国第13位升至第5位，",
     [("4.9倍", "4.9", "倍", "multiple"), ("第13位", "13", "位", R), ("第5位", "5", "位", R)],
     [("change", {"q2": "from", "q3": "to"})]),
    ("非金融类对外直接投资从2007年的248亿美元上升到2012年的772亿美元，年均增长25.5%，",
     [("248亿美元", "24800000000", "美元", M), ("772亿美元", "77200000000", "美元", M),
      ("25.5%", "25.5", "%", P)],
     [("change", {"q1": "from", "q2": "to", "q3": "delta"})]),
    ("三次产业结构为7.1:39.0:53.9。",
     [("7.1", "7.1", "", "ratio"), ("39.0", "39", "", "ratio"), ("53.9", "53.9", "", "ratio")],
     [("structure", {"q1": "part", "q2": "part", "q3": "part"})]),
    ("新登记经营主体320万户、增长13%，总量达2037.7万户，其中企业929.8万户。",
     [("320万户", "3200000", "户", C), ("13%", "13", "%", P), ("2037.7万户", "20377000", "户", C),
      ("929.8万户", "9298000", "户", C)],
     [("growth", {"q1": "value", "q2": "rate"}), ("part_of", {"q1": "part", "q3": "whole"}),
      ("part_of", {"q4": "part", "q3": "whole"})]),
    ("累计梳理出企业、基层反映的问题231个，已解决230个。",
     [("231个", "231", "个", C), ("230个", "230", "个", C)],
     [("part_of", {"q2": "part", "q1": "whole"})]),
]


def _as_set(rels: list) -> set[tuple[str, frozenset]]:
    return {(r.type, frozenset(zip(r.quantities, r.roles, strict=True))) for r in rels}


@pytest.mark.parametrize(("text", "figures", "expected"), CASES, ids=[c[0][:16] for c in CASES])
def test_relations_of_real_sentences(text: str, figures: list, expected: list) -> None:
    rels = find_relations(text, quantities(text, figures))
    assert _as_set(rels) == {(t, frozenset(roles.items())) for t, roles in expected}
    assert [r.id for r in rels] == [f"r{i}" for i in range(1, len(rels) + 1)]


GOLD_DOCS = ["seed-lipu-2020h1", "national-2019-s1", "prov2026-guangdong-s1"]


@pytest.mark.skipif(not GOLD.exists(), reason="../shared/gold is absent")
@pytest.mark.parametrize("name", GOLD_DOCS)
def test_every_gold_relation_is_found_and_nothing_else(name: str) -> None:
    text, qs, gold = gold_doc(name)
    found = _as_set(find_relations(text, qs))
    expected = {(r["type"], frozenset(gold_roles(r).items())) for r in gold}
    assert expected - found == set(), "missed"
    assert found - expected == set(), "spurious"


def test_shares_of_different_wholes_are_no_structure() -> None:
    text = "先进制造业、高技术制造业增加值占规模以上工业增加值比重分别达56.2%、34.7%，现代服务业"
    qs = quantities(text, [("56.2%", "56.2", "%", P), ("34.7%", "34.7", "%", P)])
    assert find_relations(text, qs) == []


def test_a_percent_breakdown_of_one_structure() -> None:
    text = "三次产业结构调整为7.1%、39.0%、53.9%。"
    qs = quantities(text, [("7.1%", "7.1", "%", P), ("39.0%", "39.0", "%", P), ("53.9%", "53.9", "%", P)])
    (rel,) = find_relations(text, qs)
    assert (rel.type, rel.quantities) == ("structure", ["q1", "q2", "q3"])


@pytest.mark.parametrize(("third", "value", "expected"), [
    ("非税收入", "3000000000", ("sum", {"q1": "total", "q2": "part", "q3": "part"})),  # named like the whole
    ("土地出让金", "4000000000", ("sum", {"q1": "total", "q2": "part", "q3": "part"})),  # adds up
    ("土地出让金", "3000000000", ("part_of", {"q2": "part", "q1": "whole"})),  # neither: a new statement
])
def test_a_part_in_its_own_clause_joins_a_list(third: str, value: str, expected: tuple) -> None:
    """After 其中, a part past a comma belongs to the list when it is named like the first part or the
    whole (收入 … 非税收入), or else only when the list then adds up (SPEC §3 sum)."""
    figure = f"{int(value) // 10 ** 8}亿元"
    text = f"全市财政收入120亿元，其中税收80亿元，{third}{figure}。"
    figures = [("120亿元", "12000000000", "元", M), ("80亿元", "8000000000", "元", M),
               (figure, value, "元", M)]
    rels = find_relations(text, quantities(text, figures))
    assert _as_set(rels) == {(expected[0], frozenset(expected[1].items()))}
