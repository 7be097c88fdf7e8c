"""Metric and period attribution on real sentences."""

from __future__ import annotations

import pytest

from extractor import extract
from extractor.evaluate import metric_matches

# (sentence, {mention text: expected metric}); compared with SPEC §5's metric rule.
CASES = [
    ("1-6月，全镇实现规上工业总产值7071万元，同比增长10%；批发零售企业销售额达6069万元。",
     {"7071万元": "规上工业总产值", "10%": "规上工业总产值", "6069万元": "批发零售企业销售额"}),
    ("实现工业投资3408万元，完成全年目标任务的68.1%；完成个转企11家，完成122%。",
     {"3408万元": "工业投资", "68.1%": "工业投资", "11家": "个转企", "122%": "个转企"}),
    ("城镇和农村居民人均可支配收入分别增长4.3%、5.5%。",
     {"4.3%": "城镇居民人均可支配收入", "5.5%": "农村居民人均可支配收入"}),
    ("刑事治安、涉诈、涉毒警情分别下降17.7%、17.4%、68%。",
     {"17.7%": "刑事治安警情", "17.4%": "涉诈警情", "68%": "涉毒警情"}),
    ("完成27家企业排污许可注册登记，占任务数的62.7%。",
     {"27家": "企业排污许可注册登记", "62.7%": "企业排污许可注册登记"}),
    ("国内生产总值增长6.6%，总量突破90万亿元。", {"6.6%": "国内生产总值", "90万亿元": "国内生产总值总量"}),
    ("设立6项专项附加扣除，17种抗癌药大幅降价。", {"6项": "专项附加扣除", "17种": "抗癌药"}),
    ("额温枪、耳温枪、消毒片等物资共计2.1万元。", {"2.1万元": "额温枪、耳温枪、消毒片等物资"}),
    ("关税总水平由9.8%降至7.5%。", {"9.8%": "关税总水平", "7.5%": "关税总水平"}),
    ("空气质量状况在所有乡镇中排位第16名，比2019年同期提高了12位。",
     {"第16名": "空气质量状况", "12位": "空气质量状况"}),
    ("年末常住人口412.3万人，比上年末增加2.1万人。", {"412.3万人": "常住人口", "2.1万人": "常住人口"}),
    ("梳理出问题231个，已解决230个。", {"231个": "问题", "230个": "已解决"}),
]


# One table per mechanism, from real sentences (national and provincial reports, the dev-gold reports).
# An action verb's object is the metric, not the whole clause; verbs that modify a noun stay.
OBJECT_OF_VERB = [
    ("提请全国人大常委会审议法律议案18件，制定修订行政法规37部。", {"18件": "法律议案"}),
    ("推进高层次人才校企有序流动共享，省市县选派科技副总1787名、产业教授973名。",
     {"1787名": "科技副总", "973名": "产业教授"}),
    ("量子科技产业链集聚企业数居全国第1位。", {"第1位": "量子科技产业链集聚企业数"}),
    ("今年经济增长预期目标定为7.5%左右，主要基于两方面考虑。", {"7.5%左右": "经济增长预期目标"}),
]
# The noun after a figure names what it counts when the words before are a predicate, a list of names,
# or an attribute of that noun; a figure that is a new level (压缩到…) stays with its subject.
COUNTED_AFTER = [
    ("国家创业投资引导基金在大湾区设立超500亿元区域基金。", {"超500亿元": "区域基金"}),
    ("高交会促成1023项供需对接和投融资项目签约，成交额超1700亿元。",
     {"1023项": "供需对接和投融资项目签约", "超1700亿元": "成交额"}),
    ("兼溪、上周坞两个“五星达标”创建村通过诸暨市预验收。", {"两个": "“五星达标”创建村"}),
    ("兑现2019年度奖补资金30多万元,完成廊下、兼溪1000余亩土地流转工作。", {"1000余亩": "土地流转"}),
    ("组建总规模1000亿元的省战略性新兴产业投资引导基金。", {"1000亿元": "投资引导基金总规模"}),
    ("工程建设项目全流程审批时间压缩到不超过120个工作日。", {"不超过120个": "工程建设项目全流程审批时间"}),
    ("据今年三月初的统计，全国有一千七百多万头怀孕的大家畜。", {"一千七百多万头": "大家畜"}),
    ("加快大湾区高水平人才高地建设，9位科学家增选为两院院士。", {"9位": "增选为两院院士的科学家"}),
    ("关心关爱残疾人,帮助60名残疾人申领残疾证,落实6名重度残疾人护理补贴。", {"60名": "残疾人申领残疾证"}),
]
# A short parenthetical belongs to the name (县（市、区）); a remark (包括…) does not.
PARENTHESES = [
    ("信用评级AA级以上县（市、区）国企增至260家。", {"260家": "信用评级AA级以上县（市、区）国企"}),
    ("57个县（市）生产总值近3年年均增速快于全省。", {"57个": "县（市）"}),
    ("农业总产值（包括村办工业）平均每年增长７．９％。", {"７．９％": "农业总产值"}),
]
# A completion rate is the completed thing's, a comparison's difference the compared subject's, a rank's
# frame (从全国…) no part of the metric.
SIDES = [
    ("粮食总产量达到３，６８０亿斤，完成年度计划的１０２％，比１９５４年增长９％。",
     {"１０２％": "粮食总产量", "９％": "粮食总产量"}),
    ("１９５５年全国工业总产值完成了原定计划的１０１％，比１９５４年增长８％。", {"１０１％": "工业总产值"}),
    ("规上民营工业增加值增速高于全部规上工业2.3个百分点。", {"2.3个百分点": "规上民营工业增加值增速"}),
    ("轻工业平均每年增长百分之十一点八，超过重工业每年平均增长百分之三点四的速度。",
     {"百分之十一点八": "轻工业", "百分之三点四": "重工业"}),
    ("全社会研发投入强度从全国第10位升至第7位。",
     {"第10位": "全社会研发投入强度", "第7位": "全社会研发投入强度"}),
]
# Trailing words: a two-character verb goes whole (只有), an adverb after the name goes (全部), a
# one-character verb only when it is a word of its own (纲要 keeps its 要).
TRAILING = [
    ("到一九四九年，粮食产量只有二千二百六十亿斤，棉花产量只有八百八十多万担。",
     {"二千二百六十亿斤": "粮食产量", "八百八十多万担": "棉花产量"}),
    ("891项省级事项办理时间全部实现全国最优。", {"891项": "省级事项"}),
    ("十是实施100个社区儿童友好空间改造工程。", {"100个": "社区儿童友好空间改造工程"}),
]
# A figure with no subject in its clause takes the subject before the comma; a base period after the name
# is no part of it; 在 ends a name only as a word of its own.
SUBJECTS = [
    ("卫生部系统的医院病床数，比上一年增长百分之十一点七。", {"百分之十一点七": "卫生部系统的医院病床数"}),
    ("糖的产量，比上一年增加十七万三千吨，增长百分之二十点六。",
     {"十七万三千吨": "糖的产量", "百分之二十点六": "糖的产量"}),
    ("在校的小学学生已经从1949年的二千四百多万人增加到1956年的六千三百多万人。",
     {"二千四百多万人": "在校的小学学生", "六千三百多万人": "在校的小学学生"}),
    ("１９５５年高等学校在校学生达到２９万余人，比１９５４年增加１３％；",
     {"２９万余人": "高等学校在校学生", "１３％": "高等学校在校学生"}),
    ("清洁能源装机占比达87.2%。", {"87.2%": "清洁能源装机占比"}),
    # growth after a share is the part's; the share's new level stays the share's
    ("其中工商税收为９，９７０，０００，０００元，占本年收入的３３．５３％，比１９５５年决算数增长１４．２６％。",
     {"３３．５３％": "工商税收占本年收入", "１４．２６％": "工商税收"}),
    ("财政收入占国民收入的比重，由一九七八年的百分之三十七点二下降到一九八二年的百分之二十五点五。",
     {"百分之二十五点五": "财政收入占国民收入的比重"}),
]
ALL = CASES + SUBJECTS + OBJECT_OF_VERB + COUNTED_AFTER + PARENTHESES + SIDES + TRAILING


@pytest.mark.parametrize(("sentence", "expected"), ALL, ids=[c[0][:12] for c in ALL])
def test_metric(sentence: str, expected: dict[str, str]) -> None:
    got = {q.text: q.metric for q in extract("标题\n" + sentence).quantities}
    for text, metric in expected.items():
        assert metric_matches(got[text], metric), (text, got[text], metric)


def test_period_from_sentence_and_document() -> None:
    doc = "2020年上半年工作总结\n\n1-6月，实现工业投资3408万元。\n\n完成企业上云72家。"
    periods = {q.text: q.period for q in extract(doc).quantities}
    assert periods == {"3408万元": "1-6月", "72家": "2020年上半年"}


def test_a_verb_ending_a_name_is_kept() -> None:
    """`…发展纲要`: 要 is a trailing verb only when jieba makes it a word of its own."""
    got = {q.text: q.metric for q in extract("标题\n国民经济和社会发展纲要50条。").quantities}
    assert got["50条"] == "国民经济和社会发展纲要"
