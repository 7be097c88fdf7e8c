"""The normalized view: what is closed up, what is kept apart, and offsets that lead back to the original."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.normalize import ZERO_WIDTH, normalize

# (original, normalized)
CASES = [
    ("3212 万元", "3212万元"),
    ("完成投资3212\u3000万元", "完成投资3212万元"),
    ("5 个百\n分点", "5个百分点"),
    ("3.15万平方\n米", "3.15万平方米"),
    ("人数达 21 人\n次", "人数达 21人次"),
    ("1 2 . 5 %", "12.5%"),
    ("12.5 %", "12.5%"),
    ("增长20% 以上", "增长20%以上"),
    ("30 多万元", "30多万元"),
    ("1000 余亩", "1000余亩"),
    ("国内生产总值达到39.8 万亿元", "国内生产总值达到39.8万亿元"),
    ("以全省 100 个县", "以全省 100个县"),
    ("比1980 年翻两番", "比1980年翻两番"),
    ("三 万元", "三万元"),
    ("一百\n亿元", "一百亿元"),
    # national-1998 sets every digit apart: single-digit groups are joined
    ("本届政府从1 9 9 3 年3 月就职", "本届政府从1993年3月就职"),
    ("经济增长8 ．8 ％", "经济增长8.8%"),
    ("人口自然增长率下降到1 0 ．0 6 ‰", "人口自然增长率下降到10.06‰"),
    ("存款余额达到4 6 2 8 0 亿元", "存款余额达到46280亿元"),
    # zero-width characters go everywhere; a line holding only one is a wrap, not a blank line
    ("生产总值达到74.4\n\u200b\n万亿元", "生产总值达到74.4万亿元"),
    ("光缆线路550\n\u200b\n多万公里", "光缆线路550多万公里"),
    ("72\u200b71万\u00ad元", "7271万元"),
    ("\ufeff各位\u2060代表\u200c：\u200d", "各位代表："),
    ("社会财产沒\n\u200b\n有遭到損坏", "社会财产沒\n\n有遭到損坏"),
    # full-width forms mapped 1:1
    ("产量达到３２１２万吨，增长１２．５％", "产量达到3212万吨，增长12.5%"),
    ("粮食产量33，212万吨", "粮食产量33,212万吨"),
    ("收入合计２７，２０３，３１９，０００元", "收入合计27,203,319,000元"),
    # spacing cases from the peer suites (Recognizers-Text, JioNLP)
    ("7 万5 千4 百", "7万5千4百"),
    ("1000  万", "1000万"),
    ("２．４   个百分 点", "2.4个百分点"),
    ("百 分 之  ５２.５", "百分之52.5"),
    ("３ 分  之 一百五十七", "3分之一百五十七"),
    ("7 2 折", "72折"),
    ("报账金额在1 万(含)-5 万元之间", "报账金额在1万(含)-5万元之间"),
    # spaced Chinese numerals (PDF, OCR): the point, a digit after 成, a mixed number, digits between scales
    ("四点 五个百分点", "四点五个百分点"),
    ("陆 点 五 折", "陆点五折"),
    ("陸 點 五 折", "陸點五折"),
    ("百分之一 点五", "百分之一点五"),
    ("七成 六。", "七成六。"),
    ("三 百 五 又 三 分之 一", "三百五又三分之一"),
    ("7万 5千 4百", "7万5千4百"),
    # kept apart
    ("七成 六个乡镇", "七成 六个乡镇"),
    ("重点 五项", "重点 五项"),
    ("1万 2020年", "1万 2020年"),
    ("11.4万 P", "11.4万 P"),
    ("４ ６／３", "4 6/3".replace("/", "／")),
    ("总而言之 1", "总而言之 1"),
    ("12 34", "12 34"),
    ("发布时间:2021-01-07 15:59 浏览次数", "发布时间:2021-01-07 15:59 浏览次数"),
    ("附件1\n2026年", "附件1\n2026年"),
    ("完成3000\n\n万元", "完成3000\n\n万元"),
    ("完成3000\n \u3000\n万元", "完成3000\n \u3000\n万元"),
    ("完成3000\r\n\r\n万元", "完成3000\r\n\r\n万元"),
    ("完成3000\u2029万元", "完成3000\u2029万元"),
    ("1 2\n3", "12\n3"),
    ("居全国第4，21个学科进入ESI", "居全国第4，21个学科进入ESI"),
    ("约占全国1/10，4386万名", "约占全国1/10，4386万名"),
    ("中国 政府", "中国 政府"),
    ("同比增长10% ;高新技术", "同比增长10% ;高新技术"),
]


@pytest.mark.parametrize(("original", "expected"), CASES)
def test_normalized_text(original: str, expected: str) -> None:
    norm = normalize(original)
    assert norm.text == expected
    assert norm.original == original
    assert len(norm.text) == len(original) - norm.deleted


# (original, mention as it reads in the normalized text, what original[os:oe] must be)
SPANS = [
    ("全镇实现产值3212 万元，同比", "3212万元", "3212 万元"),
    ("增长5 个百\n分点。", "5个百分点", "5 个百\n分点"),
    ("本届政府从1 9 9 3 年3 月就职", "1993年", "1 9 9 3 年"),
    ("经济增长8 ．8 ％，商品", "8.8%", "8 ．8 ％"),
    ("达到74.4\n\u200b\n万亿元，增长", "74.4万亿元", "74.4\n\u200b\n万亿元"),
    ("总产值7\u200b071万元", "7071万元", "7\u200b071万元"),
    ("\u200b\u200b完成 3212 万元 ", "3212万元", "3212 万元"),
    ("产量达到３２１２万吨", "3212万吨", "３２１２万吨"),
]


@pytest.mark.parametrize(("original", "mention", "surface"), SPANS)
def test_span_maps_back_to_the_whole_mention(original: str, mention: str, surface: str) -> None:
    norm = normalize(original)
    s = norm.text.index(mention)
    os_, oe = norm.span(s, s + len(mention))
    assert original[os_:oe] == surface


def test_identity_when_nothing_changes() -> None:
    text = "1-6月，全镇实现规上工业总产值7071万元，同比增长10%。\n\n二、主要工作推进情况\n"
    norm = normalize(text)
    assert norm.text is text
    assert norm.deleted == 0
    assert [norm.to_orig(i) for i in range(len(text) + 1)] == list(range(len(text) + 1))
    assert norm.span(3, 9) == (3, 9)


def test_to_orig_and_to_norm_are_inverse_on_kept_characters() -> None:
    text = "a\u200b 3212 万元\n\u200b\n多b 1 9 9 7 年"
    norm = normalize(text)
    kept = [norm.to_orig(i) for i in range(len(norm.text))]
    assert all(norm.to_norm(j) == i for i, j in enumerate(kept))
    for j in range(len(text)):
        if j not in kept:  # a deleted character maps to the next kept one
            nxt = next((i for i, k in enumerate(kept) if k > j), len(norm.text))
            assert norm.to_norm(j) == nxt
    assert norm.to_norm(len(text)) == len(norm.text)
    assert norm.to_orig(len(norm.text)) == len(text)


def test_out_of_range_indices_raise() -> None:
    norm = normalize("3212 万元")
    with pytest.raises(IndexError):
        norm.to_orig(len(norm.text) + 1)
    with pytest.raises(IndexError):
        norm.span(2, 1)
    with pytest.raises(IndexError):
        norm.to_norm(-1)


def test_hard_wrapped_vs_line_per_paragraph_text() -> None:
    # A report with one paragraph per line: a line break after a number ends a heading, not a wrap.
    paragraphs = "\n".join(f"第{i}段正文内容完整结束。" for i in range(12))
    lined = paragraphs + "\n附件2\n名词解释\n"
    assert "附件2\n名词解释" in normalize(lined).text
    # Hard-wrapped text (most lines end mid-sentence): the same break is a wrap.
    wrapped = "\n".join(["全年完成固定资产投资总额达到"] * 12) + "3000\n万元，增长5%。\n"
    assert "3000万元" in normalize(wrapped).text


SHARED_TEXT = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "text"


@pytest.mark.skipif(not SHARED_TEXT.is_dir(), reason="shared corpus not present")
def test_corpus_national_1998_spaced_digits() -> None:
    text = (SHARED_TEXT / "national-1998.txt").read_text(encoding="utf-8")
    norm = normalize(text)
    assert "1997年国内生产总值达到74772亿元" in norm.text
    i = norm.text.index("74772亿元")
    os_, oe = norm.span(i, i + len("74772亿元"))
    assert text[os_:oe] == "7 4 7 7 2 亿元"


@pytest.mark.skipif(not SHARED_TEXT.is_dir(), reason="shared corpus not present")
def test_corpus_line_per_paragraph_report_keeps_line_breaks() -> None:
    text = (SHARED_TEXT / "prov2026-guangdong.txt").read_text(encoding="utf-8")
    norm = normalize(text)
    assert norm.text.count("\n") == text.count("\n")


_ALPHABET = st.sampled_from(
    list("0123456789０１２３４５６７８９.．%％‰，,:-/ \t\n\r\u3000\u00a0\u2028\u2029")
    + list("\u200b\u200c\u200d\u2060\ufeff\u00ad")
    + list("万亿千百十一二三四五六七八九零两元个人次平方米公里吨多余以上左右年月日第附件名分点")
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet=_ALPHABET)))
def test_random_text_never_raises_and_maps_monotonically(text: str) -> None:
    norm = normalize(text)
    n = len(norm.text)
    assert len(text) - norm.deleted == n
    origs = [norm.to_orig(i) for i in range(n + 1)]
    assert origs[-1] == len(text)
    assert all(0 <= a < b <= len(text) for a, b in zip(origs, origs[1:], strict=False))
    # every kept character is the original one, or its 1:1 ASCII form
    for i in range(n):
        a, b = text[origs[i]], norm.text[i]
        assert a == b or (a, b) in {("．", "."), ("，", ","), ("％", "%")} or ord(a) - ord(b) == 0xFEE0
    for s in range(0, n + 1, max(1, n // 7)):
        for e in range(s, n + 1, max(1, n // 5)):
            os_, oe = norm.span(s, e)
            assert 0 <= os_ <= oe <= len(text)
            if e > s:
                assert (os_, oe) == (origs[s], origs[e - 1] + 1)
                # inside the span, only whitespace and zero-width characters were left out
                kept = set(origs[s:e])
                left_out = [text[k] for k in range(os_, oe) if k not in kept]
                assert all(c.isspace() or c in ZERO_WIDTH for c in left_out)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=_ALPHABET), st.data())
def test_span_is_monotonic_in_both_ends(text: str, data: st.DataObject) -> None:
    norm = normalize(text)
    n = len(norm.text)
    s1 = data.draw(st.integers(0, n))
    s2 = data.draw(st.integers(s1, n))
    e1 = data.draw(st.integers(s2, n))
    e2 = data.draw(st.integers(e1, n))
    a1, b1 = norm.span(s1, e1)
    a2, b2 = norm.span(s2, e2)
    assert a1 <= a2 and (b1 <= b2 or e1 == s1)
