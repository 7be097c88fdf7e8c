"""What a `govnum batch` output holds, read independently of govnum's own readers (for the tests)."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import sqlalchemy as sa


def written_ids(out: str | Path) -> list[str]:
    """The ids of the documents an output holds, one per document written (duplicates show); [] before
    anything is there. `out` is a file (.sqlite, .jsonl, .csv) or a database URL."""
    from extractor.store import is_url, normalize_url

    if isinstance(out, str) and is_url(out):
        engine = sa.create_engine(normalize_url(out))
        try:
            with engine.connect() as conn:
                return list(conn.execute(sa.text("select doc_id from documents")).scalars())
        finally:
            engine.dispose()
    out = Path(out)
    if not out.exists():
        return []
    if out.suffix == ".sqlite":
        con = sqlite3.connect(out)
        try:
            return [r[0] for r in con.execute("select doc_id from documents")]
        except sqlite3.OperationalError:  # the schema is not there yet
            return []
        finally:
            con.close()
    if out.suffix == ".jsonl":
        ids = []
        for ln in out.read_text(encoding="utf-8").splitlines():
            try:
                ids.append(json.loads(ln)["doc_id"])
            except ValueError:  # a line being written
                pass
        return ids
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [r["doc_id"] for k, r in enumerate(rows) if k == 0 or rows[k - 1]["doc_id"] != r["doc_id"]]
