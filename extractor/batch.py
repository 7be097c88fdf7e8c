"""`govnum batch`: convert many documents in parallel into one output, safe to interrupt and re-run.

Workers (processes) load and extract; the parent alone writes, one document at a time, each committed
before the next, so a run stopped by Ctrl-C, SIGTERM or SIGKILL leaves every finished document in the
output. A re-run hashes each document's text first and skips the ones already written unchanged.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Literal

import click

from .sources import DocSpec, InputError, Options, discover

if TYPE_CHECKING:  # the stores import SQLAlchemy: only `govnum batch` pays for it
    from schemas import Report

    from .store import Store

Status = Literal["ok", "skip", "error"]
MAX_BYTES = 50 * 1024 * 1024  # a document larger than this is refused, not read


@dataclass
class Outcome:
    """What became of one document in a worker."""

    doc_id: str
    status: Status
    sha256: str | None = None
    report: Report | None = None
    reason: str | None = None
    warning: str | None = None
    attrs: dict[str, Any] | None = None  # when not the spec's own (see DocSpec.alternatives)


@dataclass
class Summary:
    """Counts of one batch run."""

    total: int = 0
    converted: int = 0
    skipped: int = 0
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (doc_id, source, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (doc_id, message)
    quantities: int = 0
    seconds: float = 0.0


class Interrupted(BaseException):
    """SIGTERM arrived: stop, keeping what is written (a BaseException, like KeyboardInterrupt, so that
    no handler of one document's errors swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def content_hash(text: str) -> str:
    """sha256 of the decoded text without BOM: the same key as Report.sha256."""
    return hashlib.sha256(text.removeprefix("\ufeff").encode("utf-8")).hexdigest()


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    return str(reason) if reason else f"{type(exc).__name__}: {exc}"


def _listed_attrs(spec: DocSpec, sha: str) -> tuple[dict[str, Any] | None, str | None]:
    """The manifest entry that lists this text (by its sha256), and a warning when none does."""
    listed = spec.attrs.get("sha256")
    if not (isinstance(listed, str) and len(listed) == 64) or listed.lower() == sha:
        return None, None
    for alt in spec.alternatives:
        if str(alt.get("sha256", "")).lower() == sha:
            return alt, "the manifest lists this file twice, for two texts: used the entry that matches it"
    return None, f"its text is not the one the manifest lists (sha256 {listed[:12]}…, found {sha[:12]}…)"


def convert(job: tuple[DocSpec, str | None, int]) -> Outcome:
    """Load and extract one document; `known` is the hash already written for its id (then skip)."""
    spec, known, max_bytes = job
    if spec.error is not None:
        return Outcome(spec.doc_id, "error", reason=spec.error)
    sha: str | None = None
    try:
        if spec.text is not None:
            size = len(spec.text.encode("utf-8"))
            if size > max_bytes:
                return Outcome(spec.doc_id, "error", reason=f"too large: {size} bytes (limit {max_bytes})")
        from .readers import document_of  # the reader by content: text, HTML, PDF, DOCX

        doc = document_of(spec, max_bytes=max_bytes)
        text = doc.text
        sha = content_hash(text)
        attrs, warning = _listed_attrs(spec, sha)
        if known == sha:
            return Outcome(spec.doc_id, "skip", sha256=sha, warning=warning)
        if not text.strip():
            return Outcome(spec.doc_id, "error", sha256=sha, reason="empty document")
        if "\x00" in text:
            return Outcome(spec.doc_id, "error", sha256=sha, reason="binary content (NUL characters)")
        from .pipeline import extract_document

        report = extract_document(doc, doc_id=spec.doc_id)
    except Exception as exc:  # any failure is this document's, never the batch's
        return Outcome(spec.doc_id, "error", sha256=sha, reason=_reason(exc))
    return Outcome(spec.doc_id, "ok", sha256=sha, report=report, warning=warning, attrs=attrs)


def _die_with_parent() -> None:
    """On Linux, have the kernel end this worker when the parent dies (even by SIGKILL): a worker
    stuck in a read would otherwise outlive it."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _init_worker(parent: int) -> None:
    """Leave signals to the parent, and import the extractor once per process (its lexicons load on
    the first document, so a re-run that only skips unchanged documents stays quick)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    from . import pipeline  # noqa: F401


def _context() -> Any:
    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


def _preload() -> None:
    """Load the extractor's lexicons (jieba's dictionary above all) in the parent, so that forked
    workers share them instead of each loading its own copy."""
    from .pipeline import extract

    try:
        extract("2020年完成投资1.2亿元，同比增长10%。", doc_id="warmup")
    except Exception:  # a broken extractor shows up per document, with its reason
        pass


def record(spec: DocSpec, outcome: Outcome, store: Store, summary: Summary) -> Outcome:
    """Write one outcome to the store (the parent alone does) and count it; a report the store refuses
    becomes this document's failure."""
    if outcome.status == "ok" and outcome.report is not None:
        try:
            store.write(spec.doc_id, outcome.sha256 or content_hash(""), outcome.report,
                        outcome.attrs or spec.attrs)
        except Exception as exc:  # e.g. a report the database's keys refuse: this document's failure
            outcome = Outcome(spec.doc_id, "error", sha256=outcome.sha256,
                              reason=f"cannot store the report: {_reason(exc)}"[:2000])
        else:
            summary.converted += 1
            summary.quantities += len(outcome.report.quantities)
    elif outcome.status == "skip":
        store.unchanged(spec.doc_id)
        summary.skipped += 1
    if outcome.status == "error":
        reason = outcome.reason or "unknown error"
        store.fail(spec.doc_id, spec.source, reason, outcome.sha256)
        summary.failed.append((spec.doc_id, spec.source, reason))
    if outcome.warning:
        summary.warnings.append((spec.doc_id, outcome.warning))
    return outcome


def run_batch(specs: Sequence[DocSpec], store: Store, workers: int = 1, force: bool = False,
              on_done: Callable[[Outcome], None] | None = None, max_bytes: int = MAX_BYTES) -> Summary:
    """Convert every document into the store; stops cleanly (raising Interrupted) on SIGTERM."""
    summary = Summary(total=len(specs))
    start = time.monotonic()
    known = {} if force else store.known()
    jobs = [(s, known.get(s.doc_id), max_bytes) for s in specs]
    pool = None
    old_term = signal.getsignal(signal.SIGTERM)

    def _term(signum: int, _frame: FrameType | None) -> None:
        raise Interrupted(signum)

    try:
        signal.signal(signal.SIGTERM, _term)
    except ValueError:  # not the main thread: leave signals alone
        old_term = None
    try:
        results: Iterator[Outcome]
        if workers > 1 and len(jobs) > 1:
            ctx = _context()
            if ctx.get_start_method() == "fork" and any(s.doc_id not in known for s in specs):
                _preload()  # there is certainly work to do
            pool = ctx.Pool(min(workers, len(jobs)), initializer=_init_worker,
                                     initargs=(os.getpid(),))
            results = pool.imap(convert, jobs, chunksize=1)
        else:
            results = map(convert, jobs)
        for spec, outcome in zip(specs, results, strict=False):
            record(spec, outcome, store, summary)
            if on_done:
                on_done(outcome)
        if pool is not None:
            pool.close()
            pool.join()
            pool = None
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        summary.seconds = time.monotonic() - start
        store.close()
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
    return summary


def _summary_line(s: Summary, target: str) -> str:
    rate = (s.converted + s.skipped) / s.seconds if s.seconds else 0.0
    return (f"govnum batch: {s.total} documents: {s.converted} converted, {s.skipped} unchanged, "
            f"{len(s.failed)} failed; {s.quantities} quantities written to {target} "
            f"in {s.seconds:.1f} s ({rate:.1f} documents/s)")


@click.command("batch")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", required=True,
              help="Output: FILE.jsonl, FILE.csv, FILE.sqlite (or .db), or a database URL (postgresql://…).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes [default: the number of CPUs].")
@click.option("--text-field", help="Field (JSONL) or column (CSV) holding a record's text.")
@click.option("--id-field", help="Field or column holding a record's id.")
@click.option("--ext", "exts", multiple=True, default=(".txt", ".html", ".htm", ".pdf", ".docx"),
              show_default=True,
              help="File extensions to take from directories (repeatable).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=MAX_BYTES, show_default=True,
              help="Refuse documents larger than this (UTF-8 bytes).")
@click.option("--force", is_flag=True, help="Convert every document again, even unchanged ones.")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Convert on the workers of a running Dask cluster (tcp://host:8786); this process writes.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr [default: when stderr is a terminal].")
def batch(inputs: tuple[str, ...], output: str, workers: int | None, text_field: str | None,
          id_field: str | None, exts: tuple[str, ...], max_bytes: int, force: bool,
          progress: bool | None, dask_address: str | None = None) -> None:
    """Convert many documents into one output, in parallel; re-running resumes and updates.

    INPUTS are files, directories (searched recursively by --ext), glob patterns, manifest.json files
    (entries with id and path), and collections with one document per record: JSONL (a text field)
    and CSV (a text column).

    Each document is committed as soon as it is converted; a re-run skips documents whose text is
    unchanged (--force converts them again, e.g. after upgrading govnum) and replaces changed ones.
    Failed documents are listed with their reasons in the errors table (databases) or in
    OUT.errors.jsonl beside a .jsonl/.csv output.

    Exit status: 0 all converted, 1 some documents failed, 2 usage error.
    """
    exts = tuple(e if e.startswith(".") else "." + e for e in exts)
    try:
        specs = discover(inputs, Options(text_field=text_field, id_field=id_field, exts=exts))
    except InputError as exc:
        raise click.UsageError(str(exc)) from exc
    if "://" not in output:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
    from .store import open_store

    try:
        store = open_store(output)
    except Exception as exc:
        raise click.BadParameter(str(exc), param_hint="-o/--output") from exc
    n_workers = workers or os.cpu_count() or 1
    show = sys.stderr.isatty() if progress is None else progress
    started = time.monotonic()

    client = None
    if dask_address:
        from .dask_batch import connect

        try:
            client = connect(dask_address)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--dask") from exc

    def convert_all(on_done: Callable[[Outcome], None] | None) -> Summary | int:
        """The summary, or the number of the signal that stopped the run."""
        try:
            if client is not None:
                from .dask_batch import run_dask

                return run_dask(specs, store, client, force, on_done=on_done, max_bytes=max_bytes)
            return run_batch(specs, store, n_workers, force, on_done=on_done, max_bytes=max_bytes)
        except Interrupted as exc:
            return exc.signum
        except KeyboardInterrupt:
            return int(signal.SIGINT)

    if show and specs:
        with click.progressbar(length=len(specs), label="converting", file=sys.stderr, show_eta=True,
                               show_pos=True, item_show_func=lambda s: s) as bar:
            def tick(_o: Outcome) -> None:
                rate = (bar.pos + 1) / max(time.monotonic() - started, 1e-9)
                bar.update(1, f"{rate:.1f} docs/s")

            summary = convert_all(tick)
    else:
        summary = convert_all(None)
    if isinstance(summary, int):
        click.echo(f"govnum batch: interrupted ({signal.Signals(summary).name}); every finished document "
                   f"is in {store.target}: run the same command again to resume", err=True)
        sys.exit(128 + summary)
    for doc_id, message in summary.warnings[:50]:
        click.echo(f"govnum: warning: {doc_id}: {message}", err=True)
    for doc_id, source, reason in summary.failed[:50]:
        click.echo(f"govnum: failed: {doc_id} ({source}): {reason}", err=True)
    if len(summary.failed) > 50:
        more = len(summary.failed) - 50
        click.echo(f"govnum: … and {more} more failures (see the errors output)", err=True)
    click.echo(_summary_line(summary, store.target), err=True)
    sys.exit(1 if summary.failed else 0)
