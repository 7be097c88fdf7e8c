"""Output writers of `govnum batch`: schema, replacement by content hash, interrupted-write recovery."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from extractor import store as st
from schemas import Finding, Meta, Quantity, Relation, Report

TEXT = "完成内资13983万元，其中市外到位资金8896万元。"


def make_report(doc_id: str, sha: str = "a" * 64, n: int = 2, title: str | None = "半年总结") -> Report:
    """A small but complete Report: quantities, a relation with roles, a finding."""
    qs = [
        Quantity(id="q1", start=4, end=12, text="13983万元", value="139830000", unit="元", kind="money",
                 metric="内资"),
        Quantity(id="q2", start=21, end=28, text="8896万元", value="88960000", unit="元", kind="money",
                 metric="市外到位资金"),
    ][:n]
    rels, finds = [], []
    if n == 2:
        rels = [Relation(id="r1", type="part_of", quantities=["q1", "q2"], roles=["whole", "part"])]
        finds = [Finding(check="part_of", status="consistent", quantities=["q2", "q1"],
                         message="8896 ≤ 13983 ✓", relation="r1")]
    return Report(doc_id=doc_id, source=f"{doc_id}.txt", sha256=sha, chars=len(TEXT),
                  meta=Meta(title=title, issuer="某镇人民政府"), quantities=qs, relations=rels,
                  findings=finds)


TABLES = ("documents", "quantities", "relations", "relation_quantities", "findings", "errors")


def sqlite_counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0]
                for t in TABLES}
    finally:
        con.close()


# ------------------------------------------------------------------------------------------ sqlite


def test_sqlite_schema_keys_indexes_view(tmp_path: Path) -> None:
    db = tmp_path / "out.sqlite"
    s = st.open_store(str(db))
    s.write("d1", "a" * 64, make_report("d1"), {"level": "town"})
    s.close()
    insp = sa.inspect(sa.create_engine(f"sqlite:///{db}"))
    assert set(insp.get_table_names()) >= {"documents", "quantities", "relations", "relation_quantities",
                                           "findings", "errors"}
    assert insp.get_pk_constraint("quantities")["constrained_columns"] == ["doc_id", "id"]
    fks = {tuple(fk["constrained_columns"]): fk["referred_table"]
           for fk in insp.get_foreign_keys("relation_quantities")}
    assert fks == {("doc_id", "relation_id"): "relations", ("doc_id", "quantity_id"): "quantities"}
    indexes = {ix["name"] for ix in insp.get_indexes("quantities")}
    assert indexes >= {"ix_quantities_kind", "ix_quantities_metric"}
    assert st.VIEW_NAME in insp.get_view_names()
    con = sqlite3.connect(db)
    sql = f'select doc_id, id, "end", value, title, sha256 from {st.VIEW_NAME} order by seq'
    row = con.execute(sql).fetchall()
    assert row == [("d1", "q1", 12, "139830000", "半年总结", "a" * 64),
                   ("d1", "q2", 28, "88960000", "半年总结", "a" * 64)]
    links = con.execute("select relation_id, position, quantity_id, role from relation_quantities").fetchall()
    assert links == [("r1", 0, "q1", "whole"), ("r1", 1, "q2", "part")]
    attrs, meta = con.execute("select attrs, meta from documents").fetchone()
    assert json.loads(attrs) == {"level": "town"} and "某镇人民政府" in meta  # readable, not \\u-escaped
    assert json.loads(con.execute("select quantities from findings").fetchone()[0]) == ["q2", "q1"]


def test_sqlite_foreign_keys_are_enforced(tmp_path: Path) -> None:
    db = tmp_path / "out.db"
    s = st.open_store(str(db))
    engine = s.engine  # type: ignore[attr-defined]
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(st.quantities.insert(), [{"doc_id": "nope", "id": "q1", "seq": 0, "start": 0, "end": 1,
                                               "text": "1", "value": "1", "unit": "", "kind": "count"}])
    s.close()


def test_sqlite_rewrite_replaces_and_errors_clear(tmp_path: Path) -> None:
    db = tmp_path / "out.sqlite"
    s = st.open_store(str(db))
    s.write("d1", "a" * 64, make_report("d1"), {})
    s.write("d2", "b" * 64, make_report("d2"), {})
    s.fail("d3", "d3.txt", "empty document", None)
    assert s.known() == {"d1": "a" * 64, "d2": "b" * 64}
    # d1 changed: one quantity now; its old rows must go, d2's stay.
    s.write("d1", "c" * 64, make_report("d1", "c" * 64, n=1), {})
    # d3 fails again (one error row), then succeeds (error row gone).
    s.fail("d3", "d3.txt", "still empty", None)
    assert sqlite_counts(db)["errors"] == 1
    s.write("d3", "d" * 64, make_report("d3", "d" * 64), {})
    s.close()
    assert sqlite_counts(db) == {"documents": 3, "quantities": 5, "relations": 2, "relation_quantities": 4,
                                 "findings": 2, "errors": 0}
    assert st.open_store(str(db)).known()["d1"] == "c" * 64


def test_a_failed_write_leaves_the_old_version(tmp_path: Path) -> None:
    """One transaction per document: a write that dies half-way keeps the previous rows."""
    db = tmp_path / "out.sqlite"
    s = st.open_store(str(db))
    s.write("d1", "a" * 64, make_report("d1"), {})
    bad = make_report("d1", "b" * 64)
    bad.relations[0].quantities = ["q1", "q9"]  # q9 does not exist: the foreign key fails mid-write
    with pytest.raises(sa.exc.IntegrityError):
        s.write("d1", "b" * 64, bad, {})
    assert s.known() == {"d1": "a" * 64}
    assert sqlite_counts(db)["quantities"] == 2


# ------------------------------------------------------------------------------------------- jsonl


def test_jsonl_lines_are_reports_and_changed_docs_replace(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    s = st.open_store(str(out))
    s.write("d1", "a" * 64, make_report("d1"), {})
    s.write("d2", "b" * 64, make_report("d2", "b" * 64), {})
    s.close()
    s = st.open_store(str(out))
    assert s.known() == {"d1": "a" * 64, "d2": "b" * 64}
    s.write("d1", "c" * 64, make_report("d1", "c" * 64, n=1), {})
    s.close()
    lines = out.read_text(encoding="utf-8").splitlines()
    reports = [Report.model_validate_json(ln) for ln in lines]
    assert [(r.doc_id, r.sha256, len(r.quantities)) for r in reports] == [
        ("d1", "c" * 64, 1), ("d2", "b" * 64, 2)]
    assert lines[1] == make_report("d2", "b" * 64).model_dump_json()


def test_jsonl_truncated_last_line_is_dropped_before_appending(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    s = st.open_store(str(out))
    s.write("d1", "a" * 64, make_report("d1"), {})
    s.close()
    whole = make_report("d2", "b" * 64).model_dump_json()
    with out.open("a", encoding="utf-8") as fh:
        fh.write(whole[: len(whole) // 2])  # killed mid-write
    s = st.open_store(str(out))
    assert s.known() == {"d1": "a" * 64}
    s.write("d2", "b" * 64, make_report("d2", "b" * 64), {})
    s.close()
    assert [json.loads(ln)["doc_id"] for ln in out.read_text(encoding="utf-8").splitlines()] == ["d1", "d2"]


def test_jsonl_duplicate_left_by_an_interrupted_run_is_compacted(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(make_report("d1").model_dump_json() + "\n"
                   + make_report("d1", "c" * 64, n=1).model_dump_json() + "\n", encoding="utf-8")
    s = st.open_store(str(out))
    assert s.known() == {"d1": "c" * 64}
    s.close()
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1


def test_errors_jsonl_beside_output(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    errs = tmp_path / "out.jsonl.errors.jsonl"
    s = st.open_store(str(out))
    s.fail("d1", "d1.txt", "binary content", None)
    s.fail("d2", "d2.txt", "empty document", None)
    s.close()
    recs = [json.loads(ln) for ln in errs.read_text("utf-8").splitlines()]
    assert {r["doc_id"]: r["reason"] for r in recs} == {"d1": "binary content", "d2": "empty document"}
    s = st.open_store(str(out))
    s.fail("d2", "d2.txt", "empty document", None)  # still failing: once, not twice
    s.write("d1", "a" * 64, make_report("d1"), {})  # fixed: no longer an error
    s.close()
    assert [json.loads(ln)["doc_id"] for ln in errs.read_text("utf-8").splitlines()] == ["d2"]
    s = st.open_store(str(out))
    s.write("d2", "b" * 64, make_report("d2", "b" * 64), {})
    s.close()
    assert not errs.exists()


# --------------------------------------------------------------------------------------------- csv


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_bom_one_quantity_a_row_and_empty_docs(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    s = st.open_store(str(out))
    s.write("d1", "a" * 64, make_report("d1"), {})
    s.write("d0", "0" * 64, make_report("d0", "0" * 64, n=0, title=None), {})
    s.close()
    raw = out.read_bytes()
    assert raw.startswith("\ufeffdoc_id,".encode()) and raw.count("\ufeff".encode()) == 1
    rows = read_csv(out)
    assert [(r["doc_id"], r["id"], r["value"], r["title"], r["doc_quantities"]) for r in rows] == [
        ("d1", "q1", "139830000", "半年总结", "2"), ("d1", "q2", "88960000", "半年总结", "2"),
        ("d0", "", "", "", "0")]
    s = st.open_store(str(out))
    assert s.known() == {"d1": "a" * 64, "d0": "0" * 64}
    s.write("d1", "c" * 64, make_report("d1", "c" * 64, n=1), {})
    s.close()
    assert [(r["doc_id"], r["id"]) for r in read_csv(out)] == [("d0", ""), ("d1", "q1")]


@pytest.mark.parametrize("cut", [1, 40, 200])
def test_csv_document_cut_short_is_dropped(tmp_path: Path, cut: int) -> None:
    out = tmp_path / "out.csv"
    s = st.open_store(str(out))
    s.write("d1", "a" * 64, make_report("d1"), {})
    s.write("d2", "b" * 64, make_report("d2", "b" * 64), {})
    s.close()
    data = out.read_bytes()
    out.write_bytes(data[:-cut])  # the last document's rows, cut short at some byte
    s = st.open_store(str(out))
    assert s.known() == {"d1": "a" * 64}
    s.write("d2", "b" * 64, make_report("d2", "b" * 64), {})
    s.close()
    assert out.read_bytes() == data


# -------------------------------------------------------------------------------------- dispatching


def test_open_store_by_suffix_and_url(tmp_path: Path) -> None:
    assert isinstance(st.open_store(str(tmp_path / "a.jsonl")), st.JsonlStore)
    assert isinstance(st.open_store(str(tmp_path / "a.CSV")), st.CsvStore)
    for name in ("a.sqlite", "a.db", "a.sqlite3"):
        assert isinstance(st.open_store(str(tmp_path / name)), st.SqlStore)
    assert isinstance(st.open_store(f"sqlite:///{tmp_path / 'u.sqlite'}"), st.SqlStore)
    with pytest.raises(ValueError, match="output format"):
        st.open_store(str(tmp_path / "a.xlsx"))
    assert st.normalize_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert st.normalize_url("postgresql+psycopg2://u@h/db") == "postgresql+psycopg2://u@h/db"


def test_files_govnum_did_not_write_are_refused(tmp_path: Path) -> None:
    other = tmp_path / "notes.jsonl"
    other.write_text('{"note": "mine"}\n{"note": "also mine"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="did not write"):
        st.open_store(str(other))
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("name,amount\n甲,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="did not write"):
        st.open_store(str(sheet))
    assert other.read_text(encoding="utf-8").count("mine") == 2 and "甲" in sheet.read_text(encoding="utf-8")


def test_csv_header_cut_short_starts_afresh(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    s = st.open_store(str(out))
    s.write("d1", "a" * 64, make_report("d1"), {})
    s.close()
    data = out.read_bytes()
    out.write_bytes(data[:30])
    s = st.open_store(str(out))
    assert s.known() == {}
    s.write("d1", "a" * 64, make_report("d1"), {})
    s.close()
    assert out.read_bytes() == data


@pytest.mark.parametrize("name", ["out.sqlite", "out.jsonl", "out.csv"])
def test_the_given_doc_id_is_the_key(tmp_path: Path, name: str) -> None:
    s = st.open_store(str(tmp_path / name))
    s.write("given", "a" * 64, make_report("text"), {})
    s.write("given", "b" * 64, make_report("text", "b" * 64), {})
    s.close()
    assert st.open_store(str(tmp_path / name)).known() == {"given": "b" * 64}


# ------------------------------------------------------------------------- issue 12's rough edges


def test_sqlite_value_num_sorts_as_numbers_and_value_stays_exact(tmp_path: Path) -> None:
    db = tmp_path / "out.sqlite"
    s = st.open_store(str(db))
    r = make_report("d1")
    r.quantities[1].value = "88960000.125"
    s.write("d1", "a" * 64, r, {})
    s.write("d2", "b" * 64, make_report("d2", "b" * 64, n=1), {})
    s.close()
    con = sqlite3.connect(db)
    assert con.execute("select typeof(value), typeof(value_num) from quantities limit 1").fetchone() == (
        "text", "real")
    assert con.execute("select max(value) from quantities").fetchone()[0] == "88960000.125"  # as strings
    assert con.execute("select max(value_num) from quantities").fetchone()[0] == 139830000  # as numbers
    assert [v for (v,) in con.execute("select value from quantities order by value_num")] == [
        "88960000.125", "139830000", "139830000"]
    assert con.execute(f"select count(*) from {st.VIEW_NAME} where value_num > 1e8").fetchone()[0] == 2


def test_an_older_database_gains_the_numeric_columns(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    s = st.open_store(str(db))
    s.write("d1", "a" * 64, make_report("d1"), {})
    s.close()
    con = sqlite3.connect(db)  # as govnum before value_num: drop the columns and the view
    con.execute(f"drop view {st.VIEW_NAME}")
    con.execute("alter table quantities drop column value_num")
    con.execute("alter table quantities drop column value_max_num")
    con.commit()
    con.close()
    s = st.open_store(str(db))
    assert s.known() == {"d1": "a" * 64}
    s.close()
    con = sqlite3.connect(db)
    assert con.execute(f"select value_num from {st.VIEW_NAME} order by value_num").fetchall() == [
        (88960000.0,), (139830000.0,)]


def test_csv_relations_and_findings_beside_the_quantities(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    s = st.open_store(str(out))
    s.write("d1", "a" * 64, make_report("d1"), {})
    s.write("d0", "0" * 64, make_report("d0", "0" * 64, n=0), {})
    s.close()
    rels = read_csv(tmp_path / "out.relations.csv")
    finds = read_csv(tmp_path / "out.findings.csv")
    assert [(r["doc_id"], r["id"], r["type"], json.loads(r["quantities"]), json.loads(r["roles"]))
            for r in rels] == [("d1", "r1", "part_of", ["q1", "q2"], ["whole", "part"])]
    assert [(f["doc_id"], f["check"], f["status"], f["relation"], f["message"]) for f in finds] == [
        ("d1", "part_of", "consistent", "r1", "8896 ≤ 13983 ✓")]
    # d1 changes (no relations now): its old rows go from every file
    s = st.open_store(str(out))
    s.write("d1", "c" * 64, make_report("d1", "c" * 64, n=1), {})
    s.close()
    assert read_csv(tmp_path / "out.relations.csv") == [] and read_csv(tmp_path / "out.findings.csv") == []
    # a run killed after the relations but before out.csv: those rows are dropped, the document redone
    s = st.open_store(str(out))
    s.write("d2", "b" * 64, make_report("d2", "b" * 64), {})
    s.close()
    full = (tmp_path / "out.csv").read_bytes()
    before = full[: full.index(b"d2")]
    (tmp_path / "out.csv").write_bytes(before)
    s = st.open_store(str(out))
    assert set(s.known()) == {"d0", "d1"}
    s.close()
    assert read_csv(tmp_path / "out.relations.csv") == []


def test_an_older_csv_without_the_side_files_is_converted_again(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    s = st.open_store(str(out))
    s.write("d1", "a" * 64, make_report("d1"), {})
    s.close()
    (tmp_path / "out.relations.csv").unlink()
    s = st.open_store(str(out))
    assert s.known() == {}  # so its relations and findings get written
    s.write("d1", "a" * 64, make_report("d1"), {})
    s.close()
    assert len(read_csv(tmp_path / "out.relations.csv")) == 1
    assert [r["doc_id"] for r in read_csv(out)] == ["d1", "d1"]


def test_one_errors_file_per_output(tmp_path: Path) -> None:
    """mixed.csv and mixed.jsonl shared mixed.errors.jsonl, which then showed the other run's failures."""
    for name, doc in (("mixed.csv", "c"), ("mixed.jsonl", "j")):
        s = st.open_store(str(tmp_path / name))
        s.fail(doc, f"{doc}.txt", "empty document", None)
        s.close()
    for name, doc in (("mixed.csv", "c"), ("mixed.jsonl", "j")):
        errs = (tmp_path / f"{name}.errors.jsonl").read_text(encoding="utf-8").splitlines()
        assert [json.loads(ln)["doc_id"] for ln in errs] == [doc]
    assert not (tmp_path / "mixed.errors.jsonl").exists()


def test_readme_sql_runs_with_the_numeric_column_and_quoted_keywords(tmp_path: Path) -> None:
    """The README's SQL (sqlite3 lines and the quoting it documents) runs on a database govnum wrote."""
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    queries = re.findall(r'sqlite3 corpus\.sqlite "([^"]+)"', readme)
    queries += [q for q in re.findall(r"`(select [^`]+)`", readme)]
    assert any("value_num" in q for q in queries) and any('"end"' in q for q in queries)
    assert any('"check"' in q for q in queries)
    db = tmp_path / "corpus.sqlite"
    s = st.open_store(str(db))
    s.write("d1", "a" * 64, make_report("d1"), {})
    s.close()
    con = sqlite3.connect(db)
    for q in queries:
        assert con.execute(q).fetchall(), q


def test_sqlite_keeps_whether_a_finding_compared_stated_figures(tmp_path: Path) -> None:
    db = tmp_path / "out.sqlite"
    rep = make_report("d1")
    derived = Finding(check="growth", status="consistent", quantities=["q1"], compared=False,
                      message="13983万 / (1 + 5%) = 13317.14万 (implied base; none stated to compare)")
    rep = rep.model_copy(update={"findings": [*rep.findings, derived]})
    s = st.open_store(str(db))
    s.write("d1", "a" * 64, rep, {})
    s.close()
    con = sqlite3.connect(db)
    try:
        assert con.execute('select "check", compared from findings order by seq').fetchall() == [
            ("part_of", 1), ("growth", 0)]
    finally:
        con.close()
