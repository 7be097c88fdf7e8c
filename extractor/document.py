"""The document model: one object per input, built once, that every pipeline stage reads.

Like spaCy's `Doc`: the readers (plain text, HTML, PDF, DOCX) turn an input into a `Document` — the
text the pipeline reads plus its blocks (heading, paragraph, table cell, footnote) with where each came
from — and the stages annotate mentions against it. The normalized view, the header, the sentence and
clause segmentation are computed lazily, once, and shared: no stage rebuilds them.

Offsets everywhere index `Document.text` (BOM removed, nothing else changed), so that
`text[q.start:q.end] == q.text` holds for every quantity whatever the input format was.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import regex

from schemas import Meta

if TYPE_CHECKING:
    from .normalize import NormalizedText
    from .segment import Segmenter

BlockKind = Literal["heading", "paragraph", "cell", "caption", "footnote", "list_item"]
Format = Literal["text", "html", "pdf", "docx"]


@dataclass(frozen=True)
class Block:
    """A contiguous span of `Document.text` and where it came from; blocks never overlap."""

    kind: BlockKind
    start: int
    end: int
    page: int | None = None  # 1-based PDF page
    table: int | None = None  # 0-based table index in the document, for cells and captions
    row: int | None = None  # 0-based row within the table
    col: int | None = None  # 0-based column within the table
    origin: str | None = None  # the source element (an HTML tag path, a DOCX style …)


@dataclass
class Document:
    """The text every stage reads, its blocks, and the per-document analyses built once on it."""

    text: str
    blocks: list[Block] = field(default_factory=list)
    format: Format = "text"
    source: str | None = None
    meta_hint: dict[str, str] = field(default_factory=dict)  # e.g. an HTML <title>, a PDF's metadata
    # per-document analyses a stage builds once and later stages reuse (e.g. period.timeline)
    analyses: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.text = self.text.removeprefix("\ufeff")
        self.blocks.sort(key=lambda b: (b.start, b.end))
        self._block_starts = [b.start for b in self.blocks]

    @classmethod
    def from_text(cls, text: str, source: str | None = None) -> Document:
        """Plain text; its tab-separated runs of lines are tables (see readers/text.py)."""
        from .readers.text import table_blocks

        text = text.removeprefix("\ufeff")
        return cls(text=text, blocks=table_blocks(text), source=source)

    @cached_property
    def _header(self) -> tuple[Meta, list[tuple[int, int]]]:
        from .header import parse_header

        meta, skip = parse_header(self.text)
        for key, value in self.meta_hint.items():  # the container's own metadata beats a guess from text
            if value:
                setattr(meta, key, value)
        return meta, skip

    @property
    def meta(self) -> Meta:
        """Title, issuer, date … from the header block (and the container's own metadata)."""
        return self._header[0]

    @property
    def skip(self) -> list[tuple[int, int]]:
        """Spans that are page furniture, not content (web debris, header fields)."""
        return self._header[1]

    @cached_property
    def norm(self) -> NormalizedText:
        from .normalize import normalize

        return normalize(self.text)

    @cached_property
    def segments(self) -> Segmenter:
        from .segment import Segmenter

        return Segmenter(self.text)

    @cached_property
    def headings(self) -> list[tuple[int, int]]:
        """Heading spans, in order: heading blocks, else short numbered lines with no full stop
        (`一、2025年工作回顾`, `（三）…`, `第二部分 …`), or short unpunctuated lines
        (`“十四五”时期工作回顾`). Sections start at them."""
        if any(b.kind == "heading" for b in self.blocks):
            return [(b.start, b.end) for b in self.blocks if b.kind == "heading"]
        text, starts = self.text, self.line_starts
        out = []
        for a, b in zip(starts, [*starts[1:], len(text) + 1], strict=True):
            if b - a <= _HEADING_MAX:  # only short lines can be headings: the pattern runs on few lines
                m = _HEADING_LINE.match(text, a, b - 1)
                if m:
                    out.append((m.start(1), m.end(1)))
        return out

    @cached_property
    def line_starts(self) -> list[int]:
        """Where each line (paragraph) starts: paragraph lookups bisect this."""
        return [0] + [m.end() for m in _NEWLINE.finditer(self.text)]

    def block_at(self, pos: int) -> Block | None:
        """The block that contains `pos` (blocks do not overlap); None for plain text without blocks."""
        i = bisect_right(self._block_starts, pos)
        if i and pos < self.blocks[i - 1].end:
            return self.blocks[i - 1]
        return None


_NEWLINE = regex.compile(r"\n")
_HEADING_MAX = 52
_HEADING_LINE = regex.compile(
    r"[ \t\u3000]*((?:[一二三四五六七八九十]{1,3}[、．.]|[（(][一二三四五六七八九十]{1,3}[）)]"
    r"|第[一二三四五六七八九十]{1,3}部分)"
    r"[^。！？!?\n]{0,40}|[^，,。！？!?：:；;、\n]{2,24})[ \t\u3000]*$")  # matched within one line


def as_document(doc: Document | str) -> Document:
    """Stages take a Document; a bare string (tests, small callers) is wrapped once."""
    return doc if isinstance(doc, Document) else Document.from_text(doc)
