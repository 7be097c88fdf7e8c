"""Period attribution. FIRST CUT."""

from __future__ import annotations


def attach_periods(text: str, mentions: list, meta: object) -> None:
    return None
