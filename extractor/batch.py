"""`govnum batch`: convert many documents in parallel into one output, safe to interrupt and re-run.

Workers (processes) load and extract; the parent alone writes, one document at a time in the order they
finish, each committed before the next, so a run stopped by Ctrl-C, SIGTERM or SIGKILL leaves every
written document in the output, and one slow document holds no other back. A document that takes longer
than its time budget (`--timeout`) is stopped with its worker process and recorded as failed. A re-run
hashes each document's text first and skips the ones already written unchanged.
"""

from __future__ import annotations

import atexit
import dataclasses
import gc
import hashlib
import multiprocessing as mp
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from types import FrameType
from typing import TYPE_CHECKING, Any, Literal

import click

from .sources import DocSpec, InputError, Options, discover

if TYPE_CHECKING:  # the stores import SQLAlchemy: only `govnum batch` pays for it
    from schemas import Report

    from .store import Store

Status = Literal["ok", "skip", "error"]
MAX_BYTES = 50 * 1024 * 1024  # a document larger than this is refused, not read
TIMEOUT = 300.0  # seconds one document may take; the corpus' longest report takes a few


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
    #: the report as the store writes it, made by the worker with the store's `encoder` (then `report` is
    #: None: the parent only writes bytes), and its number of quantities
    encoded: bytes | None = None
    quantities: int = 0


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
    interrupted: int | None = None  # the signal that stopped the run


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


Job = tuple[DocSpec, str | None, int] | tuple[DocSpec, str | None, int, Callable[[Any, str], bytes] | None]


def convert(job: Job) -> Outcome:
    """Load and extract one document; `known` is the hash already written for its id (then skip). With an
    encoder (the store's, see `Store.encoder`), the report comes back already serialized for the store."""
    spec, known, max_bytes, *rest = job
    encode = rest[0] if rest else None
    if spec.error is not None:
        return Outcome(spec.doc_id, "error", reason=spec.error)
    sha: str | None = None
    record_attrs: dict[str, Any] | None = None
    try:
        if spec.record is not None:  # a collection record: read from its place in the file
            from .sources import read_record

            text, record_attrs = read_record(spec.record)
            spec = dataclasses.replace(spec, text=text, record=None)
        if spec.text is not None:
            size = len(spec.text.encode("utf-8"))
            if size > max_bytes:
                return Outcome(spec.doc_id, "error", reason=f"too large: {size} bytes (limit {max_bytes})")
        from .readers import document_of  # the reader by content: text, HTML, PDF, DOCX

        doc = document_of(spec, max_bytes=max_bytes)
        text = doc.text
        sha = content_hash(text)
        attrs, warning = _listed_attrs(spec, sha)
        attrs = attrs if attrs is not None else record_attrs
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
    if encode is not None:
        try:
            encoded = encode(report, spec.doc_id)
        except Exception as exc:
            return Outcome(spec.doc_id, "error", sha256=sha, reason=_cannot_store(exc))
        return Outcome(spec.doc_id, "ok", sha256=sha, warning=warning, attrs=attrs, encoded=encoded,
                       quantities=len(report.quantities))
    return Outcome(spec.doc_id, "ok", sha256=sha, report=report, warning=warning, attrs=attrs,
                   quantities=len(report.quantities))


def _cannot_store(exc: BaseException) -> str:
    return f"cannot store the report: {_reason(exc)}"[:2000]


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


#: bytes to convert per worker from which the parent loads the whole word dictionary before forking
#: (about 10k characters of Chinese; each worker would load jieba-rs itself after 2,000, see wordseg)
PRELOAD_ALL_BYTES = 30_000


def _preload(everything: bool) -> None:
    """Load the extractor's lexicons in the parent, so that forked workers share them instead of each
    loading its own copy. `everything`: jieba-rs's whole dictionary too (~0.15 CPU-s, 80 MB), which
    every worker of a long batch would otherwise load for itself; a short batch leaves it to the
    workers, which load only what their documents need."""
    from . import wordseg
    from .pipeline import extract

    if everything:
        wordseg.load_all()
    try:
        extract("2020年完成投资1.2亿元，同比增长10%。", doc_id="warmup")
    except Exception:  # a broken extractor shows up per document, with its reason
        pass


def record(spec: DocSpec, outcome: Outcome, store: Store, summary: Summary) -> Outcome:
    """Write one outcome to the store (the parent alone does) and count it; a report the store refuses
    becomes this document's failure."""
    if outcome.status == "ok" and (outcome.report is not None or outcome.encoded is not None):
        sha = outcome.sha256 or content_hash("")
        try:
            if outcome.encoded is not None:
                store.write_encoded(spec.doc_id, sha, outcome.encoded)  # type: ignore[attr-defined]
            elif outcome.report is not None:
                store.write(spec.doc_id, sha, outcome.report, outcome.attrs or spec.attrs)
        except Exception as exc:  # e.g. a report the database's keys refuse: this document's failure
            outcome = Outcome(spec.doc_id, "error", sha256=outcome.sha256, reason=_cannot_store(exc))
        else:
            summary.converted += 1
            summary.quantities += (len(outcome.report.quantities) if outcome.report is not None
                                   else outcome.quantities)
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


class Progress:
    """A time-left estimate by the size of the documents done, not their number (documents differ in size
    a hundredfold), measured from the first finished document on (so the start-up, loading the lexicons
    and starting workers, does not count as work) and smoothed (each new rate moves it a third of the way).
    """

    def __init__(self, total: int, now: float) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.first: tuple[float, int] | None = None  # (time, size done) at the first finished document
        self.rate: float | None = None  # size per second, smoothed
        self.start = now

    def update(self, size: int, now: float) -> float | None:
        """Record a finished document of `size`; the seconds left, or None while unknown."""
        self.done += size
        if self.first is None:
            self.first = (now, self.done)
            return None
        t0, d0 = self.first
        if now <= t0 or self.done <= d0:
            return None
        rate = (self.done - d0) / (now - t0)
        self.rate = rate if self.rate is None else self.rate + (rate - self.rate) / 3
        return max(self.total - self.done, 0) / self.rate


def _fmt_seconds(seconds: float) -> str:
    m, s = divmod(int(seconds + 0.5), 60)
    return f"{m // 60}:{m % 60:02}:{s:02}" if m >= 60 else f"{m}:{s:02}"


def _pool_outcome(future: Future[Outcome], spec: DocSpec, timeout: float | None) -> Outcome:
    """The worker's outcome, or this document's failure when its worker overran or died."""
    from pebble import ProcessExpired

    try:
        return future.result()
    except TimeoutError:
        return Outcome(spec.doc_id, "error", reason=f"took longer than {timeout:g} s (--timeout): stopped")
    except ProcessExpired as exc:
        return Outcome(spec.doc_id, "error", reason=f"its worker process died ({exc})")
    except Exception as exc:  # e.g. an outcome that cannot be pickled
        return Outcome(spec.doc_id, "error", reason=_reason(exc))


def _pool_polling(seconds: float) -> float | None:
    """Set how often pebble's pool threads wake up (its `sleep_unit`, 0.1 s) and return the old value, or
    None when this pebble has no such setting. A pool's join waits for those threads' next wake-up: ~0.06 s
    at the end of every run, unless they poll briskly by then. They do for the last tenth of the work
    (by size): polling every 5 ms costs the parent ~1% of a core, not worth paying for a whole run."""
    try:
        from pebble.common.types import CONSTS

        old, CONSTS.sleep_unit = float(CONSTS.sleep_unit), seconds
    except (ImportError, AttributeError, TypeError, ValueError):
        return None
    return old


def run_batch(specs: Sequence[DocSpec], store: Store, workers: int = 1, force: bool = False,
              on_done: Callable[[Outcome], None] | None = None, max_bytes: int = MAX_BYTES,
              timeout: float | None = TIMEOUT) -> Summary:
    """Convert every document into the store, writing each as it finishes; on SIGTERM or Ctrl-C stop,
    keeping what is written, and say so in `Summary.interrupted`.

    With a `timeout` (seconds), documents are converted in worker processes even for one worker, so
    that one that overruns can be stopped (its process is killed and replaced)."""
    summary = Summary(total=len(specs))
    known = {} if force else store.known()
    encode = getattr(store, "encoder", None)  # the store's serializer, run in the workers
    jobs: list[Job] = [(s, known.get(s.doc_id), max_bytes, encode) for s in specs]
    pool = None
    polling: float | None = None  # pebble's own polling interval, while ours is set
    job: Job | None = None
    with Recorder(store, summary, on_done) as recorder:
        try:
            if (workers > 1 and len(jobs) > 1) or (timeout and jobs):
                from pebble import ProcessPool

                ctx = _context()
                n = min(workers, len(jobs))
                todo = [s.size for s in specs if s.doc_id not in known]
                if ctx.get_start_method() == "fork" and todo:  # there is certainly work to do
                    _preload(everything=sum(todo) >= n * PRELOAD_ALL_BYTES)
                if n > 1:  # largest first, so that the run does not end on one large document alone
                    jobs.sort(key=lambda job: -job[0].size)
                pool = ProcessPool(max_workers=n, initializer=_init_worker, initargs=(os.getpid(),),
                                   context=ctx)
                queue = iter(jobs)
                pending: dict[Future[Outcome], DocSpec] = {}
                left = total = sum(s.size for s in specs)  # bytes not handed out yet
                while True:
                    while len(pending) < 2 * n and (job := next(queue, None)) is not None:
                        pending[pool.schedule(convert, args=(job,), timeout=timeout or None)] = job[0]
                        left -= job[0].size
                    if polling is None and (job is None or 0 < total and left * 10 <= total):  # near the end
                        polling = _pool_polling(0.005)
                    if not pending:
                        break
                    done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                    for future in [f for f in pending if f in done]:  # those done together: in input order
                        spec = pending.pop(future)
                        recorder.done(spec, _pool_outcome(future, spec, timeout))
                pool.close()
                pool.join()
                pool = None
            else:
                for job in jobs:
                    recorder.done(job[0], convert(job))
        finally:
            if pool is not None:
                pool.stop()
                pool.join()
            if polling is not None:
                _pool_polling(polling)
    return summary


class Recorder:
    """Writes outcomes as they arrive (the parent alone writes) and owns the run's signals: SIGTERM or
    Ctrl-C stop the run, but never in the middle of writing a document — then right after it — so the
    counts in `Summary` are exactly what the output holds. Shared by the process pool and the Dask runner.

    As a context manager it installs the handlers (in the main thread), records an interruption in
    `Summary.interrupted` instead of raising it, closes the store and times the run."""

    def __init__(self, store: Store, summary: Summary,
                 on_done: Callable[[Outcome], None] | None = None) -> None:
        self.store, self.summary, self.on_done = store, summary, on_done
        self._writing = False
        self._held: int | None = None
        self._old: dict[int, Any] = {}
        self._start = time.monotonic()

    def _stop(self, signum: int, _frame: FrameType | None) -> None:
        if self._writing:
            self._held = self._held or signum
            return
        raise Interrupted(signum)

    def done(self, spec: DocSpec, outcome: Outcome) -> None:
        self._writing = True
        try:
            outcome = record(spec, outcome, self.store, self.summary)
        finally:
            self._writing = False
        if self._held:
            raise Interrupted(self._held)
        if self.on_done:
            self.on_done(outcome)

    def __enter__(self) -> Recorder:
        self._start = time.monotonic()
        try:
            for sig in (signal.SIGTERM, signal.SIGINT):
                self._old[sig] = signal.getsignal(sig)
                signal.signal(sig, self._stop)
        except ValueError:  # not the main thread: leave signals alone
            self._old = {}
        return self

    def __exit__(self, typ: type[BaseException] | None, exc: BaseException | None, _tb: Any) -> bool:
        suppress = False
        if isinstance(exc, Interrupted):
            self.summary.interrupted, suppress = exc.signum, True
        elif isinstance(exc, KeyboardInterrupt):
            self.summary.interrupted, suppress = int(signal.SIGINT), True
        self.summary.seconds = time.monotonic() - self._start
        try:
            self.store.close()
        finally:
            for sig, handler in self._old.items():
                signal.signal(sig, handler)
        return suppress


def _summary_line(s: Summary, target: str) -> str:
    rate = (s.converted + s.skipped) / s.seconds if s.seconds else 0.0
    return (f"govnum batch: {s.total} documents: {s.converted} converted, {s.skipped} unchanged, "
            f"{len(s.failed)} failed; {s.quantities} quantities written to {target} "
            f"in {s.seconds:.1f} s ({rate:.1f} documents/s)")


def _interrupted_line(s: Summary, target: str) -> str:
    """What an interrupted run leaves, counted: no more, no less than is in the output."""
    left = s.total - s.converted - s.skipped - len(s.failed)
    name = signal.Signals(s.interrupted or signal.SIGINT).name
    return (f"govnum batch: interrupted ({name}): {s.converted} documents written to {target} in this run, "
            f"{s.skipped} unchanged, {len(s.failed)} failed, {left} not done; run the same command again "
            "to resume")


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
              help="Refuse documents (and collection records) larger than this (UTF-8 bytes).")
@click.option("--timeout", type=click.FloatRange(min=0), default=TIMEOUT, show_default=True,
              help="Seconds one document may take; then it is stopped and listed as failed (0: no limit). "
                   "Local workers only: a Dask cluster cannot stop one task.")
@click.option("--allow-outside-paths", is_flag=True,
              help="Let a manifest list files outside its own folder.")
@click.option("--force", is_flag=True, help="Convert every document again, even unchanged ones.")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Convert on the workers of a running Dask cluster (tcp://host:8786); this process writes.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr [default: when stderr is a terminal].")
def batch(inputs: tuple[str, ...], output: str, workers: int | None, text_field: str | None,
          id_field: str | None, exts: tuple[str, ...], max_bytes: int, timeout: float,
          allow_outside_paths: bool, force: bool, progress: bool | None,
          dask_address: str | None = None) -> None:
    """Convert many documents into one output, in parallel; re-running resumes and updates.

    INPUTS are files, directories (searched recursively by --ext), glob patterns, manifest.json files
    (entries with id and path, inside the manifest's folder), and collections with one document per
    record: JSONL (a text field) and CSV (a text column).

    Each document is committed as soon as it is converted; a re-run skips documents whose text is
    unchanged (--force converts them again, e.g. after upgrading govnum) and replaces changed ones.
    Failed documents are listed with their reasons in the errors table (databases) or in
    OUT.errors.jsonl beside a .jsonl/.csv output (e.g. out.csv.errors.jsonl). A .csv output holds the
    quantities; relations and findings go beside it (out.relations.csv, out.findings.csv).

    One run writes an output at a time: a second one exits with status 2 (the lock is OUT.lock beside a
    file output, an advisory lock in PostgreSQL).

    Exit status: 0 all converted, 1 some documents failed, 2 usage error.
    """
    from .errors import UserError

    # the interpreter's last collection at exit would visit every object the extractor made (~0.04 s of
    # every run); frozen first, they are left to the operating system (the outputs are closed by then).
    # Once per process, however often the command runs in it (tests, a caller's loop).
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)

    if dask_address and (click.get_current_context().get_parameter_source("timeout")
                         is click.core.ParameterSource.COMMANDLINE):
        raise UserError("--timeout cannot be kept with --dask: a Dask cluster cannot stop one task "
                        "(run without --timeout, or with local workers)")
    exts = tuple(e if e.startswith(".") else "." + e for e in exts)
    opts = Options(text_field=text_field, id_field=id_field, exts=exts, max_bytes=max_bytes,
                   allow_outside_paths=allow_outside_paths)
    try:
        specs = discover(inputs, opts)
    except InputError as exc:
        raise UserError(str(exc)) from exc
    from .store import Busy, open_store

    try:
        store = open_store(output)
    except (Busy, ValueError, OSError) as exc:
        raise UserError(str(exc)) from exc
    except Exception as exc:  # a database that cannot be reached, a URL SQLAlchemy refuses …
        first = (str(exc).splitlines() or [""])[0]
        raise UserError(f"{output}: {type(exc).__name__}: {first}") from exc
    n_workers = workers or os.cpu_count() or 1
    show = sys.stderr.isatty() if progress is None else progress

    client = None
    if dask_address:
        from .dask_batch import connect


        try:
            client = connect(dask_address)
        except ValueError as exc:
            raise UserError(f"--dask: {exc}") from exc

    def convert_all(on_done: Callable[[Outcome], None] | None) -> Summary:
        if client is None:
            return run_batch(specs, store, n_workers, force, on_done=on_done, max_bytes=max_bytes,
                             timeout=timeout or None)
        from .dask_batch import run_dask

        return run_dask(specs, store, client, force, on_done=on_done, max_bytes=max_bytes)

    if show and specs:
        sizes = {s.doc_id: max(s.size, 1) for s in specs}
        estimate = Progress(sum(sizes.values()), time.monotonic())
        with click.progressbar(length=len(specs), label="converting", file=sys.stderr, show_eta=False,
                               show_pos=True, item_show_func=lambda s: s) as bar:
            def tick(o: Outcome) -> None:
                now = time.monotonic()
                left = estimate.update(sizes.get(o.doc_id, 1), now)
                rate = (bar.pos + 1) / max(now - estimate.start, 1e-9)
                eta = f", {_fmt_seconds(left)} left" if left is not None else ""
                bar.update(1, f"{rate:.1f} docs/s{eta}")

            summary = convert_all(tick)
    else:
        summary = convert_all(None)
    if summary.interrupted is not None:
        click.echo(_interrupted_line(summary, store.target), err=True)
        sys.exit(128 + summary.interrupted)
    for doc_id, message in summary.warnings[:50]:
        click.echo(f"govnum: warning: {doc_id}: {message}", err=True)
    for doc_id, source, reason in summary.failed[:50]:
        click.echo(f"govnum: failed: {doc_id} ({source}): {reason}", err=True)
    if len(summary.failed) > 50:
        more = len(summary.failed) - 50
        click.echo(f"govnum: … and {more} more failures (see the errors output)", err=True)
    click.echo(_summary_line(summary, store.target), err=True)
    sys.exit(1 if summary.failed else 0)
