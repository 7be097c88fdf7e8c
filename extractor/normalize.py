"""An offset-preserving normalized view of the text.

STUB: owned by the loading work.
"""

from __future__ import annotations


class NormalizedText:
    """`text` is the normalized string; `span()` maps a span of it back to the original text."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.text = original

    def to_orig(self, i: int) -> int:
        return i

    def span(self, start: int, end: int) -> tuple[int, int]:
        return start, end


def normalize(text: str) -> NormalizedText:
    return NormalizedText(text)
