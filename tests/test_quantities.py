"""Mention detection: SPEC §1's mentions and non-mentions, as table-driven cases from real sentences."""

from __future__ import annotations

import pytest

from extractor import extract

# (sentence, expected [(text, value, value_max, unit, kind, approx)])
MENTIONS = [
    ("1-6月，全镇实现规上工业总产值7071万元，同比增长10%。",
     [("7071万元", "70710000", None, "元", "money", None), ("10%", "10", None, "%", "percent", None)]),
    ("实现工业投资3408万元，完成全年目标任务的68.1%。",
     [("3408万元", "34080000", None, "元", "money", None), ("68.1%", "68.1", None, "%", "percent", None)]),
    ("有效盘活闲置厂房3.15万平方米，新进驻工业企业5家。",
     [("3.15万平方米", "31500", None, "平方米", "measure", None), ("5家", "5", None, "家", "count", None)]),
    ("兑现奖补资金30多万元，完成土地流转1000余亩。",
     [("30多万元", "300000", None, "元", "money", "at_least"), ("1000余亩", "1000", None, "亩", "measure", "at_least")]),
    ("共走访摸排重点地区人员164人次、居家观察137人次。",
     [("164人次", "164", None, "人次", "count", None), ("137人次", "137", None, "人次", "count", None)]),
    ("空气质量排位第16名，比2019年同期提高了12位。",
     [("第16名", "16", None, "名", "rank", None), ("12位", "12", None, "位", "rank", None)]),
    ("国民生产总值增长百分之十，三成企业实现盈利。",
     [("百分之十", "10", None, "%", "percent", None), ("三成", "30", None, "%", "percent", None)]),
    ("新设外资企业1.76万家，外汇储备保持在3万亿美元以上。",
     [("1.76万家", "17600", None, "家", "count", None),
      ("3万亿美元以上", "3000000000000", None, "美元", "money", "at_least")]),
    ("社会消费品零售总额6800亿元左右，增长20%以上。",
     [("6800亿元左右", "680000000000", None, "元", "money", "about"), ("20%以上", "20", None, "%", "percent", "at_least")]),
    ("新登记企业超6000家，城镇化率提高5个百分点。",
     [("超6000家", "6000", None, "家", "count", "at_least"), ("5个百分点", "5", None, "个百分点", "percent", None)]),
    ("出口额增长2.5倍，审批事项压减三分之一。",
     [("2.5倍", "2.5", None, "倍", "multiple", None), ("三分之一", "0.3333", None, "", "ratio", None)]),
    ("三次产业结构为7.1:39.0:53.9。",
     [("7.1", "7.1", None, "", "ratio", None), ("39.0", "39", None, "", "ratio", None),
      ("53.9", "53.9", None, "", "ratio", None)]),
    ("国内生产总值近700万元，资助学生近1亿人次。",
     [("近700万元", "7000000", None, "元", "money", "at_most"), ("近1亿人次", "100000000", None, "人次", "count", "at_most")]),
    ("补助标准为1万-5万元。", [("1万-5万元", "10000", "50000", "元", "money", None)]),
    ("广州、深圳地铁单日最高客运量分别达1409万、1305万人次。",
     [("1409万", "14090000", None, "人次", "count", None), ("1305万人次", "13050000", None, "人次", "count", None)]),
    ("兼溪、上周坞两个村完成创建，完成两轮交通安全隐患整治。",
     [("两个", "2", None, "个", "count", None), ("两轮", "2", None, "轮", "count", None)]),
    ("水电装机容量突破1亿千瓦。", [("1亿千瓦", "100000000", None, "千瓦", "measure", "at_least")]),
    ("１２０家企业，发放２，１０８，２７５，０００元。",
     [("１２０家", "120", None, "家", "count", None), ("２，１０８，２７５，０００元", "2108275000", None, "元", "money", None)]),
    ("损失十八億餘元，化学肥料增产了十四万吨。",
     [("十八億餘元", "1800000000", None, "元", "money", "at_least"), ("十四万吨", "140000", None, "吨", "measure", None)]),
    ("营业收入1亿2000万元，增长-3.9%，新增4万多亿元。",
     [("1亿2000万元", "120000000", None, "元", "money", None), ("-3.9%", "-3.9", None, "%", "percent", None),
      ("4万多亿元", "4000000000000", None, "元", "money", "at_least")]),
    ("地区生产总值增长6%－6.5%，门票打八折。",
     [("6%－6.5%", "6", "6.5", "%", "percent", None), ("八折", "80", None, "%", "percent", None)]),
    ("为390万65岁以上老年人免费体检。",
     [("390万", "3900000", None, "", "count", None), ("65岁以上", "65", None, "岁", "other", "at_least")]),
    ("新工艺有上万种，近百场演唱会，整车出口突破百万辆。",
     [("万种", "10000", None, "种", "count", "at_least"), ("近百场", "100", None, "场", "count", "at_most"),
      ("百万辆", "1000000", None, "辆", "count", "at_least")]),
    ("发放救助金123元1角1分，捐款壹佰捌拾壹圆柒角、伍仟元整，补助1万元--5万元。",
     [("123元1角1分", "123.11", None, "元", "money", None), ("壹佰捌拾壹圆柒角", "181.7", None, "元", "money", None),
      ("伍仟元整", "5000", None, "元", "money", None), ("1万元--5万元", "10000", "50000", "元", "money", None)]),
    ("原煤八千一百九十九萬噸，提高六個百分點。",
     [("八千一百九十九萬噸", "81990000", None, "吨", "measure", None), ("六個百分點", "6", None, "个百分点", "percent", None)]),
    ("进出口总额连续两年过万亿元，我国有十亿人口，年产十万吨的钢铁厂。",
     [("万亿元", "1000000000000", None, "元", "money", None), ("十亿", "1000000000", None, "", "count", None),
      ("十万吨", "100000", None, "吨", "measure", None)]),
    ("抵离口岸的交通工具达2813.8万辆（艘、架、列）次。",
     [("2813.8万辆（艘、架、列）次", "28138000", None, "辆（艘、架、列）次", "count", None)]),
]

NON_MENTIONS = [
    "2020年上半年，1-6月，6月底，10月底前，1978年以来。",
    "发布时间:2021-01-07 15:59。",
    "一、主要经济指标完成情况（一）经济运行稳步前进。一是稳增长，二是促改革。",
    "第一书记、第三届、二十大、第十四届全国人民代表大会第五条。",
    "守住“六稳”底线，抓好“六保”工作，以“三驻三服务”助推“三大工程、七项行动”。",
    "在坚持两手抓、确保“两战”赢的过程中，统筹全镇“一盘棋”、凝聚上下“一条心”。",
    "不折不扣落实“三清一管好”，实施“十个一”工程和“1+4+4”体系，推动“五星3A”创建。",
    "打造“四好农村路”，推进“最多跑一次”改革，坚持“一户一方案”。",
    "坚持“八八战略”，深刻领悟“两个确立”，落实“132”总体工作部署，培育“六小龙”。",
    "采购一次性用品，为一线人员服务，建成一批项目，推进一体化，统一思想，万一出现问题，一些企业。",
    "千方百计稳就业，惠及千家万户，推动三次产业融合。",
    "降低企业税负，为企业减负，每万人口拥有量，每百户家庭，建设30万吨级泊位和千亿级产业集群。",
    "每年有几百万人需要就业，取得了几十亿元的收入，小明拾起石子，守护万家灯火。",
    "建设粮油千亩高产片，实施千亿斤粮食产能提升行动，引进亿元以上项目，迈上万亿元台阶，按照省委十一届十次全会部署。",
    "“十四五”时期，“十五五”规划，PM2.5浓度下降，5G基站建设。",
]


@pytest.mark.parametrize(("sentence", "expected"), MENTIONS, ids=[m[0][:12] for m in MENTIONS])
def test_mentions(sentence: str, expected: list[tuple]) -> None:
    doc = "测试文档\n" + sentence
    got = [(q.text, q.value, q.value_max, q.unit, q.kind, q.approx) for q in extract(doc).quantities]
    assert got == expected
    for q in extract(doc).quantities:
        assert doc[q.start:q.end] == q.text


@pytest.mark.parametrize("sentence", NON_MENTIONS, ids=[s[:10] for s in NON_MENTIONS])
def test_non_mentions(sentence: str) -> None:
    assert [q.text for q in extract("测试文档\n" + sentence).quantities] == []


def test_noisy_spacing_keeps_offsets_on_the_original() -> None:
    doc = "标题\n一般公共预算收入3212 万元、增长5 个百\n分点，零\u200b售额12\u200b万元。"
    got = {q.text: (q.value, q.unit) for q in extract(doc).quantities}
    assert got == {"3212 万元": ("32120000", "元"), "5 个百\n分点": ("5", "个百分点"), "12\u200b万元": ("120000", "元")}


def test_header_numbers_are_not_content() -> None:
    doc = ("索引号: 001008006002090/2021-144507 主题分类: 其他\n发布机构: 党政综合办公室 成文日期: 2021-01-07\n\n"
           "2020年上半年重点工作任务完成情况\n\n发布时间:2021-01-07 15:59 浏览次数: 信息来源:党政综合办公室\n\n"
           "完成自营出口5715万元。")
    report = extract(doc)
    assert [q.text for q in report.quantities] == ["5715万元"]
    assert report.meta.title == "2020年上半年重点工作任务完成情况"
