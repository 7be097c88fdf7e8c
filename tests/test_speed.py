"""Speed mechanisms that must not change results, and a coarse bound that catches quadratic behaviour.

Speed itself is measured by bench/speed.py; the bound here compares CPU time of one text against the same
text four times as long (linear: about 4x; quadratic: 16x), so machine load does not make it flaky
(CPU time of the test's thread, garbage collection held off while it runs).
"""

from __future__ import annotations

import gc
import re
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import extract
from extractor import period as P
from extractor import quantities as Q
from extractor.firstchars import first_chars

REPO = Path(__file__).resolve().parent.parent
# Number-dense text as statistical bulletins are: 9 figures, two growth relations and a structure.
DENSE = ("全市地区生产总值1.5万亿元，比上年增长5.2%。其中，第二产业增加值5800亿元，第三产业增加值8000亿元，"
         "三次产业结构为8.0:38.7:53.3。全年粮食产量85.3万吨，增长2.0%。\n")


def _matches(pattern: Any, text: str) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


@pytest.mark.parametrize(("pattern", "first"), [
    ("abc|d", "a d"),
    ("(?:x?y)+z", "x y"),
    ("(?<!q)[0-9]+", "0-9"),
    ("(?:(?<=a)|^)-?[1-3]", "\\- 1-3"),
    ("(?P<y>a)|(?P<y>b)", "a b"),  # duplicate names, as `regex` allows
    ("a?", None),  # may match empty
    (r"\d+", None),  # a category: too broad to list
    (".x", None),
])
def test_first_chars(pattern: str, first: str | None) -> None:
    assert first_chars(pattern) == (None if first is None else first.replace(" ", ""))


def _period_alternation() -> str:
    return P.iso_alternation()  # the rows of period_words.tsv, unguarded


# every literal character of the scanners (numerals, units, approximation and period words, signs)
ALPHABET = sorted({c for c in Q._scanner_source() + _period_alternation() if not c.isascii()}
                  | set("0123456789.%-:，。、 \n增长的"))


def _same_matches(text: str) -> None:
    assert _matches(Q._pattern(), text) == _matches(re.compile(Q._scanner_source()), text)
    period = _period_alternation()
    assert _matches(P._iso_rules()[0], text) == _matches(re.compile(period), text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_lookahead_keeps_the_scanners_matches(text: str) -> None:
    _same_matches(text)


def test_lookahead_keeps_the_scanners_matches_on_reports() -> None:
    for path in sorted((REPO / "corpus").glob("*.txt")):
        _same_matches(path.read_text(encoding="utf-8"))


def _cpu(text: str) -> float:
    """CPU time of this thread alone, without a garbage collection of other tests' objects in it."""
    gc.collect()
    gc.disable()
    try:
        start = time.thread_time()
        extract(text)
        return time.thread_time() - start
    finally:
        gc.enable()


def test_time_grows_linearly_with_a_dense_document() -> None:
    small = "统计公报\n" + DENSE * 150  # ~15k characters, ~1,350 quantities
    large = "统计公报\n" + DENSE * 600
    extract(small)  # warm up: lexicons, patterns, the jieba shards these characters need
    t_small = min(_cpu(small) for _ in range(2))
    t_large = _cpu(large)
    assert t_large < 8 * t_small + 0.2, (t_small, t_large)  # linear is ~4x, quadratic ~16x


def test_time_grows_linearly_with_a_long_line() -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "corpus").glob("*.txt")))
    line = (text.replace("\n", "") * 5)[:50_000]
    extract(line)
    t_small = min(_cpu(line) for _ in range(2))
    t_large = _cpu(line * 4)
    assert t_large < 8 * t_small + 0.2, (t_small, t_large)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab \t\n", max_size=40))
def test_tab_runs_as_before_the_linear_pattern(text: str) -> None:
    from extractor.readers.text import _TAB_RUN

    quadratic = re.compile(r"(?:^[^\n]*\t[^\n]*(?:\n|$)){2,}", re.M)  # the pattern it replaced
    assert [m.span() for m in _TAB_RUN.finditer(text)] == [m.span() for m in quadratic.finditer(text)]


@pytest.mark.parametrize("was_on", [True, False])
def test_the_cycle_collector_is_paused_for_a_document_and_restored(was_on: bool,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    real = Q.find_quantities

    def spy(doc):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        if doc.text == "坏":
            raise RuntimeError("a stage fails")
        return real(doc)

    monkeypatch.setattr(Q, "find_quantities", spy)
    (gc.enable if was_on else gc.disable)()
    try:
        assert extract("规上工业总产值7071万元，同比增长10%。").quantities
        assert gc.isenabled() is was_on
        with pytest.raises(RuntimeError):
            extract("坏")
        assert gc.isenabled() is was_on  # restored after a failure too
    finally:
        gc.enable()
    assert seen == [False, False]


def test_the_timeline_grows_linearly_with_the_sections() -> None:
    """A heading's period is read from the phrases inside it; looking them up must not rescan them all."""
    from extractor.document import Document

    section = ("（一）2024年工作回顾\n"
               "2024年全市地区生产总值1.5万亿元，比2023年增长5.2%，今年完成投资1.2亿元。\n")

    def cpu(n: int) -> float:
        doc = Document.from_text("政府工作报告\n" + section * n)
        doc.headings  # noqa: B018  (built before the clock starts: the timeline's own work is timed)
        start = time.thread_time()
        P.timeline(doc)
        return time.thread_time() - start

    cpu(50)
    t_small = min(cpu(500) for _ in range(2))
    t_large = cpu(2000)
    assert t_large < 8 * t_small + 0.05, (t_small, t_large)  # linear is ~4x, quadratic ~16x
