"""`govnum report`: one self-contained HTML page to look at, for one document, a folder or a database.

The page is rendered here, server side, so that it reads without JavaScript: a summary, the findings
grouped by status (each with its sentence, figures highlighted, the arithmetic and a link into the
document), an indicator view (an inline SVG chart per indicator that several documents state), and a
document view per document (its text with every figure highlighted by kind). A few lines of JavaScript
(extractor/data/report.js) only show a figure's record on hover or focus. No network, no CDN: the CSS and
the script are inlined. Every string that comes from a document or a record is escaped.

Inputs are what `govnum batch` reads (files, folders, globs, manifests, collections), a database it wrote
(`.sqlite`/`.db` or a SQLAlchemy URL), or govnum's own JSON/JSONL output; a document's text is re-read
from its `source` when a stored report is given, and used only when its sha256 still matches.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin

import click

from schemas import Finding, Quantity, Relation, Report

from .document import Document
from .sources import DocSpec, InputError, Options, discover

STATUSES = ("inconsistent", "warning", "consistent")
KINDS = ("money", "count", "measure", "percent", "multiple", "rank", "ratio", "grade", "other")
RECORD_FIELDS = ("value", "value_max", "unit", "kind", "approx", "metric", "indicator", "aspect", "area",
                 "modality", "period", "period_iso")
DB_SUFFIXES = (".sqlite", ".sqlite3", ".db")
_FAR = 300  # figures of one finding further apart than this are shown each in its own sentence
_MAIN_CHART_DOCS = 5  # charts of indicators fewer documents state are folded away


@dataclass
class Entry:
    """One document of the page: its report, and its text when it could be read (None otherwise)."""

    report: Report
    text: str | None = None
    note: str | None = None  # why the text is missing
    _doc: Document | None = field(default=None, repr=False)

    @property
    def doc(self) -> Document | None:
        if self.text is None:
            return None
        if self._doc is None:
            self._doc = Document.from_text(self.text, source=self.report.source)
        return self._doc


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.removeprefix("\ufeff").encode("utf-8")).hexdigest()


def compared(f: Finding) -> bool:
    """Whether a check compared two stated things (else it only derived a value, e.g. an implied base).

    The checks record this on the finding (`compared`); for older outputs it is told from `derived`:
    a consistent check whose every derived value is an implied one stated nothing to compare against
    (one that failed did compare: the implied value is not possible).
    """
    if "compared" in f.model_fields_set:  # stated by the checks (a database row without it is not)
        return bool(getattr(f, "compared"))  # noqa: B009 (the field is newer than some outputs)
    keys = list(f.derived)
    return f.status != "consistent" or not keys or not all(k.startswith("implied_") for k in keys)


# ------------------------------------------------------------------------------------------ reading


def _model_dict(model: type[Quantity | Finding | Relation], row: dict[str, Any]) -> dict[str, Any]:
    """The fields of a model that a row holds (a database row has more columns, an older one fewer);
    JSON columns, which SQLite returns as text, decoded for fields that are not strings."""
    out = {}
    for key, value in row.items():
        info = model.model_fields.get(key)
        if info is None:
            continue
        ann = info.annotation
        is_text = ann is str or (get_origin(ann) in (Union, UnionType) and str in get_args(ann))
        if isinstance(value, str) and (value[:1] in ("{", "[") or value == "null") and not is_text:
            value = json.loads(value)
        out[key] = value
    return out


def _text_for(source: str | None, sha: str | None) -> tuple[str | None, str | None]:
    """The document text at `source` (a file, or `collection#n`) when it is still the one reported."""
    from .load import DocumentError

    if not source:
        return None, "no source recorded"
    text: str | None = None
    try:
        if "#" in source and not Path(source).exists():
            text = _collection_texts(source.rsplit("#", 1)[0]).get(source)
        else:
            from .readers import read_document

            text = read_document(source).text  # the text govnum read, whatever the file's format
    except (DocumentError, InputError, OSError, ValueError) as exc:
        return None, f"text not readable: {exc}"
    if text is None:
        return None, f"text not found at {source}"
    text = text.removeprefix("\ufeff")
    if sha and sha256_of(text) != sha:
        return None, f"{source} has changed since it was converted"
    return text, None


@cache
def _collection_texts(path: str) -> dict[str, str]:
    """source (`collection#n`) -> text of every record of a collection, read once per collection."""
    return {s.source: s.text for s in discover([path]) if s.text is not None}


def _from_database(url: str) -> tuple[list[Entry], list[tuple[str, str]]]:
    """The reports a `govnum batch` database holds (tables documents, quantities, relations,
    relation_quantities, findings, errors: see store.py)."""
    import sqlalchemy as sa

    from .store import create_engine

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            def rows(sql: str) -> list[dict[str, Any]]:
                return [dict(r._mapping) for r in conn.execute(sa.text(sql))]

            docs = rows("SELECT * FROM documents ORDER BY doc_id")
            qs = rows("SELECT * FROM quantities ORDER BY doc_id, seq")
            rels = rows("SELECT * FROM relations ORDER BY doc_id, id")
            links = rows("SELECT * FROM relation_quantities ORDER BY doc_id, relation_id, position")
            finds = rows("SELECT * FROM findings ORDER BY doc_id, seq")
            errs = rows("SELECT * FROM errors ORDER BY doc_id")
    except sa.exc.SQLAlchemyError as exc:
        raise click.ClickException(
            f"{url}: not a database written by govnum batch ({exc.__class__.__name__})") from exc
    finally:
        engine.dispose()
    by_doc: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for q in qs:
        by_doc[q["doc_id"]]["q"].append(_model_dict(Quantity, q))
    members: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for link in links:
        members[(link["doc_id"], link["relation_id"])].append(link)
    for r in rels:
        ms = members[(r["doc_id"], r["id"])]
        by_doc[r["doc_id"]]["r"].append({"id": r["id"], "type": r["type"],
                                         "quantities": [m["quantity_id"] for m in ms],
                                         "roles": [m["role"] or "" for m in ms]})
    for f in finds:
        row = dict(f)
        row["relation"] = row.pop("relation_id", None)
        by_doc[f["doc_id"]]["f"].append(_model_dict(Finding, row))
    entries = []
    for d in docs:
        meta = d.get("meta")
        meta = json.loads(meta) if isinstance(meta, str) else (meta or {})
        got = by_doc[d["doc_id"]]
        report = Report(doc_id=d["doc_id"], source=d.get("source"), sha256=d.get("sha256"),
                        chars=d.get("chars") or 0, meta=meta, quantities=got["q"], relations=got["r"],
                        findings=got["f"])
        text, note = _text_for(report.source, report.sha256)
        entries.append(Entry(report, text, note))
    return entries, [(e["doc_id"], e["reason"]) for e in errs]


def _govnum_output(path: Path) -> list[dict[str, Any]] | None:
    """The records of a file govnum wrote (`extract` JSON/JSONL, `batch` JSONL), else None."""
    if path.suffix.lower() not in (".json", ".jsonl") or not path.is_file():
        return None
    try:
        raw = path.read_text(encoding="utf-8-sig")
        first = raw.lstrip()[:1]
        if path.suffix.lower() == ".json" or first == "[":
            data = json.loads(raw)
            records = data if isinstance(data, list) else [data]
        else:
            records = [json.loads(ln) for ln in raw.splitlines() if ln.strip()]
    except (OSError, ValueError):
        return None
    ok = records and all(isinstance(r, dict) and "doc_id" in r and "quantities" in r for r in records)
    return records if ok else None


class _Memory:
    """A `batch` store that keeps the reports in memory, so `report` converts with batch's workers."""

    target = "memory"

    def __init__(self) -> None:
        self.reports: dict[str, Report] = {}
        self.failed: list[tuple[str, str]] = []

    def known(self) -> dict[str, str]:
        return {}

    def write(self, doc_id: str, sha256: str, report: Report, attrs: dict[str, Any]) -> None:
        self.reports[doc_id] = report.model_copy(update={"doc_id": doc_id})

    def fail(self, doc_id: str, source: str, reason: str, sha256: str | None) -> None:
        self.failed.append((doc_id, reason))

    def unchanged(self, doc_id: str) -> None:
        pass

    def close(self) -> None:
        pass


def _convert(specs: Sequence[DocSpec], workers: int) -> tuple[list[Entry], list[tuple[str, str]]]:
    from .batch import run_batch

    store = _Memory()
    run_batch(specs, store, workers=workers)
    entries = []
    for spec in specs:
        report = store.reports.get(spec.doc_id)
        if report is None:
            continue
        text, note = (spec.text, None) if spec.text is not None else _text_for(spec.path, report.sha256)
        if text is not None:
            text = text.removeprefix("\ufeff")
        entries.append(Entry(report, text, note))
    return entries, store.failed


def collect(inputs: Sequence[str], opts: Options | None = None,
            workers: int = 1) -> tuple[list[Entry], list[tuple[str, str]]]:
    """The documents the inputs name, and the (doc_id, reason) of those that could not be read."""
    entries: list[Entry] = []
    failed: list[tuple[str, str]] = []
    plain: list[str] = []
    for item in inputs:
        path = Path(item)
        records = _govnum_output(path)
        if "://" in item or path.suffix.lower() in DB_SUFFIXES:
            url = item if "://" in item else f"sqlite:///{path.resolve()}"
            if "://" not in item and not path.is_file():
                raise InputError(f"{item}: no such database")
            got, bad = _from_database(url)
            entries += got
            failed += bad
        elif records is not None:
            for rec in records:
                report = Report.model_validate(rec)
                text, note = _text_for(report.source, report.sha256)
                entries.append(Entry(report, text, note))
        else:
            plain.append(item)
    if plain:
        got, bad = _convert(discover(plain, opts), workers)
        entries += got
        failed += bad
    return entries, failed


# ---------------------------------------------------------------------------------------- rendering


@cache
def _asset(name: str) -> str:
    return resources.files("extractor.data").joinpath(name).read_text(encoding="utf-8")


@cache
def indicator_names() -> dict[str, str]:
    """code -> standard Chinese name, from the indicator catalogue when it is installed."""
    from . import lexicon

    try:
        return {row[0]: row[1] for row in lexicon.table("indicators.tsv") if len(row) > 1}
    except (FileNotFoundError, OSError):
        return {}


def _short_labels(entries: Sequence[Entry]) -> list[str]:
    """Document labels for lists and charts: titles without the prefix and suffix most of them share
    (`2026年北京市政府工作报告`, `2026年安徽省政府工作报告` → `北京市`, `安徽省`); a document whose title is
    missing or says nothing of its own gets its doc_id, trimmed alike (`prov2026-hainan` → `hainan`)."""
    if len(entries) == 1:
        return [entries[0].report.meta.title or entries[0].report.doc_id]
    ids = _trimmed([e.report.doc_id for e in entries])
    ids = [i or e.report.doc_id for i, e in zip(ids, entries, strict=True)]
    titles = _trimmed([e.report.meta.title or "" for e in entries])
    labels = [t or i for t, i in zip(titles, ids, strict=True)]
    seen = Counter(labels)
    return [lab if seen[lab] == 1 else i for lab, i in zip(labels, ids, strict=True)]


def _majority_prefix(items: Sequence[str]) -> str:
    """The longest prefix that at least half of the items (and two or more) start with."""
    for n in range(max(map(len, items), default=0), 0, -1):
        heads = Counter(x[:n] for x in items if len(x) >= n)
        if heads:
            head, count = heads.most_common(1)[0]
            if count * 2 >= len(items) and count > 1:
                return head
    return ""


def _trimmed(items: Sequence[str]) -> list[str]:
    """Each item without the prefix and the suffix that most of the items share."""
    pre = _majority_prefix(items)
    suf = _majority_prefix([x[::-1] for x in items])[::-1]
    out = []
    for x in items:
        core = x[len(pre):] if pre and x.startswith(pre) else x
        core = core[:len(core) - len(suf)] if suf and core.endswith(suf) else core
        out.append(core.strip(" -_·"))
    return out


def _fmt(value: str | None, unit: str = "") -> str:
    """A decimal string as people read it: 亿/万 for large amounts, then the unit."""
    if value is None:
        return ""
    d = Decimal(value)
    for scale, word in ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万")):
        if abs(d) >= scale:
            d = (d / scale).quantize(Decimal("0.01"))
            return f"{d.normalize():f}{word}{unit}"
    return f"{d.normalize():f}{unit}"


def _clip(label: str) -> str:
    """A chart label that fits its column: 7 wide (CJK) characters, or 14 narrow ones."""
    width, out = 0, []
    for ch in label:
        width += 2 if ord(ch) > 0x2E80 else 1
        if width > 14:
            return "".join(out) + "…"
        out.append(ch)
    return label


class _Page:
    """Builds the HTML of one report page."""

    def __init__(self, entries: Sequence[Entry], title: str) -> None:
        self.entries = list(entries)
        self.title = title
        self.labels = _short_labels(self.entries)
        # per document: quantity id -> (index, Quantity), and the worst finding status of each figure
        self.index: list[dict[str, tuple[int, Quantity]]] = []
        self.marked: list[dict[str, str]] = []
        for e in self.entries:
            self.index.append({q.id: (i, q) for i, q in enumerate(e.report.quantities)})
            worst: dict[str, str] = {}
            for f in e.report.findings:
                for qid in f.quantities:
                    old = worst.get(qid)
                    if old is None or STATUSES.index(f.status) < STATUSES.index(old):
                        worst[qid] = f.status
            self.marked.append(worst)

    def anchor(self, n: int, qid: str) -> str:
        """The element id of figure `qid` of document n (by position: ids are not trusted)."""
        got = self.index[n].get(qid)
        return f"d{n}-{got[0]}" if got else f"d{n}"

    # -- summary
    def summary(self, failed: Sequence[tuple[str, str]]) -> str:
        reps = [e.report for e in self.entries]
        status = Counter(f.status for r in reps for f in r.findings)
        comp = Counter(compared(f) for r in reps for f in r.findings)
        cells = [
            ("documents", "documents", len(reps)),
            ("figures", "figures", sum(len(r.quantities) for r in reps)),
            ("relations", "relations", sum(len(r.relations) for r in reps)),
            ("findings", "checks run", sum(len(r.findings) for r in reps)),
            ("inconsistent", "inconsistent", status["inconsistent"]),
            ("warning", "warnings", status["warning"]),
            ("consistent", "consistent", status["consistent"]),
            ("compared", "compared two stated figures", comp[True]),
            ("derived", "only derived a value", comp[False]),
        ]
        tiles = "".join(
            f'<div class="tile t-{key}"><span class="n" data-count="{key}">{n}</span>'
            f'<span class="l">{esc(label)}</span></div>' for key, label, n in cells)
        out = [f'<section id="summary"><h2>Summary</h2><div class="tiles">{tiles}</div>']
        out.append('<p class="note">A check that <b>compared</b> two stated figures can fail; one that '
                   '<b>only derived</b> a value (an implied base or target) states what the text implies.'
                   "</p>")
        if failed:
            items = "".join(f"<li><code>{esc(d)}</code>: {esc(r)}</li>" for d, r in failed)
            out.append(f'<details class="failed"><summary><span data-count="failed">{len(failed)}</span> '
                       f"document(s) could not be read</summary><ul>{items}</ul></details>")
        out.append("</section>")
        return "".join(out)

    # -- findings
    def _sentence(self, n: int, f: Finding) -> str:
        e = self.entries[n]
        doc = e.doc
        qs = [self.index[n][qid][1] for qid in f.quantities if qid in self.index[n]]
        if doc is None or not qs:
            return ""
        from .check_report import sentence_of

        qs.sort(key=lambda q: q.start)
        groups = [qs] if qs[-1].end - qs[0].start <= _FAR else [[q] for q in qs]
        parts = []
        for g in groups:
            lo, hi = sentence_of(doc, g, f.model_copy(update={"quantities": [q.id for q in g]}))
            lo, hi = min(lo, g[0].start), max(hi, g[-1].end)
            pos, buf = lo, []
            for q in g:
                if q.start < pos:
                    continue
                buf.append(esc(doc.text[pos:q.start]))
                buf.append(f'<mark class="k-{q.kind}">{esc(doc.text[q.start:q.end])}</mark>')
                pos = q.end
            buf.append(esc(doc.text[pos:hi]))
            parts.append("".join(buf).replace("\n", " ").strip())
        return '<blockquote class="sentence">' + " … ".join(parts) + "</blockquote>"

    def findings(self) -> str:
        groups: dict[str, list[tuple[int, Finding]]] = {s: [] for s in STATUSES}
        for n, e in enumerate(self.entries):
            for f in e.report.findings:
                groups[f.status].append((n, f))
        out = ['<section id="findings"><h2>Findings</h2>']
        if not any(groups.values()):
            out.append('<p class="note">No arithmetic to check.</p>')
        for status in STATUSES:
            items = groups[status]
            if not items:
                continue
            opened = " open" if status != "consistent" or len(items) <= 40 else ""
            out.append(f'<details class="group s-{status}"{opened}><summary>{status} '
                       f'(<span data-count="list-{status}">{len(items)}</span>)</summary><ol class="flist">')
            for n, f in items:
                where = "in the text" if len(self.entries) == 1 else self.labels[n]
                kind = "compared" if compared(f) else "derived"
                first = f.quantities[0] if f.quantities else ""
                out.append(
                    f'<li class="finding s-{status}" data-check="{esc(f.check)}" data-compare="{kind}">'
                    f'<div class="fhead"><span class="badge s-{status}">{status}</span> '
                    f'<span class="check">{esc(f.check)}</span> <span class="how">{kind}</span> '
                    f'<a class="go" href="#{self.anchor(n, first)}">{esc(where)} ›</a></div>'
                    f'<div class="arith">{esc(f.message)}</div>{self._sentence(n, f)}</li>')
            out.append("</ol></details>")
        out.append("</section>")
        return "".join(out)

    # -- indicators
    def indicators(self) -> str:
        """A chart per (indicator, aspect, unit) that two or more documents state for their own area."""
        found: dict[tuple[str, str, str], dict[str, dict[int, list[Quantity]]]] = defaultdict(
            lambda: {"actual": defaultdict(list), "target": defaultdict(list)})
        for n, e in enumerate(self.entries):
            for q in e.report.quantities:
                ind = getattr(q, "indicator", None)
                if not ind or getattr(q, "area", None):
                    continue
                role = "target" if getattr(q, "modality", None) == "target" else "actual"
                found[(ind, getattr(q, "aspect", None) or "level", q.unit)][role][n].append(q)
        charts = []
        for key, roles in found.items():
            per_doc: dict[int, dict[str, Quantity]] = defaultdict(dict)
            for role, docs in roles.items():
                for n, q in _one_period(docs).items():
                    per_doc[n][role] = q
            if len(per_doc) >= 2:
                charts.append((key, per_doc))
        charts.sort(key=lambda kv: (-len(kv[1]), kv[0]))
        out = ['<section id="indicators"><h2>Indicators</h2>']
        if not charts:
            out.append('<p class="note">No indicator is stated by two or more of these documents.</p>')
        main = [c for c in charts if len(c[1]) >= _MAIN_CHART_DOCS] or charts[:_MAIN_CHART_DOCS]
        for (ind, aspect, unit), per_doc in main:
            out.append(self._chart(ind, aspect, unit, per_doc))
        rest = charts[len(main):]
        if rest:
            out.append(f'<details class="more"><summary>{len(rest)} more indicators, stated by fewer '
                       f"documents</summary>")
            out += [self._chart(ind, aspect, unit, per_doc) for (ind, aspect, unit), per_doc in rest]
            out.append("</details>")
        out.append("</section>")
        return "".join(out)

    def _chart(self, ind: str, aspect: str, unit: str, per_doc: dict[int, dict[str, Quantity]]) -> str:
        def num(q: Quantity | None) -> float | None:
            return float(q.value) if q is not None else None

        def order(kv: tuple[int, dict[str, Quantity]]) -> tuple[bool, float]:
            d = kv[1]
            return ("actual" not in d, -(num(d.get("actual")) or num(d.get("target")) or 0.0))

        rows = sorted(per_doc.items(), key=order)
        values = [v for _, d in rows for q in d.values() if (v := num(q)) is not None]
        lo, hi = min(0.0, *values), max(0.0, *values)
        span = (hi - lo) or 1.0
        label_w, bar_w, value_w, row_h = 112, 220, 68, 28
        width = label_w + bar_w + value_w
        x0 = label_w + (0 - lo) / span * bar_w

        def bar(q: Quantity | None, n: int, y: float, h: float, cls: str) -> str:
            if q is None:
                return ""
            v = float(q.value)
            x = label_w + (min(v, 0) - lo) / span * bar_w
            w = max(abs(v) / span * bar_w, 1.0)
            tip = f"{labels[n]}: {q.text} ({getattr(q, 'modality', None) or 'stated'}, {q.period or ''})"
            tx = x + w + 4 if v >= 0 else x - 4
            anchor = "start" if v >= 0 else "end"
            return (f'<a href="#{self.anchor(n, q.id)}"><rect class="{cls}" x="{x:.1f}" y="{y:.1f}" '
                    f'width="{w:.1f}" height="{h:.1f}"><title>{esc(tip)}</title></rect>'
                    f'<text class="v" x="{tx:.1f}" y="{y + h - 2:.1f}" text-anchor="{anchor}">'
                    f"{esc(_fmt(q.value, q.unit))}</text></a>")

        labels = dict(zip(per_doc, _short_labels([self.entries[n] for n in per_doc]), strict=True))
        body = []
        for i, (n, d) in enumerate(rows):
            y = 6 + i * row_h
            body.append(f'<text class="lbl" x="{label_w - 6}" y="{y + 16}" text-anchor="end">'
                        f"{esc(_clip(labels[n]))}</text>")
            has_t = "target" in d
            body.append(bar(d.get("actual"), n, y + 1, 13 if has_t else 20, "actual"))
            body.append(bar(d.get("target"), n, y + 15, 10, "target"))
        height = 12 + len(rows) * row_h
        periods = {role: Counter(getattr(q, "period_iso", None) or q.period for d in per_doc.values()
                                 for r, q in d.items() if r == role) for role in ("actual", "target")}
        legend = " · ".join(f'<span class="key {r}"></span>{r} {esc(c.most_common(1)[0][0] or "")}'
                            for r, c in periods.items() if c)
        name = indicator_names().get(ind, "")
        unit_txt = f" ({esc(unit)})" if unit else ""
        code = f" <code>{esc(ind)}</code>" if name else ""
        svg = (f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{esc(ind)} {esc(aspect)}">'
               f'<line class="zero" x1="{x0:.1f}" x2="{x0:.1f}" y1="0" y2="{height}"/>{"".join(body)}</svg>')
        return (f'<figure class="chart" data-indicator="{esc(ind)}" data-aspect="{esc(aspect)}" '
                f'data-docs="{len(per_doc)}"><figcaption><b>{esc(name or ind)}</b>{code} '
                f"{esc(aspect)}{unit_txt}, {len(per_doc)} documents — {legend}</figcaption>{svg}</figure>")

    # -- documents
    def doc_list(self) -> str:
        rows = []
        for n, e in enumerate(self.entries):
            r = e.report
            st = Counter(f.status for f in r.findings)
            rows.append(
                f'<tr><td><a href="#d{n}">{esc(self.labels[n])}</a></td><td><code>{esc(r.doc_id)}</code></td>'
                f"<td>{esc(r.meta.date)}</td><td class=num>{len(r.quantities)}</td>"
                f"<td class=num>{len(r.relations)}</td><td class=num>{st['inconsistent']}</td>"
                f"<td class=num>{st['warning']}</td><td class=num>{st['consistent']}</td></tr>")
        return ('<section id="documents"><h2>Documents</h2><div class="scroll"><table class="docs">'
                "<thead><tr>"
                "<th>document</th><th>id</th><th>date</th><th>figures</th><th>relations</th>"
                "<th>inconsistent</th><th>warnings</th><th>consistent</th></tr></thead><tbody>"
                + "".join(rows) + "</tbody></table></div></section>")

    def _figure(self, n: int, i: int, q: Quantity) -> str:
        attrs = [f'id="d{n}-{i}"', f'class="q k-{q.kind}{self._mark(n, q)}"', 'tabindex="0"',
                 f'data-qid="{esc(q.id)}"']
        record = q.model_dump()
        for key in RECORD_FIELDS:
            value = record.get(key)
            if value is not None and value != "":
                attrs.append(f'data-{key.replace("_", "-")}="{esc(value)}"')
        return f"<span {' '.join(attrs)}>{esc(q.text)}</span>"

    def _mark(self, n: int, q: Quantity) -> str:
        status = self.marked[n].get(q.id)
        return f" f-{status}" if status else ""

    def document(self, n: int, single: bool) -> str:
        e = self.entries[n]
        r = e.report
        meta = " · ".join(esc(v) for v in (r.meta.issuer, r.meta.date, r.source) if v)
        head = (f'<section class="doc{" open" if single else ""}" id="d{n}" data-doc-id="{esc(r.doc_id)}">'
                f"<h2>{esc(r.meta.title or r.doc_id)}</h2><p class=meta>{meta}</p>"
                f'<p class="meta"><span data-count="doc-figures">{len(r.quantities)}</span> figures · '
                f"{len(r.relations)} relations · {len(r.findings)} checks · "
                '<a href="#documents">all documents</a></p>' + _legend())
        if e.text is None:
            rows = "".join(
                f'<tr><td>{self._figure(n, i, q)}</td><td>{esc(q.metric)}</td><td>{esc(q.period)}</td></tr>'
                for i, q in enumerate(r.quantities))
            return (head + f'<p class="note">The text is not available ({esc(e.note)}): its figures only.</p>'
                    f'<div class="scroll"><table><tbody>{rows}</tbody></table></div></section>')
        text = e.text
        out, pos = [], 0
        for i, q in sorted(enumerate(r.quantities), key=lambda iq: (iq[1].start, iq[1].end)):
            if q.start < pos or text[q.start:q.end] != q.text:
                continue  # an overlapping or stale figure cannot be placed in the text
            out.append(esc(text[pos:q.start]))
            out.append(self._figure(n, i, q))
            pos = q.end
        out.append(esc(text[pos:]))
        return head + '<div class="text">' + "".join(out) + "</div></section>"

    def render(self, failed: Sequence[tuple[str, str]]) -> str:
        single = len(self.entries) == 1
        nav = "".join(f'<a href="#{k}">{v}</a>' for k, v in (
            ("summary", "Summary"), ("findings", "Findings"), ("indicators", "Indicators"),
            ("documents", "Documents")))
        parts = [self.summary(failed), self.findings(), self.indicators(), self.doc_list()]
        parts += [self.document(n, single) for n in range(len(self.entries))]
        return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
                f"<title>{esc(self.title)}</title><style>{_asset('report.css')}</style></head><body>"
                f'<header><h1>{esc(self.title)}</h1><nav>{nav}</nav></header><main>'
                + "".join(parts)
                + '</main><div id="record" role="tooltip" hidden></div>'
                f"<script>{_asset('report.js')}</script></body></html>\n")


def _one_period(docs: dict[int, list[Quantity]]) -> dict[int, Quantity]:
    """One figure per document, of the period most documents state it for (a five-year growth beside
    the year's is not the year's): the first of that period, else none for that document."""
    periods = Counter(getattr(q, "period_iso", None) for qs in docs.values() for q in {
        getattr(x, "period_iso", None): x for x in qs}.values())
    if not periods:
        return {}
    common = periods.most_common(1)[0][0]
    return {n: q for n, qs in docs.items()
            if (q := next((x for x in qs if getattr(x, "period_iso", None) == common), None)) is not None}


def _legend() -> str:
    kinds = "".join(f'<span class="q k-{k}">{k}</span> ' for k in KINDS[:7])
    marks = "".join(f'<span class="q f-{s}">{s}</span> ' for s in STATUSES)
    return f'<p class="legend">{kinds}· checked: {marks}</p>'


def render_html(entries: Sequence[Entry], failed: Sequence[tuple[str, str]] = (),
                title: str | None = None) -> str:
    """The whole page, as one string."""
    if title is None:
        title = (entries[0].report.meta.title or entries[0].report.doc_id) if len(entries) == 1 else \
            f"govnum report: {len(entries)} documents"
    return _Page(entries, title).render(failed)


def entries_of(reports: Iterable[tuple[Report, str | None]]) -> list[Entry]:
    """Entries from reports and their texts (for callers that already extracted)."""
    return [Entry(r, t.removeprefix("\ufeff") if t is not None else None) for r, t in reports]


@click.command("report")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write.")
@click.option("--title", help="The page title [default: the document's title, or a count].")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes for documents to extract [default: the number of CPUs].")
@click.option("--text-field", help="Field (JSONL) or column (CSV) holding a record's text.")
@click.option("--ext", "exts", multiple=True, default=(".txt",), show_default=True,
              help="File extensions to take from directories (repeatable).")
def report(inputs: tuple[str, ...], output: Path, title: str | None, workers: int | None,
           text_field: str | None, exts: tuple[str, ...]) -> None:
    """Write one self-contained HTML page to look at: summary, findings, indicators, documents.

    INPUTS are documents, folders, globs, manifests and collections (as for `govnum batch`), a database
    written by `govnum batch` (FILE.sqlite or a URL), or govnum's JSON/JSONL output. The page needs no
    network; open it in any browser.
    """
    import os

    exts = tuple(x if x.startswith(".") else "." + x for x in exts)
    try:
        entries, failed = collect(inputs, Options(text_field=text_field, exts=exts),
                                  workers or os.cpu_count() or 1)
    except InputError as exc:
        raise click.UsageError(str(exc)) from exc
    for doc_id, reason in failed[:20]:
        click.echo(f"govnum: failed: {doc_id}: {reason}", err=True)
    if not entries:
        raise click.ClickException("no document to report on")
    page = render_html(entries, failed, title)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(page, encoding="utf-8")
    n_f = sum(len(e.report.findings) for e in entries)
    click.echo(f"govnum report: {len(entries)} documents, {n_f} findings → {output} "
               f"({len(page.encode('utf-8')) / 1e6:.1f} MB)", err=True)
