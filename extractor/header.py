"""The header block and web debris of published government pages.

STUB: owned by the loading work.
"""

from __future__ import annotations

from schemas import Meta


def parse_header(text: str) -> tuple[Meta, list[tuple[int, int]]]:
    """Return the document's metadata and the spans (header fields, web debris) that are not content."""
    return Meta(), []
