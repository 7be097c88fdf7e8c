"""The pipeline: Document -> Report. Data flows one way through the stages, all reading one Document."""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from schemas import Report

from . import aspect, checks, indicator, metric, modality, period, quantities, relations, tables
from .document import Document, as_document


def extract(text: str, doc_id: str = "text", source: str | None = None) -> Report:
    """Read every quantity a report states, the relations between them and their checks."""
    return extract_document(Document.from_text(text, source=source), doc_id=doc_id)


def extract_document(doc: Document | str, doc_id: str = "text") -> Report:
    """The pipeline over a Document built by a reader (plain text, HTML, PDF, DOCX)."""
    with _cycle_collection_paused():
        return _extract(as_document(doc), doc_id)


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """The stages' objects (mentions, records, relations) all live until the report is made, and make no
    cycles to free; left on, the cyclic collector scans them again and again as they pile up: 13% of a
    dense 800k-character document's time, and time growing faster than its length. Refcounting still
    frees everything else as usual; the collector runs again as soon as the document is done."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _extract(doc: Document, doc_id: str) -> Report:
    found = quantities.find_quantities(doc)
    metric.attach_metrics(doc, found)
    period.attach_periods(doc, found)
    found = tables.attach_cells(doc, found)  # table figures: metric, period and unit from their headers
    aspect.attach_aspects(doc, found)
    indicator.attach_indicators(doc, found)
    period.attach_period_iso(doc, found)
    modality.attach_modality(doc, found)
    tables.attach_headers(doc, found)
    records = [tables.locate(doc, m.to_record(f"q{i}")) for i, m in enumerate(found, 1)]
    rels = relations.find_relations(doc, records)
    rels += tables.table_relations(doc, records, first_id=len(rels) + 1)
    finds = checks.run_checks(doc, records, rels)
    return Report(
        doc_id=doc_id,
        source=doc.source,
        sha256=hashlib.sha256(doc.text.encode("utf-8")).hexdigest(),
        chars=len(doc.text),
        format=doc.format,
        meta=doc.meta,
        quantities=records,
        relations=rels,
        findings=finds,
    )
