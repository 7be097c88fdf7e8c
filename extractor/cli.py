"""The `govnum` command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="govnum")
def main() -> None:
    """govnum: every figure a Chinese government report states, as checked data."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--text", "inline", help="Extract from this text instead of files (doc_id 'text').")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write here instead of stdout.")
def extract(paths: tuple[Path, ...], inline: str | None, fmt: str, output: Path | None) -> None:
    """Extract the quantities of each document (SPEC §4 records)."""
    from .load import DocumentError, read_text
    from .pipeline import extract as run

    if not paths and inline is None:
        raise click.UsageError("give one or more PATHs, or --text")
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    failed = 0
    try:
        docs: list[tuple[str, str | None, str | None]] = []
        if inline is not None:
            docs.append(("text", None, inline))
        docs.extend((p.stem, str(p), None) for p in paths)
        for doc_id, source, text in docs:
            try:
                if text is None:
                    text = read_text(source)  # type: ignore[arg-type]
                report = run(text, doc_id=doc_id, source=source)
            except DocumentError as exc:
                failed += 1
                click.echo(f"govnum: error: {exc}", err=True)
                continue
            if fmt == "jsonl":
                out.write(report.model_dump_json() + "\n")
            else:
                out.write(report.model_dump_json(indent=2) + "\n")
            out.flush()
    finally:
        if output:
            out.close()
    if failed:
        sys.exit(2)


from .batch import batch as _batch  # noqa: E402

main.add_command(_batch)
from .check_report import check as _check  # noqa: E402

main.add_command(_check)

if __name__ == "__main__":
    main()
