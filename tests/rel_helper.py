"""Build Quantity records over a real sentence by naming its figures in order."""

from __future__ import annotations

from schemas import Quantity


def quantities(text: str, figures: list[tuple[str, str, str, str] | tuple[str, str, str, str, str]]
               ) -> list[Quantity]:
    """figures: (surface, value, unit, kind[, approx]) in text order; ids q1, q2, …"""
    out: list[Quantity] = []
    pos = 0
    for n, fig in enumerate(figures, 1):
        surface, value, unit, kind = fig[:4]
        start = text.index(surface, pos)
        out.append(Quantity(id=f"q{n}", start=start, end=start + len(surface), text=surface, value=value,
                            unit=unit, kind=kind, approx=fig[4] if len(fig) > 4 else None))  # type: ignore[misc]
        pos = start + len(surface)
    return out
