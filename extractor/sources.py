"""Input discovery for `govnum batch`: paths, directories, globs, manifests and collection files -> documents.

Every document gets a stable `doc_id`, so that re-running over the same inputs finds the same documents:
a file's stem; a manifest entry's `id`; a collection record's id field, or `<collection stem>-<record no.>`
(1-based) when it has none. Ids that still collide are disambiguated as `id~2`, `id~3`, … in the order of
their sources (sorted, so the order the inputs were given in does not matter).
"""

from __future__ import annotations

import csv
import dataclasses
import glob
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Field names that hold a record's text, and its id; a collection uses the one of these it has.
TEXT_FIELDS = ("text", "content", "full_text", "fulltext", "body", "正文", "内容", "全文")
ID_FIELDS = ("id", "doc_id", "docid", "uuid")
COLLECTION_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
GLOB_CHARS = frozenset("*?[")


class InputError(ValueError):
    """An input that cannot be used at all (a usage error, not one document's failure)."""


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


def _is_manifest(path: Path) -> bool:
    """A `.json` file holding a list of objects with a `path` (like shared/corpus/manifest.json)."""
    if path.suffix.lower() != ".json":
        return False
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return False
    return isinstance(data, list) and all(isinstance(e, dict) and "path" in e for e in data)


def _read_manifest(path: Path) -> Iterator[DocSpec]:
    base = path.parent
    for entry in json.loads(path.read_text(encoding="utf-8-sig")):
        rel = Path(str(entry["path"]))
        target = rel if rel.is_absolute() else base / rel
        doc_id = str(entry.get("id") or rel.stem)
        attrs = {k: v for k, v in entry.items() if k not in ("id", "path")}
        yield DocSpec(doc_id=doc_id, source=str(target), path=str(target), attrs=attrs)


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


def _decode(path: Path) -> str:
    """A collection file's text, decoded the way documents are (UTF-8, BOM, UTF-16, GB18030 …)."""
    from .load import decode_bytes

    return decode_bytes(path.read_bytes(), str(path))


def _records(path: Path, kind: str) -> tuple[list[str], list[tuple[int, dict[str, Any] | None, str]]]:
    """(field names, [(record no., record or None, problem)]) of a JSONL or CSV collection."""
    text = _decode(path)
    rows: list[tuple[int, dict[str, Any] | None, str]] = []
    names: dict[str, None] = {}
    if kind == "csv":
        csv.field_size_limit(2**31 - 1)  # a report is one cell
        reader = csv.DictReader(io.StringIO(text, newline=""))
        for n, row in enumerate(reader, 1):
            if None in row:  # more cells than the header has
                rows.append((n, None, f"row {n} has more cells than the header"))
                continue
            rows.append((n, dict(row), ""))
        names = dict.fromkeys(reader.fieldnames or [])
        return list(names), rows
    n = 0
    for lineno, line in enumerate(text.split("\n"), 1):  # not splitlines(): U+2028 may sit in a string
        if not line.strip():
            continue
        n += 1
        try:
            rec = json.loads(line)
        except ValueError as exc:
            rows.append((n, None, f"line {lineno}: invalid JSON ({exc})"))
            continue
        if not isinstance(rec, dict):
            rows.append((n, None, f"line {lineno}: not a JSON object"))
            continue
        names.update(dict.fromkeys(rec))
        rows.append((n, rec, ""))
    return list(names), rows


def _read_collection(path: Path, kind: str, opts: Options) -> Iterator[DocSpec]:
    try:
        names, rows = _records(path, kind)
    except Exception as exc:  # the whole collection is unreadable: one failure, named after it
        yield DocSpec(doc_id=path.stem, source=str(path), error=f"cannot read collection: {exc}")
        return
    if not rows:
        return
    text_field = _choose(names, opts.text_field, TEXT_FIELDS, "text", path, required=True)
    id_field = _choose(names, opts.id_field, ID_FIELDS, "id", path, required=False)
    for n, rec, problem in rows:
        source = f"{path}#{n}"
        fallback = f"{path.stem}-{n}"
        if rec is None:
            yield DocSpec(doc_id=fallback, source=source, error=problem)
            continue
        raw_id = rec.get(id_field) if id_field else None
        doc_id = str(raw_id).strip() if raw_id not in (None, "") else fallback
        attrs = {k: v for k, v in rec.items() if k not in (text_field, id_field)}
        body = rec.get(text_field)
        if not isinstance(body, str):
            yield DocSpec(doc_id=doc_id, source=source, attrs=attrs,
                          error=f"record has no text in field {text_field!r}")
            continue
        yield DocSpec(doc_id=doc_id, source=source, text=body, attrs=attrs)


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
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in exts)
        for p in found:  # a .jsonl/.csv taken in by --ext is a collection, as when named
            yield from _expand_path(p, opts, explicit=True)
        return
    kind = COLLECTION_SUFFIXES.get(path.suffix.lower())
    if kind:
        yield from _read_collection(path, kind, opts)
    elif _is_manifest(path):
        yield from _read_manifest(path)
    elif explicit or path.suffix.lower() in {e.lower() for e in opts.exts}:
        yield DocSpec(doc_id=path.stem, source=str(path), path=str(path))


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
