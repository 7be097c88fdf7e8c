"""Plain text: decoded strictly (extractor.load); the text itself is the document.

A run of two or more lines with tabs in them is a table as text files carry one (a row a line, cells
separated by tabs, as spreadsheets export them and as the other readers write tables): its cells become
cell blocks, so tables read the same from a .txt as from the HTML, DOCX or PDF they came from.
"""

from __future__ import annotations

import re

from ..document import Block, Document
from ..load import decode_bytes

# Up to a line's first tab, no tab: the engine cannot try each tab of a long line in turn (that was
# quadratic in the line's length on a one-line document with tabs).
_TAB_RUN = re.compile(r"(?:^[^\n\t]*\t[^\n]*(?:\n|$)){2,}", re.M)


def table_blocks(text: str) -> list[Block]:
    """Cell blocks for every tab-separated run of lines (tables numbered in text order)."""
    blocks: list[Block] = []
    if "\t" not in text:
        return blocks
    for t, run in enumerate(_TAB_RUN.finditer(text)):
        pos = run.start()
        for r, line in enumerate(run.group().rstrip("\n").split("\n")):
            for c, cell in enumerate(line.split("\t")):
                lead = len(cell) - len(cell.lstrip())
                if cell.strip():
                    start = pos + lead
                    blocks.append(Block("cell", start, start + len(cell.strip()), table=t, row=r, col=c,
                                        origin="tab-separated line"))
                pos += len(cell) + 1  # the cell and its tab (or the line's newline)
    return blocks


def read_plain(data: bytes, source: str) -> Document:
    return Document.from_text(decode_bytes(data, source), source=source)
