"""`govnum batch --dask`: a real LocalCluster (scheduler + two worker processes), one worker killed
mid-run, every document written exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import main

distributed = pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

REPO = Path(__file__).resolve().parent.parent
SAMPLE = (REPO / "corpus" / "lipu-2020h1.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as c, distributed.Client(c) as client:
        yield c, client


def _corpus(folder: Path, n: int, copies: int) -> list[str]:
    folder.mkdir()
    ids = []
    for i in range(n):
        (folder / f"doc{i:03d}.txt").write_text(f"第{i}号文件\n" + SAMPLE * copies, encoding="utf-8")
        ids.append(f"doc{i:03d}")
    return ids


def _written(path: Path) -> int:
    """Complete lines so far (the writer may be in the middle of one)."""
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    c, client = cluster
    ids = _corpus(tmp_path / "in", 40, 6)
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "extractor.cli", "batch", str(tmp_path / "in"), "-o", str(out),
           "--dask", c.scheduler_address]
    run = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while _written(out) < 3 and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.05)
    assert run.poll() is None, "the run ended before a worker could be killed: make the corpus larger"
    pids = client.run(os.getpid)
    os.kill(next(iter(pids.values())), signal.SIGKILL)
    _, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    written = Counter(r["doc_id"] for r in _lines(out))
    assert sorted(written) == ids and set(written.values()) == {1}
    assert "40 converted" in err
    # a re-run finds everything written, by content hash
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "0 converted, 40 unchanged" in again.stderr


def test_a_dask_bag_of_records_into_parquet(cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import dask.bag as db
    import duckdb

    from extractor.dask_batch import batch

    _, client = cluster
    records = [(f"r{i}", f"全镇完成工业投资{i + 1}万元，同比增长{i}%。") for i in range(12)]
    out = tmp_path / "bag.parquet"
    summary = batch(db.from_sequence(records, npartitions=4), out, client)
    assert (summary.total, summary.converted, len(summary.failed)) == (12, 12, 0)
    rows = duckdb.sql(f"select doc_id, value, unit from read_parquet('{out}/quantities/*.parquet') "
                      "where unit = '元' order by doc_id").fetchall()
    assert sorted(rows) == sorted((f"r{i}", str((i + 1) * 10000), "元") for i in range(12))
    assert batch(db.from_sequence(records, npartitions=4), out, client).skipped == 12


def test_an_unreachable_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("新增就业1200人。", encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o.jsonl"),
                                       "--dask", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler" in result.output


def test_a_timeout_with_dask_is_refused_not_ignored(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("新增就业1200人。", encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o.jsonl"),
                                       "--dask", "tcp://127.0.0.1:9", "--timeout", "30"])
    assert result.exit_code == 2
    assert "--timeout cannot be kept with --dask" in result.output
    assert not (tmp_path / "o.jsonl").exists()  # refused before anything is opened
