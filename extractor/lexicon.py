"""Lexicons from `extractor/data/`, each read once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources


def _lines(name: str) -> list[list[str]]:
    """Rows of a data file: tab-separated, `#` comments and blank lines skipped."""
    text = resources.files("extractor.data").joinpath(name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append(line.rstrip("\n").split("\t"))
    return rows


@dataclass(frozen=True)
class Unit:
    word: str
    kind: str
    arabic_only: bool
    not_before: frozenset[str]
    canonical: str  # the unit as SPEC writes it (圆 → 元)
    compound_only: bool = False  # a unit only as the numerator of a rate (分/千瓦时)
    denominator_only: bool = False  # a unit only below a slash (元/月, 人/万人口)


@cache
def units() -> dict[str, Unit]:
    out = {}
    for row in _lines("units.tsv"):
        word, kind = row[0], row[1]
        flags = row[2] if len(row) > 2 else ""
        blockers = row[3] if len(row) > 3 else ""
        canonical = row[4] if len(row) > 4 and row[4] else word
        out[word] = Unit(word, kind, "arabic_only" in flags, frozenset(blockers.split(",")) - {""}, canonical,
                         "compound_only" in flags, "denominator" in flags.split())
    return out


@dataclass(frozen=True)
class ApproxWord:
    word: str
    position: str
    approx: str
    in_span: bool
    not_after: str = ""  # characters that, right before the word, make it part of another word (节约)


@cache
def approx_words() -> list[ApproxWord]:
    return [ApproxWord(r[0], r[1], r[2], r[3] == "yes", r[4] if len(r) > 4 else "")
            for r in _lines("approx.tsv")]


@cache
def non_mentions() -> list[str]:
    return [r[0] for r in _lines("non_mentions.tsv")]


@cache
def word_list(name: str) -> list[str]:
    """A one-column data file."""
    return [r[0] for r in _lines(name)]


@cache
def table(name: str) -> list[list[str]]:
    """A many-column data file."""
    return _lines(name)

