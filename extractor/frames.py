"""Reports as pandas DataFrames: most analysts who receive govnum's data continue in pandas.

pandas is an optional extra (`pip install 'govnum[pandas]'`): it is imported only when asked for.
Values stay exact: `value`/`value_max` hold `decimal.Decimal` objects; `value_float` is a float64 copy
for sorting, plotting and quick statistics, never for checking arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from schemas import Finding, Quantity, Report

if TYPE_CHECKING:
    import pandas as pd

DOC_FIELDS = ("doc_id", "source", "sha256", "chars", "title", "issuer", "date")


class Frames(NamedTuple):
    """One DataFrame per table, each row keyed by `doc_id` (and the record's id)."""

    documents: pd.DataFrame
    quantities: pd.DataFrame
    relations: pd.DataFrame
    findings: pd.DataFrame


def _pandas() -> Any:
    try:
        import pandas
    except ModuleNotFoundError as exc:
        raise ModuleNotFoundError("to_dataframe needs pandas: pip install 'govnum[pandas]'",
                                  name="pandas") from exc
    return pandas


def _dec(v: str | None) -> Decimal | None:
    return None if v is None else Decimal(v)


def to_dataframe(reports: Report | dict[str, Any] | Iterable[Report | dict[str, Any]]) -> Frames:
    """Documents, quantities, relations and findings of some reports (models or their JSON dicts).

    A relation is one row per member (`position`, `quantity_id`, `role`), so it joins on the
    quantities; a finding lists its quantity ids and keeps `derived` as a dict.
    """
    pd = _pandas()
    if isinstance(reports, (Report, dict)):
        reports = [reports]
    docs: list[dict[str, Any]] = []
    qs: list[dict[str, Any]] = []
    rels: list[dict[str, Any]] = []
    finds: list[dict[str, Any]] = []
    for r in reports:
        rep = r if isinstance(r, Report) else Report.model_validate(r)
        d = rep.doc_id
        meta = rep.meta.model_dump(mode="json")
        docs.append({"doc_id": d, "source": rep.source, "sha256": rep.sha256, "chars": rep.chars,
                     "title": meta.get("title"), "issuer": meta.get("issuer"), "date": meta.get("date"),
                     "n_quantities": len(rep.quantities), "n_relations": len(rep.relations),
                     "n_findings": len(rep.findings)})
        for q in rep.quantities:
            row = {"doc_id": d, **q.model_dump(mode="json")}
            row["value"], row["value_max"] = _dec(q.value), _dec(q.value_max)
            row["value_float"] = float(q.value)
            qs.append(row)
        for rel in rep.relations:
            for i, qid in enumerate(rel.quantities):
                role = rel.roles[i] if i < len(rel.roles) else None
                rels.append({"doc_id": d, "relation_id": rel.id, "type": rel.type, "position": i,
                             "quantity_id": qid, "role": role})
        for i, f in enumerate(rep.findings):
            finds.append({"doc_id": d, "seq": i, **f.model_dump(mode="json")})
    return Frames(
        documents=pd.DataFrame(docs, columns=[*DOC_FIELDS, "n_quantities", "n_relations", "n_findings"]),
        quantities=pd.DataFrame(qs, columns=["doc_id", *Quantity.model_fields, "value_float"]),
        relations=pd.DataFrame(rels, columns=["doc_id", "relation_id", "type", "position", "quantity_id",
                                              "role"]),
        findings=pd.DataFrame(finds, columns=["doc_id", "seq", *Finding.model_fields]),
    )
