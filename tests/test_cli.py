"""End-to-end: the `govnum` command as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from extractor.cli import main
from schemas import Report

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "corpus" / "lipu-2020h1.txt"


def test_version_and_help() -> None:
    runner = CliRunner()
    assert "govnum, version" in runner.invoke(main, ["--version"]).output
    out = runner.invoke(main, ["--help"]).output
    for command in ("extract", "eval", "batch", "check"):
        assert command in out


def test_extract_text_jsonl() -> None:
    result = CliRunner().invoke(main, ["extract", "--text", "标题\n完成自营出口5715万元，同比增长10%。"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output.strip())
    assert record["doc_id"] == "text"
    assert [(q["text"], q["value"], q["unit"]) for q in record["quantities"]] == [
        ("5715万元", "57150000", "元"), ("10%", "10", "%")]


def test_extract_file_json_to_output(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = CliRunner().invoke(main, ["extract", str(SAMPLE), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    report = Report.model_validate_json(out.read_text(encoding="utf-8"))
    text = SAMPLE.read_text(encoding="utf-8")
    assert report.doc_id == "lipu-2020h1"
    assert len(report.quantities) > 80
    assert all(text[q.start:q.end] == q.text for q in report.quantities)
    assert report.meta.title == "2020年上半年重点工作任务完成情况"


def test_extract_bad_file_names_it_and_goes_on(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    good = tmp_path / "good.txt"
    good.write_text("标题\n新增就业1.1万人。", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(bad), str(good)])
    assert result.exit_code == 2
    assert "empty.txt" in result.output  # the error names the file (stderr is mixed in by CliRunner)
    assert json.loads(result.output.strip().splitlines()[-1])["doc_id"] == "good"


def test_extract_needs_input() -> None:
    assert CliRunner().invoke(main, ["extract"]).exit_code == 2


def test_console_script_runs_on_the_sample() -> None:
    exe = Path(sys.executable).parent / "govnum"
    proc = subprocess.run([str(exe), "extract", str(SAMPLE)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["quantities"][0]["text"] == "7071万元"


def test_eval_on_bundled_gold() -> None:
    result = CliRunner().invoke(main, ["eval", str(REPO / "corpus" / "gold"), "--root", str(REPO), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output.strip().splitlines()[-1])
    assert scores["precision"] >= 0.97 and scores["recall"] >= 0.97
