"""`govnum check`: the arithmetic a report asserts, checked and shown to a person.

Exit status: 0 when nothing is inconsistent, 1 when something is (or, with
`--fail-on warning`, when anything is not consistent), 2 on a usage or input error.
"""

from __future__ import annotations

import json
import sys
from collections import Counter

import click

from schemas import Finding, Quantity, Report

from .document import Document, as_document

_ORDER = ("inconsistent", "warning", "consistent")
_COLOURS = {"inconsistent": "red", "warning": "yellow", "consistent": "green"}
_HEADINGS = {"inconsistent": "INCONSISTENT", "warning": "WARNING", "consistent": "consistent"}
_CONTEXT = 50  # characters of the sentence shown either side of the figures


def sentence_of(doc: Document | str, quantities: list[Quantity], finding: Finding) -> tuple[int, int]:
    """The span of the sentence(s) holding the finding's figures, clipped around them."""
    qs = [q for q in quantities if q.id in set(finding.quantities)]
    segments = as_document(doc).segments
    a = segments.sentence(min(q.start for q in qs))[0]
    b = segments.sentence(max(q.end for q in qs) - 1)[1]
    lo = max(a, min(q.start for q in qs) - _CONTEXT)
    hi = min(b, max(q.end for q in qs) + _CONTEXT)
    return lo, hi


def highlight(doc: Document | str, quantities: list[Quantity], finding: Finding, colour: bool) -> str:
    """The sentence with the finding's figures in bold colour (terminal) or `[[…]]` markers.

    Figures far apart (a metric restated in another paragraph) are shown each in its own
    sentence, joined by ` … `.
    """
    doc = as_document(doc)
    text = doc.text
    involved = [q for q in quantities if q.id in set(finding.quantities)]
    if len(involved) > 1 and max(q.end for q in involved) - min(q.start for q in involved) > 200:
        alone = [finding.model_copy(update={"quantities": [q.id]})
                 for q in sorted(involved, key=lambda q: q.start)]
        return " … ".join(highlight(doc, quantities, f, colour) for f in alone)
    lo, hi = sentence_of(doc, quantities, finding)
    spans = sorted((q.start, q.end) for q in involved)
    out: list[str] = ["…" if lo > 0 and text[lo - 1] not in "。！？；\n" else ""]
    pos = lo
    for s, e in spans:
        if s < pos:
            continue
        out.append(text[pos:s].replace("\n", " "))
        fig = text[s:e]
        out.append(click.style(fig, fg=_COLOURS[finding.status], bold=True) if colour else f"[[{fig}]]")
        pos = e
    out.append(text[pos:hi].replace("\n", " ").rstrip())
    if hi < len(text) and text[hi - 1] not in "。！？；\n":
        out.append("…")
    return "".join(out).strip()


def render(report: Report, text: Document | str, colour: bool, brief: bool) -> list[str]:
    """The lines of one document's report, grouped by status."""
    doc = as_document(text)
    title = report.source or report.doc_id
    lines = [click.style(title, bold=True) if colour else title]
    groups: dict[str, list[Finding]] = {s: [] for s in _ORDER}
    for f in report.findings:
        groups[f.status].append(f)
    if not report.findings:
        lines.append("  no arithmetic to check")
    for status in _ORDER:
        found = groups[status]
        if not found:
            continue
        derived = sum(f.compared is False for f in found)
        head = f"  {_HEADINGS[status]} ({len(found)}{f'; {derived} only derived a value' if derived else ''})"
        lines.append(click.style(head, fg=_COLOURS[status], bold=True) if colour else head)
        if status == "consistent" and brief:
            continue
        for f in found:
            lines.append(f"    [{f.check}] {f.message}")
            if status != "consistent":
                lines.append(f"      {highlight(doc, report.quantities, f, colour)}")
    return lines


def _counts(findings: list[Finding]) -> Counter[str]:
    """Findings by status, and how many compared stated figures (the rest only derived a value)."""
    counts = Counter(f.status for f in findings)
    counts["compared"] = sum(f.compared is not False for f in findings)
    return counts


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--text", "inline", help="Check this text instead of files (doc_id 'text').")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one object per document with its findings only.")
@click.option("--fail-on", type=click.Choice(["inconsistent", "warning"]), default="inconsistent",
              show_default=True, help="Exit 1 when a finding of this status (or worse) is found.")
@click.option("--brief", is_flag=True, help="Count the consistent findings instead of listing them.")
@click.option("--color/--no-color", "color", default=None,
              help="Highlight figures with ANSI colours (default: when writing to a terminal).")
def check(paths: tuple[str, ...], inline: str | None, fmt: str, fail_on: str, brief: bool,
          color: bool | None) -> None:
    """Check the arithmetic each document asserts: sums, shares, completions, growth, changes.

    PATHS are files (text, HTML, PDF, DOCX), folders, glob patterns, or `-` for standard input.
    """
    from .load import DocumentError
    from .pipeline import extract_document
    from .readers import input_specs, read_spec

    if not paths and inline is None:
        raise click.UsageError("give one or more PATHs, or --text")
    colour = sys.stdout.isatty() if color is None else color
    docs: list[tuple[str, object]] = []
    if inline is not None:
        docs.append(("text", Document.from_text(inline)))
    docs.extend((s.doc_id, s) for s in input_specs(paths))
    totals: Counter[str] = Counter()
    failed = 0
    for doc_id, item in docs:
        try:
            text = item if isinstance(item, Document) else read_spec(item)  # type: ignore[arg-type]
            report = extract_document(text, doc_id=doc_id)
        except (DocumentError, OSError) as exc:
            failed += 1
            click.echo(f"govnum: error: {exc}", err=True)
            continue
        totals.update(_counts(report.findings))
        if fmt == "json":
            findings = [f.model_dump() for f in report.findings]
            click.echo(json.dumps({"doc_id": report.doc_id, "source": report.source, "findings": findings},
                                  ensure_ascii=False))
        else:
            for line in render(report, text, colour, brief):
                click.echo(line, color=colour)
            click.echo("")
    if fmt == "text":
        checked = len(docs) - failed
        summary = (f"{checked} document{'s' if checked != 1 else ''}: {totals['inconsistent']} inconsistent, "
                   f"{totals['warning']} warning{'s' if totals['warning'] != 1 else ''}, "
                   f"{totals['consistent']} consistent; {totals['compared']} compared stated figures, "
                   f"{sum(totals[s] for s in _ORDER) - totals['compared']} only derived a value")
        if failed:
            summary += f"; {failed} unreadable"
        click.echo(summary)
    if failed:
        sys.exit(2)
    bad = totals["inconsistent"] + (totals["warning"] if fail_on == "warning" else 0)
    sys.exit(1 if bad else 0)
