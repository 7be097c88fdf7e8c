"""`govnum batch` end to end: inputs, outputs agreeing, re-runs, bad documents, interruption by signals."""

from __future__ import annotations

import csv
import json
import os
import pty
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from output_helper import written_ids

from extractor import extract
from extractor.cli import main
from extractor.sources import DocSpec, InputError, Options, discover, read_record

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
GOVNUM = [sys.executable, "-m", "extractor.cli"]


def doc_text(i: int) -> str:
    """A short report in the style of the corpus, different for every i."""
    return (f"某镇2020年上半年工作总结\n上半年，全镇完成规上工业总产值{7000 + i}万元，同比增长{i % 9 + 1}%；"
            f"新增市场主体{i + 3}家，完成固定资产投资{i + 1}.5亿元，完成全年目标任务的{50 + i}%。\n")


def spec_text(spec: DocSpec) -> str | None:
    """A spec's text as the worker reads it (collection records are read from their place in the file)."""
    return read_record(spec.record)[0] if spec.record else spec.text


def spec_attrs(spec: DocSpec) -> dict:
    return read_record(spec.record)[1] if spec.record else spec.attrs


def make_docs(folder: Path, n: int, prefix: str, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        p = folder / f"{prefix}{i:02d}.txt"
        p.write_text(doc_text(i), encoding="utf-8")
        paths.append(p)
    return paths


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GOVNUM, "batch", *args], capture_output=True, text=True, timeout=300)


def invoke(*args: str) -> tuple[int, str]:
    """In-process, one worker: fast; output includes stderr."""
    result = CliRunner().invoke(main, ["batch", *args, "--workers", "1"])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def jsonl_reports(path: Path) -> list[dict]:
    return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines()]


def sqlite_scalar(path: Path, sql: str) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


# --------------------------------------------------------------------------------------------- inputs


def test_directories_recursive_by_extension_and_globs(tmp_path: Path) -> None:
    make_docs(tmp_path / "in", 2, "a")
    make_docs(tmp_path / "in" / "sub" / "deeper", 2, "b")
    (tmp_path / "in" / "notes.md").write_text("不是报告", encoding="utf-8")
    specs = discover([str(tmp_path / "in")])
    assert [s.doc_id for s in specs] == ["a00", "a01", "b00", "b01"]
    assert all(Path(s.source).is_file() for s in specs)
    specs = discover([str(tmp_path / "in" / "**" / "b*.txt")])
    assert [s.doc_id for s in specs] == ["b00", "b01"]
    assert [s.doc_id for s in discover([str(tmp_path / "in")], Options(exts=(".md",)))] == ["notes"]
    # the same file named twice (directory and glob) is one document
    assert len(discover([str(tmp_path / "in"), str(tmp_path / "in" / "a*.txt")])) == 4


def test_colliding_ids_are_disambiguated_whatever_the_input_order(tmp_path: Path) -> None:
    for d in ("x", "y"):
        make_docs(tmp_path / d, 1, "r")
    one = {s.source: s.doc_id for s in discover([str(tmp_path / "x"), str(tmp_path / "y")])}
    two = {s.source: s.doc_id for s in discover([str(tmp_path / "y"), str(tmp_path / "x")])}
    assert one == two == {str(tmp_path / "x" / "r00.txt"): "r00", str(tmp_path / "y" / "r00.txt"): "r00~2"}


def test_manifest_entries_relative_to_the_manifest(tmp_path: Path) -> None:
    make_docs(tmp_path / "c" / "text", 2, "t")
    entries = [{"id": "first", "path": "text/t00.txt", "level": "town"},
               {"id": "second", "path": "text/t01.txt"},
               {"id": "first", "path": "text/t00.txt", "level": "town"}]  # listed twice: one document
    (tmp_path / "c" / "manifest.json").write_text(json.dumps(entries), encoding="utf-8")
    specs = discover([str(tmp_path / "c" / "manifest.json")])
    assert [(s.doc_id, Path(s.path or "").name, s.attrs) for s in specs] == [
        ("first", "t00.txt", {"level": "town"}), ("second", "t01.txt", {})]
    code, out = invoke(str(tmp_path / "c" / "manifest.json"), "-o", str(tmp_path / "m.sqlite"))
    assert code == 0, out
    con = sqlite3.connect(tmp_path / "m.sqlite")
    assert con.execute("select doc_id, attrs from documents order by doc_id").fetchall() == [
        ("first", '{"level": "town"}'), ("second", "{}")]


def test_jsonl_collection_fields_detected_and_ids(tmp_path: Path) -> None:
    coll = tmp_path / "reports.jsonl"
    recs = [{"title": "甲\u2028乙", "content": doc_text(1), "year": "2020"},  # U+2028 may stand raw in JSON
            {"title": "乙", "content": doc_text(2), "year": "2021"}]
    coll.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs) + "\n{broken\n",
                    encoding="utf-8")
    specs = discover([str(coll)])
    assert [(s.doc_id, spec_text(s) is not None, s.error is not None) for s in specs] == [
        ("reports-1", True, False), ("reports-2", True, False), ("reports-3", False, True)]
    assert spec_attrs(specs[0]) == {"title": "甲\u2028乙", "year": "2020"}
    out = tmp_path / "o.jsonl"
    code, log = invoke(str(coll), "-o", str(out))
    assert code == 1 and "1 failed" in log and "reports-3" in log and "invalid JSON" in log
    assert [r["doc_id"] for r in jsonl_reports(out)] == ["reports-1", "reports-2"]
    assert [r["source"] for r in jsonl_reports(out)] == [f"{coll}#1", f"{coll}#2"]
    errors = jsonl_reports(tmp_path / "o.jsonl.errors.jsonl")
    assert [e["doc_id"] for e in errors] == ["reports-3"]


def test_collection_id_field_and_ambiguous_text_field(tmp_path: Path) -> None:
    coll = tmp_path / "c.jsonl"
    recs = [{"id": "gz-7", "text": doc_text(1), "content": "摘要"}, {"id": "gz-7", "text": doc_text(2)}]
    coll.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    with pytest.raises(InputError, match="--text-field"):
        discover([str(coll)])
    code, log = invoke(str(coll), "-o", str(tmp_path / "x.jsonl"))
    assert code == 2 and "--text-field" in log
    specs = discover([str(coll)], Options(text_field="text"))
    assert [s.doc_id for s in specs] == ["gz-7", "gz-7~2"]  # a repeated id, told apart by record number
    specs = discover([str(coll)], Options(text_field="text", id_field="content"))
    assert [s.doc_id for s in specs] == ["摘要", "c-2"]


def test_csv_collection_with_text_column(tmp_path: Path) -> None:
    coll = tmp_path / "2026_某省_政府工作报告.csv"
    with coll.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["province", "year", "title", "full_text"])
        w.writerow(["某省", "2026", "政府工作报告", doc_text(5) * 3])
        w.writerow(["某省", "2025", "政府工作报告", doc_text(6)])
    specs = discover([str(coll)])
    assert [(s.doc_id, spec_attrs(s)["year"]) for s in specs] == [
        ("2026_某省_政府工作报告-1", "2026"), ("2026_某省_政府工作报告-2", "2025")]
    assert spec_text(specs[0]) == doc_text(5) * 3


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    make_docs(tmp_path / "in", 1, "a")
    assert invoke(str(tmp_path / "missing"), "-o", str(tmp_path / "o.jsonl"))[0] == 2
    assert invoke(str(tmp_path / "nothing*.txt"), "-o", str(tmp_path / "o.jsonl"))[0] == 2
    code, log = invoke(str(tmp_path / "in"), "-o", str(tmp_path / "o.xlsx"))
    assert code == 2 and "output format" in log
    assert CliRunner().invoke(main, ["batch", str(tmp_path / "in")]).exit_code == 2  # no -o


# -------------------------------------------------------------------------------------------- outputs


def test_outputs_agree_and_reruns_change_nothing(tmp_path: Path) -> None:
    make_docs(tmp_path / "in", 6, "d")
    db, jl, cv = tmp_path / "o.sqlite", tmp_path / "o.jsonl", tmp_path / "o.csv"
    r = run(str(tmp_path / "in"), "-o", str(db), "--workers", "2")  # worker processes
    assert r.returncode == 0, r.stderr
    assert "6 converted, 0 unchanged, 0 failed" in r.stderr
    for out in (jl, cv):
        code, log = invoke(str(tmp_path / "in"), "-o", str(out))
        assert code == 0 and "6 converted, 0 unchanged, 0 failed" in log
    reports = jsonl_reports(jl)
    n_q = sum(len(r["quantities"]) for r in reports)
    assert n_q > 0
    assert [r["doc_id"] for r in reports] == [f"d{i:02d}" for i in range(6)]  # input order, whatever worker
    assert sqlite_scalar(db, "select count(*) from quantities") == n_q
    assert sqlite_scalar(db, "select count(*) from quantities_with_documents") == n_q
    assert sqlite_scalar(db, "select count(*) from relations") == sum(len(r["relations"]) for r in reports)
    assert sqlite_scalar(db, "select count(*) from findings") == sum(len(r["findings"]) for r in reports)
    with cv.open(encoding="utf-8-sig", newline="") as fh:
        assert sum(1 for row in csv.DictReader(fh) if row["id"]) == n_q
    # the key is the content hash, the same as the Report's
    for rep in reports:
        assert sqlite_scalar(db, f"select sha256 = '{rep['sha256']}' from documents where doc_id = "
                                 f"'{rep['doc_id']}'") == 1
    # same output as `govnum extract --format jsonl`
    extracted = CliRunner().invoke(main, ["extract", str(tmp_path / "in" / "d03.txt"), "--format", "jsonl"])
    assert jl.read_text(encoding="utf-8").splitlines()[3] == extracted.stdout.strip()

    before = {out: out.read_bytes() for out in (jl, cv)}
    for out in (db, jl, cv):
        code, log = invoke(str(tmp_path / "in"), "-o", str(out))
        assert code == 0 and "0 converted, 6 unchanged, 0 failed" in log
    assert {out: out.read_bytes() for out in (jl, cv)} == before
    assert sqlite_scalar(db, "select count(*) from quantities") == n_q

    # one document changes, one is added: the changed one replaces its rows, nothing duplicates
    (tmp_path / "in" / "d02.txt").write_text(doc_text(2) + "另外，新建道路12公里。\n", encoding="utf-8")
    make_docs(tmp_path / "in", 1, "d", start=6)
    for out in (db, jl, cv):
        code, log = invoke(str(tmp_path / "in"), "-o", str(out))
        assert code == 0 and "2 converted, 5 unchanged, 0 failed" in log, log
    fresh = tmp_path / "fresh.jsonl"
    assert invoke(str(tmp_path / "in"), "-o", str(fresh))[0] == 0
    n_fresh = sum(len(r["quantities"]) for r in jsonl_reports(fresh))
    assert sorted(r["doc_id"] for r in jsonl_reports(jl)) == [f"d{i:02d}" for i in range(7)]
    assert sorted(jsonl_reports(jl), key=lambda r: r["doc_id"]) == jsonl_reports(fresh)
    assert sqlite_scalar(db, "select count(*) from documents") == 7
    assert sqlite_scalar(db, "select count(*) from quantities") == n_fresh
    assert sorted(written_ids(cv)) == [f"d{i:02d}" for i in range(7)]


def test_bad_documents_are_listed_and_the_rest_converted(tmp_path: Path) -> None:
    d = tmp_path / "in"
    make_docs(d, 1, "good")
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (d / "empty.txt").write_bytes(b"")
    (d / "gb.txt").write_bytes(doc_text(9).encode("gb18030"))
    (d / "broken.txt").write_bytes(doc_text(8).encode("utf-8")[:40] + b"\xff\xfe\x80" + "完成".encode())
    r = run(str(d), "-o", str(tmp_path / "o.jsonl"), "--workers", "2")
    assert r.returncode == 1, r.stderr
    logs = [r.stderr, invoke(str(d), "-o", str(tmp_path / "o.sqlite"))[1]]
    for out, log in zip((tmp_path / "o.jsonl", tmp_path / "o.sqlite"), logs, strict=True):
        assert "2 converted, 0 unchanged, 3 failed" in log
        failed = {ln.split()[2] for ln in log.splitlines() if ln.startswith("govnum: failed:")}
        assert failed == {"binary", "empty", "broken"}
        assert sorted(written_ids(out)) == ["gb", "good00"]
    reasons = {e["doc_id"]: e["reason"] for e in jsonl_reports(tmp_path / "o.jsonl.errors.jsonl")}
    assert set(reasons) == {"binary", "empty", "broken"} and "empty" in reasons["empty"]
    con = sqlite3.connect(tmp_path / "o.sqlite")
    assert dict(con.execute("select doc_id, reason from errors")) == reasons
    # the GB18030 document reads as the same text as its UTF-8 twin
    twin = extract(doc_text(9), doc_id="gb")
    sql = "select count(*), max(sha256) from quantities_with_documents where doc_id = 'gb'"
    gb = con.execute(sql).fetchone()
    assert gb == (len(twin.quantities), twin.sha256)


def test_oversized_documents_fail(tmp_path: Path) -> None:
    make_docs(tmp_path / "in", 2, "a")
    (tmp_path / "in" / "a01.txt").write_text(doc_text(1) * 50, encoding="utf-8")
    code, log = invoke(str(tmp_path / "in"), "-o", str(tmp_path / "o.jsonl"), "--max-bytes", "2000")
    assert code == 1 and "a01" in log and "too large" in log


# --------------------------------------------------------------------------------------- interruption


STALL = [sys.executable, str(Path(__file__).with_name("stall_helper.py"))]


def wait_for(cond: Callable[[], bool], proc: subprocess.Popen[str], what: str, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while not cond():
        assert proc.poll() is None, proc.communicate()[1]
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


@pytest.mark.parametrize(("sig", "whole_group", "name", "status"), [
    (signal.SIGKILL, True, "out.sqlite", -signal.SIGKILL),   # kill -9 of the whole job
    (signal.SIGTERM, False, "out.jsonl", 128 + signal.SIGTERM),  # kill PID: the parent stops the workers
    (signal.SIGINT, True, "out.csv", 128 + signal.SIGINT),   # Ctrl-C on a terminal
])
def test_killed_run_resumes_without_duplicates_or_gaps(tmp_path: Path, sig: int, whole_group: bool, name: str,
                                                       status: int) -> None:
    """The first document hangs (tests/stall_helper.py), so the kill lands mid-run, always; every other
    document is written meanwhile, as it finishes."""
    make_docs(tmp_path / "in", 1, "stall")
    first = make_docs(tmp_path / "in", 6, "a")
    make_docs(tmp_path / "in", 6, "b")
    out = tmp_path / name
    args = [str(tmp_path / "in"), "-o", str(out), "--workers", "2"]
    proc = subprocess.Popen([*STALL, "stall00", str(tmp_path / "pid"), "batch", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        wait_for(lambda: len(written_ids(out)) >= 12, proc, "the batch did not write the other documents")
        if whole_group:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == status, err
    if sig != signal.SIGKILL:
        assert "interrupted" in err and "resume" in err
        assert "12 documents written" in err and "1 not done" in err, err  # the message counts what is there
    others = sorted([p.stem for p in first] + [f"b{i:02d}" for i in range(6)])
    assert sorted(written_ids(out)) == others  # every finished document, each once, whole

    code, log = invoke(*args)  # the same command, resumed (here in-process, one worker, no stall)
    assert code == 0, log
    assert "1 converted, 12 unchanged, 0 failed" in log
    assert sorted(written_ids(out)) == sorted([*others, "stall00"])
    if name == "out.sqlite":
        ref = tmp_path / "ref.jsonl"
        assert invoke(args[0], "-o", str(ref))[0] == 0
        n_q = sum(len(r["quantities"]) for r in jsonl_reports(ref))
        assert sqlite_scalar(out, "select count(*) from quantities") == n_q


# ------------------------------------------------------------------------------------------- progress


def test_progress_on_a_terminal_and_quiet_in_a_pipe(tmp_path: Path) -> None:
    make_docs(tmp_path / "in", 4, "p")
    master, slave = pty.openpty()
    proc = subprocess.Popen([*GOVNUM, "batch", str(tmp_path / "in"), "-o", str(tmp_path / "t.jsonl"),
                             "--workers", "1"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the other end is closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    shown = b"".join(chunks).decode("utf-8", errors="replace")
    assert "converting" in shown and "docs/s" in shown and "4/4" in shown
    code, log = invoke(str(tmp_path / "in"), "-o", str(tmp_path / "p.jsonl"))  # stderr is no terminal
    assert code == 0 and "docs/s" not in log and "converting" not in log
    assert log.strip().splitlines()[-1].startswith("govnum batch: 4 documents: 4 converted")


# ------------------------------------------------------------------------------------- shared corpus

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"shared corpus not found at {SHARED}")


@needs_shared
def test_shared_manifest_gives_one_document_per_id() -> None:
    specs = discover([str(SHARED / "manifest.json")])
    ids = [s.doc_id for s in specs]
    assert len(ids) == len(set(ids)) and len(ids) >= 80
    assert all(isinstance(s, DocSpec) and Path(s.path or "").is_file() for s in specs)


@needs_shared
def test_shared_provincial_csvs_sqlite_matches_jsonl(tmp_path: Path) -> None:
    pattern = str(SHARED / "provincial-2026" / "2026_北*.csv")
    db, jl = tmp_path / "p.sqlite", tmp_path / "p.jsonl"
    r = run(pattern, "-o", str(db), "--workers", "2")
    assert r.returncode == 0, r.stderr
    assert invoke(pattern, "-o", str(jl))[0] == 0
    reports = jsonl_reports(jl)
    assert [r["doc_id"] for r in reports] == ["2026_北京市_政府工作报告-1"]
    n_q = sum(len(r["quantities"]) for r in reports)
    assert n_q > 50
    assert sqlite_scalar(db, "select count(*) from quantities") == n_q
    assert sqlite_scalar(db, "select json_extract(attrs, '$.province') = '北京市' from documents") == 1


def test_collections_found_in_directories_are_read_as_collections(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    record = json.dumps({"content": doc_text(1)}, ensure_ascii=False)
    (d / "c.jsonl").write_text(record + "\n", encoding="utf-8")
    make_docs(d, 1, "t")
    specs = discover([str(d)], Options(exts=(".txt", ".jsonl")))
    assert [(s.doc_id, spec_text(s)) for s in specs] == [("c-1", doc_text(1)), ("t00", None)]


def test_a_report_the_database_refuses_fails_that_document_only(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import extractor.pipeline as pipeline

    real = pipeline.extract_document

    def faulty(doc, doc_id: str = "text"):  # type: ignore[no-untyped-def]
        report = real(doc, doc_id=doc_id)
        if doc_id == "a01" and report.quantities:
            report.quantities.append(report.quantities[0])  # the same quantity id twice: a key violation
        return report

    monkeypatch.setattr(pipeline, "extract_document", faulty)
    make_docs(tmp_path / "in", 3, "a")
    db = tmp_path / "o.sqlite"
    code, log = invoke(str(tmp_path / "in"), "-o", str(db))
    assert code == 1 and "2 converted, 0 unchanged, 1 failed" in log and "cannot store the report" in log
    assert sorted(written_ids(db)) == ["a00", "a02"]
    assert sqlite_scalar(db, "select count(*) from quantities where doc_id = 'a01'") == 0
    monkeypatch.setattr(pipeline, "extract_document", real)
    code, log = invoke(str(tmp_path / "in"), "-o", str(db))
    assert code == 0 and "1 converted, 2 unchanged, 0 failed" in log
    assert sqlite_scalar(db, "select count(*) from errors") == 0


def test_an_old_failure_of_an_unchanged_document_is_cleared(tmp_path: Path) -> None:
    make_docs(tmp_path / "in", 2, "a")
    db = tmp_path / "o.sqlite"
    assert invoke(str(tmp_path / "in"), "-o", str(db))[0] == 0
    con = sqlite3.connect(db)
    con.execute("insert into errors values ('a01', 'x', 'could not read then', null, '2026-01-01')")
    con.commit()
    con.close()
    code, log = invoke(str(tmp_path / "in"), "-o", str(db))
    assert code == 0 and "0 converted, 2 unchanged, 0 failed" in log
    assert sqlite_scalar(db, "select count(*) from errors") == 0


def test_manifest_listing_a_file_twice_keeps_the_entry_that_matches_its_text(tmp_path: Path) -> None:
    """As in the shared manifest, where 山西 and 陕西 both point at prov2026-shanxi.txt."""
    from extractor.batch import content_hash

    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "p.txt").write_text(doc_text(2), encoding="utf-8")
    (tmp_path / "text" / "q.txt").write_text(doc_text(3), encoding="utf-8")
    entries = [{"id": "p", "path": "text/p.txt", "title": "山西", "sha256": content_hash(doc_text(1))},
               {"id": "p", "path": "text/p.txt", "title": "陕西", "sha256": content_hash(doc_text(2))},
               {"id": "q", "path": "text/q.txt", "title": "别处", "sha256": content_hash(doc_text(4))}]
    (tmp_path / "manifest.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "m.sqlite"
    code, log = invoke(str(tmp_path / "manifest.json"), "-o", str(db))
    assert code == 0, log
    assert "warning: p: the manifest lists this file twice" in log
    assert "warning: q: its text is not the one the manifest lists" in log
    con = sqlite3.connect(db)
    titles = dict(con.execute("select doc_id, json_extract(attrs, '$.title') from documents"))
    assert titles == {"p": "陕西", "q": "别处"}


def test_force_converts_unchanged_documents_again_without_duplicates(tmp_path: Path) -> None:
    make_docs(tmp_path / "in", 3, "f")
    for out in (tmp_path / "o.sqlite", tmp_path / "o.jsonl", tmp_path / "o.csv"):
        assert invoke(str(tmp_path / "in"), "-o", str(out))[0] == 0
        code, log = invoke(str(tmp_path / "in"), "-o", str(out), "--force")
        assert code == 0 and "3 converted, 0 unchanged" in log
        assert sorted(written_ids(out)) == ["f00", "f01", "f02"]


def test_time_left_is_estimated_by_size_done_after_the_start_up() -> None:
    """The progress bar's first estimates were far off (3 min 28 s shown for a 10 s run): the first
    document carried the start-up (lexicons, workers). Simulated: 3 s of start-up, then 40 documents of
    sizes 1..4 units done at 100 units/s by two workers; every estimate after the second document must
    be within 35% of the true time left."""
    from extractor.batch import Progress

    sizes = [1 + (i * 7) % 4 for i in range(40)]
    total, rate, startup = sum(sizes), 100.0, 3.0
    p = Progress(total, now=0.0)
    done = 0
    finish = [startup + sum(sizes[: i + 1]) / rate for i in range(len(sizes))]
    estimates = []
    for i, size in enumerate(sizes):
        done += size
        left = p.update(size, finish[i])
        if i == 0:
            assert left is None  # nothing to measure a rate by yet
            continue
        truth = finish[-1] - finish[i]
        estimates.append((left, truth))
        assert left is not None and abs(left - truth) <= 0.35 * truth + 0.05, (i, left, truth)
    # by count and from the start (the old estimate) the first one was off by far more
    n_done, elapsed = 2, finish[1]
    old = elapsed / n_done * (len(sizes) - n_done)
    assert abs(old - estimates[0][1]) > 3 * abs(estimates[0][0] - estimates[0][1])
