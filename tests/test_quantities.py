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

# Units that are never cut, and numerals read whole (issue 11). Each rule stands beside its examples:
# (rule, sentence, expected [(text, value, value_max, unit, kind, approx)]).
UNIT_RULES = [
    # A rate is unit `/` denominator (units.tsv header). Its kind: a measure per measure or per time is a
    # measure; a price, a per-head amount or a count per population is `other` (not plain money or count).
    ("rate: measure per measure", "PM2.5平均浓度28微克/立方米，下降6.7%。",
     [("28微克/立方米", "28", None, "微克/立方米", "measure", None), ("6.7%", "6.7", None, "%", "percent", None)]),
    ("rate: measure per measure", "粮食单产7.5吨/公顷，亩产650公斤/亩。",
     [("7.5吨/公顷", "7.5", None, "吨/公顷", "measure", None), ("650公斤/亩", "650", None, "公斤/亩", "measure", None)]),
    ("rate: measure per time", "建成年产1459万吨/年的炼化项目。",
     [("1459万吨/年", "14590000", None, "吨/年", "measure", None)]),
    ("rate: a price per unit is other", "居民电价0.62元/千瓦时，煤价800元/吨。",
     [("0.62元/千瓦时", "0.62", None, "元/千瓦时", "other", None), ("800元/吨", "800", None, "元/吨", "other", None)]),
    ("rate: 分 is a unit only as a numerator", "工商业平均电价下降2.5分/千瓦时，得分95分。",
     [("2.5分/千瓦时", "2.5", None, "分/千瓦时", "other", None)]),
    ("rate: the numerator's scale is applied", "土地流转价格1.2万元/亩。",
     [("1.2万元/亩", "12000", None, "元/亩", "other", None)]),
    ("rate: the denominator's scale stays in the unit", "全科医生3.2人/万人，事故死亡率0.6人/百亿元以下。",
     [("3.2人/万人", "3.2", None, "人/万人", "other", None),
      ("0.6人/百亿元以下", "0.6", None, "人/百亿元", "other", "at_most")]),
    ("rate: per head, with its approximation word", "人均产出58万元/人左右。",
     [("58万元/人左右", "580000", None, "元/人", "other", "about")]),
    ("rate: 每 joins a measure to a measure", "PM2.5浓度28.5微克每立方米，新增企业3家每年。",
     [("28.5微克每立方米", "28.5", None, "微克/立方米", "measure", None), ("3家", "3", None, "家", "count", None)]),
    ("rate: symbols as SPEC writes the words", "PM2.5浓度28μg/m³。",
     [("28μg/m³", "28", None, "微克/立方米", "measure", None)]),
    ("rate: a scaled 每-denominator rates its clause", "每千人口拥有床位6.5张，新增床位6639张。",
     [("6.5张", "6.5", None, "张/千人口", "other", None), ("6639张", "6639", None, "张", "count", None)]),
    ("rate: ... and a clause that compares the same unit", "每百户拥有家用汽车21.5辆，比2007年增加15.5辆。",
     [("21.5辆", "21.5", None, "辆/百户", "other", None), ("15.5辆", "15.5", None, "辆/百户", "other", None)]),
    ("rate: an unscaled 每 only for a measure per measure", "浓度低于每立方米19微克，每人每年补助240元。",
     [("19微克", "19", None, "微克/立方米", "measure", None), ("240元", "240", None, "元", "money", None)]),
    ("computing power: P (PFLOPS), never before another letter", "算力规模达11.4万P，智算4800PF，存储5PB。",
     [("11.4万P", "114000", None, "P", "measure", None), ("4800PF", "4800", None, "P", "measure", None)]),
    ("energy units", "发电量120亿千瓦时，节约标准煤5万吨，节能3万吨标准煤。",
     [("120亿千瓦时", "12000000000", None, "千瓦时", "measure", None), ("5万吨", "50000", None, "吨", "measure", None),
      ("3万吨标准煤", "30000", None, "吨标准煤", "measure", None)]),
    ("temperature: 零下 is a sign", "最低气温零下四摄氏度，供热标准由18℃提高到20℃。",
     [("零下四摄氏度", "-4", None, "摄氏度", "measure", None), ("18℃", "18", None, "℃", "measure", None),
      ("20℃", "20", None, "℃", "measure", None)]),
    ("half a unit after a whole number of a measure, where a word ends", "出油量提高到十三斤半，高两米半，工期3个半月，8英寸半导体。",
     [("十三斤半", "13.5", None, "斤", "measure", None), ("两米半", "2.5", None, "米", "measure", None),
      ("3个", "3", None, "个", "count", None), ("8英寸", "8", None, "英寸", "measure", None)]),
    # Numerals read whole or not at all
    ("spaced Chinese decimals (PDF, OCR)", "增速回落四点 五个百分点，门票打陆 点 五 折。",
     [("四点 五个百分点", "4.5", None, "个百分点", "percent", None), ("陆 点 五 折", "65", None, "%", "percent", None)]),
    ("spaced numerals are read whole", "占比六 点 五 成，达到7万 5千 4百元。",
     [("六 点 五 成", "65", None, "%", "percent", None), ("7万 5千 4百元", "75400", None, "元", "money", None)]),
    ("N成M at the end of a clause", "覆盖七成 六，七成六个乡镇达标。",
     [("七成 六", "76", None, "%", "percent", None), ("七成", "70", None, "%", "percent", None),
      ("六个", "6", None, "个", "count", None)]),
    ("mixed numbers X又Y分之Z", "产量是原来的三又二分之一，变化率为负一又二分之一。",
     [("三又二分之一", "3.5", None, "", "ratio", None), ("负一又二分之一", "-1.5", None, "", "ratio", None)]),
    ("两个亿: 个 before 亿 where the clause ends", "投资两个亿，又投入两个亿元，折合5个亿卢布。",
     [("两个亿", "200000000", None, "", "count", None), ("两个亿元", "200000000", None, "元", "money", None),
      ("5个亿卢布", "500000000", None, "卢布", "money", None)]),
    ("个亿 before a noun counts a class", "经济总量跨过两个万亿元台阶，新开工三个亿元以上项目。",
     [("两个", "2", None, "个", "count", None), ("三个", "3", None, "个", "count", None)]),
    ("a range with its lower end included", "补助1万(含)-5万元，奖励2万元（含）-3万元。",
     [("1万(含)-5万元", "10000", "50000", "元", "money", None), ("2万元（含）-3万元", "20000", "30000", "元", "money", None)]),
    ("an approximation word that ends another word is none", "计划至少节约百分之十，签约3543亿元，约5万吨。",
     [("百分之十", "10", None, "%", "percent", None), ("3543亿元", "354300000000", None, "元", "money", None),
      ("约5万吨", "50000", None, "吨", "measure", "about")]),
]


@pytest.mark.parametrize(("rule", "sentence", "expected"), UNIT_RULES, ids=[f"{r[0]}: {r[1][:8]}" for r in UNIT_RULES])
def test_unit_rules(rule: str, sentence: str, expected: list[tuple]) -> None:
    doc = "测试文档\n" + sentence
    quantities = extract(doc).quantities
    assert [(q.text, q.value, q.value_max, q.unit, q.kind, q.approx) for q in quantities] == expected, rule
    assert all(doc[q.start:q.end] == q.text for q in quantities)


def test_a_per_head_amount_keeps_its_growth_relation() -> None:
    """42680元/人 is a rate (元/人), and still the level its growth rate is about."""
    report = extract("测试文档\n城镇居民人均可支配收入42680元/人，同比增长5.2%。")
    q, pct = report.quantities
    assert (q.text, q.unit, q.kind, pct.text) == ("42680元/人", "元/人", "other", "5.2%")
    assert [(r.type, r.quantities) for r in report.relations] == [("growth", [q.id, pct.id])]


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
