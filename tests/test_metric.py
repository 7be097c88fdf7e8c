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


@pytest.mark.parametrize(("sentence", "expected"), CASES, ids=[c[0][:12] for c in CASES])
def test_metric(sentence: str, expected: dict[str, str]) -> None:
    got = {q.text: q.metric for q in extract("标题\n" + sentence).quantities}
    for text, metric in expected.items():
        assert metric_matches(got[text], metric), (text, got[text], metric)


def test_period_from_sentence_and_document() -> None:
    doc = "2020年上半年工作总结\n\n1-6月，实现工业投资3408万元。\n\n完成企业上云72家。"
    periods = {q.text: q.period for q in extract(doc).quantities}
    assert periods == {"3408万元": "1-6月", "72家": "2020年上半年"}
