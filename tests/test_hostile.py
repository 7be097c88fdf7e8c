"""Hostile input: nothing but the project's typed errors, and no blow-up on pathological runs.

Speed itself is measured by bench/ (doubling a 1.7 MB one-line text doubles the time); here the inputs
are sized so that quadratic behaviour would show as a test taking minutes instead of a second.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor import extract

PATHOLOGICAL = {
    "digits": "1" * 100_000,
    "wan": "万" * 100_000,
    "digit_then_wan": "1" + "万" * 100_000 + "元",
    "chinese_numerals": "一二三四五六七八九十" * 10_000 + "元",
    "thousands_separators": "1,000" * 20_000 + "元",
    "percent_signs": "5%" * 50_000,
    "ratios": "1:2:" * 25_000,
    "quotes": "“六稳" * 30_000,
    "approx_words": "约超近" * 30_000 + "5元",
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_runs(name: str) -> None:
    text = "标题\n" + PATHOLOGICAL[name]
    report = extract(text)
    for q in report.quantities:
        assert text[q.start:q.end] == q.text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=0, max_size=300))
def test_random_unicode_never_raises(text: str) -> None:
    report = extract(text)
    for q in report.quantities:
        assert text.removeprefix("\ufeff")[q.start:q.end] == q.text


NUMERIC = ("0123456789０１２３４５６７８９.,，%％:：-~至到"
           "一二两三十百千万亿零〇点分之成多余约超近以上左右元万亿个家人次名第")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=NUMERIC + "增长完成其中共计，。、\n ", min_size=1, max_size=80))
def test_numeric_soup_never_raises(text: str) -> None:
    report = extract("标题\n" + text)
    for q in report.quantities:
        assert ("标题\n" + text)[q.start:q.end] == q.text
        assert q.value  # a decimal string, validated by the schema
