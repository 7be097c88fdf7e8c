"""Parquet output for `govnum batch -o OUT.parquet`: a folder of Parquet datasets, one per table.

    OUT.parquet/documents/part-….parquet      one row per document (the commit marker)
    OUT.parquet/quantities/part-….parquet     the same columns as the SQL `quantities` table
    OUT.parquet/relations/, relation_quantities/, findings/, errors/

Each table is a folder of part files, the layout DuckDB (`read_parquet('OUT.parquet/quantities/*.parquet')`),
pandas/pyarrow (`pd.read_parquet('OUT.parquet/quantities')`) and Spark (`spark.read.parquet(…)`) read as
one table. The columns are those of the SQL schema in `store.py` (one definition for every output).

Parquet files cannot be appended to, so documents are buffered and written as one part per table every
`flush_docs` documents (and at the end, also on Ctrl-C or SIGTERM). A part is written under a temporary
name and renamed; the `documents` part goes last and is what marks its documents as written: parts of the
other tables without their `documents` part (a run killed mid-flush) are deleted when the store is
opened, and those documents are converted again. A document written again (changed text, `--force`)
supersedes its older rows: on close, the older parts that hold superseded documents are rewritten
without them.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from schemas import Report

from . import store as sql

PART_GLOB = "part-*.parquet"
_TABLES = (sql.documents, sql.quantities, sql.relations, sql.relation_quantities, sql.findings)


def _pa() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet  # noqa: F401
    except ImportError as exc:  # an optional extra
        raise ValueError("Parquet output needs pyarrow: pip install 'govnum[parquet]'") from exc
    return pa


def _arrow_type(col: sa.Column[Any]) -> Any:
    pa = _pa()
    t = col.type
    if isinstance(t, sa.JSON):
        return pa.string()  # JSON text, as the SQL outputs hold it
    if isinstance(t, sa.Boolean):
        return pa.bool_()
    if isinstance(t, sa.Integer):
        return pa.int64()
    if isinstance(t, (sa.Float, sa.Numeric, sql.Number)):
        return pa.float64()
    return pa.string()


def arrow_schema(table: sa.Table) -> Any:
    """The Arrow schema of one table, from its SQL definition."""
    pa = _pa()
    return pa.schema([pa.field(c.name, _arrow_type(c), nullable=c.nullable or not c.primary_key)
                      for c in table.columns])


def _cell(col: sa.Column[Any], value: Any) -> Any:
    if value is not None and isinstance(col.type, sa.JSON):
        return json.dumps(value, ensure_ascii=False)
    if value is not None and isinstance(col.type, sql.Number):
        return float(value)  # a decimal string (SQL keeps it exact in NUMERIC; Parquet as a double)
    return value


class ParquetStore:
    """`govnum batch` into a folder of Parquet datasets (see the module docstring)."""

    def __init__(self, path: Path, flush_docs: int = 500) -> None:
        _pa()
        self.path = path
        self.target = str(path)
        self.flush_docs = flush_docs
        self.lock = sql.FileLock(path)  # one writer at a time: OUT.parquet.lock beside the folder
        try:
            self._open(path)
        except BaseException:
            self.lock.release()
            raise

    def _open(self, path: Path) -> None:
        if path.exists() and not path.is_dir():
            raise ValueError(f"{path}: exists and is not a folder (a Parquet output is a folder of tables)")
        if path.is_dir() and any(path.iterdir()) and not (path / sql.documents.name).is_dir():
            raise ValueError(f"{path}: a folder govnum did not write (no {sql.documents.name}/ inside)")
        for t in (*_TABLES, sql.errors):
            (path / t.name).mkdir(parents=True, exist_ok=True)
        self._run = uuid.uuid4().hex[:12]
        self._n = 0
        self._buffer: dict[sa.Table, list[dict[str, Any]]] = {t: [] for t in _TABLES}
        self._buffered: set[str] = set()
        self._hash: dict[str, str] = {}
        self._part_of: dict[str, str] = {}  # doc_id -> the part that holds its current rows
        self._superseded: set[str] = set()  # parts holding rows of documents written again
        self._errors: dict[str, dict[str, Any]] = {}
        self._errors_changed = False
        self._load()

    # -- reading back ------------------------------------------------------------------------------

    def _parts(self, table: sa.Table) -> list[Path]:
        return sorted((self.path / table.name).glob(PART_GLOB))

    def _load(self) -> None:
        import pyarrow.parquet as pq

        committed = {p.name for p in self._parts(sql.documents)}
        for t in _TABLES[1:]:
            for p in self._parts(t):
                if p.name not in committed:  # a flush that never reached its documents part
                    p.unlink()
        for t in (*_TABLES, sql.errors):
            for tmp in (self.path / t.name).glob("*.tmp"):
                tmp.unlink()
        for part in self._parts(sql.documents):
            cols = pq.read_table(part, columns=["doc_id", "sha256"]).to_pydict()
            for doc_id, sha in zip(cols["doc_id"], cols["sha256"], strict=True):
                if doc_id in self._part_of:  # an older part still holds it (a close that did not finish)
                    self._superseded.add(self._part_of[doc_id])
                self._hash[doc_id] = sha
                self._part_of[doc_id] = part.name
        for part in self._parts(sql.errors):
            for rec in pq.read_table(part).to_pylist():
                self._errors[rec["doc_id"]] = rec

    def known(self) -> dict[str, str]:
        return dict(self._hash)

    # -- writing -----------------------------------------------------------------------------------

    def write(self, doc_id: str, sha256: str, report: Report, attrs: dict[str, Any]) -> None:
        if doc_id in self._buffered:
            self._drop_buffered(doc_id)
        report = report if report.doc_id == doc_id else report.model_copy(update={"doc_id": doc_id})
        for table, rows in sql.report_rows(report, sha256, attrs).items():
            self._buffer[table].extend(rows)
        self._buffered.add(doc_id)
        if self._errors.pop(doc_id, None) is not None:
            self._errors_changed = True
        if len(self._buffered) >= self.flush_docs:
            self.flush()

    def _drop_buffered(self, doc_id: str) -> None:
        for table, rows in self._buffer.items():
            self._buffer[table] = [r for r in rows if r["doc_id"] != doc_id]
        self._buffered.discard(doc_id)

    def _write_part(self, table: sa.Table, rows: list[dict[str, Any]], name: str) -> None:
        pa = _pa()
        import pyarrow.parquet as pq

        cols = list(table.columns)
        data = {c.name: [_cell(c, r.get(c.name)) for r in rows] for c in cols}
        final = self.path / table.name / name
        tmp = final.with_name(final.name + ".tmp")
        pq.write_table(pa.table(data, schema=arrow_schema(table)), tmp, compression="zstd")
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, final)

    def flush(self) -> None:
        """Write the buffered documents as one part per table; the documents part last."""
        if not self._buffered:
            return
        self._n += 1
        name = f"part-{self._run}-{self._n:05d}.parquet"
        for table in _TABLES[1:]:
            self._write_part(table, self._buffer[table], name)
        self._write_part(sql.documents, self._buffer[sql.documents], name)
        for doc_id in self._buffered:
            old = self._part_of.get(doc_id)
            if old is not None:
                self._superseded.add(old)
            self._part_of[doc_id] = name
        for row in self._buffer[sql.documents]:
            self._hash[row["doc_id"]] = row["sha256"]
        self._buffer = {t: [] for t in _TABLES}
        self._buffered = set()

    def fail(self, doc_id: str, source: str, reason: str, sha256: str | None) -> None:
        self._errors[doc_id] = {"doc_id": doc_id, "source": source, "reason": reason, "sha256": sha256,
                                "failed_at": sql._now()}
        self._errors_changed = True

    def unchanged(self, doc_id: str) -> None:
        if self._errors.pop(doc_id, None) is not None:
            self._errors_changed = True

    def _compact(self) -> None:
        """Rewrite the parts that hold superseded rows, keeping only each document's current rows."""
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        for name in sorted(self._superseded):
            current = [d for d, part in self._part_of.items() if part == name]
            for table in _TABLES:
                path = self.path / table.name / name
                if not path.exists():
                    continue
                if not current:
                    path.unlink()
                    continue
                kept = pq.read_table(path).filter(pc.is_in(pc.field("doc_id"), _pa().array(current)))
                tmp = path.with_name(path.name + ".tmp")
                pq.write_table(kept, tmp, compression="zstd")
                os.replace(tmp, path)
        self._superseded.clear()

    def _write_errors(self) -> None:
        folder = self.path / sql.errors.name
        old = list(folder.glob(PART_GLOB))
        if self._errors:
            self._n += 1
            self._write_part(sql.errors, list(self._errors.values()),
                             f"part-{self._run}-{self._n:05d}.parquet")
        for p in old:
            p.unlink()

    def close(self) -> None:
        try:
            self.flush()
            if self._superseded:
                self._compact()
            if self._errors_changed:
                self._write_errors()
                self._errors_changed = False
        finally:
            self.lock.release()
