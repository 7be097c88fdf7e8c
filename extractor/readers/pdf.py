"""PDF files by pdfplumber: reading order, page furniture removed, wrapped lines re-joined, tables as tables.

Why pdfplumber: it gives every character with its position and font size (what telling a wrapped line
from a paragraph end needs) and finds ruled tables itself; it is MIT-licensed and pure Python on
pdfminer.six. PyMuPDF is faster but AGPL (this project is MIT); pypdfium2 is fast too but has no table
finder. The price is speed (see the throughput in bench/formats.py).

Layout rules, all from geometry and repetition, none from the words of one document:
- page headers, footers and page numbers: lines in the top or bottom band of a page that are shaped
  like a page number (`— 3 —`, `第3页`, `3/12`) or that recur, digits aside, on most pages;
- a line is continued by the next when it runs to the right edge of the text and the next line is not
  indented; the two are joined with nothing between (a wrap is no space in Chinese), so `20.4` + `万平方米`
  and `约4.` + `4万亿元` read as one figure again — across a page break too;
- tables found by their ruling lines are taken out of the text flow and read as rows of cells.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

from ..document import Document
from ..load import DocumentError
from . import TextBuilder

_PAGE_NUMBER = re.compile(r"^[-—–－‒―~·\s]*(?:第\s*)?\d{1,4}\s*(?:页)?\s*"
                          r"(?:[/／]\s*\d{1,4}|共\s*\d{1,4}\s*页)?[-—–－‒―~·\s]*$"
                          r"|^(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?$", re.I)
_DIGITS = re.compile(r"\d+")
_BAND = 0.12  # top and bottom share of the page height where headers and footers sit


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int


@dataclass
class _Table:
    rows: list[list[str]]
    top: float
    page: int


def _open(data: bytes, source: str):  # noqa: ANN202
    import pdfplumber

    if b"%%EOF" not in data[-4096:]:
        raise DocumentError(source, "truncated PDF (no %%EOF end marker: an incomplete download?)")
    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        if "password" in (type(exc).__name__ + repr(exc) + repr(getattr(exc, "args", ""))).lower():
            raise DocumentError(source, "encrypted PDF: it needs a password to be read") from exc
        raise DocumentError(source, f"not a readable PDF ({type(exc).__name__}: {exc})") from exc


def _page_items(page, n: int) -> tuple[list[_Line], list[_Table]]:  # noqa: ANN001
    tables = []
    boxes = []
    for t in page.find_tables():
        boxes.append(t.bbox)
        tables.append(_Table([[c or "" for c in row] for row in t.extract()], t.bbox[1], n))
    lines = []
    for ln in page.extract_text_lines(strip=True, return_chars=True):
        cx, cy = (ln["x0"] + ln["x1"]) / 2, (ln["top"] + ln["bottom"]) / 2
        if any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes):
            continue
        size = ln["chars"][0]["size"] if ln["chars"] else 10.0
        lines.append(_Line(ln["text"], ln["x0"], ln["x1"], ln["top"], ln["bottom"], size, n))
    return lines, tables


def _furniture(pages: list[tuple[list[_Line], float]]) -> set[int]:
    """ids of the lines that are page headers, footers or page numbers."""
    def in_band(ln: _Line, height: float) -> bool:
        return ln.bottom < height * _BAND or ln.top > height * (1 - _BAND)

    recurring: Counter[str] = Counter()
    for lines, height in pages:
        recurring.update({_DIGITS.sub("#", ln.text) for ln in lines if in_band(ln, height)})
    many = max(2, (len(pages) + 1) // 2)
    out = set()
    for lines, height in pages:
        for ln in lines:
            if in_band(ln, height) and (_PAGE_NUMBER.match(ln.text)
                                        or (len(pages) > 1 and recurring[_DIGITS.sub("#", ln.text)] >= many)):
                out.add(id(ln))
    return out


def _join(a: str, b: str) -> str:
    """The text between two wrapped lines: nothing, except between two Latin words."""
    return " " if a[-1:].isascii() and a[-1:].isalpha() and b[:1].isascii() and b[:1].isalpha() else ""


def read_pdf(data: bytes, source: str) -> Document:
    """A PDF with a text layer -> Document; scanned, encrypted and broken files are DocumentErrors."""
    pdf = _open(data, source)
    try:
        pages: list[tuple[list[_Line], float]] = []
        tables: list[_Table] = []
        images = 0
        for n, page in enumerate(pdf.pages, 1):
            lines, tabs = _page_items(page, n)
            pages.append((lines, float(page.height)))
            tables.extend(tabs)
            images += len(page.images)
        info = pdf.metadata or {}
    except DocumentError:
        raise
    except Exception as exc:
        raise DocumentError(source, f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    finally:
        pdf.close()
    if not any(lines for lines, _ in pages) and not tables:
        if images:
            raise DocumentError(source, f"scanned PDF: {len(pages)} page(s) of images and no text layer "
                                        "(run OCR on it first)")
        raise DocumentError(source, "PDF without any text")
    drop = _furniture(pages)
    body = [ln for lines, _ in pages for ln in lines if id(ln) not in drop]
    out = _layout(body, tables)
    title = info.get("Title") if isinstance(info.get("Title"), str) else ""
    return out.document("pdf", source, {"title": (title or "").strip()})


def _layout(body: list[_Line], tables: list[_Table]) -> TextBuilder:
    """Lines and tables in reading order (page, then top to bottom), wrapped lines joined."""
    out = TextBuilder()
    if body:
        # the text block's edges: the leftmost start two lines share, the rightmost end
        starts = Counter(round(ln.x0) for ln in body)
        left = min((x for x, k in starts.items() if k > 1), default=min(starts))
        right = max(ln.x1 for ln in body)
    items: list[tuple[int, float, _Line | _Table]] = [(ln.page, ln.top, ln) for ln in body]
    items += [(t.page, t.top, t) for t in tables]
    items.sort(key=lambda it: (it[0], it[1]))
    para: list[tuple[str, int]] = []  # (text, page) pieces of the paragraph being read
    prev: _Line | None = None
    for _, _, item in items:
        if isinstance(item, _Table):
            out.add_pieces(para)
            para, prev = [], None
            out.table(item.rows, page=item.page, origin=f"page {item.page} table")
            continue
        continues = (prev is not None and prev.x1 >= right - 1.5 * prev.size
                     and item.x0 <= left + 0.5 * item.size)
        if continues and para:
            text, page = para[-1]
            sep = _join(text, item.text)
            if page == item.page:
                para[-1] = (text + sep + item.text, page)
            else:
                para[-1] = (text + sep, page)
                para.append((item.text, item.page))
        else:
            out.add_pieces(para)
            para = [(item.text, item.page)]
        prev = item
    out.add_pieces(para)
    return out
