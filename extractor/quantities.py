"""Mention detection (SPEC §1). FIRST CUT: replaced by the real detector."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import regex

from schemas import Quantity, decimal_str

from .normalize import NormalizedText


@dataclass
class Mention:
    """A quantity mention while the pipeline works on it (values still Decimal)."""

    start: int
    end: int
    text: str
    value: Decimal
    unit: str
    kind: str
    value_max: Decimal | None = None
    approx: str | None = None
    metric: str | None = None
    period: str | None = None

    def to_record(self, qid: str) -> Quantity:
        return Quantity(
            id=qid, start=self.start, end=self.end, text=self.text, value=decimal_str(self.value),
            value_max=None if self.value_max is None else decimal_str(self.value_max), unit=self.unit,
            kind=self.kind, approx=self.approx, metric=self.metric, period=self.period,  # type: ignore[arg-type]
        )


_NUM = regex.compile(r"\d+(?:\.\d+)?(%|万元|亿元|元|家|个|人)?")


def find_quantities(text: str, norm: NormalizedText, skip: list[tuple[int, int]]) -> list[Mention]:
    out = []
    for m in _NUM.finditer(text):
        unit = m.group(1) or ""
        out.append(Mention(m.start(), m.end(), m.group(), Decimal(m.group().rstrip("%万亿元家个人")), unit,
                           "percent" if unit == "%" else "other"))
    return out
