"""Sentence and clause boundaries, as offsets into the original text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from extractor.segment import Segmenter

TEXT = "1-6月，全镇实现规上工业总产值7071万元，同比增长10%；额温枪、耳温枪等物资共计2.1万元。\n二、主要工作"


def test_sentences() -> None:
    seg = Segmenter(TEXT)
    start, end = seg.sentence(TEXT.index("7071"))
    assert TEXT[start:end] == "1-6月，全镇实现规上工业总产值7071万元，同比增长10%；"
    start, end = seg.sentence(TEXT.index("耳温枪"))
    assert TEXT[start:end] == "额温枪、耳温枪等物资共计2.1万元。"
    assert TEXT[slice(*seg.sentence(len(TEXT) - 1))] == "二、主要工作"


def test_clauses_keep_lists_whole() -> None:
    seg = Segmenter(TEXT)
    pos = TEXT.index("2.1万元")
    assert TEXT[seg.clause_start(pos):pos] == "额温枪、耳温枪等物资共计"
    assert [TEXT[s - 1] for s in seg.clause_stops(0, pos)] == ["，", "，", "；"]


def test_same_sentence() -> None:
    seg = Segmenter(TEXT)
    a, b = TEXT.index("7071"), TEXT.index("10%")
    assert seg.same_sentence(a, b)
    assert not seg.same_sentence(a, TEXT.index("2.1万元"))


@given(st.text(alphabet="一二。，；、\n元5", max_size=60), st.integers(min_value=0, max_value=60))
def test_sentence_contains_position(text: str, pos: int) -> None:
    if not text:
        return
    pos = min(pos, len(text) - 1)
    start, end = Segmenter(text).sentence(pos)
    assert 0 <= start <= pos < end <= len(text)
    assert not any(ch in "。；\n" for ch in text[start:end - 1])
