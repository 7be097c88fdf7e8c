"""Readers: one per published format, each turning an input into a `Document`.

The format is told by content (magic bytes) first and by the file name's extension only when the
content does not say (HTML has no magic bytes of its own). Every reader fails with a `DocumentError`
that names the file and the problem (a scanned PDF, an encrypted one, a ZIP that is no DOCX …).

All readers build their text with `TextBuilder`: blocks joined by `\\n`, a table as one line per row
with `\\t` between cells, so that the sentence and clause segmentation works on tables unchanged and
every block records where it came from.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from ..document import Block, BlockKind, Document, Format
from ..load import DEFAULT_MAX_BYTES, DocumentError, read_bytes
from ..sources import DocSpec

EXTENSIONS: dict[str, Format] = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html",
                                 ".xhtml": "html", ".shtml": "html", ".pdf": "pdf", ".docx": "docx"}
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta)\b", re.I | re.S)


class TextBuilder:
    """Accumulates the document text block by block, recording each block's span and origin."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.blocks: list[Block] = []
        self.pos = 0
        self.tables = 0

    def _append(self, text: str) -> tuple[int, int]:
        start = self.pos
        self.parts.append(text)
        self.pos += len(text)
        return start, self.pos

    def add(self, text: str, kind: BlockKind = "paragraph", page: int | None = None,
            origin: str | None = None) -> None:
        """One block on its own line (empty text adds nothing)."""
        text = _clean(text)
        if not text:
            return
        start, end = self._append(text)
        self.blocks.append(Block(kind, start, end, page=page, origin=origin))
        self._append("\n")

    def add_pieces(self, pieces: list[tuple[str, int]], kind: BlockKind = "paragraph") -> None:
        """One paragraph read in pieces (a PDF paragraph that runs over a page break), each piece its
        own block with its page, the paragraph on one line."""
        pieces = [(_clean(t), p) for t, p in pieces]
        pieces = [(t, p) for t, p in pieces if t]
        for text, page in pieces:
            start, end = self._append(text)
            self.blocks.append(Block(kind, start, end, page=page, origin=f"page {page}"))
        if pieces:
            self._append("\n")

    def table(self, rows: list[list[str]], page: int | None = None, origin: str | None = None) -> None:
        """A table: a line per row, cells separated by a tab; each non-empty cell a block."""
        rows = [[_clean(c) for c in row] for row in rows]
        rows = [r for r in rows if any(r)]
        if not rows:
            return
        t = self.tables
        self.tables += 1
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if c:
                    self._append("\t")
                if cell:
                    start, end = self._append(cell)
                    self.blocks.append(Block("cell", start, end, page=page, table=t, row=r, col=c,
                                             origin=origin))
            self._append("\n")

    def document(self, fmt: Format, source: str | None, meta_hint: dict[str, str] | None = None) -> Document:
        return Document(text="".join(self.parts), blocks=self.blocks, format=fmt, source=source,
                        meta_hint={k: v for k, v in (meta_hint or {}).items() if v})


_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u3000]+")  # a block is one line: its own line breaks are spaces


def _clean(text: str) -> str:
    """A block's text: whitespace runs collapsed (a run between two CJK characters is dropped, as a
    line wrap or layout padding), ends stripped."""
    text = _SPACES.sub(" ", text).strip()
    return re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", text)


def sniff(data: bytes, name: str | None = None) -> Format:
    """The format of these bytes: magic bytes first, then markup, then the extension, else text."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if _HTML_START.match(head) or _HTML_START.match(head.decode("utf-16", "ignore").encode()):
        return "html"
    ext = EXTENSIONS.get(Path(name).suffix.lower()) if name else None
    return ext or "text"


def read_bytes_as_document(data: bytes, source: str, fmt: Format | None = None) -> Document:
    """Bytes -> Document with the reader for their format (told by `sniff` unless given)."""
    fmt = fmt or sniff(data, source)
    if fmt == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, source)
    if fmt == "docx":
        from .docx import read_docx

        return read_docx(data, source)
    if fmt == "html":
        from .html import read_html

        return read_html(data, source)
    from .text import read_plain

    return read_plain(data, source)


def read_document(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one file of any supported format; every failure is a DocumentError naming the file."""
    return read_bytes_as_document(read_bytes(path, max_bytes=max_bytes), str(path))




#: what `extract`, `check` and `batch` take from a folder when not told otherwise
DOCUMENT_EXTS: tuple[str, ...] = tuple(EXTENSIONS)


def document_of(spec: DocSpec, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """The Document a discovered input names: a file by its reader, a collection record as text."""
    if spec.error is not None:
        raise DocumentError(spec.source, spec.error)
    if spec.text is not None:
        return Document.from_text(spec.text, source=spec.source)
    if spec.record is not None:  # a collection record, read from its place in the file
        from ..sources import read_record

        return Document.from_text(read_record(spec.record)[0], source=spec.source)
    return read_document(spec.path or spec.source, max_bytes=max_bytes)


def input_specs(items: Sequence[str], exts: Sequence[str] = DOCUMENT_EXTS) -> list[DocSpec]:
    """The documents `extract`/`check` arguments name: `-` is standard input (source `-`), folders and
    globs are searched as `batch` searches them; a path that does not exist stays, to fail on its own."""
    from ..sources import InputError, Options, discover

    specs: list[DocSpec] = []
    for item in items:
        if item == "-":
            specs.append(DocSpec(doc_id="stdin", source="-", path="-"))
            continue
        try:
            specs.extend(discover([item], Options(exts=tuple(exts))))
        except InputError as exc:
            reason = str(exc).removeprefix(f"{item}: ")
            specs.append(DocSpec(doc_id=Path(item).stem, source=item, error=reason))
    return specs


def read_spec(spec: DocSpec, stdin: BinaryIO | None = None) -> Document:
    """`document_of`, with `-` read from standard input (its format told by its bytes)."""
    if spec.path == "-" and spec.source == "-":
        data = (stdin or sys.stdin.buffer).read(DEFAULT_MAX_BYTES + 1)
        if len(data) > DEFAULT_MAX_BYTES:
            raise DocumentError("<stdin>", f"too large: more than {DEFAULT_MAX_BYTES} bytes")
        return read_bytes_as_document(data, "<stdin>")
    return document_of(spec)


__all__ = ["DOCUMENT_EXTS", "EXTENSIONS", "TextBuilder", "document_of", "input_specs",
           "read_bytes_as_document", "read_document", "read_spec", "sniff"]
