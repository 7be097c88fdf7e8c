"""Issue 14, reproduced as a hostile user would try it, and passing: nothing stalls, nothing is written
twice or lost, nothing escapes. Marked `reliability` (`pytest -m reliability` runs it alone).

Every command is run as a real process (`python -m extractor.cli`), so that what a user sees - exit
status, stderr, no traceback - is what is asserted.
"""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from output_helper import written_ids

from extractor import store as st

pytestmark = pytest.mark.reliability

GOVNUM = [sys.executable, "-m", "extractor.cli"]
STALL = [sys.executable, str(Path(__file__).with_name("stall_helper.py"))]
PG_URL = os.environ.get("GOVNUM_TEST_PG_URL", "")
BUSY = "another govnum run is writing"


def doc_text(i: int) -> str:
    return (f"某镇2020年上半年工作总结\n上半年，全镇完成规上工业总产值{7000 + i}万元，同比增长{i % 9 + 1}%；"
            f"新增市场主体{i + 3}家，完成固定资产投资{i + 1}.5亿元，完成全年目标任务的{50 + i}%。\n")


def make_docs(folder: Path, n: int, prefix: str = "d") -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"{prefix}{i:02d}.txt").write_text(doc_text(i), encoding="utf-8")
    return [f"{prefix}{i:02d}" for i in range(n)]


def govnum(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GOVNUM, *args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def assert_one_line_error(r: subprocess.CompletedProcess[str], *names: str) -> None:
    """Exit 2, one line on stderr that names the file and the problem, no traceback."""
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    for name in names:
        assert name in lines[0], (name, lines[0])


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL whose connections use a fresh schema of the test server (skips without one)."""
    if not PG_URL:
        pytest.skip("GOVNUM_TEST_PG_URL is not set: no PostgreSQL server (.ci/run starts one and sets it)")
    admin = sa.create_engine(st.normalize_url(PG_URL))
    schema = f"govnum_rel_{uuid.uuid4().hex[:10]}"
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # no server to test on
        admin.dispose()
        pytest.skip(f"cannot use PostgreSQL at GOVNUM_TEST_PG_URL: {type(exc).__name__}")
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


# ---------------------------------------------------------------- 1. one document stalls a batch


def test_a_stalled_document_is_stopped_at_its_time_budget_and_the_rest_written(tmp_path: Path) -> None:
    """The probe: a slow first document held every finished one back (0 documents after 60 s); now the
    others are written as they finish, and the slow one is stopped (its worker process killed) and
    recorded as failed with the reason."""
    ids = make_docs(tmp_path / "in", 8)
    (tmp_path / "in" / "a-slow.txt").write_text(doc_text(99), encoding="utf-8")
    out = tmp_path / "o.sqlite"
    pidfile = tmp_path / "pid"
    started = time.monotonic()
    r = subprocess.run([*STALL, "a-slow", str(pidfile), "batch", str(tmp_path / "in"), "-o", str(out),
                        "--workers", "2", "--timeout", "8"], capture_output=True, text=True, timeout=300)
    took = time.monotonic() - started
    assert r.returncode == 1, r.stderr
    assert "a-slow" in r.stderr and "took longer than 8 s (--timeout): stopped" in r.stderr
    assert "8 converted, 0 unchanged, 1 failed" in r.stderr
    assert sorted(written_ids(str(out))) == ids
    con = sqlite3.connect(out)
    assert con.execute("select reason from errors where doc_id = 'a-slow'").fetchone()[0].startswith("took")
    con.close()
    pid = int(pidfile.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the worker that overran is gone, not left running
    assert took < 120  # (on a loaded machine; the documents take a second of CPU in all)


def test_one_worker_with_a_time_budget_still_stops_the_document(tmp_path: Path) -> None:
    ids = make_docs(tmp_path / "in", 3)
    (tmp_path / "in" / "slow.txt").write_text(doc_text(50), encoding="utf-8")
    out = tmp_path / "o.jsonl"
    r = subprocess.run([*STALL, "slow", str(tmp_path / "pid"), "batch", str(tmp_path / "in"), "-o", str(out),
                        "--workers", "1", "--timeout", "8"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 1 and "took longer than 8 s" in r.stderr, r.stderr
    assert sorted(written_ids(str(out))) == ids
    errors = [json.loads(ln) for ln in (tmp_path / "o.jsonl.errors.jsonl").read_text("utf-8").splitlines()]
    assert [e["doc_id"] for e in errors] == ["slow"]


def test_sigterm_while_a_document_stalls_reports_exactly_what_is_stored(tmp_path: Path) -> None:
    """The probe: after SIGTERM the database held 0 documents while the tool printed `every finished
    document is in sqlite:…`. Now finished documents are there, and the message counts them."""
    ids = make_docs(tmp_path / "in", 6)
    (tmp_path / "in" / "a-slow.txt").write_text(doc_text(99), encoding="utf-8")
    out = tmp_path / "o.sqlite"
    proc = subprocess.Popen([*STALL, "a-slow", str(tmp_path / "pid"), "batch", str(tmp_path / "in"), "-o",
                             str(out), "--workers", "2"], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (out.exists() and len(written_ids(str(out))) == len(ids)):
            assert proc.poll() is None and time.monotonic() < deadline, "nothing written"
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM
    assert f"{len(ids)} documents written to {out} in this run" in err and "1 not done" in err, err
    assert sorted(written_ids(str(out))) == ids


# ------------------------------------------------------------------------- 2. concurrent writers


Run = subprocess.CompletedProcess[str]


def _two_writers(inputs: str, out: str, second_args: tuple[str, ...] = ()) -> list[Run]:
    """Two `govnum batch` runs into one output, started together."""
    cmds = [[*GOVNUM, "batch", inputs, "-o", out, "--workers", "1"],
            [*GOVNUM, "batch", inputs, "-o", out, "--workers", "1", *second_args]]
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in cmds]
    results = []
    for c, p in zip(cmds, procs, strict=True):
        stdout, stderr = p.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(c, p.returncode, stdout, stderr))
    return results


@pytest.mark.parametrize("kind", ["jsonl", "csv", "sqlite", "postgresql"])
def test_two_concurrent_writers_write_every_document_once_or_are_refused(
        tmp_path: Path, kind: str, request: pytest.FixtureRequest) -> None:
    """The probe: 168 lines for 84 documents; a --force run beside an appending one lost documents and
    said `0 failed`; raw SQL errors (`view … already exists`, `UniqueViolation`, `documents_pkey`).
    5 trials; the second writer of the first trial of each pair runs --force."""
    ids = make_docs(tmp_path / "in", 8)
    refused = 0
    pg = request.getfixturevalue("pg_url") if kind == "postgresql" else ""
    for trial in range(5):
        out = pg or str(tmp_path / f"t{trial}.{kind}")
        if pg and trial:
            with sa.create_engine(st.normalize_url(out)).begin() as conn:  # fresh: the schema race again
                conn.execute(sa.text("drop view if exists quantities_with_documents"))
                conn.execute(sa.text("drop table if exists relation_quantities, findings, relations, "
                                     "quantities, errors, documents cascade"))
        runs = _two_writers(str(tmp_path / "in"), out, ("--force",) if trial % 2 else ())
        for r in runs:
            assert "Traceback" not in r.stderr, r.stderr
            if r.returncode == 2:
                assert BUSY in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
                refused += 1
            else:
                assert r.returncode == 0, r.stderr
                assert "0 failed" in r.stderr
        assert sorted(written_ids(out)) == ids, (trial, runs[0].stderr, runs[1].stderr)
    assert refused >= 1  # the runs did overlap at least once: the lock was exercised


@pytest.mark.parametrize("name", ["o.jsonl", "o.csv", "o.sqlite", "o.parquet"])
def test_a_second_store_on_the_same_output_is_refused_while_the_first_is_open(tmp_path: Path,
                                                                            name: str) -> None:
    if name.endswith(".parquet"):
        pytest.importorskip("pyarrow")
    first = st.open_store(str(tmp_path / name))
    with pytest.raises(st.Busy, match=f"pid {os.getpid()}"):
        st.open_store(str(tmp_path / name))
    first.close()
    st.open_store(str(tmp_path / name)).close()  # released on close


def test_postgres_lock_and_upsert(pg_url: str) -> None:
    from schemas import Meta, Quantity, Report

    first = st.open_store(pg_url)
    with pytest.raises(st.Busy, match="another govnum run is writing to this database"):
        st.open_store(pg_url)
    report = Report(doc_id="d", source="d.txt", sha256="a" * 64, chars=1, meta=Meta(), relations=[],
                    quantities=[Quantity(id="q1", start=0, end=12, text="12345678901234567.89元",
                                         value="12345678901234567.89", unit="元", kind="money")], findings=[])
    first.write("d", "a" * 64, report, {})
    first.write("d", "b" * 64, report, {})  # a retry of the same document updates, never fails
    assert first.known() == {"d": "b" * 64}
    first.close()
    st.open_store(pg_url).close()
    engine = sa.create_engine(st.normalize_url(pg_url))
    with engine.connect() as conn:  # issue 12: NUMERIC, exact, beside the exact string
        sql = "select value, value_num, pg_typeof(value_num)::text from quantities"
        row = conn.execute(sa.text(sql)).one()
    engine.dispose()
    assert row == ("12345678901234567.89", Decimal("12345678901234567.89"), "numeric")


# ----------------------------------------------------------------------------- 3. manifest paths


def test_manifest_entries_outside_its_folder_are_refused(tmp_path: Path) -> None:
    base = tmp_path / "corpus"
    make_docs(base / "text", 1, "in")
    (tmp_path / "secret.txt").write_text("机密：年收入1000万元。", encoding="utf-8")
    (base / "link.txt").symlink_to(tmp_path / "secret.txt")
    entries = [{"id": "ok", "path": "text/in00.txt"}, {"id": "passwd", "path": "../../../../etc/passwd"},
               {"id": "host", "path": "/etc/hostname"}, {"id": "secret", "path": "../secret.txt"},
               {"id": "link", "path": "link.txt"}]
    (base / "manifest.json").write_text(json.dumps(entries), encoding="utf-8")
    out = tmp_path / "o.jsonl"
    r = govnum("batch", str(base / "manifest.json"), "-o", str(out), "--workers", "1")
    assert r.returncode == 1, r.stderr
    assert written_ids(str(out)) == ["ok"]
    for doc_id in ("passwd", "host", "secret", "link"):
        line = next(ln for ln in r.stderr.splitlines() if ln.startswith(f"govnum: failed: {doc_id} "))
        assert "outside the manifest's folder" in line and "--allow-outside-paths" in line
    assert "机密" not in out.read_text(encoding="utf-8")
    r = govnum("batch", str(base / "manifest.json"), "-o", str(tmp_path / "all.jsonl"), "--workers", "1",
               "--allow-outside-paths")
    assert "secret" in written_ids(str(tmp_path / "all.jsonl"))


def test_devices_and_fifos_are_refused_at_once(tmp_path: Path) -> None:
    """The probe: /dev/zero was read for 50 MB before refusal; a FIFO hung the run."""
    fifo = tmp_path / "in" / "stall.txt"
    make_docs(tmp_path / "in", 1)
    os.mkfifo(fifo)
    entries = [{"id": "zero", "path": "/dev/zero"}, {"id": "fifo", "path": "in/stall.txt"}]
    (tmp_path / "manifest.json").write_text(json.dumps(entries), encoding="utf-8")
    started = time.monotonic()
    r = govnum("batch", str(tmp_path / "manifest.json"), str(fifo), str(tmp_path / "in" / "d00.txt"),
               "-o", str(tmp_path / "o.jsonl"), "--allow-outside-paths", "--workers", "1", timeout=60)
    assert time.monotonic() - started < 30
    assert r.returncode == 1, r.stderr
    assert "zero (/dev/zero): is a character device, not a regular file" in r.stderr
    assert "is a FIFO (named pipe), not a regular file" in r.stderr
    assert written_ids(str(tmp_path / "o.jsonl")) == ["d00"]
    r = govnum("extract", str(fifo), timeout=30)
    assert_one_line_error(r, str(fifo), "FIFO")


# -------------------------------------------------------------------------- 4. streamed collections


def _peak_rss_mb(args: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run govnum in a child and return the peak RSS (MB) of it and its workers, and the result."""
    probe = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True, "
             "text=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
             "print(r.returncode); sys.stderr.write(r.stderr)")
    p = subprocess.run([sys.executable, "-c", probe, *GOVNUM, *args], capture_output=True, text=True,
                       timeout=600)
    rss_kb, code = p.stdout.split()
    return int(rss_kb) / 1024, subprocess.CompletedProcess(args, int(code), "", p.stderr)


def _write_big(path: Path, kind: str, big_mb: int) -> None:
    """A collection of ~big_mb MB: three good records around one huge text field (no newline inside)."""
    block = ("某镇全年完成规上工业总产值7071万元，同比增长10%。" * 1000).encode("utf-8")
    with path.open("wb") as fh:
        if kind == "csv":
            fh.write(b"id,text\r\n")
        for i, body in enumerate([doc_text(1).encode(), None, doc_text(2).encode(), doc_text(3).encode()]):
            if kind == "csv":
                fh.write(f"r{i},\"".encode())
            else:
                fh.write(f'{{"id": "r{i}", "text": "'.encode())
            if body is None:
                for _ in range(big_mb * 1024 * 1024 // len(block)):
                    fh.write(block)
            else:
                fh.write(body.replace(b"\n", b" "))
            fh.write(b'"\r\n' if kind == "csv" else b'"}\n')


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_a_200_mb_collection_is_streamed_in_bounded_memory(tmp_path: Path, kind: str) -> None:
    """The probe: a 200 MB CSV field peaked at 1.26 GB before it was refused. Now the huge record is
    refused by its size while it is read, the others converted, and the peak stays under 300 MB."""
    coll = tmp_path / f"big.{kind}"
    _write_big(coll, kind, 200)
    assert coll.stat().st_size > 200_000_000
    peak, r = _peak_rss_mb(["batch", str(coll), "-o", str(tmp_path / "o.jsonl"), "--workers", "1"])
    coll.unlink()
    assert r.returncode == 1, r.stderr
    assert "big-2" in r.stderr and "larger than --max-bytes" in r.stderr  # (its id is inside it)
    assert sorted(written_ids(str(tmp_path / "o.jsonl"))) == ["r0", "r2", "r3"]
    print(f"peak RSS {peak:.0f} MB on a 200 MB {kind} collection")
    assert peak <= 300, f"peak RSS {peak:.0f} MB"


def test_collection_records_are_read_by_place_not_kept(tmp_path: Path) -> None:
    from extractor.sources import discover

    coll = tmp_path / "c.jsonl"
    coll.write_text("".join(json.dumps({"id": f"x{i}", "text": doc_text(i)}, ensure_ascii=False) + "\n"
                            for i in range(3)), encoding="utf-8")
    specs = discover([str(coll)])
    assert all(s.text is None and s.record is not None for s in specs)  # no text held by discovery
    assert [s.doc_id for s in specs] == ["x0", "x1", "x2"]


# ----------------------------------------------------------------------- 5. no traceback, ever


def test_every_command_on_broken_inputs_says_one_line_and_exits_2(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(doc_text(1), encoding="utf-8")
    bad_json = tmp_path / "gold.json"
    bad_json.write_text('{"doc_id": "x", "mentions": [', encoding="utf-8")
    not_gold = tmp_path / "list.json"
    not_gold.write_text("[1, 2]", encoding="utf-8")
    gold = tmp_path / "ok-gold.json"
    gold.write_text(json.dumps({"doc_id": "good", "source": str(good), "mentions": []}), encoding="utf-8")
    bad_pred = tmp_path / "pred.jsonl"
    bad_pred.write_text('{"doc_id": "good", "quantities": []}\n{not json\n', encoding="utf-8")
    odd_pred = tmp_path / "odd.jsonl"
    odd_pred.write_text('{"doc_id": "good", "quantities": [{"text": "x"}]}\n', encoding="utf-8")
    foreign = tmp_path / "notes.jsonl"
    foreign.write_text('{"note": "mine"}\n', encoding="utf-8")
    not_db = tmp_path / "notes.sqlite"
    not_db.write_text("my notes, not a database\n", encoding="utf-8")
    manifest = tmp_path / "manifest.json"
    manifest.write_text('[{"path": "good.txt"', encoding="utf-8")
    missing = tmp_path / "missing" / "dir"
    cases = [
        (["eval", str(bad_json)], [str(bad_json), "not valid JSON"]),
        (["eval", str(not_gold)], [str(not_gold), "not a gold file"]),
        (["eval", str(gold), "--pred", str(bad_pred)], [str(bad_pred), "line 2", "not valid JSON"]),
        (["eval", str(gold), "--pred", str(odd_pred)], [str(odd_pred), "line 1"]),
        (["extract", str(good), "-o", str(missing / "x.jsonl")], [str(missing), "does not exist"]),
        (["extract", str(tmp_path / "nope.txt")], ["nope.txt", "no such file"]),
        (["check", str(tmp_path / "nope.txt")], ["nope.txt", "no such file"]),
        (["batch", str(good), "-o", str(missing / "x.jsonl")], [str(missing), "does not exist"]),
        (["batch", str(good), "-o", str(missing / "x.sqlite")], [str(missing), "does not exist"]),
        (["batch", str(good), "-o", str(foreign)], [str(foreign), "did not write"]),
        (["batch", str(good), "-o", str(not_db)], [str(not_db), "not a SQLite database"]),
        (["batch", str(good), "-o", str(tmp_path / "x.xlsx")], ["x.xlsx", "output format"]),
        (["batch", str(tmp_path / "nothing-*.txt"), "-o", str(tmp_path / "o.jsonl")], ["matches nothing"]),
        (["batch", str(manifest), "-o", str(tmp_path / "o.jsonl")], [str(manifest), "not valid JSON"]),
    ]
    for args, names in cases:
        r = govnum(*args)
        assert_one_line_error(r, *names)
    assert foreign.read_text(encoding="utf-8") == '{"note": "mine"}\n'
    assert not_db.read_text(encoding="utf-8") == "my notes, not a database\n"


# ----------------------------------------------------------------------- 6. outputs and odd names


def test_a_one_line_file_govnum_did_not_write_is_not_overwritten(tmp_path: Path) -> None:
    for text in ('{"note": "mine"}\n', '{"note": "mine"}', "just a line\n", '{"doc_id": "x"}\n'):
        other = tmp_path / "notes.jsonl"
        other.write_text(text, encoding="utf-8")
        with pytest.raises(ValueError, match="did not write"):
            st.open_store(str(other))
        assert other.read_text(encoding="utf-8") == text
    errs = tmp_path / "o.jsonl.errors.jsonl"
    errs.write_text("my own log line\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a govnum error record"):
        st.open_store(str(tmp_path / "o.jsonl"))
    assert errs.read_text(encoding="utf-8") == "my own log line\n"


def test_a_path_with_url_characters_is_a_path(tmp_path: Path) -> None:
    """The probe: `-o "../out/we?ird/o.sqlite"` wrote to `../out/we` (the `?` read as a URL query)."""
    make_docs(tmp_path / "in", 2)
    odd = tmp_path / "out" / "we?ird#x"
    odd.mkdir(parents=True)
    (tmp_path / "run").mkdir()
    r = subprocess.run([*GOVNUM, "batch", "../in", "-o", "../out/we?ird#x/o.sqlite", "--workers", "1"],
                       capture_output=True, text=True, cwd=tmp_path / "run", timeout=300,
                       env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert r.returncode == 0, r.stderr
    assert sorted(written_ids(str(odd / "o.sqlite"))) == ["d00", "d01"]
    assert not (tmp_path / "out" / "we").exists()
    assert st.is_url("postgresql://u@h/db") and st.is_url("sqlite:///x.db")
    assert not st.is_url("../out/we?ird/o.sqlite") and not st.is_url("C:/x.sqlite")


def test_doc_ids_must_be_non_blank_strings(tmp_path: Path) -> None:
    """The probe: an id of spaces stored as '', {"nested":1} as "{'nested': 1}", true as "True"."""
    coll = tmp_path / "c.jsonl"
    recs = [{"id": "  ", "text": doc_text(1)}, {"id": {"nested": 1}, "text": doc_text(2)},
            {"id": True, "text": doc_text(3)}, {"id": "ok", "text": doc_text(4)},
            {"id": 7, "text": doc_text(5)}, {"id": "a\nb", "text": doc_text(6)}]
    coll.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    out = tmp_path / "o.jsonl"
    r = govnum("batch", str(coll), "-o", str(out), "--workers", "1")
    assert r.returncode == 1, r.stderr
    assert sorted(written_ids(str(out))) == ["7", "ok"]
    failed = {ln.split()[2]: ln for ln in r.stderr.splitlines() if ln.startswith("govnum: failed:")}
    assert "is blank" in failed["c-1"]
    assert "must be a string, not dict" in failed["c-2"]
    assert "must be a string, not bool" in failed["c-3"]
    assert "control characters" in failed["c-6"]


def test_csv_formula_cells_are_neutralised_and_read_back(tmp_path: Path) -> None:
    """The probe: a doc_id `=cmd|' /C calc'!A0` was written raw into the CSV."""
    evil = "=cmd|' /C calc'!A0"
    coll = tmp_path / "c.jsonl"
    recs = [{"id": evil, "text": doc_text(1)}, {"id": "+1+2", "text": doc_text(2)},
            {"id": "@SUM(A1)", "text": doc_text(3)}, {"id": "-2+3", "text": doc_text(4)},
            {"id": "\tTAB", "text": doc_text(5)}, {"id": "'quoted", "text": doc_text(6)}]
    coll.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    out = tmp_path / "o.csv"
    assert govnum("batch", str(coll), "-o", str(out), "--workers", "1").returncode == 0
    for name in ("o.csv", "o.relations.csv", "o.findings.csv"):
        rows = list(csv.reader((tmp_path / name).open(encoding="utf-8-sig", newline="")))
        cells = [c for row in rows[1:] for c in row]
        risky = [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))
                 and not re.fullmatch(r"[+-]?\d+(\.\d+)?", c)]
        assert not risky, (name, risky)
    cells = [c for row in csv.reader(out.open(encoding="utf-8-sig", newline="")) for c in row]
    assert "'" + evil in cells and "'+1+2" in cells and "'@SUM(A1)" in cells and "''quoted" in cells
    ids = sorted([evil, "+1+2", "@SUM(A1)", "-2+3", "TAB", "'quoted"])  # ids are stripped of blanks
    store = st.open_store(str(out))
    assert sorted(store.known()) == ids
    store.close()
    r = govnum("batch", str(coll), "-o", str(out), "--workers", "1")
    assert "0 converted, 6 unchanged" in r.stderr, r.stderr  # read back exactly: nothing converted again
    assert st.csv_cell("-12.5") == "-12.5" and st.csv_uncell(st.csv_cell("=1+1")) == "=1+1"
