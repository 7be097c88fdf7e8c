"""Consistency checks of relations (SPEC §3). STUB: owned by the relations work."""

from __future__ import annotations

from schemas import Finding, Quantity, Relation


def run_checks(text: str, quantities: list[Quantity], relations: list[Relation]) -> list[Finding]:
    return []
