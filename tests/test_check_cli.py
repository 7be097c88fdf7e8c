"""`govnum check` end to end through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from gold_helper import TEXTS

from extractor.cli import main

BAD_SUM = "已完成整治31处4768平方米,其中硬化4108平方米、绿化700平方米。"
GOOD_SUM = "已完成整治31处4768平方米,其中硬化4108平方米、绿化660平方米。"
GRIM = "完成27家企业排污许可注册登记,占任务数的62.7%。"
SEED = TEXTS / "seed-lipu-2020h1.txt"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.output


def test_inconsistent_text_exits_1_with_the_arithmetic_and_marked_figures() -> None:
    code, out = run("--text", BAD_SUM)
    assert code == 1
    assert "INCONSISTENT (1)" in out
    assert "4108 + 700 = 4808 > 4768" in out
    assert "[[4768平方米]],其中硬化[[4108平方米]]、绿化[[700平方米]]" in out
    assert out.strip().splitlines()[-1] == ("1 document: 1 inconsistent, 0 warnings, 0 consistent; "
                                            "1 compared stated figures, 0 only derived a value")


def test_summary_counts_the_checks_that_only_derived_a_value() -> None:
    """A growth rate with no stated base is `consistent` but compared nothing: the summary says so."""
    code, out = run("--text", GOOD_SUM + "规上工业总产值7071万元，同比增长10%。", "--brief")
    assert code == 0, out
    assert "consistent (2; 1 only derived a value)" in out
    last = out.strip().splitlines()[-1]
    assert last.endswith("2 consistent; 1 compared stated figures, 1 only derived a value")


def test_consistent_text_exits_0() -> None:
    code, out = run("--text", GOOD_SUM)
    assert code == 0, out
    assert "4108 + 660 = 4768 ✓" in out


def test_warning_fails_only_with_fail_on_warning() -> None:
    code, out = run("--text", GRIM)
    assert code == 0, out
    assert "27/43 = 62.79% ≠ 62.7%" in out
    assert "WARNING (1)" in out
    assert run("--text", GRIM, "--fail-on", "warning")[0] == 1


def test_colour_highlights_figures_with_ansi() -> None:
    code, out = run("--text", BAD_SUM, "--color")
    assert code == 1
    assert "\x1b[" in out and "[[" not in out


def test_json_emits_findings_per_document(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text(BAD_SUM, encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text(GOOD_SUM, encoding="utf-8")
    code, out = run(str(a), str(b), "--format", "json")
    assert code == 1
    docs = [json.loads(line) for line in out.splitlines()]
    assert [d["doc_id"] for d in docs] == ["a", "b"]
    assert set(docs[0]) == {"doc_id", "source", "findings"}
    assert [f["status"] for f in docs[0]["findings"]] == ["inconsistent"]
    assert docs[0]["findings"][0]["check"] == "sum"
    assert [f["status"] for f in docs[1]["findings"]] == ["consistent"]
    assert docs[1]["findings"][0]["compared"] is True


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(GOOD_SUM, encoding="utf-8")
    code, out = run(str(good), str(tmp_path / "missing.txt"))
    assert code == 2
    assert "missing.txt" in out
    assert "1 unreadable" in out


def test_no_input_is_a_usage_error() -> None:
    assert run()[0] == 2


@pytest.mark.skipif(not SEED.exists(), reason="../shared corpus is absent")
def test_seed_report() -> None:
    code, out = run(str(SEED), "--brief")
    assert code == 0, out
    assert "[[27家]]企业排污许可注册登记,占任务数的[[62.7%]]" in out
    assert "0 inconsistent, 1 warning" in out.splitlines()[-1]


def test_figures_far_apart_are_shown_in_their_own_sentences() -> None:
    from extractor.check_report import highlight
    from schemas import Finding, Quantity

    text = "城镇新增就业54万人。" + "其他工作稳步推进。" * 30 + "城镇新增就业56万人。"
    qs = [Quantity(id=f"q{i}", start=text.index(t), end=text.index(t) + len(t), text=t, value=v, unit="人",
                   kind="count") for i, (t, v) in enumerate([("54万人", "540000"), ("56万人", "560000")], 1)]
    f = Finding(check="repeat", status="warning", quantities=["q1", "q2"], message="")
    shown = highlight(text, qs, f, colour=False)
    assert shown.startswith("城镇新增就业[[54万人]]。")
    assert shown.endswith("城镇新增就业[[56万人]]。")
    assert len(shown) < 120
