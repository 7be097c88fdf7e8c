"""How `govnum batch` spends its workers: what the parent imports, what crosses the process boundary, the
order documents are handed out in (the speed itself is measured by bench/speed.py --batch, not here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pebble
import pytest

from extractor import batch
from extractor.batch import MAX_BYTES, Summary, convert, record, run_batch
from extractor.sources import DocSpec
from extractor.store import JsonlStore, jsonl_line, open_store

REPORT = ("某县2021年政府工作报告\n全县地区生产总值完成215.3亿元，同比增长8.1%；"
          "一般公共预算收入12.6亿元，增长5.4%，完成年度目标的103%。\n")


def test_a_jsonl_batch_does_not_import_the_database_layer(tmp_path: Path) -> None:
    """SQLAlchemy costs ~0.2 s of every start: only a database output loads it; --help lists every command."""
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from extractor.cli import main\n"
        "assert 'batch' in CliRunner().invoke(main, ['--help']).output\n"
        "from extractor.store import open_store\n"
        f"open_store({str(tmp_path / 'o.jsonl')!r}).close()\n"
        f"open_store({str(tmp_path / 'o.csv')!r}).close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'pyarrow')))\n"
        f"open_store({str(tmp_path / 'o.sqlite')!r}).close()\n"
        "print('sqlalchemy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["[]", "True"]


def test_store_names_still_importable_from_store() -> None:
    from extractor import store, store_sql

    assert store.SqlStore is store_sql.SqlStore and store.VIEW_NAME == "quantities_with_documents"
    with pytest.raises(AttributeError):
        _ = store.no_such_name


def test_worker_encodes_the_line_the_store_would_write(tmp_path: Path) -> None:
    spec = DocSpec(doc_id="county-2021", source="county-2021", text=REPORT)
    plain = convert((spec, None, MAX_BYTES))
    encoded = convert((spec, None, MAX_BYTES, jsonl_line))
    assert plain.report is not None and encoded.report is None
    assert encoded.encoded == jsonl_line(plain.report, "county-2021")
    assert encoded.quantities == len(plain.report.quantities) > 0
    # the parent writes the bytes as they are; the file is what writing the report gives
    a, b = JsonlStore(tmp_path / "a.jsonl"), JsonlStore(tmp_path / "b.jsonl")
    for store, outcome in ((a, plain), (b, encoded)):
        summary = Summary(total=1)
        record(spec, outcome, store, summary)
        store.close()
        assert (summary.converted, summary.quantities) == (1, len(plain.report.quantities))
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert json.loads((tmp_path / "b.jsonl").read_text(encoding="utf-8"))["doc_id"] == "county-2021"


def test_an_encoder_that_fails_fails_that_document_only(tmp_path: Path) -> None:
    def refuse(_report: Any, _doc_id: str) -> bytes:
        raise ValueError("no room")

    outcome = convert((DocSpec(doc_id="d", source="d", text=REPORT), None, MAX_BYTES, refuse))
    assert outcome.status == "error" and outcome.reason == "cannot store the report: ValueError: no room"


class _Recording(pebble.ProcessPool):
    """The real pool, noting the order documents are handed to it."""

    order: list[str] = []

    def schedule(self, function: Any, args: Any = (), kwargs: Any = None,
                 timeout: float | None = None) -> Any:
        _Recording.order.append(args[0][0].doc_id)
        return super().schedule(function, args=args, kwargs=kwargs or {}, timeout=timeout)


@pytest.mark.parametrize("workers", [1, 2])
def test_several_workers_take_the_largest_documents_first(tmp_path: Path, workers: int,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """One large document started last would run alone at the end; with one worker the order is the
    input's (and so is the output's)."""
    monkeypatch.setattr(pebble, "ProcessPool", _Recording)
    monkeypatch.setattr(batch, "_preload", lambda everything: None)
    _Recording.order = []
    sizes = {"a": 1, "b": 3, "c": 2, "d": 3}
    specs = [DocSpec(doc_id=k, source=k, text=REPORT * n, size=len((REPORT * n).encode()))
             for k, n in sizes.items()]
    summary = run_batch(specs, open_store(str(tmp_path / "o.jsonl")), workers=workers)
    assert summary.converted == 4
    assert pebble.common.types.CONSTS.sleep_unit == 0.1  # pebble's polling as it was (set for the end)
    assert _Recording.order == (["b", "d", "c", "a"] if workers > 1 else ["a", "b", "c", "d"])
    if workers == 1:
        lines = (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()
        assert [json.loads(ln)["doc_id"] for ln in lines] == ["a", "b", "c", "d"]
