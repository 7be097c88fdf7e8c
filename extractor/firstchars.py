"""The characters a regular expression's match can start with, for a lookahead that skips the rest.

A pattern that begins with optional parts or with an alternation of many rules (the quantity scanner, the
period words of data/period_words.tsv) gives the engine no first character to search for, so it tries the
whole pattern at every position of the text. Prefixed with `(?=[…])` over the characters a match can
start with, both `re` and `regex` skip the other positions at C speed (3-10x faster scans, same matches).

The set is computed from the pattern itself (the standard library's parser), so a new rule or lexicon
entry cannot make it stale; where it cannot be computed (a match may start with any character, or be
empty) no lookahead is added.
"""

from __future__ import annotations

import re
from typing import Any

try:  # the standard library's own parser of regular expressions
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

_MAX_REPEAT = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}  # possessive: 3.11+
_ZERO_WIDTH = {C.ASSERT, C.ASSERT_NOT, C.AT}


class _Any(Exception):
    """A match may start with (almost) any character: no useful lookahead."""


def _first(items: Any, out: set[tuple[int, int]]) -> bool:
    """Add the first-character ranges of a sequence to `out`; True when the sequence can match empty."""
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op == C.LITERAL:
            out.add((av, av))
            return False
        if op == C.IN:
            for sop, sav in av:
                if sop == C.LITERAL:
                    out.add((sav, sav))
                elif sop == C.RANGE:
                    out.add(sav)
                else:  # NEGATE, CATEGORY (\d, \w …): too broad to list
                    raise _Any
            return False
        if op == C.SUBPATTERN:
            if not _first(av[-1], out):
                return False
            continue
        if op == C.BRANCH:
            empty = False
            for branch in av[1]:
                empty |= _first(branch, out)
            if not empty:
                return False
            continue
        if op in _MAX_REPEAT:
            low, _high, sub = av
            if not _first(sub, out) and low > 0:
                return False
            continue
        raise _Any  # ANY, NOT_LITERAL, GROUPREF, conditionals …
    return True


def first_chars(pattern: str) -> str | None:
    """A character class body (ranges escaped) of every character a match of `pattern` can start with;
    None when that cannot be bounded. Duplicate group names (allowed by `regex`) are renamed to parse."""
    seen: dict[str, int] = {}

    def rename(m: re.Match[str]) -> str:
        seen[m.group(1)] = seen.get(m.group(1), 0) + 1
        return f"(?P<{m.group(1)}_{seen[m.group(1)]}>"

    try:
        parsed = _parser.parse(re.sub(r"\(\?P<(\w+)>", rename, pattern))
        ranges: set[tuple[int, int]] = set()
        if _first(parsed, ranges):
            return None
    except (_Any, re.error):
        return None
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                   for a, b in sorted(ranges))


def guarded(pattern: str) -> str:
    """`pattern` behind a lookahead on its first characters (unchanged when they cannot be bounded)."""
    chars = first_chars(pattern)
    return pattern if chars is None else f"(?=[{chars}])(?:{pattern})"
