"""`ingest --jobs N`: extraction in N worker processes, every write in this one.

Extraction (reading, cleaning, segmenting, the extractors, building the rows and the search words)
is pure Python and holds the GIL, so threads would not overlap it; processes do. SQLite allows one
writer, so the workers only return each document's rows (store.PreparedDocument, plain tuples and
dicts) and this process writes them, one transaction per document, in the order of the files:
the database ends up with the same rows as a serial run.

The unchanged-file test (hash already stored) runs here before a file is sent, so a re-ingest
costs no extraction. At most a few files per worker are in flight, which bounds memory.

A worker that dies (a crash in a native library, the out-of-memory killer) breaks the pool and
every file in flight with it. Those files are set aside, a new pool takes the rest of the batch,
and at the end each file set aside is extracted again alone: the one that kills its worker again
fails with E011, the others are written (after the rest of the batch, so only then does the order
of the rows differ from a serial run).
"""
from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable

from pipeline.errors import Errors
from pipeline.store import FaultHook, PreparedDocument, Store

# Files sent ahead per worker: enough that a worker never waits for the writer, few enough that
# the rows waiting to be written stay small (a plan's rows are ~1 MB in memory).
IN_FLIGHT_PER_WORKER = 3
# forkserver, not fork: the writer holds an open SQLite connection and library threads, neither of
# which may be copied into a child; spawn would re-import everything per worker as well.
# (Windows has neither fork nor forkserver: spawn, each worker warming itself.)
START_METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"

_pipeline = None  # one per worker process, built by _start_worker


def _start_worker() -> None:
    global _pipeline
    from pipeline import parallel_worker  # loaded already in a forkserver worker

    _pipeline = parallel_worker.PIPELINE


def _extract_in_worker(path: str, data: bytes, doc_key: int) -> PreparedDocument | str:
    from pipeline.ingest import extract

    return extract(Path(path), data, _pipeline, doc_key)


def _pool(jobs: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context(START_METHOD)
    if START_METHOD == "forkserver":
        context.set_forkserver_preload(["pipeline.parallel_worker"])
    return ProcessPoolExecutor(jobs, mp_context=context,
                               initializer=_start_worker)


def ingest_in_workers(files: list[Path], store: Store, jobs: int, emit: Callable, *,
                      fault_hook: FaultHook | None = None) -> None:
    """Ingest `files` with `jobs` extraction workers; `emit` receives each FileResult, in file order
    but for files set aside after a worker died (see the module docstring)."""
    from pipeline.ingest import FileResult, read_source, write_extracted

    # Each entry: (path, size, future) for a file being extracted, or (path, 0, result) for one
    # whose outcome is known already (unreadable, unchanged); kept in file order.
    queue: deque[tuple[Path, int, Future | FileResult]] = deque()
    # The bytes and doc_key of each file in flight, to send again if its worker dies. Keys are taken
    # here, in file order, as a serial run takes them: the two write the same ids.
    sent: dict[Path, tuple[bytes, int]] = {}
    set_aside: list[tuple[Path, bytes, int]] = []
    pool = _pool(jobs)
    broken = False

    def settle_first() -> None:
        nonlocal broken
        path, size, item = queue.popleft()
        if isinstance(item, FileResult):
            emit(item)
            return
        try:
            extracted = item.result()
        except BrokenProcessPool:
            broken = True
            set_aside.append((path, *sent[path]))
            return
        finally:
            sent.pop(path, None)
        emit(write_extracted(path, extracted, size, store, fault_hook))

    try:
        for path in files:
            if broken:
                while queue:
                    settle_first()
                pool.shutdown(wait=True, cancel_futures=True)
                pool, broken = _pool(jobs), False
            source = read_source(path, store)   # unreadable and unchanged files are settled here
            if isinstance(source, FileResult):
                queue.append((path, 0, source))
            else:
                data, _ = source
                key = store.reserve_doc_key()
                sent[path] = (data, key)
                queue.append((path, len(data), pool.submit(_extract_in_worker, str(path), data, key)))
            while len(queue) > jobs * IN_FLIGHT_PER_WORKER:
                settle_first()
        while queue:
            settle_first()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    if set_aside:
        _retry_alone(set_aside, store, emit, fault_hook)


def _retry_alone(files: list[tuple[Path, bytes, int]], store: Store, emit: Callable,
                 fault_hook: FaultHook | None) -> None:
    """Extract each file on its own in one worker, a new worker after each death."""
    from pipeline.ingest import FileResult, write_extracted

    pool = _pool(1)
    try:
        for path, data, key in files:
            try:
                extracted = pool.submit(_extract_in_worker, str(path), data, key).result()
            except BrokenProcessPool as exc:
                emit(FileResult(path, "failed", error=Errors.E011.format(detail=type(exc).__name__)))
                pool.shutdown(wait=True, cancel_futures=True)
                pool = _pool(1)
                continue
            emit(write_extracted(path, extracted, len(data), store, fault_hook))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
