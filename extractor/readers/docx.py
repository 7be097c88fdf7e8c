"""Word documents (.docx) by python-docx: body paragraphs and tables in document order.

Page headers and footers live in their own parts of the package and are not read. A merged cell
(python-docx repeats it in every grid column it spans) is read once, at its first column.
"""

from __future__ import annotations

import io
import zipfile

from ..document import Document
from ..load import DocumentError
from . import TextBuilder


def _check_package(data: bytes, source: str) -> None:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile as exc:
        raise DocumentError(source, f"not a readable DOCX: broken ZIP archive ({exc})") from exc
    if "word/document.xml" not in names:
        what = ("an Excel workbook" if any(n.startswith("xl/") for n in names)
                else "a PowerPoint file" if any(n.startswith("ppt/") for n in names)
                else "a ZIP archive")
        raise DocumentError(source, f"not a Word document: {what} without word/document.xml")


def read_docx(data: bytes, source: str) -> Document:
    """A .docx package -> Document; anything else in a ZIP is a DocumentError saying what it is."""
    _check_package(data, source)
    import docx
    from docx.table import Table

    try:
        d = docx.Document(io.BytesIO(data))
        out = TextBuilder()
        for item in d.iter_inner_content():
            if isinstance(item, Table):
                out.table(_rows(item), origin="w:tbl")
                continue
            style = item.style.name if item.style is not None else ""
            heading = style.startswith(("Heading", "Title")) or style in ("标题", "题目")
            kind = "heading" if heading else "paragraph"
            out.add(item.text, kind, origin=style or None)  # type: ignore[arg-type]
        title = d.core_properties.title or ""
    except DocumentError:
        raise
    except Exception as exc:  # a package python-docx cannot read: this file's failure
        raise DocumentError(source, f"not a readable DOCX ({type(exc).__name__}: {exc})") from exc
    if not out.blocks:
        raise DocumentError(source, "empty DOCX (no text in its paragraphs or tables)")
    return out.document("docx", source, {"title": title.strip()})


def _rows(table) -> list[list[str]]:  # noqa: ANN001 - docx.table.Table
    rows = []
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:
            key = id(cell._tc)
            cells.append("" if key in seen else cell.text)
            seen.add(key)
        rows.append(cells)
    return rows
