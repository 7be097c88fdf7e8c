"""Tables: the figures in cells, read with their headers, and the totals they state.

A statistical table says in its headers what the prose would say around a figure: the row header names
the metric (`地区生产总值`), the column header the period and often the unit (`2024年`, `增长（%）`), the
caption or a unit line the rest (`单位：亿元`, `计量单位：万吨`), or a unit column gives each row's unit.
So a bare `1234.5` in a cell becomes 123450000000 元 with its metric and period from its headers.

A 合计/总计 row (or column) states that it totals the rows above it (the columns before it): each such
cell is a `sum` relation with its parts, checked like any sum in prose. Tables come from the readers'
cell blocks (`Block.table/row/col`); plain text has none, and this stage then does nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from schemas import Cell, Quantity, Relation

from . import lexicon
from .document import Block, Document
from .numerals import NumeralError, read_number
from .period import _pattern as _period_pattern
from .quantities import Mention

_BARE_NUMBER = re.compile(r"^[-−－]?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?\s*[%％‰]?$")
_YEAR = re.compile(r"^(?:19|20)[0-9]{2}$")  # a bare year heading a column (2023 2024), not a figure
_UNIT_LINE = re.compile(r"(?:计量)?单位[:：]\s*([^\s，,;；)）]+)")
_PAREN = re.compile(r"[（(]([^（()）]{1,12})[）)]")
_TOTAL = re.compile(r"^\s*(?:[\u4e00-\u9fff]{0,4}(?:合计|总计)|总\s*计|合\s*计)\s*$")
_SCALES = (("万亿", 10**12), ("千亿", 10**11), ("百亿", 10**10), ("十亿", 10**9), ("亿", 10**8),
           ("千万", 10**7), ("百万", 10**6), ("十万", 10**5), ("万", 10**4), ("千", 10**3), ("百", 10**2))
_CAPTION_LINES = 3  # lines before a table searched for its caption and unit line


@dataclass(frozen=True)
class TableUnit:
    """A unit as a table header states it: the scale it multiplies printed figures by, the SPEC unit."""

    scale: Decimal
    unit: str
    kind: str


@cache
def parse_unit(word: str) -> TableUnit | None:
    """`亿元` -> (1e8, 元, money); `%` -> (1, %, percent); `万吨` -> (1e4, 吨, measure); else None."""
    w = word.strip().strip("（）()[]【】 ")
    if w in ("%", "％", "百分比", "百分点"):
        return TableUnit(Decimal(1), "%", "percent")
    if w == "个百分点":
        return TableUnit(Decimal(1), "个百分点", "percent")
    if w == "‰":
        return TableUnit(Decimal(1), "‰", "percent")
    if w == "倍":
        return TableUnit(Decimal(1), "倍", "multiple")
    scale = 1
    for prefix, k in _SCALES:
        if w.startswith(prefix) and len(w) > len(prefix):
            w, scale = w[len(prefix):], k
            break
    u = lexicon.units().get(w)
    if u is None:
        return None
    return TableUnit(Decimal(scale), u.canonical, u.kind)


def _unit_in(header: str) -> TableUnit | None:
    """The unit a header states: in brackets (`产量（万吨）`), as a trailing `%`, or as the whole header."""
    for m in _PAREN.finditer(header):
        u = parse_unit(m.group(1))
        if u:
            return u
    h = header.strip()
    if h.endswith(("%", "％")):
        return parse_unit("%")
    return parse_unit(h) if len(h) <= 5 else None


def _name(header: str) -> str:
    """A row header as a metric: its unit in brackets and layout spaces removed."""
    return _PAREN.sub("", header).strip().replace(" ", "").lstrip("其中：:")


@dataclass
class Table:
    """A table's cells by (row, column), with what its headers and caption say."""

    cells: dict[tuple[int, int], Block] = field(default_factory=dict)
    start: int = 0
    caption: str = ""
    caption_start: int = 0
    unit: TableUnit | None = None
    header_rows: int = 0
    unit_col: int | None = None

    def text(self, doc: Document, r: int, c: int) -> str:
        b = self.cells.get((r, c))
        return doc.text[b.start:b.end] if b else ""

    def header_cells(self, c: int) -> list[Block]:
        """The header cells above column `c`, top down (a spanning header counts for every column it
        spans: the nearest cell to the left in an upper header row)."""
        out = []
        for r in range(self.header_rows):
            k = c
            while k > 0 and (r, k) not in self.cells:
                k -= 1
            if (r, k) in self.cells and (k == c or r < self.header_rows - 1):
                out.append(self.cells[(r, k)])
        return out

    def column_header(self, doc: Document, c: int) -> str:
        """All header rows' text above column `c`."""
        return " ".join(doc.text[b.start:b.end] for b in self.header_cells(c))


def tables_of(doc: Document) -> list[Table]:
    """The tables of a document (from its cell blocks), with header rows, caption and unit line found."""
    by_id: dict[int, Table] = {}
    for b in doc.blocks:
        if b.kind == "cell" and b.table is not None and b.row is not None and b.col is not None:
            t = by_id.setdefault(b.table, Table(start=b.start))
            t.cells[(b.row, b.col)] = b
    out = []
    for t in by_id.values():
        rows = sorted({r for r, _ in t.cells})
        for r in rows:
            figures = [t.text(doc, r, c) for rr, c in t.cells if rr == r and c > 0]
            figures = [f for f in figures if _BARE_NUMBER.match(f) and not (r == rows[0] and _YEAR.match(f))]
            if figures:
                break
            t.header_rows = r + 1
        for c in sorted({c for _, c in t.cells}):
            if re.fullmatch(r"(?:计量)?单位", t.column_header(doc, c).strip()):
                t.unit_col = c
        before = doc.text[:t.start].rstrip("\n").split("\n")[-_CAPTION_LINES:]
        for line in reversed(before):
            m = _UNIT_LINE.search(line)
            if m and t.unit is None:
                t.unit = parse_unit(m.group(1))
            if not t.caption and _UNIT_LINE.sub("", line).strip(" \t（()）"):
                t.caption = line
                t.caption_start = doc.text.rindex(line, 0, t.start)
            if "\t" in line:  # the previous table's last row: stop
                break
        out.append(t)
    return out


def _cell_unit(doc: Document, t: Table, r: int, c: int) -> TableUnit | None:
    col = _unit_in(t.column_header(doc, c))
    if col is not None:
        return col
    if t.unit_col is not None:
        u = parse_unit(t.text(doc, r, t.unit_col))
        if u is not None:
            return u
    return _unit_in(t.text(doc, r, 0)) or t.unit


def _period(*texts: str) -> str | None:
    for s in texts:
        m = _period_pattern().search(s)
        if m:
            return m.group().strip("“”")
    return None


def attach_cells(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """Every figure in a table cell, read with its headers: metric from the row header, period and unit
    from the column header, the caption or unit line. Returns all mentions in text order (cell figures
    that the prose reader did not find, such as bare numbers, are added)."""
    tables = tables_of(doc)
    if not tables:
        return mentions
    from .period import document_period

    default = document_period(doc.text, doc.meta)  # as the prose figures inherit it
    out = list(mentions)
    starts = [m.start for m in mentions]  # mentions come in text order
    for t in tables:
        for (r, c), b in t.cells.items():
            if r < t.header_rows or c == 0 or c == t.unit_col:
                continue
            raw = doc.text[b.start:b.end]
            inside = mentions[bisect_left(starts, b.start):bisect_left(starts, b.end)]
            unit = _cell_unit(doc, t, r, c)
            if not inside and _BARE_NUMBER.match(raw) and unit is not None:
                m = _bare(raw, b, unit)
                if m is None:
                    continue
                out.append(m)
                inside = [m]
            header = t.column_header(doc, c)
            for m in inside:
                m.metric = _name(t.text(doc, r, 0)) or m.metric
                m.period = _period(header, t.caption) or m.period or default
    return sorted(out, key=lambda m: m.start)


def _bare(raw: str, b: Block, unit: TableUnit) -> Mention | None:
    """A bare number in a cell, scaled by its unit (`1234.5` under 亿元 is 123450000000 元)."""
    s = raw.strip()
    try:
        reading = read_number(s.replace("−", "-").replace("－", "-"))
    except NumeralError:
        return None
    if s.endswith(("%", "％")) or reading.unit_hint:
        unit = parse_unit("%")  # type: ignore[assignment]
    value = reading.value * unit.scale
    end = b.start + len(raw.rstrip())
    return Mention(start=b.start, end=end, text=raw.rstrip(), value=value, unit=unit.unit, kind=unit.kind,
                   core_start=b.start, core_end=end)


def attach_headers(doc: Document, mentions: list[Mention]) -> None:
    """What the prose stages cannot see for a cell figure, from its headers (run after them): its
    aspect from the column header's words (`比上年增长（%）` is growth) and its period_iso from the
    period phrase in the column header, else in the caption."""
    tables = tables_of(doc)
    if not tables:
        return
    from .aspect import aspect_of
    from .period import iso, phrase_before, timeline

    tl = timeline(doc)
    cells = {(b.start, b.end): (t, b) for t in tables for b in t.cells.values()}
    for m in mentions:
        b = doc.block_at(m.start)
        if b is None or b.kind != "cell" or (b.start, b.end) not in cells:
            continue
        t = cells[(b.start, b.end)][0]
        heads = t.header_cells(b.col or 0)
        m.aspect = aspect_of(" ".join(doc.text[h.start:h.end] for h in heads), m)  # type: ignore[attr-defined]
        spans = [(h.start, h.end) for h in reversed(heads)]
        spans.append((t.caption_start, t.caption_start + len(t.caption)))
        for lo, hi in spans:
            p = phrase_before(tl, lo, hi)
            if p is not None:
                m.period_iso = iso(p.period)  # type: ignore[attr-defined]
                break


def locate(doc: Document, q: Quantity) -> Quantity:
    """The quantity with its PDF page and table cell, where its document has them."""
    b = doc.block_at(q.start)
    if b is None:
        return q
    update: dict[str, object] = {}
    if b.page is not None:
        update["page"] = b.page
    if b.kind == "cell" and b.table is not None:
        update["cell"] = Cell(table=b.table, row=b.row or 0, col=b.col or 0)
    return q.model_copy(update=update) if update else q


def table_relations(doc: Document, quantities: list[Quantity], first_id: int) -> list[Relation]:
    """A `sum` relation for every figure in a 合计/总计 row (over the rows above it, up to the header or
    the previous total) and in a 合计/总计 column (over the columns between the row header and it)."""
    tables = tables_of(doc)
    if not tables:
        return []
    by_cell: dict[tuple[int, int, int], Quantity] = {}
    for q in quantities:
        if q.cell is not None:
            by_cell.setdefault((q.cell.table, q.cell.row, q.cell.col), q)
    out: list[Relation] = []

    def add(total: Quantity | None, parts: list[Quantity | None]) -> None:
        if total is None or len(parts) < 2 or any(p is None for p in parts):
            return
        ps = [p for p in parts if p is not None]
        if total.kind == "percent" or any(p.unit != total.unit for p in ps):
            return  # growth rates and shares do not add up
        out.append(Relation(id=f"r{first_id + len(out)}", type="sum",
                            quantities=[total.id, *(p.id for p in ps)], roles=["total"] + ["part"] * len(ps)))

    for t in tables:
        index = next(iter(t.cells.values())).table
        rows = sorted({r for r, _ in t.cells if r >= t.header_rows})
        cols = sorted({c for _, c in t.cells if c > 0 and c != t.unit_col})
        first = t.header_rows
        for r in rows:
            if not _TOTAL.match(_name(t.text(doc, r, 0))):
                continue
            parts_rows = [x for x in rows if first <= x < r]
            for c in cols:
                add(by_cell.get((index, r, c)), [by_cell.get((index, x, c)) for x in parts_rows])
            first = r + 1
        for c in cols:
            if not _TOTAL.match(_name(t.column_header(doc, c).split(" ")[-1])):
                continue
            part_cols = [x for x in cols if x < c]
            for r in rows:
                add(by_cell.get((index, r, c)), [by_cell.get((index, r, x)) for x in part_cols])
    return out
