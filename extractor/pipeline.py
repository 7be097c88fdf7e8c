"""The pipeline: text -> Report. Data flows one way through the stages."""

from __future__ import annotations

import hashlib

from schemas import Report

from . import checks, header, metric, normalize, period, quantities, relations


def extract(text: str, doc_id: str = "text", source: str | None = None) -> Report:
    """Read every quantity a report states, the relations between them and their checks."""
    text = text.removeprefix("\ufeff")
    meta, skip = header.parse_header(text)
    norm = normalize.normalize(text)
    found = quantities.find_quantities(text, norm, skip)
    metric.attach_metrics(text, found)
    period.attach_periods(text, found, meta)
    records = [m.to_record(f"q{i}") for i, m in enumerate(found, 1)]
    rels = relations.find_relations(text, records)
    finds = checks.run_checks(text, records, rels)
    return Report(
        doc_id=doc_id,
        source=source,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        chars=len(text),
        meta=meta,
        quantities=records,
        relations=rels,
        findings=finds,
    )
