"""What a new user hits first (issue 12): the README's commands, `python -m schemas`, JSON output of
several documents, the `--text-field` hint, and the public `govnum` module."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import main
from extractor.sources import InputError, Options, discover
from schemas import Report

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "corpus" / "lipu-2020h1.txt"
README = (REPO / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    """Shell lines of the README's bash blocks (console blocks only show output)."""
    lines = []
    for block in re.findall(r"```bash\n(.*?)```", README, flags=re.S):
        lines += [ln.split("  #")[0].strip() for ln in block.splitlines() if ln.strip()]
    return lines


def test_readme_runs_govnum_from_the_venv() -> None:
    """`govnum …` alone is `command not found` unless the venv is active: say so, or use .venv/bin/."""
    activated = "source .venv/bin/activate" in README
    for line in readme_commands():
        for m in re.finditer(r"(?:^|&&\s*|;\s*)(\S*govnum)\s", line):
            assert activated or m.group(1) == ".venv/bin/govnum", line


def test_readme_text_field_exists_in_the_collection(shared: Path) -> None:
    """The README's `--text-field` names a field the national collection has."""
    cmd = next(ln for ln in readme_commands() if "national/" in ln)
    m = re.search(r"--text-field (\S+)", cmd)
    if m:
        first = (shared / "corpus" / "national").glob("*.jsonl").__next__()
        record = json.loads(first.read_text(encoding="utf-8").splitlines()[0])
        assert m.group(1) in record


def test_text_field_error_suggests_the_field(tmp_path: Path) -> None:
    coll = tmp_path / "reports.jsonl"
    coll.write_text(json.dumps({"title": "t", "url": "u", "content": "完成投资5亿元。", "year": 2020},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no text field 'text' .*; use --text-field content$"):
        discover([str(coll)], Options(text_field="text"))
    result = CliRunner().invoke(main, ["batch", str(coll), "-o", str(tmp_path / "o.jsonl"),
                                       "--text-field", "text"])
    assert result.exit_code == 2 and "use --text-field content" in result.output


def test_python_m_schemas_regenerates_the_file(tmp_path: Path) -> None:
    from schemas.__main__ import main as schemas_main
    from schemas.__main__ import report_schema

    target = tmp_path / "report.schema.json"
    target.write_text("{}\n", encoding="utf-8")
    assert schemas_main(["--check"], path=target) == 1  # stale
    assert schemas_main([], path=target) == 0
    assert target.read_text(encoding="utf-8") == report_schema()
    assert schemas_main(["--check"], path=target) == 0


def test_python_m_schemas_check_on_the_repository() -> None:
    proc = subprocess.run([sys.executable, "-m", "schemas", "--check"], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_extract_json_of_several_documents_is_one_array(tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("标题\n新增就业1.1万人。", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    result = CliRunner().invoke(main, ["extract", str(SAMPLE), str(missing), str(other), "--format", "json",
                                       "-o", str(tmp_path / "out.json")])
    assert result.exit_code == 2 and "missing.txt" in result.output
    records = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [r["doc_id"] for r in records] == ["lipu-2020h1", "other"]
    assert [Report.model_validate(r).doc_id for r in records] == ["lipu-2020h1", "other"]


def test_extract_json_of_one_document_is_one_object_and_jsonl_one_a_line(tmp_path: Path) -> None:
    one = CliRunner().invoke(main, ["extract", str(SAMPLE), "--format", "json"])
    assert json.loads(one.output)["doc_id"] == "lipu-2020h1"
    lines = CliRunner().invoke(main, ["extract", str(SAMPLE), str(SAMPLE), "--format", "jsonl"]).output
    assert [json.loads(ln)["doc_id"] for ln in lines.splitlines()] == ["lipu-2020h1"] * 2


def test_public_module_govnum() -> None:
    import govnum

    report = govnum.extract("1-6月，全镇实现规上工业总产值7071万元，同比增长10%。")
    assert isinstance(report, govnum.Report)
    assert [q.value for q in report.quantities] == ["70710000", "10"]
    from_file = govnum.extract_file(SAMPLE)
    assert from_file.doc_id == "lipu-2020h1" and from_file.source == str(SAMPLE)
    assert govnum.__version__ == __import__("extractor").__version__
    with pytest.raises(govnum.DocumentError, match="nope.txt"):
        govnum.extract_file("nope.txt")


def test_govnum_module_is_installed_as_a_top_level_module() -> None:
    """pyproject lists it, so `pip install` (not only a checkout on sys.path) provides it."""
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'py-modules\s*=\s*\["govnum"\]', text)
    proc = subprocess.run([sys.executable, "-c", "import govnum, sys; print(govnum.__file__)"],
                          cwd="/", capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_readme_commands_name_files_that_exist() -> None:
    """Word for word on a fresh clone: every file a README command reads is in the repository, in
    ../shared, or written by an earlier command of the README (`-o FILE`)."""
    made: set[str] = set()
    missing = []
    for line in readme_commands():
        words = line.split()
        if "govnum" not in [w.rsplit("/", 1)[-1] for w in words[:1]]:
            continue
        outputs = {words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-o", "--output")}
        for w in words[2:]:
            if w.startswith("-") or w in outputs or "://" in w:
                continue
            if w in made or any((base / w).exists() or list(base.glob(w)) for base in (REPO, REPO.parent)):
                continue
            if "/" in w or "." in w:  # a path, not a subcommand or an option's value
                missing.append(f"{line}: {w}")
        made |= outputs
    assert not missing, missing
