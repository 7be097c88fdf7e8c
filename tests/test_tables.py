"""Tables (extractor/tables.py): units, headers and totals, on tables as text files carry them."""

from __future__ import annotations

import pytest

from extractor.pipeline import extract
from extractor.tables import parse_unit


@pytest.mark.parametrize(("word", "scale", "unit", "kind"), [
    ("亿元", 10**8, "元", "money"),
    ("万元", 10**4, "元", "money"),
    ("（万吨）", 10**4, "吨", "measure"),
    ("万亿元", 10**12, "元", "money"),
    ("%", 1, "%", "percent"),
    ("个百分点", 1, "个百分点", "percent"),
    ("万人", 10**4, "人", "count"),
    ("元", 1, "元", "money"),
])
def test_parse_unit(word: str, scale: int, unit: str, kind: str) -> None:
    u = parse_unit(word)
    assert u is not None and (u.scale, u.unit, u.kind) == (scale, unit, kind)


@pytest.mark.parametrize("word", ["指标", "2024年", "万", "县区"])
def test_not_a_unit(word: str) -> None:
    assert parse_unit(word) is None


def _cells(text: str) -> dict[str, tuple[str, str, str | None, str | None]]:
    r = extract(text)
    return {q.text: (q.value, q.unit, q.metric, q.period) for q in r.quantities if q.cell is not None}


def test_units_from_row_headers_and_a_total_column() -> None:
    text = ("2024年分季度产量\n"
            "品种\t一季度\t二季度\t合计\n"
            "粮食（万吨）\t12.5\t13.5\t26\n"
            "蔬菜（吨）\t800\t900\t1700\n")
    cells = _cells(text)
    assert cells["12.5"] == ("125000", "吨", "粮食", "一季度")
    assert cells["900"] == ("900", "吨", "蔬菜", "二季度")
    r = extract(text)
    sums = [f for f in r.findings if f.check == "sum"]
    assert [f.status for f in sums] == ["consistent", "consistent"]


def test_a_wrong_total_row_is_inconsistent_and_rates_are_not_summed() -> None:
    text = ("单位：万元\n"
            "项目\t2024年\t增长（%）\n"
            "甲\t100\t5.0\n"
            "乙\t200\t6.0\n"
            "合计\t310\t5.7\n")
    r = extract(text)
    sums = [f for f in r.findings if f.check == "sum"]
    assert len(sums) == 1 and sums[0].status == "inconsistent"  # the growth column is no sum
    assert _cells(text)["310"] == ("3100000", "元", "合计", "2024年")


def test_no_unit_no_figure() -> None:
    """A bare number whose table states no unit is not read (it may be a code or a year)."""
    assert _cells("编号\t名称\t代码\n1\t甲\t1001\n2\t乙\t1002\n") == {}


def test_prose_with_a_stray_tab_is_no_table() -> None:
    r = extract("全年完成投资1.2亿元，\t增长10%。\n下一段。")
    assert all(q.cell is None for q in r.quantities)


def test_bare_years_head_their_columns() -> None:
    cells = _cells("单位：亿元\n指标\t2023\t2024\n地区生产总值\t1200.5\t1260.8\n")
    assert set(cells) == {"1200.5", "1260.8"}
    assert cells["1260.8"][:3] == ("126080000000", "元", "地区生产总值")
