"""Metric attribution. FIRST CUT."""

from __future__ import annotations


def attach_metrics(text: str, mentions: list) -> None:
    return None
