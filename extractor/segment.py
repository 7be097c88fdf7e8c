"""Sentences and clauses with offsets into the text (no copies of the text are made)."""

from __future__ import annotations

from bisect import bisect_right

import regex

# A sentence ends at 。！？；, a line break, or their ASCII forms; a clause also at ，、：.
_SENTENCE_END = regex.compile(r"[。！？；!?;]+|\n+")
_CLAUSE_END = regex.compile(r"[。！？；!?;，,、：:]+|\n+")


class Segmenter:
    """Sentence and clause boundaries of one text, computed once and looked up by bisect."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._sent_starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
        self._clause_starts = [0] + [m.end() for m in _CLAUSE_END.finditer(text)]

    @staticmethod
    def _around(starts: list[int], pos: int, n: int) -> tuple[int, int]:
        i = bisect_right(starts, pos) - 1
        start = starts[max(i, 0)]
        end = starts[i + 1] if i + 1 < len(starts) else n
        return start, end

    def sentence(self, pos: int) -> tuple[int, int]:
        """The sentence containing `pos`, as [start, end) including its closing punctuation."""
        return self._around(self._sent_starts, pos, len(self.text))

    def clause(self, pos: int) -> tuple[int, int]:
        """The clause containing `pos`."""
        return self._around(self._clause_starts, pos, len(self.text))

    def sentence_index(self, pos: int) -> int:
        return bisect_right(self._sent_starts, pos) - 1
