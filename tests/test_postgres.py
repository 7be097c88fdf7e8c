"""`govnum batch -o postgresql://…` against a real PostgreSQL server (started by .ci/run).

The server comes from GOVNUM_TEST_PG_URL (e.g. postgresql+psycopg://govnum:govnum@127.0.0.1:5432/govnum_test).
Each test works in a schema of its own, dropped afterwards. Skipped, saying why, only when there is no server.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from extractor.cli import main
from extractor.store import VIEW_NAME, normalize_url

PG_URL = os.environ.get("GOVNUM_TEST_PG_URL", "")


def _server() -> tuple[sa.Engine | None, str]:
    if not PG_URL:
        return None, "GOVNUM_TEST_PG_URL is not set: no PostgreSQL server (.ci/run starts one and sets it)"
    try:
        engine = sa.create_engine(normalize_url(PG_URL))
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
    except Exception as exc:  # no driver, no server, bad credentials: all mean "no server to test on"
        return None, f"cannot connect to PostgreSQL at GOVNUM_TEST_PG_URL: {type(exc).__name__}: {exc}"
    return engine, ""


ENGINE, WHY = _server()
pytestmark = pytest.mark.skipif(ENGINE is None, reason=WHY)


@pytest.fixture
def pg(tmp_path: Path) -> Iterator[tuple[str, sa.Engine]]:
    """A URL whose connections use a fresh schema, and an engine on it."""
    assert ENGINE is not None
    schema = f"govnum_test_{uuid.uuid4().hex[:10]}"
    with ENGINE.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    engine = sa.create_engine(normalize_url(url))
    try:
        yield url, engine
    finally:
        engine.dispose()
        with ENGINE.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))


def doc_text(i: int) -> str:
    return (f"某镇2020年上半年工作总结\n全镇完成规上工业总产值{7000 + i}万元，同比增长{i + 1}%；"
            f"已完成整治{30 + i}处，其中硬化{10 + i}处、绿化20处。\n")


def batch(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["batch", *args, "--workers", "1"])
    return result.exit_code, result.output


def counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(sa.text(f"select count(*) from {t}")).scalar_one()
                for t in ("documents", "quantities", "relations", "relation_quantities", "findings", "errors",
                          VIEW_NAME)}


def test_postgres_same_rows_as_jsonl_and_reruns_update_in_place(pg: tuple[str, sa.Engine],
                                                                 tmp_path: Path) -> None:
    url, engine = pg
    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        (src / f"d{i}.txt").write_text(doc_text(i), encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")
    jl = tmp_path / "ref.jsonl"
    assert batch(str(src), "-o", str(jl))[0] == 1
    reports = [json.loads(ln) for ln in jl.read_text(encoding="utf-8").splitlines()]
    expect = {"documents": 4, "quantities": sum(len(r["quantities"]) for r in reports),
              "relations": sum(len(r["relations"]) for r in reports),
              "relation_quantities": sum(len(rel["quantities"]) for r in reports for rel in r["relations"]),
              "findings": sum(len(r["findings"]) for r in reports), "errors": 1}
    expect[VIEW_NAME] = expect["quantities"]
    assert expect["quantities"] > 0

    code, log = batch(str(src), "-o", url)
    assert code == 1 and "4 converted, 0 unchanged, 1 failed" in log, log
    assert counts(engine) == expect
    code, log = batch(str(src), "-o", url)
    assert "0 converted, 4 unchanged, 1 failed" in log
    assert counts(engine) == expect

    with engine.connect() as conn:
        cols = {c["name"]: c["type"] for c in sa.inspect(conn).get_columns("documents")}
        assert type(cols["meta"]).__name__ == "JSONB"
        sql = (f'select q.text, q."end" - q.start, q.sha256 from {VIEW_NAME} q '
               "where q.doc_id = 'd1' order by q.seq")
        row = conn.execute(sa.text(sql)).first()
        d1 = next(r for r in reports if r["doc_id"] == "d1")
        assert row is not None and row == (d1["quantities"][0]["text"], len(row[0]), d1["sha256"])
        reason = conn.execute(sa.text("select reason from errors where doc_id = 'empty'")).scalar_one()
        assert "empty" in reason

    # a changed document replaces its rows; the fixed one leaves the errors table
    (src / "d1.txt").write_text(doc_text(1) + "新增企业12家。\n", encoding="utf-8")
    (src / "empty.txt").write_text(doc_text(9), encoding="utf-8")
    code, log = batch(str(src), "-o", url)
    assert code == 0 and "2 converted, 3 unchanged, 0 failed" in log, log
    fresh = tmp_path / "fresh.jsonl"
    assert batch(str(src), "-o", str(fresh))[0] == 0
    reports = [json.loads(ln) for ln in fresh.read_text(encoding="utf-8").splitlines()]
    got = counts(engine)
    assert got["documents"] == 5 and got["errors"] == 0
    assert got["quantities"] == sum(len(r["quantities"]) for r in reports)
    assert got["findings"] == sum(len(r["findings"]) for r in reports)


def test_postgres_foreign_keys_cascade(pg: tuple[str, sa.Engine], tmp_path: Path) -> None:
    url, engine = pg
    (tmp_path / "a.txt").write_text(doc_text(3), encoding="utf-8")
    assert batch(str(tmp_path / "a.txt"), "-o", url)[0] == 0
    with engine.begin() as conn:
        conn.execute(sa.text("delete from documents where doc_id = 'a'"))
    got = counts(engine)
    assert got["quantities"] == got["relations"] == got["relation_quantities"] == got["findings"] == 0
