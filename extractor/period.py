"""Period attribution: the time span each figure covers."""

from __future__ import annotations

from bisect import bisect_left
from functools import cache

import regex

from schemas import Meta

from . import lexicon
from .document import Document, as_document
from .quantities import Mention

_PARAGRAPH_BREAK = regex.compile(r"\n")


@cache
def _pattern() -> regex.Pattern[str]:
    return regex.compile("|".join(f"(?:{p})" for p in lexicon.word_list("periods.tsv")))


def document_period(text: str, meta: Meta) -> str | None:
    """The document's own period, from its title (`2020年上半年重点工作任务完成情况` → `2020年上半年`)."""
    for source in (meta.title or "", text[:200]):
        m = _pattern().search(source)
        if m:
            return m.group().strip("“”")
    return None


def attach_periods(doc: Document | str, mentions: list[Mention]) -> None:
    """Set `period` on every mention: the nearest period expression before it in its paragraph,
    else the document's own period."""
    doc = as_document(doc)
    text = doc.text
    default = document_period(text, doc.meta)
    found = [(m.start(), m.end(), m.group().strip("“”")) for m in _pattern().finditer(text)]
    breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(text)]
    j = 0
    last: tuple[int, int, str] | None = None
    for q in mentions:
        while j < len(found) and found[j][0] < q.start:
            last = found[j]
            j += 1
        period = default
        if last is not None:
            k = bisect_left(breaks, last[1])
            if k == len(breaks) or breaks[k] >= q.start:  # no paragraph break in between
                period = last[2]
        q.period = period
