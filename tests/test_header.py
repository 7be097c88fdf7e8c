"""The header block and web debris: metadata read right, and their numbers never taken for content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractor.header import parse_date, parse_header

SEED_HEAD = (
    "索引号: 001008006002090/2021-144507 主题分类: 其他\n"
    "发布机构: 党政综合办公室 成文日期: 2021-01-07\n\n"
    "2020年上半年重点工作任务完成情况\n\n"
    "发布时间:2021-01-07 15:59 浏览次数: 信息来源:党政综合办公室\n\n"
    "一、主要经济指标完成情况\n\n"
    "1-6月,全镇实现规上工业总产值7071万元,同比增长10% ;高新技术产业产值3773万元。\n"
)

GUANGDONG = (
    "政府工作报告\n——2026年1月26日在广东省第十四届\n人民代表大会第五次会议上\n广东省省长 孟凡利\n"
    "各位代表：\n现在，我代表省人民政府，向大会报告工作，请予审议。\n一、2025年和“十四五”时期工作回顾\n"
)

ANHUI = (
    "下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】\n2026年安徽省政府工作报告\n"
    "——2026年2月5日在安徽省第十四届人民代表大会第四次会议上\n来源：安徽日报\n时间：2026-02-11\n"
    "省人民政府省长 王清宪\n各位代表：\n现在，我代表省人民政府，向大会报告政府工作。全省生产总值增长5.5%。\n"
    "奋力谱写中国式现代化安徽篇章！\n相关报道：\n"
)

NINGXIA = (
    "当前位置：\n首页\n>\n政务信息\n>\n宁夏要闻\n2026年宁夏回族自治区政府工作报告\n发表时间：\n"
    "2026-02-09 09:45:30\n来源：\n宁夏日报客户端\n阅读量：\n【字体：\n小\n中\n大\n】\n政府工作报告\n"
    "——2026年2月3日在宁夏回族自治区第十三届人民代表大会第四次会议上\n自治区人民政府主席 张雨浦\n"
    "2月3日，宁夏回族自治区第十三届人民代表大会第四次会议在银川开幕。自治区人民政府主席张雨浦作政府工作报告。"
    " 宁夏日报记者 王鼎 摄\n各位代表：\n过去一年，全区生产总值增长5.6%。\n"
    "扫一扫在手机打开当前页\n【\n打印本页\n】\n【\n关闭窗口\n】\n"
)

GANSU = (
    "2026年甘肃省政府工作报告\n——二〇二六年一月二十七日在甘肃省十四届人民代表大会第四次会议上\n"
    "来源：甘肃日报\n时间：2026-02-10\n甘肃省省长 任振鹤\n各位代表：\n全省生产总值增长5.8%。\n"
)

SICHUAN = (
    "2026年四川省人民政府工作报告\n2026年02月10日 07时41分\n来源:\n四川日报\n"
    "【字体：\n大\n中\n小\n】\n分享：\n"
    "2026年2月3日在四川省第十四届人民代表大会第五次会议上\n四川省人民政府省长 施小琳\n各位代表：\n"
    "实现地区生产总值67665亿元，增长5.5%。\n"
)

HUNAN_BARE_NAME = (
    "2026年湖南省政府工作报告\n——2026年2月3日在湖南省第十四届人民代表大会第四次会议上\n来源：湖南日报\n"
    "时间：2026-02-24\n毛伟明\n各位代表：\n全省地区生产总值增长5.2%。\n"
)

PLAIN = "关于2020年度重点项目推进情况的报告\n\n今年以来，全县完成投资35亿元，同比增长12%。\n"
NATIONAL = ("各位代表：\n\n现在，我代表国务院，向大会报告政府工作，请予审议。\n\n"
            "一、2018年工作回顾\n\n国内生产总值增长6.6%。\n")

# (name, text, expected meta fields, strings that must lie inside skip spans, strings that must not)
HEADERS = [
    ("seed", SEED_HEAD,
     {"title": "2020年上半年重点工作任务完成情况", "issuer": "党政综合办公室", "date": "2021-01-07",
      "index_no": "001008006002090/2021-144507", "subject": "其他", "info_source": "党政综合办公室",
      "publish_time": "2021-01-07T15:59"},
     ["001008006002090/2021-144507", "2021-01-07 15:59", "成文日期: 2021-01-07", "浏览次数:"],
     ["一、主要经济指标完成情况", "7071万元"]),
    ("guangdong", GUANGDONG,
     {"title": "政府工作报告", "issuer": "广东省省长 孟凡利", "date": "2026-01-26", "speaker": "孟凡利",
      "occasion": "2026年1月26日在广东省第十四届人民代表大会第五次会议上"},
     ["——2026年1月26日在广东省第十四届\n人民代表大会第五次会议上", "广东省省长 孟凡利"],
     ["各位代表", "2025年"]),
    ("anhui", ANHUI,
     {"title": "2026年安徽省政府工作报告", "issuer": "省人民政府省长 王清宪", "date": "2026-02-05",
      "publish_time": "2026-02-11", "info_source": "安徽日报"},
     ["下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】", "时间：2026-02-11", "相关报道："],
     ["5.5%", "奋力谱写"]),
    ("ningxia", NINGXIA,
     {"title": "2026年宁夏回族自治区政府工作报告", "issuer": "自治区人民政府主席 张雨浦",
      "date": "2026-02-03", "publish_time": "2026-02-09T09:45:30", "info_source": "宁夏日报客户端"},
     ["当前位置：\n首页\n>\n政务信息\n>\n宁夏要闻", "2026-02-09 09:45:30", "宁夏日报记者 王鼎 摄",
      "扫一扫在手机打开当前页\n【\n打印本页\n】\n【\n关闭窗口\n】"],
     ["5.6%"]),
    ("gansu, date in Chinese numerals", GANSU,
     {"title": "2026年甘肃省政府工作报告", "issuer": "甘肃省省长 任振鹤", "date": "2026-01-27",
      "publish_time": "2026-02-10"},
     ["二〇二六年一月二十七日"], ["5.8%"]),
    ("sichuan", SICHUAN,
     {"title": "2026年四川省人民政府工作报告", "issuer": "四川省人民政府省长 施小琳", "date": "2026-02-03",
      "publish_time": "2026-02-10T07:41", "info_source": "四川日报"},
     ["2026年02月10日 07时41分", "分享："], ["67665亿元"]),
    ("speaker without a title", HUNAN_BARE_NAME,
     {"issuer": "毛伟明", "speaker": "毛伟明", "publish_time": "2026-02-24"}, ["毛伟明"], ["5.2%"]),
    ("title then body", PLAIN,
     {"title": "关于2020年度重点项目推进情况的报告", "issuer": None, "date": None},
     [], ["关于2020年度重点项目推进情况的报告", "35亿元", "12%"]),
    ("a dated sentence is not an occasion", "2020年5月1日在全镇范围内开展环境整治，清理垃圾300吨。\n",
     {"title": None, "date": None}, [], ["2020年5月1日", "300吨"]),
    ("no header", NATIONAL, {"title": None, "issuer": None, "date": None}, [],
     ["各位代表", "6.6%", "2018年"]),
]


def _covered(text: str, spans: list[tuple[int, int]], needle: str) -> bool:
    i = text.index(needle)
    return any(s <= i and i + len(needle) <= e for s, e in spans)


def _touched(text: str, spans: list[tuple[int, int]], needle: str) -> bool:
    i = text.index(needle)
    return any(s < i + len(needle) and i < e for s, e in spans)


@pytest.mark.parametrize(("name", "text", "meta", "skipped", "kept"), HEADERS, ids=[h[0] for h in HEADERS])
def test_header(name: str, text: str, meta: dict, skipped: list[str], kept: list[str]) -> None:
    got, spans = parse_header(text)
    dumped = got.model_dump()
    for key, value in meta.items():
        assert dumped.get(key) == value, key
    for needle in skipped:
        assert _covered(text, spans, needle), needle
    for needle in kept:
        assert not _touched(text, spans, needle), needle
    assert spans == sorted(spans)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(e1 < s2 for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False))


DEBRIS = [
    "【字号：加大 还原 减小】",
    "【字体：大 中 小】",
    "下载 打印 全屏 收藏",
    "扫一扫在手机打开当前页",
    "【打印】【关闭】",
    "【打印本页】【关闭窗口】",
    "分享到微信",
    "浏览次数：1234",
    "责任编辑：\n李莎莎",
    "相关链接>>",
    "abcd39f1fb7f426d9dfb6bd0fa1f2146:",
]


@pytest.mark.parametrize("debris", DEBRIS)
def test_web_debris_inside_the_body_is_skipped(debris: str) -> None:
    body = f"各位代表：\n全年完成投资3212万元，增长5%。{debris}新建道路12公里。\n"
    _, spans = parse_header(body)
    assert _covered(body, spans, debris)
    for needle in ("3212万元", "5%", "12公里"):
        assert not _touched(body, spans, needle)


def test_one_word_debris_lines_are_skipped_only_at_the_edges() -> None:
    body = "各位代表：\n大\n全年完成投资3212万元。\n" + "正文。\n" * 5 + "收藏\n|\n×\n"
    _, spans = parse_header(body)
    lone = body.index("\n大\n") + 1
    assert not any(s <= lone < e for s, e in spans)  # in the body: left alone
    assert _covered(body, spans, "收藏\n|\n×")


@pytest.mark.parametrize(("text", "iso"), [
    ("成文日期: 2021-01-07", "2021-01-07"),
    ("2026年02月10日 07时41分", "2026-02-10"),
    ("二〇二六年一月二十七日", "2026-01-27"),
    ("一九九八年十二月三十一日", "1998-12-31"),
    ("2026/2/3", "2026-02-03"),
    ("2021-02-30", None),
    ("没有日期", None),
])
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_parse_date_with_time() -> None:
    assert parse_date("2026-02-09 09:45:30", with_time=True) == "2026-02-09T09:45:30"
    assert parse_date("发布时间:2021-01-07 15:59", with_time=True) == "2021-01-07T15:59"


SHARED_TEXT = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "text"


@pytest.mark.skipif(not SHARED_TEXT.is_dir(), reason="shared corpus not present")
def test_corpus_provincial_reports_have_title_issuer_and_date() -> None:
    for path in sorted(SHARED_TEXT.glob("prov2026-*.txt")):
        text = path.read_text(encoding="utf-8")
        meta, spans = parse_header(text)
        assert meta.title and "政府工作报告" in meta.title, path.name
        assert meta.issuer, path.name
        assert meta.date and re.fullmatch(r"2026-0[12]-\d\d", meta.date), path.name
        body = text.index("各位代表")
        assert not any(s <= body < e for s, e in spans), path.name
        assert spans and spans[0][1] <= body, path.name


@pytest.mark.skipif(not SHARED_TEXT.is_dir(), reason="shared corpus not present")
def test_corpus_seed_header_matches_gold_boundaries() -> None:
    text = (SHARED_TEXT / "seed-lipu-2020h1.txt").read_text(encoding="utf-8")
    meta, spans = parse_header(text)
    assert meta.title == "2020年上半年重点工作任务完成情况"
    assert spans[0] == (0, text.index("\n\n一、"))
    assert text.index("7071万元") > spans[0][1]
