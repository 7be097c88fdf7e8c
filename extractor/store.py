"""Output writers for `govnum batch`: JSON Lines, CSV, and SQL databases through SQLAlchemy Core.

Every store is keyed by `doc_id` and remembers each document's content hash (sha256 of its decoded text),
so a re-run skips unchanged documents, replaces changed ones and never duplicates. Each document is
written and committed (or flushed) on its own, so an interrupted run loses at most the documents in flight.

Database schema (one definition, for SQLite and PostgreSQL alike): `documents`, `quantities`,
`relations` + `relation_quantities` (which quantity plays which role), `findings`, `errors`, and the
view `quantities_with_documents`. `start`/`end` keep the names of the JSON contract (quote `"end"` in SQL).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from schemas import Report

from . import __version__


class Store(Protocol):
    """Where a batch writes its documents."""

    target: str

    def known(self) -> dict[str, str]:
        """doc_id -> sha256 of every document already written."""

    def write(self, doc_id: str, sha256: str, report: Report, attrs: dict[str, Any]) -> None:
        """Write one document durably, replacing an older version of it."""

    def fail(self, doc_id: str, source: str, reason: str, sha256: str | None) -> None:
        """Record that a document could not be converted."""

    def unchanged(self, doc_id: str) -> None:
        """A document was found as already written: an older failure of it no longer holds."""

    def close(self) -> None:
        """Finish: tidy up what appending left behind."""


def _with_id(report: Report, doc_id: str) -> Report:
    """The store's key is the doc_id it is given: the rows and lines carry that one."""
    return report if report.doc_id == doc_id else report.model_copy(update={"doc_id": doc_id})


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _fsync_write(path: Path, data: bytes, mode: str = "ab") -> None:
    """Append (or write) bytes in one system call and flush them to disk."""
    with path.open(mode) as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _replace(path: Path, data: bytes) -> None:
    """Rewrite a file atomically: a crash leaves either the old or the new version."""
    tmp = path.with_name(path.name + ".tmp")
    _fsync_write(tmp, data, "wb")
    os.replace(tmp, path)


# --------------------------------------------------------------------------------------------- files


class _ErrorLog:
    """`<output stem>.errors.jsonl` beside a file output: the current failures, one JSON object a line."""

    def __init__(self, out: Path) -> None:
        self.path = out.with_name(out.stem + ".errors.jsonl")
        self.errors: dict[str, dict[str, Any]] = {}
        self.changed = False
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
                with contextlib.suppress(ValueError):
                    rec = json.loads(line)
                    if isinstance(rec, dict) and "doc_id" in rec:
                        self.errors[rec["doc_id"]] = rec
            self.changed = True  # rewrite once at the end, dropping any truncated line

    def fail(self, doc_id: str, source: str, reason: str, sha256: str | None) -> None:
        rec = {"doc_id": doc_id, "source": source, "reason": reason, "sha256": sha256, "failed_at": _now()}
        if self.path.exists() and self.path.stat().st_size:
            with self.path.open("rb") as fh:
                fh.seek(-1, os.SEEK_END)
                if fh.read(1) != b"\n":
                    _fsync_write(self.path, b"\n")
        _fsync_write(self.path, (json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8"))
        self.errors[doc_id] = rec

    def ok(self, doc_id: str) -> None:
        if self.errors.pop(doc_id, None) is not None:
            self.changed = True

    def close(self) -> None:
        if not self.changed:
            return
        if self.errors:
            data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in self.errors.values())
            _replace(self.path, data.encode("utf-8"))
        elif self.path.exists():
            self.path.unlink()


class _FileStore:
    """What the file outputs share: the documents already written (id -> content hash) and the
    errors file beside them. Subclasses read the file back (`_load`) and append documents."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.target = str(path)
        self.errors = _ErrorLog(path)
        self._hash: dict[str, str] = {}
        self._dirty = False
        self._load()

    def _load(self) -> None:
        raise NotImplementedError

    def known(self) -> dict[str, str]:
        return dict(self._hash)

    def fail(self, doc_id: str, source: str, reason: str, sha256: str | None) -> None:
        self.errors.fail(doc_id, source, reason, sha256)

    def unchanged(self, doc_id: str) -> None:
        self.errors.ok(doc_id)


class JsonlStore(_FileStore):
    """One Report a line, exactly as `govnum extract --format jsonl` prints it."""


    def _load(self) -> None:
        if not self.path.exists():
            return
        raw = self.path.read_bytes()
        good: list[bytes] = []
        seen: set[str] = set()
        lines = raw.split(b"\n")
        for k, line in enumerate(lines):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                doc_id, sha = rec["doc_id"], rec["sha256"]
            except (ValueError, KeyError, TypeError) as exc:
                if k == len(lines) - 1:  # a last line cut short by an interrupted write
                    self._dirty = True
                    continue
                raise ValueError(f"{self.path}: line {k + 1} is not a govnum report; "
                                 "not overwriting a file govnum did not write") from exc
            if doc_id in seen:
                self._dirty = True  # an older version of a document changed since
            seen.add(doc_id)
            self._hash[doc_id] = sha
            good.append(line)
        if raw and not raw.endswith(b"\n"):
            self._dirty = True
        if self._dirty:
            self._compact(good)

    def _compact(self, lines: list[bytes] | None = None) -> None:
        """Keep the last version of every document, in first-seen order, and only whole lines."""
        if lines is None:
            lines = [ln for ln in self.path.read_bytes().split(b"\n") if ln.strip()]
        last: dict[str, bytes] = {}
        for line in lines:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                last[json.loads(line)["doc_id"]] = line
        _replace(self.path, b"".join(ln + b"\n" for ln in last.values()))
        self._dirty = False

    def write(self, doc_id: str, sha256: str, report: Report, attrs: dict[str, Any]) -> None:
        report = _with_id(report, doc_id)
        if doc_id in self._hash:
            self._dirty = True
        _fsync_write(self.path, (report.model_dump_json() + "\n").encode("utf-8"))
        self._hash[doc_id] = sha256
        self.errors.ok(doc_id)

    def close(self) -> None:
        if self._dirty:
            self._compact()
        self.errors.close()


CSV_DOC_COLUMNS = ["doc_id", "source", "sha256", "title", "issuer", "date", "doc_quantities"]
CSV_Q_COLUMNS = ["id", "start", "end", "text", "value", "value_max", "unit", "kind", "approx", "metric",
                 "period"]
CSV_COLUMNS = CSV_DOC_COLUMNS + CSV_Q_COLUMNS


def csv_rows(report: Report, sha256: str | None = None) -> list[dict[str, Any]]:
    """One row per quantity, each carrying its document's id and meta; one bare row for a document
    without quantities, so that every converted document is in the file."""
    doc = {"doc_id": report.doc_id, "source": report.source, "sha256": sha256 or report.sha256,
           "title": report.meta.title, "issuer": report.meta.issuer, "date": report.meta.date,
           "doc_quantities": len(report.quantities)}
    if not report.quantities:
        return [doc]
    return [{**doc, **q.model_dump(include=set(CSV_Q_COLUMNS))} for q in report.quantities]


class CsvStore(_FileStore):
    """One quantity a row, UTF-8 with BOM so spreadsheet programs read the Chinese."""


    @staticmethod
    def _encode(rows: list[dict[str, Any]], header: bool) -> bytes:
        buf = io.StringIO(newline="")
        w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
        if header:
            w.writeheader()
        w.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in rows)
        return (("\ufeff" if header else "") + buf.getvalue()).encode("utf-8")

    @staticmethod
    def _continues(block: list[dict[str, str]], row: dict[str, str]) -> bool:
        """Whether a row belongs to the document whose rows precede it (not to a newer version)."""
        head = block[0]
        key = (row.get("doc_id"), row.get("sha256"))
        if not key[0] or key != (head.get("doc_id"), head.get("sha256")):
            return False
        try:
            return len(block) < int(head["doc_quantities"])
        except (TypeError, ValueError):
            return False

    def _blocks(self) -> tuple[dict[str, list[dict[str, str]]], bool]:
        """Complete documents found in the file (last version wins), and whether the file needs a rewrite."""
        raw = self.path.read_bytes()
        dirty = not raw.endswith(b"\n")
        text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
        csv.field_size_limit(2**31 - 1)
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if reader.fieldnames != CSV_COLUMNS:
            raise ValueError(f"{self.path}: its columns are not those of govnum batch; "
                             "not overwriting a file govnum did not write")
        rows = list(reader)
        blocks: list[tuple[str, list[dict[str, str]]]] = []
        for row in rows:
            if blocks and self._continues(blocks[-1][1], row):
                blocks[-1][1].append(row)
            else:
                blocks.append((row.get("doc_id") or "", [row]))
        docs: dict[str, list[dict[str, str]]] = {}
        for doc_id, block in blocks:
            try:
                n = int(block[0]["doc_quantities"])
            except (TypeError, ValueError, KeyError):
                dirty = True
                continue
            whole = len(block) == max(n, 1) and all(None not in r and None not in r.values() for r in block)
            if not whole or not block[0].get("sha256"):
                dirty = True  # cut short by an interrupted write
                continue
            if doc_id in docs:
                dirty = True
                del docs[doc_id]  # keep the newest version, at the end
            docs[doc_id] = block
        if not raw.endswith(b"\n") and blocks and docs.get(blocks[-1][0]) is blocks[-1][1]:
            del docs[blocks[-1][0]]  # its last value may be cut short and still parse: do it again
        return docs, dirty

    def _load(self) -> None:
        if not self.path.exists() or not self.path.stat().st_size:
            return
        if self._encode([], header=True).startswith(self.path.read_bytes()):
            self.path.unlink()  # only a part of the header: the first write was cut short
            return
        docs, dirty = self._blocks()
        self._hash = {d: rows[0]["sha256"] for d, rows in docs.items()}
        if dirty:
            self._rewrite(docs)

    def _rewrite(self, docs: dict[str, list[dict[str, str]]]) -> None:
        rows = [r for block in docs.values() for r in block]
        _replace(self.path, self._encode(rows, header=True))
        self._dirty = False

    def write(self, doc_id: str, sha256: str, report: Report, attrs: dict[str, Any]) -> None:
        report = _with_id(report, doc_id)
        if doc_id in self._hash:
            self._dirty = True
        header = not self.path.exists() or not self.path.stat().st_size
        _fsync_write(self.path, self._encode(csv_rows(report, sha256), header=header))
        self._hash[doc_id] = sha256
        self.errors.ok(doc_id)

    def close(self) -> None:
        if self._dirty and self.path.exists():
            self._rewrite(self._blocks()[0])
        self.errors.close()


# ----------------------------------------------------------------------------------------- databases

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

metadata = sa.MetaData()

documents = sa.Table(
    "documents", metadata,
    sa.Column("doc_id", sa.Text, primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("source", sa.Text),
    sa.Column("chars", sa.Integer, nullable=False),
    sa.Column("format", sa.Text),  # text, html, pdf, docx: the reader the content called for
    sa.Column("title", sa.Text),
    sa.Column("issuer", sa.Text),
    sa.Column("date", sa.Text),
    sa.Column("meta", JSONType, nullable=False),
    sa.Column("attrs", JSONType, nullable=False),  # fields of the manifest entry / collection record
    sa.Column("n_quantities", sa.Integer, nullable=False),
    sa.Column("n_relations", sa.Integer, nullable=False),
    sa.Column("n_findings", sa.Integer, nullable=False),
    sa.Column("govnum_version", sa.Text, nullable=False),
    sa.Column("converted_at", sa.Text, nullable=False),
)

def _doc_fk() -> sa.ForeignKey:
    return sa.ForeignKey("documents.doc_id", ondelete="CASCADE")


quantities = sa.Table(
    "quantities", metadata,
    sa.Column("doc_id", sa.Text, _doc_fk(), primary_key=True),
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("seq", sa.Integer, nullable=False),  # position in the document's list
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("value", sa.Text, nullable=False),  # exact decimal string: CAST it for arithmetic
    sa.Column("value_max", sa.Text),
    sa.Column("unit", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False, index=True),
    sa.Column("approx", sa.Text),
    sa.Column("metric", sa.Text, index=True),
    sa.Column("period", sa.Text),
    sa.Column("page", sa.Integer),  # PDF page (1-based)
    sa.Column("cell", JSONType),  # {"table", "row", "col"} of a figure in a table
    sa.Index("ix_quantities_unit", "unit"),
)

relations = sa.Table(
    "relations", metadata,
    sa.Column("doc_id", sa.Text, _doc_fk(), primary_key=True),
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("type", sa.Text, nullable=False, index=True),
)

relation_quantities = sa.Table(
    "relation_quantities", metadata,
    sa.Column("doc_id", sa.Text, primary_key=True),
    sa.Column("relation_id", sa.Text, primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("quantity_id", sa.Text, nullable=False),
    sa.Column("role", sa.Text),
    sa.ForeignKeyConstraint(["doc_id", "relation_id"], ["relations.doc_id", "relations.id"],
                            ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["doc_id", "quantity_id"], ["quantities.doc_id", "quantities.id"],
                            ondelete="CASCADE"),
    sa.Index("ix_relation_quantities_quantity", "doc_id", "quantity_id"),
)

findings = sa.Table(
    "findings", metadata,
    sa.Column("doc_id", sa.Text, _doc_fk(), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("check", sa.Text, nullable=False, index=True),
    sa.Column("status", sa.Text, nullable=False, index=True),
    sa.Column("relation_id", sa.Text),
    sa.Column("quantities", JSONType, nullable=False),  # list of quantity ids
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("derived", JSONType, nullable=False),
)

errors = sa.Table(
    "errors", metadata,
    sa.Column("doc_id", sa.Text, primary_key=True),
    sa.Column("source", sa.Text),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64)),
    sa.Column("failed_at", sa.Text, nullable=False),
)

VIEW_NAME = "quantities_with_documents"
_view_select = sa.select(
    quantities,
    documents.c.source, documents.c.sha256, documents.c.title, documents.c.issuer, documents.c.date,
).select_from(quantities.join(documents, quantities.c.doc_id == documents.c.doc_id))

#: Children before parents: the order to delete a document's rows in.
_CHILDREN = (relation_quantities, findings, relations, quantities)


def normalize_url(url: str) -> str:
    """`postgresql://` means the psycopg (3) driver, the one govnum installs."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _json_dumps(obj: Any) -> str:
    """JSON columns keep Chinese readable (SQLite stores the text as is)."""
    return json.dumps(obj, ensure_ascii=False)


def create_engine(url: str) -> sa.Engine:
    engine = sa.create_engine(normalize_url(url), json_serializer=_json_dumps)
    if engine.dialect.name == "sqlite":
        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()
    return engine


def _add_new_columns(conn: sa.Connection) -> None:
    """Columns added to the schema since a database was made (all nullable): added to it, so that a
    database written by an older govnum takes newer reports."""
    inspector = sa.inspect(conn)
    for table in metadata.sorted_tables:
        have = {c["name"] for c in inspector.get_columns(table.name)}
        for col in table.columns:
            if col.name not in have and col.nullable:
                kind = col.type.compile(dialect=conn.dialect)
                conn.execute(sa.text(f'ALTER TABLE {table.name} ADD COLUMN "{col.name}" {kind}'))


def create_schema(engine: sa.Engine) -> None:
    """Tables, indexes and the view; does nothing to what already exists."""
    metadata.create_all(engine)
    with engine.begin() as conn:
        _add_new_columns(conn)
        if VIEW_NAME not in sa.inspect(conn).get_view_names():
            body = _view_select.compile(conn, compile_kwargs={"literal_binds": True})
            conn.execute(sa.text(f"CREATE VIEW {VIEW_NAME} AS {body}"))


def report_rows(report: Report, sha256: str, attrs: dict[str, Any]) -> dict[sa.Table, list[dict[str, Any]]]:
    """A Report as rows of each table."""
    doc = {
        "doc_id": report.doc_id, "sha256": sha256, "source": report.source, "chars": report.chars,
        "format": report.format,
        "title": report.meta.title, "issuer": report.meta.issuer, "date": report.meta.date,
        "meta": report.meta.model_dump(mode="json"), "attrs": attrs,
        "n_quantities": len(report.quantities), "n_relations": len(report.relations),
        "n_findings": len(report.findings), "govnum_version": __version__, "converted_at": _now(),
    }
    qs = [{"doc_id": report.doc_id, "seq": i, **q.model_dump()} for i, q in enumerate(report.quantities)]
    rels = [{"doc_id": report.doc_id, "id": r.id, "type": r.type} for r in report.relations]
    links = [
        {"doc_id": report.doc_id, "relation_id": r.id, "position": i, "quantity_id": qid,
         "role": r.roles[i] if i < len(r.roles) else None}
        for r in report.relations for i, qid in enumerate(r.quantities)
    ]
    finds = [
        {"doc_id": report.doc_id, "seq": i, "check": f.check, "status": f.status, "relation_id": f.relation,
         "quantities": f.quantities, "message": f.message, "derived": f.derived}
        for i, f in enumerate(report.findings)
    ]
    return {documents: [doc], quantities: qs, relations: rels, relation_quantities: links, findings: finds}


class SqlStore:
    """SQLite (the stdlib driver) or any server SQLAlchemy reaches; one transaction per document."""

    def __init__(self, url: str) -> None:
        try:
            self.engine = create_engine(url)
        except ModuleNotFoundError as exc:
            raise ValueError(f"the database driver {exc.name!r} is not installed "
                             "(for PostgreSQL: pip install 'govnum[postgres]')") from exc
        self.target = self.engine.url.render_as_string(hide_password=True)
        create_schema(self.engine)
        with self.engine.connect() as conn:
            self._failed = set(conn.execute(sa.select(errors.c.doc_id)).scalars())

    def known(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            return {d: h for d, h in conn.execute(sa.select(documents.c.doc_id, documents.c.sha256))}

    def write(self, doc_id: str, sha256: str, report: Report, attrs: dict[str, Any]) -> None:
        report = _with_id(report, doc_id)
        rows = report_rows(report, sha256, attrs)
        with self.engine.begin() as conn:
            for table in (*_CHILDREN, documents):
                conn.execute(table.delete().where(table.c.doc_id == doc_id))
            for table in (documents, quantities, relations, relation_quantities, findings):
                if rows[table]:
                    conn.execute(table.insert(), rows[table])
            conn.execute(errors.delete().where(errors.c.doc_id == doc_id))
        self._failed.discard(doc_id)

    def unchanged(self, doc_id: str) -> None:
        if doc_id in self._failed:
            with self.engine.begin() as conn:
                conn.execute(errors.delete().where(errors.c.doc_id == doc_id))
            self._failed.discard(doc_id)

    def fail(self, doc_id: str, source: str, reason: str, sha256: str | None) -> None:
        with self.engine.begin() as conn:
            conn.execute(errors.delete().where(errors.c.doc_id == doc_id))
            conn.execute(errors.insert(), [{"doc_id": doc_id, "source": source, "reason": reason,
                                            "sha256": sha256, "failed_at": _now()}])
        self._failed.add(doc_id)

    def close(self) -> None:
        self.engine.dispose()


SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")


def open_store(target: str) -> Store:
    """The store `-o TARGET` names: a SQLAlchemy URL, or a file whose suffix says the format."""
    if "://" in target:
        return SqlStore(target)
    path = Path(target)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return JsonlStore(path)
    if suffix == ".csv":
        return CsvStore(path)
    if suffix in SQLITE_SUFFIXES:
        return SqlStore(f"sqlite:///{path.resolve()}")
    if suffix == ".parquet":
        from .store_parquet import ParquetStore

        return ParquetStore(path)
    raise ValueError(f"{target}: cannot tell the output format "
                     "(use .jsonl, .csv, .sqlite, .db, .parquet or a database URL)")
