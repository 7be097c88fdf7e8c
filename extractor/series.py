"""`govnum series`: the figures of catalogued indicators as one long table, and a cross-report check.

Rows come from documents (extracted now) or from a database `govnum batch` wrote (its `series` view).
Each row is one figure: document, area, indicator, aspect, modality, period_iso, value, value_max,
unit, approx, text and offsets. When two documents state the same indicator, area, aspect, modality,
period and unit with values whose printed-precision intervals (extractor/precision.py) do not meet,
the check reports it: a 2026 work report and a 2025 statistical bulletin both give 2025 GDP.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

import click
import regex

from schemas import Quantity, Report

from .precision import interval

COLUMNS = ("doc_id", "area", "indicator", "aspect", "modality", "period_iso", "value", "value_max", "unit",
           "approx", "text", "start", "end")


@dataclass(frozen=True)
class Row:
    doc_id: str
    area: str | None
    indicator: str
    aspect: str | None
    modality: str | None
    period_iso: str | None
    value: str
    value_max: str | None
    unit: str
    approx: str | None
    text: str
    start: int
    end: int
    kind: str = "other"
    title: str | None = None

    def key(self) -> tuple[str | None, ...]:
        """What two documents must share to state the same figure: the report's own area (area null)
        is the place its title names (安徽省), and unknown places are never compared."""
        place = self.area or own_area(self.title) or f"({self.doc_id})"
        return (self.indicator, place, self.aspect, self.modality, self.period_iso, self.unit)


_TITLE_PLACE = regex.compile(r"^(?:[0-9]{4}年)?([\p{Han}]{1,12}?"
                             r"(?:特别行政区|自治区|自治州|自治县|省|市|县|区|州|盟|旗|镇|乡))"
                             r"(?:人民政府|政府|[0-9]{4}年|国民经济|统计)")


def own_area(title: str | None) -> str | None:
    """The place a report is about, from its title (`2026年安徽省政府工作报告` → 安徽省)."""
    m = _TITLE_PLACE.match(title or "")
    return m.group(1) if m else None


def rows_of(report: Report) -> list[Row]:
    """The figures of one report that name a catalogued indicator."""
    return [Row(report.doc_id, q.area, q.indicator, q.aspect, q.modality, q.period_iso, q.value, q.value_max,
                q.unit, q.approx, q.text, q.start, q.end, q.kind, report.meta.title)
            for q in report.quantities if q.indicator]


def rows_from_database(url: str) -> list[Row]:
    """The `series` view of a database written by `govnum batch`."""
    import sqlalchemy as sa

    from .store import SERIES_VIEW, create_engine

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if SERIES_VIEW not in sa.inspect(conn).get_view_names():
                where = engine.url.render_as_string(hide_password=True)
                raise ValueError(f"{where}: no `{SERIES_VIEW}` view "
                                 "(not a database written by govnum batch)")
            cols = ", ".join(f'"{c}"' for c in (*COLUMNS, "kind", "title"))
            result = conn.execute(sa.text(f'SELECT {cols} FROM {SERIES_VIEW} ORDER BY doc_id, "start"'))
            return [Row(*r) for r in result]
    finally:
        engine.dispose()


def select(rows: Iterable[Row], indicator: Sequence[str] = (), aspect: Sequence[str] = (),
           modality: Sequence[str] = (), period: Sequence[str] = (), area: str | None = None) -> list[Row]:
    """Rows that pass every given filter. A period matches itself and the months inside it
    (`2025` takes `2025-06`); an area matches by substring, `-` meaning the report's own area."""
    out = []
    for r in rows:
        if indicator and r.indicator not in indicator:
            continue
        if aspect and r.aspect not in aspect:
            continue
        if modality and r.modality not in modality:
            continue
        if period and not any(r.period_iso == p or (r.period_iso or "").startswith(p + "-") for p in period):
            continue
        if area is not None and (r.area is not None if area == "-" else area not in (r.area or "")):
            continue
        out.append(r)
    return out


def headline_periods(rows: Iterable[Row]) -> dict[tuple[str, str | None], str]:
    """Per document and modality, the single year most of its figures belong to (a 2026 work report:
    actual 2025, target 2026): the period a one-value-per-report series reads by default."""
    counts: dict[tuple[str, str | None], Counter[str]] = {}
    for r in rows:
        if r.period_iso and len(r.period_iso) >= 4 and "/" not in r.period_iso:
            counts.setdefault((r.doc_id, r.modality), Counter())[r.period_iso[:4]] += 1
    return {k: c.most_common(1)[0][0] for k, c in counts.items()}


def one_per_series(rows: Iterable[Row], headline: dict[tuple[str, str | None], str] | None) -> list[Row]:
    """The first statement of each (document, area, indicator, aspect, modality, period); with
    `headline`, only at each document's headline period (restatements and other periods dropped)."""
    seen: set[tuple[str | None, ...]] = set()
    out = []
    for r in rows:
        if headline is not None:
            year = headline.get((r.doc_id, r.modality))
            if year is None or not (r.period_iso == year or (r.period_iso or "").startswith(year + "-")):
                continue
        key = (r.doc_id, *r.key())
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def _quantity(r: Row) -> Quantity:
    return Quantity(id="q", start=r.start, end=r.end, text=r.text, value=r.value, value_max=r.value_max,
                    unit=r.unit, kind=r.kind if r.kind else "other", approx=r.approx)  # type: ignore[arg-type]


def disagreements(rows: Sequence[Row]) -> list[str]:
    """Pairs of documents that state one figure (same key) with values that cannot both be true."""
    by_key: dict[tuple[str | None, ...], list[Row]] = {}
    for r in rows:
        if r.period_iso:
            by_key.setdefault(r.key(), []).append(r)
    out = []
    for key, group in by_key.items():
        firsts: dict[str, Row] = {}
        for r in group:
            firsts.setdefault(r.doc_id, r)  # one statement per document (restatements are `repeat` checks)
        docs = list(firsts.values())
        for i, a in enumerate(docs):
            ia = interval(_quantity(a))
            for b in docs[i + 1:]:
                ib = interval(_quantity(b))
                if ia.hi < ib.lo or ib.hi < ia.lo:
                    what = "/".join(str(k) for k in key[:5] if k and not k.startswith("("))
                    out.append(f"disagree {what}: {a.doc_id} {a.text} vs {b.doc_id} {b.text} "
                               "(beyond printed precision)")
    return out


def to_csv(rows: Sequence[Row]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow(["" if v is None else v for v in (getattr(r, c) for c in COLUMNS)])
    return buf.getvalue()


def to_json(rows: Sequence[Row], notes: Sequence[str]) -> str:
    table = [{c: asdict(r)[c] for c in COLUMNS} for r in rows]
    return json.dumps({"rows": table, "disagreements": list(notes)},
                      ensure_ascii=False, indent=1) + "\n"


def to_table(rows: Sequence[Row]) -> str:
    """A terminal table, columns padded by display width (a CJK character takes two cells)."""
    from unicodedata import east_asian_width

    def width(s: str) -> int:
        return sum(2 if east_asian_width(c) in "WF" else 1 for c in s)

    shown = ("doc_id", "area", "indicator", "aspect", "modality", "period_iso", "value", "unit", "approx",
             "text",
             "start")
    cells = [list(shown)]
    cells += [["" if getattr(r, c) is None else str(getattr(r, c)) for c in shown] for r in rows]
    if rows:
        for line, r in zip(cells[1:], rows, strict=True):
            if r.value_max is not None:
                line[shown.index("value")] += f"-{r.value_max}"
    widths = [max(width(line[i]) for line in cells) for i in range(len(shown))]
    lines = ("  ".join(c + " " * (w - width(c)) for c, w in zip(line, widths, strict=True)) for line in cells)
    return "".join(line.rstrip() + "\n" for line in lines)


# --- the command ---------------------------------------------------------------------------------------


def _is_database(item: str) -> bool:
    from .store import SQLITE_SUFFIXES

    return "://" in item or item.lower().endswith(SQLITE_SUFFIXES)


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


@click.command(name="series")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--indicator", multiple=True, help="Indicator code(s), e.g. gdp (repeat or comma-separate).")
@click.option("--aspect", multiple=True, help="level, growth, change, share, completion, rank.")
@click.option("--modality", multiple=True, help="actual, target, expected.")
@click.option("--period", multiple=True, help="ISO period: 2025 (takes its months too), 2021/2025, 2025-06.")
@click.option("--area", help="Areas containing this name; '-' for the report's own area only.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@click.option("--all", "every", is_flag=True,
              help="Every statement at every period (default: the first statement of each series, at each "
                   "document's headline period unless --period is given).")
@click.option("--ext", "exts", multiple=True, default=(".txt",), show_default=True,
              help="File suffixes taken from folders (repeatable).")
def series(inputs: tuple[str, ...], indicator: tuple[str, ...], aspect: tuple[str, ...],
           modality: tuple[str, ...], period: tuple[str, ...], area: str | None, fmt: str, every: bool,
           exts: tuple[str, ...]) -> None:
    """The figures of catalogued indicators (SPEC §6) in files, folders or a `govnum batch` database,
    as one long table; says when two documents disagree on the same figure."""
    from .batch import convert
    from .indicator import catalogue
    from .load import DEFAULT_MAX_BYTES
    from .sources import InputError, Options, discover

    unknown = sorted(set(_split(indicator)) - set(catalogue()))
    if unknown:
        raise click.UsageError(f"unknown indicator code(s): {', '.join(unknown)} "
                               "(see extractor/data/indicators.tsv)")
    rows: list[Row] = []
    files = [i for i in inputs if not _is_database(i)]
    for item in inputs:
        if _is_database(item):
            try:
                rows.extend(rows_from_database(item if "://" in item else f"sqlite:///{item}"))
            except Exception as exc:  # a missing file, not a database, no series view …
                raise click.ClickException(f"{item}: {str(exc).splitlines()[0]}") from exc
    try:
        specs = discover(files, Options(exts=exts)) if files else []
    except InputError as exc:
        raise click.ClickException(str(exc)) from exc
    failed = 0
    for spec in specs:
        outcome = convert((spec, None, DEFAULT_MAX_BYTES))
        if outcome.report is None:
            failed += 1
            click.echo(f"govnum: error: {spec.source}: {outcome.reason}", err=True)
            continue
        rows.extend(rows_of(outcome.report))
    chosen = select(rows, _split(indicator), _split(aspect), _split(modality), _split(period), area)
    if not every:
        chosen = one_per_series(chosen, None if period else headline_periods(rows))
    notes = disagreements(chosen)
    if fmt == "csv":
        click.echo(to_csv(chosen), nl=False)
    elif fmt == "json":
        click.echo(to_json(chosen, notes), nl=False)
    else:
        click.echo(to_table(chosen), nl=False)
        click.echo(f"{len(chosen)} rows from {len({r.doc_id for r in chosen})} documents")
    if fmt != "json":
        for note in notes:
            click.echo(note, err=True)
    if failed:
        raise SystemExit(2)
