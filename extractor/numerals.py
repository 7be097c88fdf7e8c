"""The numeral engine: Chinese/Arabic number text -> exact Decimal.

STUB: owned by the numerals work; the interface below is the contract other stages use.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


class NumeralError(ValueError):
    """Malformed number text: raised instead of ever returning a wrong value."""


@dataclass(frozen=True)
class Reading:
    """A number as written: value (and upper end of a range), approximation, percent-like unit.

    `unit_hint` is "%" for 百分之N / N成, "‰" for 千分之N, and None otherwise; `fraction` is True
    for N分之M and 一半 (value rounded half-even to 4 places).
    """

    value: Decimal
    value_max: Decimal | None = None
    approx: str | None = None  # "about" | "at_least" | "at_most"
    unit_hint: str | None = None
    fraction: bool = False


def parse_number(text: str) -> Decimal:
    """One exact number (Arabic, Chinese, financial or mixed, with scale words) -> Decimal."""
    try:
        return Decimal(text.replace(",", ""))
    except Exception as exc:  # noqa: BLE001 - stub
        raise NumeralError(f"not a number: {text!r}") from exc


def read_number(text: str) -> Reading:
    """A number with approximation words, ranges, fractions, 百分之/成 -> Reading."""
    return Reading(parse_number(text))
