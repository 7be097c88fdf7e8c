"""The `govnum` command line."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import UserError


class _Guarded(click.Group):
    """No traceback reaches a user: a file problem (OSError, a ValueError naming the file, a document that
    cannot be read) becomes one line and exit status 2; anything else too, marked as govnum's own fault.
    GOVNUM_DEBUG=1 lets exceptions through, for developers."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:  # `govnum extract … | head`: the reader left, nothing to say
            sys.stderr.close()
            sys.exit(141)
        except Exception as exc:
            if os.environ.get("GOVNUM_DEBUG"):
                raise
            if isinstance(exc, (OSError, ValueError)):
                raise UserError(_one_line(exc)) from exc
            name = type(exc).__name__
            raise UserError(f"internal error, please report it: {name}: {_one_line(exc)}") from exc

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_LAZY})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """Commands of their own modules are imported when called (or listed by --help): a command
        imports what it needs and no more (`govnum batch -o out.jsonl` no SQLAlchemy, no HTML report)."""
        if name in _LAZY and name not in self.commands:
            module, attr = _LAZY[name]
            self.add_command(getattr(importlib.import_module(module, __package__), attr), name)
        return super().get_command(ctx, name)


#: command name -> (module, attribute) of the commands defined outside this module
_LAZY = {"batch": (".batch", "batch"), "check": (".check_report", "check"),
         "report": (".html_report", "report"), "series": (".series", "series")}


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.filename is not None:
        return f"{exc.filename}: {exc.strerror or exc}"
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="govnum")
def main() -> None:
    """govnum: every figure a Chinese government report states, as checked data."""


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--text", "inline", help="Extract from this text instead of files (doc_id 'text').")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl"]), default="jsonl", show_default=True,
              help="jsonl: one record a line. json: indented; one record for one document, else one array.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write here instead of stdout.")
def extract(paths: tuple[str, ...], inline: str | None, fmt: str, output: Path | None) -> None:
    """Extract the quantities of each document (SPEC §4 records).

    PATHS are files (text, HTML, PDF, DOCX: told by their content), folders, glob patterns, or `-` for
    standard input.

    With --format json, one document gives one JSON object and several give one JSON array of them,
    so the output is always one valid JSON value; --format jsonl gives one object a line.
    """
    from .document import Document
    from .load import DocumentError
    from .pipeline import extract_document
    from .readers import input_specs, read_spec

    if not paths and inline is None:
        raise click.UsageError("give one or more PATHs, or --text")
    if output is not None and not output.parent.is_dir():
        raise UserError(f"{output}: the folder {output.parent} does not exist")
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    failed = 0
    try:
        docs: list[tuple[str, object]] = []
        if inline is not None:
            docs.append(("text", Document.from_text(inline)))
        docs.extend((s.doc_id, s) for s in input_specs(paths))
        array = fmt == "json" and len(docs) > 1
        written = 0
        if array:
            out.write("[\n")
        for doc_id, item in docs:
            try:
                doc = item if isinstance(item, Document) else read_spec(item)  # type: ignore[arg-type]
                report = extract_document(doc, doc_id=doc_id)
            except DocumentError as exc:
                failed += 1
                click.echo(f"govnum: error: {exc}", err=True)
                continue
            if fmt == "jsonl":
                out.write(report.model_dump_json() + "\n")
            elif array:
                out.write(("" if not written else ",\n") + report.model_dump_json(indent=2))
            else:
                out.write(report.model_dump_json(indent=2) + "\n")
            written += 1
            out.flush()
        if array:
            out.write("\n]\n" if written else "]\n")
    finally:
        if output:
            out.close()
    if failed:
        sys.exit(2)


@main.command(name="eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--pred", type=click.Path(exists=True, path_type=Path),
              help="Score this JSONL output instead of extracting the gold documents now.")
@click.option("--root", "roots", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Where gold `source` paths are resolved (repeatable).")
@click.option("--verbose", is_flag=True, help="List misses, wrong values and spurious extractions.")
@click.option("--json", "as_json", is_flag=True, help="Print the totals as JSON.")
def eval_(gold: tuple[Path, ...], pred: Path | None, roots: tuple[Path, ...], verbose: bool,
          as_json: bool) -> None:
    """Score extraction against gold annotations (SPEC §5)."""
    import json
    from dataclasses import asdict

    from .evaluate import gold_text, load_gold, load_pred, score_document, totals
    from .load import DocumentError
    from .pipeline import extract as run

    try:
        golds = load_gold(list(gold))
        preds = load_pred(pred) if pred is not None else {}
    except (ValueError, OSError) as exc:
        raise UserError(str(exc)) from exc
    scores = []
    for path, g in golds:
        if pred is None:
            try:
                text = gold_text(path, g, list(roots) + [Path.cwd()])
            except (DocumentError, OSError) as exc:
                raise UserError(str(exc)) from exc
            preds[g["doc_id"]] = run(text, doc_id=g["doc_id"]).model_dump(mode="json")
        s = score_document(g, preds.get(g["doc_id"]))
        scores.append(s)
        if verbose:
            click.echo(f"== {s.doc_id}: tp {s.tp}/{s.gold_required} fp {s.fp}")
            for x in s.misses:
                click.echo(f"  miss  {x}")
            for x in s.wrong:
                click.echo(f"  wrong {x}")
            for x in s.spurious:
                click.echo(f"  extra {x}")
    t = totals(scores)
    click.echo(json.dumps(asdict(t)) if as_json else t.line())



if __name__ == "__main__":
    main()
