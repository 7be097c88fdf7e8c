"""The document model: one Document per input, analyses built once and shared by the stages."""

from __future__ import annotations

from extractor.document import Block, Document, as_document
from extractor.pipeline import extract, extract_document


def test_block_at_finds_the_block_holding_a_position() -> None:
    text = "标题\n一般公共预算收入\t120亿元"
    doc = Document(text=text, blocks=[
        Block("heading", 0, 2), Block("cell", 3, 11, table=0, row=1, col=0),
        Block("cell", 12, len(text), table=0, row=1, col=1),
    ], format="html")
    assert doc.block_at(0).kind == "heading"
    assert doc.block_at(2) is None  # the line break between blocks
    assert (doc.block_at(14).row, doc.block_at(14).col) == (1, 1)
    assert doc.block_at(len(text)) is None


def test_analyses_are_built_once_and_shared() -> None:
    doc = Document.from_text("\ufeff规上工业总产值7071万元，同比增长10%。")
    assert doc.text.startswith("规上")  # BOM removed, nothing else
    assert doc.segments is doc.segments and doc.norm is doc.norm
    assert as_document(doc) is doc


def test_extract_document_equals_extract_on_plain_text() -> None:
    text = "1-6月，全镇实现规上工业总产值7071万元，同比增长10%。"
    assert extract_document(Document.from_text(text)) == extract(text)


def test_container_metadata_overrides_the_guess_from_the_text() -> None:
    doc = Document(text="增长5%", meta_hint={"title": "网页标题"})
    assert doc.meta.title == "网页标题"
