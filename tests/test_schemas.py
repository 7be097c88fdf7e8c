"""The output contract: records validate, values stay exact, and the published JSON Schema is current."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from schemas import Quantity, Report, decimal_str
from schemas.__main__ import report_schema

REPO = Path(__file__).resolve().parent.parent


def test_published_schema_is_current() -> None:
    assert (REPO / "schemas" / "report.schema.json").read_text(encoding="utf-8") == report_schema()


@pytest.mark.parametrize("bad", ["1e3", "NaN", "abc", "Infinity", ""])
def test_value_must_be_a_plain_decimal(bad: str) -> None:
    with pytest.raises(ValidationError):
        Quantity(id="q1", start=0, end=1, text="x", value=bad, kind="count")


def test_unknown_kind_rejected() -> None:
    with pytest.raises(ValidationError):
        Quantity(id="q1", start=0, end=1, text="x", value="1", kind="money-ish")


@given(st.decimals(allow_nan=False, allow_infinity=False, places=6, min_value=-10**15, max_value=10**15))
def test_decimal_str_round_trips(d: Decimal) -> None:
    s = decimal_str(d)
    assert "e" not in s.lower() and Decimal(s) == d


def test_report_round_trips_through_json() -> None:
    r = Report(doc_id="d", quantities=[Quantity(id="q1", start=0, end=7, text="7071万元", value="70710000",
                                                unit="元", kind="money")])
    assert Report.model_validate_json(r.model_dump_json()) == r
