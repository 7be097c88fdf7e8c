"""govnum: every quantity a Chinese government report states, as validated, checked data."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from schemas import Report


def extract(text: str, doc_id: str = "text", source: str | None = None) -> Report:
    """Extract quantities, relations and findings from one document's text."""
    from .pipeline import extract as _extract

    return _extract(text, doc_id=doc_id, source=source)


__all__ = ["__version__", "extract"]
