"""Input discovery for `govnum batch`: paths, directories, globs, manifests and collection files -> documents.

Every document gets a stable `doc_id`, so that re-running over the same inputs finds the same documents:
a file's stem; a manifest entry's `id`; a collection record's id field, or `<collection stem>-<record no.>`
(1-based) when it has none. Ids that still collide are disambiguated as `id~2`, `id~3`, … in the order of
their sources (sorted, so the order the inputs were given in does not matter). An id must be a non-blank
string (or a whole number) without control characters; any other is that document's failure.

Manifest entries must lie inside the manifest's folder (unless `allow_outside_paths`). Collections are
streamed: discovery keeps each record's place in the file (offset and length), not its text, and the worker
reads its record itself, so memory is bounded by the largest record (itself capped at `max_bytes`), not by
the file.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import glob
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from .load import DEFAULT_MAX_BYTES, DocumentError, open_regular

#: Field names that hold a record's text, and its id; a collection uses the one of these it has.
TEXT_FIELDS = ("text", "content", "full_text", "fulltext", "body", "正文", "内容", "全文")
ID_FIELDS = ("id", "doc_id", "docid", "uuid")
COLLECTION_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
GLOB_CHARS = frozenset("*?[")


class InputError(ValueError):
    """An input that cannot be used at all (a usage error, not one document's failure)."""


@dataclass(frozen=True)
class Record:
    """Where one record of a collection lies: bytes [offset, offset + length) of `path` in `encoding`
    (for CSV, row `row` of those bytes, with the header's column names). The worker reads it."""

    path: str
    kind: str  # "jsonl" or "csv"
    offset: int
    length: int
    encoding: str
    text_field: str
    id_field: str | None
    columns: tuple[str, ...] = ()
    row: int = 0


@dataclass(frozen=True)
class DocSpec:
    """One document to convert: where it comes from, and how to get its text.

    Exactly one of `path` (a file read with `extractor.load`), `text` (a collection record) or
    `error` (a record that is broken as it stands, e.g. invalid JSON) is set.
    """

    doc_id: str
    source: str
    path: str | None = None
    text: str | None = None
    error: str | None = None
    record: Record | None = None  # a collection record, read by the worker
    size: int = 0  # bytes, when known: for the progress estimate
    attrs: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    #: other manifest entries for the same id and file (a manifest may list one path twice, for two
    #: texts); the worker keeps the entry whose sha256 matches the text it reads
    alternatives: tuple[dict[str, Any], ...] = field(default=(), hash=False, compare=False)


@dataclass
class Options:
    """How to read inputs; the CLI's `--text-field`, `--id-field` and `--ext`."""

    text_field: str | None = None
    id_field: str | None = None
    exts: tuple[str, ...] = (".txt",)
    max_bytes: int = DEFAULT_MAX_BYTES  # per document, and per collection record
    allow_outside_paths: bool = False  # manifest entries outside the manifest's folder


def check_id(raw: Any, what: str) -> tuple[str | None, str | None]:
    """(doc_id, None) for a usable id, else (None, why not): a non-blank string or a whole number, without
    control characters (they would break lines of logs and CSV cells)."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        shown = json.dumps(raw, ensure_ascii=False)[:60]
        return None, f"{what} must be a string, not {type(raw).__name__} {shown}"
    doc_id = str(raw).strip()
    if not doc_id:
        return None, f"{what} is blank"
    if any(ord(c) < 32 or ord(c) == 127 for c in doc_id):
        return None, f"{what} {doc_id[:60]!r} has control characters"
    return doc_id, None


def _manifest(path: Path, opts: Options) -> list[dict[str, Any]] | None:
    """The entries of a `.json` input, which must be a manifest: a list of objects with a `path` (like
    shared/corpus/manifest.json); None for other files. A broken one is an InputError naming it."""
    if path.suffix.lower() != ".json":
        return None
    data = _read_json(path, opts)
    if not (isinstance(data, list) and all(isinstance(e, dict) and "path" in e for e in data)):
        raise InputError(f"{path}: not a manifest (a JSON list of objects, each with a path)")
    return data


def _read_json(path: Path, opts: Options) -> Any:
    try:
        with open_regular(path) as fh:
            raw = fh.read(opts.max_bytes + 1)
    except DocumentError as exc:
        raise InputError(str(exc)) from exc
    if len(raw) > opts.max_bytes:
        raise InputError(f"{path}: too large for a manifest (limit {opts.max_bytes} bytes)")
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path}: not valid JSON ({exc})") from exc


def _read_manifest(path: Path, entries: list[dict[str, Any]], opts: Options) -> Iterator[DocSpec]:
    base = path.parent.resolve()
    for k, entry in enumerate(entries, 1):
        raw_path = entry["path"]
        where = f"{path}#{k}"
        if not isinstance(raw_path, str) or not raw_path.strip():
            yield DocSpec(doc_id=f"{path.stem}-{k}", source=where, error="manifest entry: no path string")
            continue
        rel = Path(raw_path)
        target = (base / rel).resolve()  # symlinks followed: a link out of the folder is outside too
        doc_id, problem = check_id(entry["id"], "manifest entry id") if entry.get("id") not in (None, "") \
            else (rel.stem, None)
        if problem or not doc_id:
            yield DocSpec(doc_id=f"{path.stem}-{k}", source=where, error=problem or "no id")
            continue
        attrs = {k: v for k, v in entry.items() if k not in ("id", "path")}
        if not (opts.allow_outside_paths or target.is_relative_to(base)):
            yield DocSpec(doc_id=doc_id, source=str(base / rel), attrs=attrs,
                          error=f"manifest entry path {raw_path!r} lies outside the manifest's folder "
                                f"{base}: refused (--allow-outside-paths allows it)")
            continue
        source = str(base / rel) if not rel.is_absolute() else str(rel)
        yield DocSpec(doc_id=doc_id, source=source, path=str(target), attrs=attrs, size=_size(target))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _choose(fields: Sequence[str], wanted: str | None, candidates: Sequence[str], what: str,
            source: Path, required: bool) -> str | None:
    """The field named by the option, else the only candidate name the collection has."""
    if wanted is not None:
        if wanted not in fields:
            hint = [c for c in candidates if c in fields]
            opt = "--text-field" if what == "text" else "--id-field"
            tip = f"; use {opt} {hint[0]}" if len(hint) == 1 else ""
            raise InputError(f"{source}: no {what} field {wanted!r} (fields: {', '.join(fields)}){tip}")
        return wanted
    present = [c for c in candidates if c in fields]
    if len(present) == 1:
        return present[0]
    if not present and not required:
        return None
    opt = "--text-field" if what == "text" else "--id-field"
    found = f"several candidates {present}" if present else "none of " + ", ".join(candidates)
    raise InputError(f"{source}: cannot tell the {what} field ({found}; fields: {', '.join(fields)}); "
                     f"name it with {opt}")


_CHUNK = 1 << 20


def _scan(fh: BinaryIO, kind: str, cap: int) -> Iterator[tuple[int, int, bytes | None]]:
    """The records of a UTF-8 or GB18030 collection as (offset, length, bytes, or None when longer than
    `cap`), read a chunk at a time. A JSONL record is a line; a CSV record ends at a newline outside quotes
    (an even number of `"` before it; in both encodings these bytes only ever stand for themselves)."""
    offset = fh.tell()
    length = quotes = 0
    parts: list[bytes] | None = []
    while chunk := fh.read(_CHUNK):
        i = 0
        while True:
            nl = chunk.find(b"\n", i)
            end = len(chunk) if nl < 0 else nl + 1
            if kind == "csv":
                quotes += chunk.count(b'"', i, end)
            length += end - i
            if parts is not None and length > cap:
                parts = None  # too large: only counted from here on
            elif parts is not None:
                parts.append(chunk[i:end])
            i = end
            if nl < 0:
                break
            if kind == "csv" and quotes % 2:
                continue  # a newline inside a quoted field
            yield offset, length, b"".join(parts) if parts is not None else None
            offset += length
            length = quotes = 0
            parts = []
    if length:
        yield offset, length, b"".join(parts) if parts is not None else None


def _sniff(fh: BinaryIO, path: Path) -> tuple[str, int] | None:
    """(encoding, bytes to skip) of a collection file, streamable; None for UTF-16 (read whole)."""
    from .load import _looks_chinese

    sample = fh.read(65536)
    fh.seek(0)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8", len(codecs.BOM_UTF8)
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in sample:
        return None
    for enc in ("utf-8", "gb18030"):
        try:
            text = codecs.getincrementaldecoder(enc)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        if enc == "utf-8" or _looks_chinese(text):
            return enc, 0
    raise DocumentError(str(path), "not UTF-8, GB18030 or UTF-16 text; re-save it as UTF-8")


def _parse(data: bytes, encoding: str, kind: str, where: str) -> list[Any]:
    """The rows (CSV: lists of cells) or the object (JSONL) in one record's bytes."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ValueError(f"{where}: not valid {encoding.upper()} (bad byte at offset {exc.start})") from exc
    if kind == "csv":
        csv.field_size_limit(2**31 - 1)  # a report is one cell; the record's size is capped already
        return list(csv.reader(io.StringIO(text, newline="")))
    if not text.strip():
        return []
    try:
        return [json.loads(text)]
    except ValueError as exc:
        raise ValueError(f"{where}: invalid JSON ({exc})") from exc


@dataclass
class _Found:
    """One record as discovery sees it: its place, the values that may be its id, or what is wrong."""

    n: int
    offset: int
    length: int
    row: int = 0
    ids: dict[str, Any] = field(default_factory=dict)
    problem: str = ""
    text: str | None = None  # only for collections read whole (UTF-16)


def _records(path: Path, kind: str, opts: Options) -> tuple[list[str], list[_Found], str, tuple[str, ...]]:
    """(field names, records, encoding, CSV header) of a JSONL or CSV collection, streamed."""
    wanted = set(ID_FIELDS) | ({opts.id_field} if opts.id_field else set())
    names: dict[str, None] = {}
    found: list[_Found] = []
    header: tuple[str, ...] = ()
    with open_regular(path) as fh:
        sniffed = _sniff(fh, path)
        if sniffed is None:  # UTF-16: decode whole (capped), then scan the UTF-8 re-encoding
            from .load import decode_bytes

            data = fh.read(opts.max_bytes + 1)
            if len(data) > opts.max_bytes:
                raise DocumentError(str(path), f"a UTF-16 collection is read whole and this one is larger "
                                               f"than {opts.max_bytes} bytes: re-save it as UTF-8")
            stream: BinaryIO = io.BytesIO(decode_bytes(data, str(path)).encode("utf-8"))
            encoding, whole = "utf-8", True
        else:
            encoding, skip = sniffed
            fh.seek(skip)
            stream, whole = fh, False
        n = 0
        for offset, length, data in _scan(stream, kind, opts.max_bytes):
            where = f"line at byte {offset}"
            if data is None:
                n += 1
                found.append(_Found(n, offset, length, problem=f"record of {length} bytes is larger than "
                                                               f"--max-bytes {opts.max_bytes}: refused"))
                continue
            try:
                rows = _parse(data, encoding, kind, where)
            except ValueError as exc:
                n += 1
                found.append(_Found(n, offset, length, problem=str(exc)))
                continue
            for r, rec in enumerate(rows):
                if kind == "csv" and not header:
                    header = tuple(rec)
                    names = dict.fromkeys(header)
                    continue
                if kind == "csv" and not rec:
                    continue
                n += 1
                item = _Found(n, offset, length, row=r)
                if kind == "csv":
                    if len(rec) > len(header):  # more cells than the header has
                        item.problem = f"row {n} has more cells than the header"
                    else:
                        rec = dict(zip(header, rec, strict=False))
                if kind == "jsonl" and not isinstance(rec, dict):
                    item.problem = f"{where}: not a JSON object"
                if not item.problem:
                    names.update(dict.fromkeys(rec))
                    item.ids = {k: rec[k] for k in wanted if k in rec}
                    if whole:
                        item.text = json.dumps(rec, ensure_ascii=False)  # the record, kept in memory
                found.append(item)
    return list(names), found, encoding if not whole else "whole", header


def record_fields(record: Record, data: bytes) -> dict[str, Any]:
    """The fields of one collection record, from its bytes."""
    rows = _parse(data, record.encoding, record.kind, f"{record.path}#{record.offset}")
    rec = rows[record.row] if record.row < len(rows) else None
    if record.kind == "csv" and isinstance(rec, list):
        rec = {k: (rec[i] if i < len(rec) else None) for i, k in enumerate(record.columns)}
    if not isinstance(rec, dict):
        raise ValueError("the record changed since it was listed: run again")
    return rec


def read_record(record: Record) -> tuple[str, dict[str, Any]]:
    """A collection record's text and its other fields (the document's attrs); reads only that record."""
    if record.encoding == "whole":
        raise ValueError("a record of a collection read whole carries its text")
    with open_regular(record.path) as fh:
        fh.seek(record.offset)
        data = fh.read(record.length)
    return record_text(record, record_fields(record, data))


def record_text(record: Record, rec: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    body = rec.get(record.text_field)
    if not isinstance(body, str):
        raise ValueError(f"record has no text in field {record.text_field!r}")
    return body, {k: v for k, v in rec.items() if k not in (record.text_field, record.id_field)}


def _read_collection(path: Path, kind: str, opts: Options) -> Iterator[DocSpec]:
    try:
        names, rows, encoding, header = _records(path, kind, opts)
    except (DocumentError, OSError) as exc:  # the whole collection is unreadable: one failure, named after it
        reason = exc.reason if isinstance(exc, DocumentError) else str(exc)
        yield DocSpec(doc_id=path.stem, source=str(path), error=f"cannot read collection: {reason}")
        return
    if not rows:
        return
    text_field = _choose(names, opts.text_field, TEXT_FIELDS, "text", path, required=True)
    id_field = _choose(names, opts.id_field, ID_FIELDS, "id", path, required=False)
    assert text_field is not None
    for item in rows:
        source = f"{path}#{item.n}"
        fallback = f"{path.stem}-{item.n}"
        if item.problem:
            yield DocSpec(doc_id=fallback, source=source, error=item.problem, size=item.length)
            continue
        raw_id = item.ids.get(id_field) if id_field else None
        doc_id, problem = ((fallback, None) if raw_id in (None, "")
                           else check_id(raw_id, f"id field {id_field!r}"))
        if problem or not doc_id:
            yield DocSpec(doc_id=fallback, source=source, error=problem or "no id", size=item.length)
            continue
        record = Record(str(path), kind, item.offset, item.length, encoding, text_field, id_field,
                        columns=header, row=item.row)
        if item.text is not None:  # read whole: the text travels with the spec
            try:
                text, attrs = record_text(record, json.loads(item.text))
            except ValueError as exc:
                yield DocSpec(doc_id=doc_id, source=source, error=str(exc), size=item.length)
                continue
            yield DocSpec(doc_id=doc_id, source=source, text=text, attrs=attrs, size=item.length)
            continue
        yield DocSpec(doc_id=doc_id, source=source, record=record, size=item.length)


def _expand(item: str, opts: Options) -> Iterator[DocSpec]:
    path = Path(item)
    if not path.exists() and GLOB_CHARS & set(item):
        matches = sorted(glob.glob(item, recursive=True))
        if not matches:
            raise InputError(f"{item}: the pattern matches nothing")
        for m in matches:
            yield from _expand_path(Path(m), opts, explicit=False)
        return
    if not path.exists():
        raise InputError(f"{item}: no such file or directory")
    yield from _expand_path(path, opts, explicit=True)


def _expand_path(path: Path, opts: Options, explicit: bool) -> Iterator[DocSpec]:
    if path.is_dir():
        exts = {e.lower() for e in opts.exts}
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in exts)  # regular
        for p in found:  # a .jsonl/.csv taken in by --ext is a collection, as when named
            yield from _expand_path(p, opts, explicit=True)
        return
    kind = COLLECTION_SUFFIXES.get(path.suffix.lower())
    if kind:
        yield from _read_collection(path, kind, opts)
    elif (entries := _manifest(path, opts)) is not None:
        yield from _read_manifest(path, entries, opts)
    elif explicit or path.suffix.lower() in {e.lower() for e in opts.exts}:
        yield DocSpec(doc_id=path.stem, source=str(path), path=str(path), size=_size(path))


def _disambiguate(specs: Iterable[DocSpec]) -> list[DocSpec]:
    """Drop repeats of one source under one id; give colliding ids `~2`, `~3` … by sorted source."""
    seen: dict[tuple[str, str], DocSpec] = {}
    for s in specs:
        key = (s.doc_id, s.source)
        first = seen.setdefault(key, s)
        if first is not s and s.attrs != first.attrs and s.attrs not in first.alternatives:
            seen[key] = dataclasses.replace(first, alternatives=(*first.alternatives, s.attrs))
    unique = list(seen.values())
    by_id: dict[str, list[DocSpec]] = {}
    for s in unique:
        by_id.setdefault(s.doc_id, []).append(s)
    rename: dict[tuple[str, str], str] = {}
    taken = set(by_id)
    for doc_id, group in by_id.items():
        if len(group) < 2:
            continue
        for k, s in enumerate(sorted(group, key=lambda s: s.source)[1:], 2):
            new = f"{doc_id}~{k}"
            while new in taken:
                k += 1
                new = f"{doc_id}~{k}"
            taken.add(new)
            rename[(s.doc_id, s.source)] = new
    out = []
    for s in unique:
        new_id = rename.get((s.doc_id, s.source))
        if new_id:
            s = dataclasses.replace(s, doc_id=new_id)
        out.append(s)
    return out


def discover(inputs: Sequence[str], opts: Options | None = None) -> list[DocSpec]:
    """All documents named by the inputs, in input order, with unique stable ids.

    Raises InputError for an input that cannot be used at all (missing path, pattern without match,
    collection whose text field cannot be told).
    """
    opts = opts or Options()
    specs: list[DocSpec] = []
    for item in inputs:
        specs.extend(_expand(item, opts))
    return _disambiguate(specs)
