"""Sentences and clauses: boundary offsets into the original text, computed once per document.

A sentence ends at 。！？； (or their ASCII forms) and at a line break; a clause also ends at ，：（）《》.
The 、 of a list is not a clause boundary: a list subject (`额温枪、耳温枪…等物资`) stays whole, and the
metric stage splits lists of figures itself.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_SENTENCE_END = re.compile(r"[。！？；!?;\n]")
_CLAUSE_END = re.compile(r"[。！？；!?;，,：:（(）)\n《》]")


class Segmenter:
    """Boundary positions (just after each stop character), looked up by bisection."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        self._clause_ends = [m.end() for m in _CLAUSE_END.finditer(text)]

    @property
    def sentence_ends(self) -> list[int]:
        """Every sentence boundary, in order (the position just after its stop character)."""
        return self._sentence_ends

    def same_sentence(self, a: int, b: int) -> bool:
        """No sentence ends within text[a:b]."""
        i = bisect_right(self._sentence_ends, a)
        return i == len(self._sentence_ends) or self._sentence_ends[i] > b

    def sentence(self, pos: int) -> tuple[int, int]:
        """The sentence containing `pos`, as [start, end) including its closing punctuation."""
        i = bisect_right(self._sentence_ends, pos)
        start = self._sentence_ends[i - 1] if i else 0
        end = self._sentence_ends[i] if i < len(self._sentence_ends) else len(self.text)
        return start, end

    def clause_stops(self, lo: int, hi: int) -> list[int]:
        """Clause boundaries in (lo, hi]: the positions just after each stop character."""
        return self._clause_ends[bisect_right(self._clause_ends, lo):bisect_right(self._clause_ends, hi)]

    def clause_start(self, pos: int) -> int:
        i = bisect_left(self._clause_ends, pos + 1)
        return self._clause_ends[i - 1] if i else 0
