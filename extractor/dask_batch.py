"""`govnum batch --dask ADDRESS`: the same conversion, on the workers of an existing Dask cluster.

The scheduler hands documents to the workers; this process (the client) alone writes, as results
arrive, through the same stores and the same `record` as the process pool — so every output kind works,
a re-run skips documents already written with the same content hash, and each document is written once.
A worker that dies takes its tasks with it; the scheduler runs them again elsewhere, and since only
finished results reach the writer, nothing is written twice. A document that kills workers again and
again (Dask's `allowed-failures`) is recorded as failed with the reason, and the batch goes on.

Workers read the files themselves, so paths must be readable on every worker (a shared file system);
records of a collection travel with their tasks. At most `window` documents are in flight at once, so
a list of millions of paths does not become millions of futures.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .batch import MAX_BYTES, Outcome, Recorder, Summary, _reason, convert
from .sources import DocSpec, discover

if TYPE_CHECKING:
    from distributed import Client

    from .store import Store


def connect(address: str) -> Client:
    """A client of the scheduler at `address`; ValueError says why there is none."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise ValueError("--dask needs Dask's distributed scheduler: pip install 'govnum[dask]'") from exc
    try:
        return Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise ValueError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc


def _client(scheduler: str | Client) -> tuple[Client, bool]:
    """A client for an address (ours to close) or the one given (the caller's)."""
    return (connect(scheduler), True) if isinstance(scheduler, str) else (scheduler, False)


def _light(spec: DocSpec) -> DocSpec:
    """The spec without its text, to send back with the outcome."""
    return dataclasses.replace(spec, text=None) if spec.text is not None else spec


def run_dask(specs: Sequence[DocSpec], store: Store, scheduler: str | Client, force: bool = False,
             on_done: Callable[[Outcome], None] | None = None, max_bytes: int = MAX_BYTES,
             window: int | None = None) -> Summary:
    """Convert every document on the cluster into the store (written here, as results arrive)."""
    from distributed import as_completed

    client, own = _client(scheduler)
    summary = Summary(total=len(specs))
    known = {} if force else store.known()
    encode = getattr(store, "encoder", None)  # the workers serialize for the store (see batch.convert)
    run = uuid.uuid4().hex[:8]
    todo: Iterator[tuple[int, DocSpec]] = iter(enumerate(specs))
    pending: dict[str, DocSpec] = {}
    threads = sum(client.nthreads().values()) or 1
    done = as_completed()

    def submit(batch: Iterable[tuple[int, DocSpec]]) -> None:
        for i, spec in batch:
            fut = client.submit(convert, (spec, known.get(spec.doc_id), max_bytes, encode),
                                key=f"govnum-convert-{run}-{i}", pure=False)
            pending[fut.key] = spec
            done.add(fut)

    try:
        with Recorder(store, summary, on_done) as recorder:
            submit(islice(todo, window or 4 * threads))
            for fut in done:
                spec = pending.pop(fut.key)
                try:
                    outcome: Outcome = fut.result()
                except Exception as exc:  # the task itself failed on every worker it was given to
                    outcome = Outcome(spec.doc_id, "error", reason=f"worker failed: {_reason(exc)}")
                fut.release()
                recorder.done(spec, outcome)
                submit(islice(todo, 1))
    finally:
        if pending:
            client.cancel(list(pending))
        if own:
            client.close()
    return summary


def _spec_of(item: Any) -> DocSpec:
    """A bag item as a DocSpec: a DocSpec, a path, or a (doc_id, text) pair."""
    if isinstance(item, DocSpec):
        return item
    if isinstance(item, (str, Path)):
        return DocSpec(doc_id=Path(item).stem, source=str(item), path=str(item))
    doc_id, text = item
    return DocSpec(doc_id=str(doc_id), source=str(doc_id), text=text)


def _convert_partition(items: list[Any], known: dict[str, str], max_bytes: int
                       ) -> list[tuple[DocSpec, Outcome]]:
    out = []
    for item in items:
        spec = _spec_of(item)
        out.append((_light(spec), convert((spec, known.get(spec.doc_id), max_bytes))))
    return out


def run_dask_bag(bag: Any, store: Store, scheduler: str | Client, force: bool = False,
                 max_bytes: int = MAX_BYTES) -> Summary:
    """Convert a Dask bag of paths, (doc_id, text) pairs or DocSpecs: one task per partition."""
    from distributed import as_completed

    client, own = _client(scheduler)
    summary = Summary(total=0)
    known = {} if force else store.known()
    try:
        from dask import delayed

        with Recorder(store, summary) as recorder:
            parts = bag.map_partitions(_convert_partition, delayed(known), max_bytes).to_delayed()
            for fut in as_completed(client.compute(parts)):
                for spec, outcome in fut.result():
                    summary.total += 1
                    recorder.done(spec, outcome)
                fut.release()
    finally:
        if own:
            client.close()
    return summary


def batch(inputs: Sequence[str | Path] | Any, output: str | Path, scheduler: str | Client,
          force: bool = False) -> Summary:
    """The Python entry point: paths (files, folders, globs, manifests, collections) or a Dask bag."""
    from .store import open_store

    store = open_store(str(output))
    if hasattr(inputs, "map_partitions"):
        return run_dask_bag(inputs, store, scheduler, force=force)
    specs = discover([str(i) for i in inputs])
    return run_dask(specs, store, scheduler, force=force)
