"""The SQL databases of `govnum batch` (SQLite, PostgreSQL) through SQLAlchemy Core: the schema and the store.

A module of its own so that the file outputs (JSON Lines, CSV) do not import SQLAlchemy: `extractor.store`
re-exports every name here on first use (see its `__getattr__`). The schema is described in `store.py`.
"""

from __future__ import annotations

import contextlib
import time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from . import __version__
from .store import Busy, FileLock, _json_dumps, _now, _with_id

if TYPE_CHECKING:
    from schemas import Quantity, Report

# ----------------------------------------------------------------------------------------- databases

# None is stored as SQL NULL (not the JSON text null), so that readers of the tables see a missing value
JSONType = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


class Number(sa.types.TypeDecorator):
    """A decimal string stored as a number: REAL in SQLite (sorts and sums; `value` keeps the exact
    string), NUMERIC in PostgreSQL (exact)."""

    impl = sa.Float
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(sa.Numeric(asdecimal=True))
        return dialect.type_descriptor(sa.Float())

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> Any:
        if value is None:
            return None
        number = Decimal(str(value))
        return number if dialect.name == "postgresql" else float(number)

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
    sa.Column("value", sa.Text, nullable=False),  # exact decimal string
    sa.Column("value_max", sa.Text),
    sa.Column("unit", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False, index=True),
    sa.Column("approx", sa.Text),
    sa.Column("metric", sa.Text, index=True),
    sa.Column("period", sa.Text),
    sa.Column("page", sa.Integer),  # PDF page (1-based)
    sa.Column("cell_table", sa.Integer),  # a figure in a table: Quantity.cell's table, row, column
    sa.Column("cell_row", sa.Integer),
    sa.Column("cell_col", sa.Integer),
    sa.Column("value_num", Number),  # `value` as a number, for order by / max / sum
    sa.Column("value_max_num", Number),
    sa.Column("period_iso", sa.Text, index=True),  # SPEC §2, §6: the series fields
    sa.Column("indicator", sa.Text, index=True),
    sa.Column("aspect", sa.Text),
    sa.Column("area", sa.Text),
    sa.Column("modality", sa.Text),
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
    sa.Column("compared", sa.Boolean),  # False: the check only derived a value (Finding.compared)
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

SERIES_VIEW = "series"
#: One row per figure of a catalogued indicator: the long table `govnum series` prints.
SERIES_COLUMNS = ("doc_id", "area", "indicator", "aspect", "modality", "period_iso", "value", "value_max",
                  "unit", "approx", "text", "start", "end")
_series_select = sa.select(
    *(quantities.c[c] for c in SERIES_COLUMNS), quantities.c.kind, quantities.c.metric, documents.c.source,
    documents.c.title,
).select_from(quantities.join(documents, quantities.c.doc_id == documents.c.doc_id)).where(
    quantities.c.indicator.is_not(None))

#: Children before parents: the order to delete a document's rows in.
_CHILDREN = (relation_quantities, findings, relations, quantities)


def normalize_url(url: str) -> str:
    """`postgresql://` means the psycopg (3) driver, the one govnum installs."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def create_engine(url: str | sa.URL) -> sa.Engine:
    engine = sa.create_engine(normalize_url(url) if isinstance(url, str) else url,
                              json_serializer=_json_dumps)
    if engine.dialect.name == "sqlite":
        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()
    return engine


#: Columns added since the first schema, with the SQL that fills them in for rows written before.
_ADDED = {"quantities": {"value_num": "CAST(value AS {num})", "value_max_num": "CAST(value_max AS {num})"},
          "findings": {"compared": "{true}"}}  # rows of before: the model's default
_LOCK_CLASS = 0x676E756D  # 'gnum': the first key of govnum's advisory locks in PostgreSQL


def _add_missing_columns(conn: sa.Connection) -> bool:
    """Bring a database written by an older govnum up to the current tables; whether anything changed."""
    insp = sa.inspect(conn)
    changed = False
    for table in metadata.sorted_tables:
        have = {c["name"] for c in insp.get_columns(table.name)}
        for col in table.columns:
            if col.name in have:
                continue
            kind = col.type.compile(dialect=conn.dialect)
            conn.execute(sa.text(f'ALTER TABLE {table.name} ADD COLUMN "{col.name}" {kind}'))
            if col.index:  # indicator, period_iso
                conn.execute(sa.text(f'CREATE INDEX IF NOT EXISTS ix_{table.name}_{col.name} '
                                     f'ON {table.name} ("{col.name}")'))
            fill = _ADDED.get(table.name, {}).get(col.name)
            if fill:
                pg = conn.dialect.name == "postgresql"
                fill = fill.format(num="NUMERIC" if pg else "REAL", true="TRUE" if pg else "1")
                conn.execute(sa.text(f'UPDATE {table.name} SET "{col.name}" = {fill}'))
            changed = True
    return changed


def create_schema(engine: sa.Engine) -> None:
    """Tables, indexes and the view; idempotent, also when two processes create them at once (in PostgreSQL
    under a transaction-scoped advisory lock; in SQLite the output's file lock serialises runs, and the
    statements say IF NOT EXISTS)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k, hashtext(current_schema()) + 1)"),
                         {"k": _LOCK_CLASS})
        metadata.create_all(conn)
        changed = _add_missing_columns(conn)
        views = sa.inspect(conn).get_view_names()
        for name, select in ((VIEW_NAME, _view_select), (SERIES_VIEW, _series_select)):
            if name in views and changed:
                conn.execute(sa.text(f"DROP VIEW {name}"))
            if name not in views or changed:
                body = select.compile(conn, compile_kwargs={"literal_binds": True})
                exists = "IF NOT EXISTS " if conn.dialect.name == "sqlite" else ""
                conn.execute(sa.text(f"CREATE VIEW {exists}{name} AS {body}"))


def _quantity_row(q: Quantity) -> dict[str, Any]:
    """A quantity's columns: its fields, the table cell as three columns (queryable, joinable)."""
    row = q.model_dump(exclude={"cell"})
    cell = q.cell
    row.update(cell_table=cell and cell.table, cell_row=cell and cell.row, cell_col=cell and cell.col)
    return row


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
    qs = [{"doc_id": report.doc_id, "seq": i, **_quantity_row(q), "value_num": q.value,
           "value_max_num": q.value_max} for i, q in enumerate(report.quantities)]
    rels = [{"doc_id": report.doc_id, "id": r.id, "type": r.type} for r in report.relations]
    links = [
        {"doc_id": report.doc_id, "relation_id": r.id, "position": i, "quantity_id": qid,
         "role": r.roles[i] if i < len(r.roles) else None}
        for r in report.relations for i, qid in enumerate(r.quantities)
    ]
    finds = [
        {"doc_id": report.doc_id, "seq": i, "check": f.check, "status": f.status, "relation_id": f.relation,
         "compared": f.compared,
         "quantities": f.quantities, "message": f.message, "derived": f.derived}
        for i, f in enumerate(report.findings)
    ]
    return {documents: [doc], quantities: qs, relations: rels, relation_quantities: links, findings: finds}


def _pg_lock(engine: sa.Engine, target: str) -> sa.Connection:
    """A session-level advisory lock on the database's current schema, held by a connection of its own for
    the whole run (PostgreSQL drops it when that connection ends, however the run ends)."""
    conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    key = "hashtext(current_schema())"
    if conn.execute(sa.text(f"SELECT pg_try_advisory_lock(:k, {key})"), {"k": _LOCK_CLASS}).scalar():
        return conn
    holder = conn.execute(sa.text(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = :k "
        f"AND objid = {key}::oid "
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    ), {"k": _LOCK_CLASS}).scalar()
    conn.close()
    raise Busy(f"{target}: another govnum run is writing to this database (server pid {holder}); "
               "wait for it to finish, then run again")


#: Errors a write may meet because another program holds the database for a moment: worth a retry.
_TRANSIENT = (sa.exc.OperationalError,)


class SqlStore:
    """SQLite (the stdlib driver) or any server SQLAlchemy reaches; one transaction per document, held by
    one writer at a time (see `FileLock`, `_pg_lock`)."""

    def __init__(self, url: str | sa.URL) -> None:
        try:
            self.engine = create_engine(url)
        except ModuleNotFoundError as exc:
            raise ValueError(f"the database driver {exc.name!r} is not installed "
                             "(for PostgreSQL: pip install 'govnum[postgres]')") from exc
        self.target = self.engine.url.render_as_string(hide_password=True)
        self._lock: FileLock | None = None
        self._pg: sa.Connection | None = None
        try:
            database = self.engine.url.database
            if self.engine.dialect.name == "sqlite" and database and database != ":memory:":
                self.target = database
                self._lock = FileLock(Path(database))
            elif self.engine.dialect.name == "postgresql":
                self._pg = _pg_lock(self.engine, self.target)
            create_schema(self.engine)
            with self.engine.connect() as conn:
                self._failed = set(conn.execute(sa.select(errors.c.doc_id)).scalars())
        except BaseException:
            self.close()
            raise

    def known(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            return {d: h for d, h in conn.execute(sa.select(documents.c.doc_id, documents.c.sha256))}

    def _upsert_document(self, conn: sa.Connection, row: dict[str, Any]) -> None:
        """Insert or update the documents row: a retry, or a row another program wrote meanwhile, updates."""
        dialect = conn.dialect.name
        if dialect not in ("sqlite", "postgresql"):
            conn.execute(documents.delete().where(documents.c.doc_id == row["doc_id"]))
            conn.execute(documents.insert(), [row])
            return
        ins = (sqlite.insert if dialect == "sqlite" else postgresql.insert)(documents).values(row)
        update = {k: ins.excluded[k] for k in row if k != "doc_id"}
        conn.execute(ins.on_conflict_do_update(index_elements=["doc_id"], set_=update))

    def write(self, doc_id: str, sha256: str, report: Report, attrs: dict[str, Any]) -> None:
        report = _with_id(report, doc_id)
        rows = report_rows(report, sha256, attrs)
        for attempt in range(3):
            try:
                with self.engine.begin() as conn:
                    for table in _CHILDREN:
                        conn.execute(table.delete().where(table.c.doc_id == doc_id))
                    self._upsert_document(conn, rows[documents][0])
                    for table in (quantities, relations, relation_quantities, findings):
                        if rows[table]:
                            conn.execute(table.insert(), rows[table])
                    conn.execute(errors.delete().where(errors.c.doc_id == doc_id))
                break
            except _TRANSIENT:
                if attempt == 2:
                    raise
                time.sleep(0.5 * (attempt + 1))
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
        if self._pg is not None:
            with contextlib.suppress(Exception):
                self._pg.execute(sa.text("SELECT pg_advisory_unlock_all()"))
            with contextlib.suppress(Exception):
                self._pg.invalidate()  # really closed, not returned to the pool holding the lock
            self._pg = None
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None
