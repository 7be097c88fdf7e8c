"""The pydantic models of govnum's output: the contract of SPEC.md §4.

Values are decimal strings (never floats) so that a record round-trips exactly through JSON.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Kind = Literal["money", "count", "measure", "percent", "multiple", "rank", "ratio", "grade", "other"]
Approx = Literal["about", "at_least", "at_most"]
RelationType = Literal["sum", "part_of", "completion", "growth", "change", "share", "structure", "repeat"]
Status = Literal["consistent", "inconsistent", "warning"]
Aspect = Literal["level", "growth", "change", "share", "completion", "rank"]
Modality = Literal["actual", "target", "expected"]


def decimal_str(value: Decimal) -> str:
    """Plain decimal notation without exponent or trailing zeros (SPEC §2 `value`)."""
    if not value.is_finite():
        raise ValueError(f"not a finite number: {value}")
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _check_decimal(v: str | None) -> str | None:
    if v is None:
        return v
    try:
        d = Decimal(v)
    except InvalidOperation as exc:
        raise ValueError(f"not a decimal string: {v!r}") from exc
    if not d.is_finite() or "e" in v.lower():
        raise ValueError(f"decimal string must be finite and without exponent: {v!r}")
    return v


class Cell(BaseModel):
    """Where a figure sits in a table: the document's table number, row and column (all 0-based)."""

    model_config = ConfigDict(extra="forbid")

    table: int = Field(ge=0)
    row: int = Field(ge=0)
    col: int = Field(ge=0)


class Quantity(BaseModel):
    """One quantity mention (SPEC §2). `text == document[start:end]` always holds."""

    model_config = ConfigDict(extra="forbid")

    id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    value: str
    value_max: str | None = None
    unit: str = ""
    kind: Kind
    approx: Approx | None = None
    metric: str | None = None
    period: str | None = None
    period_iso: str | None = None  # SPEC §2: 2025, 2025-06, 2020-01/2020-06, 2021/2025
    indicator: str | None = None  # a code of the indicator catalogue (SPEC §6)
    aspect: Aspect | None = None
    area: str | None = None  # a named place other than the report's own area
    modality: Modality | None = None
    page: int | None = Field(default=None, ge=1, description="1-based PDF page the figure starts on")
    cell: Cell | None = Field(default=None, description="the table cell the figure is in")

    _v = field_validator("value", "value_max")(classmethod(lambda cls, v: _check_decimal(v)))

    @property
    def decimal(self) -> Decimal:
        return Decimal(self.value)


class Relation(BaseModel):
    """An arithmetic fact the text asserts between quantities (SPEC §3).

    `roles[i]` names the part `quantities[i]` plays: total/part (sum), part/whole (part_of),
    value/percent and maybe target (completion), value/rate/base/delta (growth; delta is a stated increase),
    from/to/delta (change), part/whole/percent (share), part (structure), first/second (repeat).
    """

    model_config = ConfigDict(extra="forbid")

    id: str
    type: RelationType
    quantities: list[str]
    roles: list[str] = Field(default_factory=list)


class Finding(BaseModel):
    """The result of one check (SPEC §3): the arithmetic is shown in `message`."""

    model_config = ConfigDict(extra="forbid")

    check: RelationType
    status: Status
    quantities: list[str]
    message: str
    relation: str | None = None
    derived: dict[str, str] = Field(default_factory=dict)
    compared: bool | None = Field(True, description=(
        "False when nothing stated could contradict the finding: it only derived a value (an implied "
        "base, target or earlier value) from the figures given; None when not recorded (older output)."))


class Meta(BaseModel):
    """Document metadata, mostly from the header block of published government pages."""

    model_config = ConfigDict(extra="allow")

    title: str | None = None
    issuer: str | None = None
    date: str | None = None


class Report(BaseModel):
    """Everything govnum read from one document."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    source: str | None = None
    sha256: str | None = None
    chars: int = 0
    format: Literal["text", "html", "pdf", "docx"] | None = None  # the input format its reader took it for
    meta: Meta = Field(default_factory=Meta)
    quantities: list[Quantity] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)


__all__ = [
    "Approx", "Aspect", "Cell", "Finding", "Kind", "Meta", "Modality", "Quantity",
    "Relation", "RelationType", "Report", "Status",
    "decimal_str",
]
