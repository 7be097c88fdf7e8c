"""Relations between quantities (SPEC §3). STUB: owned by the relations work."""

from __future__ import annotations

from schemas import Quantity, Relation


def find_relations(text: str, quantities: list[Quantity]) -> list[Relation]:
    return []
