"""Parquet output: a folder of tables DuckDB reads, resumable and exact like the other outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import main

duckdb = pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

REPO = Path(__file__).resolve().parent.parent
DOCS = sorted((REPO / "corpus").glob("*.txt"))


def _batch(*args: str) -> str:
    result = CliRunner().invoke(main, ["batch", *args, "--workers", "1"])
    assert result.exit_code == 0, result.output
    return result.output


def _sql(out: Path, query: str) -> list[tuple]:
    tables = {t: f"read_parquet('{out}/{t}/*.parquet')" for t in
              ("documents", "quantities", "relations", "relation_quantities", "findings")}
    return duckdb.sql(query.format(**tables)).fetchall()


def test_parquet_holds_what_jsonl_holds_and_duckdb_reads_it(tmp_path: Path) -> None:
    out, ref = tmp_path / "out.parquet", tmp_path / "ref.jsonl"
    _batch(*map(str, DOCS), "-o", str(out))
    _batch(*map(str, DOCS), "-o", str(ref))
    reports = [json.loads(line) for line in ref.read_text(encoding="utf-8").splitlines()]
    want = sorted((r["doc_id"], q["id"], q["text"], q["value"], q["unit"]) for r in reports
                  for q in r["quantities"])
    got = _sql(out, "select doc_id, id, text, value, unit from {quantities} order by 1, 2")
    assert sorted(got) == want
    n_rel = sum(len(r["relations"]) for r in reports)
    assert _sql(out, "select count(*) from {relations}") == [(n_rel,)]
    assert _sql(out, "select count(*) from {findings}")[0][0] == sum(len(r["findings"]) for r in reports)
    # the documents table joins, and exact values survive as decimal strings
    (row,) = _sql(out, "select d.title, q.value from {quantities} q join {documents} d using (doc_id) "
                       "where q.text = '7071万元'")
    assert row == ("2020年上半年重点工作任务完成情况", "70710000")


def test_rerun_skips_unchanged_and_a_changed_document_replaces_its_rows(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("全镇完成工业投资3408万元，同比增长10%。", encoding="utf-8")
    (src / "b.txt").write_text("新增就业1200人。", encoding="utf-8")
    out = tmp_path / "o.parquet"
    _batch(str(src), "-o", str(out))
    assert "0 converted, 2 unchanged" in _batch(str(src), "-o", str(out))
    (src / "a.txt").write_text("全镇完成工业投资5000万元。", encoding="utf-8")
    _batch(str(src), "-o", str(out))
    got = _sql(out, "select doc_id, text from {quantities} order by 1")
    assert got == [("a", "5000万元"), ("b", "1200人")]
    assert _sql(out, "select count(*) from {documents}") == [(2,)]


def test_a_flush_cut_short_is_converted_again(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("新增就业1200人。", encoding="utf-8")
    out = tmp_path / "o.parquet"
    _batch(str(src), "-o", str(out))
    # a run killed after writing its quantities part but before its documents part
    (part,) = (out / "documents").glob("part-*.parquet")
    orphan = out / "quantities" / "part-dead-00001.parquet"
    orphan.write_bytes((out / "quantities" / part.name).read_bytes())
    part.unlink()
    assert "1 converted" in _batch(str(src), "-o", str(out))
    assert not orphan.exists()
    assert _sql(out, "select count(*) from {quantities}") == [(1,)]


def test_a_folder_govnum_did_not_write_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "mine.parquet"
    out.mkdir()
    (out / "precious.txt").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(DOCS[0]), "-o", str(out)])
    assert result.exit_code == 2
    assert "did not write" in result.output
