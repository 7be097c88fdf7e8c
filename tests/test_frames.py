"""`govnum.to_dataframe`: reports as pandas tables that join, with exact values kept."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import govnum

pd = pytest.importorskip("pandas", reason="pandas is an optional extra: pip install 'govnum[pandas]'")

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "lipu-2020h1.txt"


def test_frames_of_the_sample_match_the_report() -> None:
    report = govnum.extract_file(SAMPLE)
    other = govnum.extract("标题\n新增就业1.1万人，完成目标的110%。", doc_id="other")
    f = govnum.to_dataframe([report, other.model_dump(mode="json")])  # models or their JSON dicts
    assert list(f.documents["doc_id"]) == ["lipu-2020h1", "other"]
    assert len(f.quantities) == len(report.quantities) + len(other.quantities)
    assert len(f.findings) == len(report.findings) + len(other.findings)
    assert len(f.relations) == sum(len(r.quantities) for r in report.relations + other.relations)
    first = f.quantities.iloc[0]
    assert (first["doc_id"], first["text"]) == ("lipu-2020h1", "7071万元")
    assert first["value"] == Decimal("70710000")
    assert f.quantities["value_float"].dtype == "float64"
    # a relation's members join back onto their quantities
    joined = f.relations.merge(f.quantities, left_on=["doc_id", "quantity_id"], right_on=["doc_id", "id"])
    assert len(joined) == len(f.relations)
    statuses = f.findings.groupby("status").size().to_dict()
    assert sum(statuses.values()) == len(f.findings)


def test_one_report_and_empty_input() -> None:
    f = govnum.to_dataframe(govnum.extract("没有数字。", doc_id="none"))
    assert list(f.documents["n_quantities"]) == [0]
    assert f.quantities.empty and "value" in f.quantities.columns and "metric" in f.quantities.columns
    assert govnum.to_dataframe([]).findings.empty
