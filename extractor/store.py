"""Output writers for `govnum batch`: JSON Lines, CSV, and SQL databases through SQLAlchemy Core (those in
`store_sql.py`, imported only for a database output; their names are importable from here too).

Every store is keyed by `doc_id` and remembers each document's content hash (sha256 of its decoded text),
so a re-run skips unchanged documents, replaces changed ones and never duplicates. Each document is
written and committed (or flushed) on its own, so an interrupted run loses at most the documents in flight.

Database schema (one definition, for SQLite and PostgreSQL alike): `documents`, `quantities`,
`relations` + `relation_quantities` (which quantity plays which role), `findings`, `errors`, and the
views `quantities_with_documents` and `series` (the figures of catalogued indicators, SPEC §6). Column
names are those of the JSON contract, so `end` and `check` must be quoted in SQL (`q."end"`,
`f."check"`). `value` is the exact decimal string; `value_num`/`value_max_num` hold it as a number
(REAL in SQLite, NUMERIC in PostgreSQL) for sorting and arithmetic.

One writer per output: a run holds an exclusive lock for its whole length (`OUT.lock` beside a file output,
an advisory lock in PostgreSQL); a second run is refused with `Busy`, never interleaved.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from schemas import Report


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

    # Optional: a store may also have `encoder`, a module-level function (report, doc_id) -> bytes that a
    # worker process runs, and `write_encoded(doc_id, sha256, data)` that writes what it made, so that
    # the one writing process does not deserialize and re-serialize every report (JsonlStore has them).


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


_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(target: str) -> bool:
    """A database URL has a `scheme://`; anything else (even with `?` or `#` in it) is a file path."""
    return bool(_URL.match(target))


class Busy(Exception):
    """Another govnum run is writing the output (it holds the output's lock)."""


class FileLock:
    """An exclusive lock on `<output>.lock`, held for a whole run (fcntl.flock: the kernel drops it when
    the holder dies, so a killed run never leaves a stale lock). The file keeps the holder's pid for the
    message a second writer gets; it is left in place, since deleting a lock file races with its next user.
    """

    def __init__(self, target: Path) -> None:
        self.path = target.with_name(target.name + ".lock")
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 200).decode("utf-8", errors="replace").strip()
            os.close(fd)
            raise Busy(f"{target}: another govnum run is writing it ({holder or 'see ' + str(self.path)}); "
                       "wait for it to finish, then run again") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"govnum pid {os.getpid()} since {_now()}\n".encode())
        self.fd: int | None = fd

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def _json_dumps(obj: Any) -> str:
    """JSON columns keep Chinese readable (SQLite stores the text as is)."""
    return json.dumps(obj, ensure_ascii=False)


def csv_cell(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection): text starting with = + - @
    tab or CR gets a leading `'` (and so does text starting with `'`, so that `csv_uncell` is exact);
    numbers are left alone."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_uncell(value: str) -> str:
    """The text `csv_cell` was given."""
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA_START) else value


# --------------------------------------------------------------------------------------------- files


def _cut_short(raw: bytes, line: bytes, k: int, n_lines: int) -> bool:
    """Whether a line that does not parse is the last one, cut short by an interrupted write of govnum's
    (no newline after it, and it starts the way govnum's lines start); anything else is not our file."""
    return k == n_lines - 1 and not raw.endswith(b"\n") and line.startswith(b'{"doc_id":')


class _ErrorLog:
    """`<output name>.errors.jsonl` beside a file output (`out.csv.errors.jsonl`: one per output, so that
    out.csv and out.jsonl do not share one): the current failures, one JSON object a line."""

    def __init__(self, out: Path) -> None:
        self.path = out.with_name(out.name + ".errors.jsonl")
        self.errors: dict[str, dict[str, Any]] = {}
        self.changed = False
        if self.path.exists():
            raw = self.path.read_bytes()
            lines = raw.split(b"\n")
            for k, line in enumerate(lines):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                    self.errors[rec["doc_id"]] = {"doc_id": rec["doc_id"], "reason": rec["reason"], **rec}
                except (ValueError, KeyError, TypeError) as exc:
                    if _cut_short(raw, line, k, len(lines)):
                        continue
                    raise ValueError(f"{self.path}: line {k + 1} is not a govnum error record; "
                                     "not overwriting a file govnum did not write") from exc
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
        self.lock = FileLock(path)
        try:
            self.errors = _ErrorLog(path)
            self._hash: dict[str, str] = {}
            self._dirty = False
            self._load()
        except BaseException:
            self.lock.release()
            raise

    def _load(self) -> None:
        raise NotImplementedError

    def known(self) -> dict[str, str]:
        return dict(self._hash)

    def fail(self, doc_id: str, source: str, reason: str, sha256: str | None) -> None:
        self.errors.fail(doc_id, source, reason, sha256)

    def unchanged(self, doc_id: str) -> None:
        self.errors.ok(doc_id)


def jsonl_line(report: Report, doc_id: str) -> bytes:
    """A report's line in a JSONL output (what `govnum extract --format jsonl` prints), keyed by doc_id."""
    return (_with_id(report, doc_id).model_dump_json() + "\n").encode("utf-8")


class JsonlStore(_FileStore):
    """One Report a line, exactly as `govnum extract --format jsonl` prints it."""

    encoder = staticmethod(jsonl_line)  # run in the worker processes by `govnum batch`

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
                if _cut_short(raw, line, k, len(lines)):
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
        self.write_encoded(doc_id, sha256, jsonl_line(report, doc_id))

    def write_encoded(self, doc_id: str, sha256: str, line: bytes) -> None:
        """Append a line made by `jsonl_line` (in a worker process)."""
        if doc_id in self._hash:
            self._dirty = True
        _fsync_write(self.path, line)
        self._hash[doc_id] = sha256
        self.errors.ok(doc_id)

    def close(self) -> None:
        try:
            if self._dirty:
                self._compact()
            self.errors.close()
        finally:
            self.lock.release()


CSV_DOC_COLUMNS = ["doc_id", "source", "sha256", "title", "issuer", "date", "doc_quantities"]
CSV_Q_COLUMNS = ["id", "start", "end", "text", "value", "value_max", "unit", "kind", "approx", "metric",
                 "period", "period_iso", "indicator", "aspect", "area", "modality"]
CSV_COLUMNS = CSV_DOC_COLUMNS + CSV_Q_COLUMNS
CSV_RELATION_COLUMNS = ["doc_id", "sha256", "doc_relations", "id", "type", "quantities", "roles"]
CSV_FINDING_COLUMNS = ["doc_id", "sha256", "doc_findings", "seq", "check", "status", "relation", "quantities",
                       "message", "derived"]


def csv_rows(report: Report, sha256: str | None = None) -> list[dict[str, Any]]:
    """One row per quantity, each carrying its document's id and meta; one bare row for a document
    without quantities, so that every converted document is in the file."""
    doc = {"doc_id": report.doc_id, "source": report.source, "sha256": sha256 or report.sha256,
           "title": report.meta.title, "issuer": report.meta.issuer, "date": report.meta.date,
           "doc_quantities": len(report.quantities)}
    if not report.quantities:
        return [doc]
    return [{**doc, **q.model_dump(include=set(CSV_Q_COLUMNS))} for q in report.quantities]


def csv_relation_rows(report: Report, sha256: str | None = None) -> list[dict[str, Any]]:
    """One row per relation (its quantity ids and roles as JSON lists), beside `out.csv`."""
    key = {"doc_id": report.doc_id, "sha256": sha256 or report.sha256, "doc_relations": len(report.relations)}
    return [{**key, "id": r.id, "type": r.type, "quantities": _json_dumps(r.quantities),
             "roles": _json_dumps(r.roles)} for r in report.relations]


def csv_finding_rows(report: Report, sha256: str | None = None) -> list[dict[str, Any]]:
    """One row per finding (its quantity ids and derived values as JSON), beside `out.csv`."""
    key = {"doc_id": report.doc_id, "sha256": sha256 or report.sha256, "doc_findings": len(report.findings)}
    return [{**key, "seq": i, "check": f.check, "status": f.status, "relation": f.relation,
             "quantities": _json_dumps(f.quantities), "message": f.message, "derived": _json_dumps(f.derived)}
            for i, f in enumerate(report.findings)]


Block = list[dict[str, str]]


class _CsvTable:
    """One CSV file of rows in per-document blocks; each row carries its document's id, content hash and
    number of rows (`count`), so a block cut short by an interrupted write is recognised and dropped.
    UTF-8 with BOM so spreadsheet programs read the Chinese; cells neutralised against formula injection."""

    def __init__(self, path: Path, columns: list[str], count: str, bare: bool) -> None:
        self.path, self.columns, self.count, self.bare = path, columns, count, bare

    def encode(self, rows: list[dict[str, Any]], header: bool) -> bytes:
        buf = io.StringIO(newline="")
        w = csv.DictWriter(buf, fieldnames=self.columns, lineterminator="\r\n")
        if header:
            w.writeheader()
        w.writerows({k: csv_cell("" if v is None else v) for k, v in r.items()} for r in rows)
        return (("\ufeff" if header else "") + buf.getvalue()).encode("utf-8")

    def exists(self) -> bool:
        return self.path.exists() and self.path.stat().st_size > 0

    def append(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            _fsync_write(self.path, self.encode(rows, header=not self.exists()))

    def rewrite(self, blocks: dict[str, Block]) -> None:
        _replace(self.path, self.encode([r for block in blocks.values() for r in block], header=True))

    def _continues(self, block: Block, row: dict[str, str]) -> bool:
        """Whether a row belongs to the document whose rows precede it (not to a newer version)."""
        head = block[0]
        key = (row.get("doc_id"), row.get("sha256"))
        if not key[0] or key != (head.get("doc_id"), head.get("sha256")):
            return False
        try:
            return len(block) < int(head[self.count])
        except (TypeError, ValueError):
            return False

    def blocks(self, valid: dict[str, str] | None = None) -> tuple[dict[str, Block], bool]:
        """Complete documents found in the file (last version wins; with `valid`, only the version whose
        hash it gives), and whether the file needs a rewrite."""
        if not self.exists():
            return {}, False
        raw = self.path.read_bytes()
        if self.encode([], header=True).startswith(raw):
            self.path.unlink()  # only a part of the header: the first write was cut short
            return {}, False
        dirty = not raw.endswith(b"\n")
        text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
        csv.field_size_limit(2**31 - 1)
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if reader.fieldnames != self.columns:
            raise ValueError(f"{self.path}: its columns are not those of govnum batch; "
                             "not overwriting a file govnum did not write")
        blocks: list[tuple[str, Block]] = []
        for raw_row in reader:
            row = {k: csv_uncell(v) if isinstance(v, str) else v for k, v in raw_row.items()}
            if blocks and self._continues(blocks[-1][1], row):
                blocks[-1][1].append(row)
            else:
                blocks.append((row.get("doc_id") or "", [row]))
        docs: dict[str, Block] = {}
        for doc_id, block in blocks:
            try:
                n = int(block[0][self.count])
            except (TypeError, ValueError, KeyError):
                dirty = True
                continue
            whole = len(block) == (max(n, 1) if self.bare else n)
            whole = whole and all(None not in r and None not in r.values() for r in block)
            if not whole or not block[0].get("sha256"):
                dirty = True  # cut short by an interrupted write
                continue
            if valid is not None and valid.get(doc_id) != block[0]["sha256"]:
                dirty = True  # an attempt whose document was not written, or an older version
                continue
            if doc_id in docs:
                dirty = True
                del docs[doc_id]  # keep the newest version, at the end
            docs[doc_id] = block
        if not raw.endswith(b"\n") and blocks and docs.get(blocks[-1][0]) is blocks[-1][1]:
            del docs[blocks[-1][0]]  # its last value may be cut short and still parse: do it again
        return docs, dirty


class CsvStore(_FileStore):
    """One quantity a row in `out.csv`; relations and findings beside it in `out.relations.csv` and
    `out.findings.csv`. A document is written there first and in `out.csv` last, so `out.csv` says which
    documents are whole; the other two keep only the rows of those."""

    def _load(self) -> None:
        stem = self.path.with_suffix("")
        self.table = _CsvTable(self.path, CSV_COLUMNS, "doc_quantities", bare=True)
        self.sides = [
            (_CsvTable(stem.with_name(stem.name + ".relations.csv"), CSV_RELATION_COLUMNS, "doc_relations",
                       bare=False), csv_relation_rows),
            (_CsvTable(stem.with_name(stem.name + ".findings.csv"), CSV_FINDING_COLUMNS, "doc_findings",
                       bare=False), csv_finding_rows),
        ]
        docs, dirty = self.table.blocks()
        valid = {d: rows[0]["sha256"] for d, rows in docs.items()}
        self._in_file = set(valid)
        for side, _rows in self.sides:
            if valid and not side.exists():
                valid = {}  # written before the relations and findings files were: convert again
        self._hash = dict(valid)
        if dirty:
            self.table.rewrite(docs)
        self._tidy_sides(valid)

    def _tidy_sides(self, valid: dict[str, str]) -> None:
        for side, _rows in self.sides:
            blocks, dirty = side.blocks(valid)
            if dirty:
                side.rewrite(blocks)

    def write(self, doc_id: str, sha256: str, report: Report, attrs: dict[str, Any]) -> None:
        report = _with_id(report, doc_id)
        if doc_id in self._hash or doc_id in self._in_file:
            self._dirty = True
        for side, rows in self.sides:
            side.append(rows(report, sha256))
        self.table.append(csv_rows(report, sha256))
        self._hash[doc_id] = sha256
        self.errors.ok(doc_id)

    def close(self) -> None:
        try:
            if self._dirty:
                docs = self.table.blocks()[0]
                self.table.rewrite(docs)
                self._tidy_sides({d: rows[0]["sha256"] for d, rows in docs.items()})
            self.errors.close()
        finally:
            self.lock.release()


SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")


SQLITE_MAGIC = b"SQLite format 3\x00"


def open_store(target: str) -> Store:
    """The store `-o TARGET` names: a SQLAlchemy URL (`scheme://…`), or a file whose suffix says the format.

    Raises Busy when another run writes the same output, ValueError for an output it cannot use."""
    if is_url(target):
        from .store_sql import SqlStore

        return SqlStore(target)
    path = Path(target)
    suffix = path.suffix.lower()
    if path.exists() and not path.is_file() and suffix != ".parquet":
        raise ValueError(f"{target}: not a regular file")
    if not path.parent.is_dir():
        raise ValueError(f"{target}: the folder {path.parent} does not exist")
    if suffix == ".jsonl":
        return JsonlStore(path)
    if suffix == ".csv":
        return CsvStore(path)
    if suffix in SQLITE_SUFFIXES:
        if path.exists() and path.stat().st_size:
            with path.open("rb") as fh:
                if fh.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                    raise ValueError(f"{target}: not a SQLite database; not overwriting a file govnum "
                                     "did not write")
        import sqlalchemy as sa

        from .store_sql import SqlStore

        return SqlStore(sa.URL.create("sqlite", database=str(path.resolve())))
    if suffix == ".parquet":
        from .store_parquet import ParquetStore

        return ParquetStore(path)
    raise ValueError(f"{target}: cannot tell the output format "
                     "(use .jsonl, .csv, .sqlite, .db, .parquet or a database URL)")


def __getattr__(name: str) -> Any:
    """The SQL schema and store (`SqlStore`, the tables, `create_engine`, …) live in `store_sql`, imported
    on first use, so that `govnum batch -o out.jsonl` does not pay for importing SQLAlchemy."""
    if name.startswith("__"):
        raise AttributeError(name)
    from . import store_sql

    try:
        return getattr(store_sql, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
