"""Batch ingestion: files and folders in, one transaction per document, a report out.

A bad file never stops the batch: its error is recorded with the file name and reason, and the
run goes on. Nothing about a failed file reaches the database.
"""
from __future__ import annotations

import gc
import hashlib
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from pipeline.errors import Errors, IngestError
from pipeline.nlp import Pipeline
from pipeline.readers import read_file
from pipeline.store import FaultHook, PreparedDocument, Store, WriteOutcome, prepare_document


@dataclass(frozen=True)
class FileResult:
    path: Path
    outcome: str                 # ingested | replaced | unchanged | failed
    doc_id: str | None = None
    error: str | None = None
    size_bytes: int = 0


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    skipped_hidden: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    canonical: object | None = None  # pipeline.canonical.ResolveReport of the run's canonical pass

    def by_outcome(self, outcome: str) -> list[FileResult]:
        return [r for r in self.results if r.outcome == outcome]

    @property
    def failed(self) -> list[FileResult]:
        return self.by_outcome("failed")

    @property
    def ok(self) -> bool:
        return not self.failed


def collect_paths(inputs: Iterable[str | Path]) -> tuple[list[Path], list[Path], list[str]]:
    """Expand folders recursively. Returns (files, hidden files skipped, inputs that do not exist)."""
    files, hidden, missing = [], [], []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file():
                    continue
                rel = f.relative_to(p)
                if any(part.startswith(".") for part in rel.parts):
                    hidden.append(f)  # .DS_Store, .git/… : reported in the summary, not read
                else:
                    files.append(f)
        elif p.is_file():
            files.append(p)
        else:
            missing.append(str(item))
    # the same file named twice (a folder and a file inside it) is read once
    seen, unique = set(), []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, hidden, missing


def read_source(path: Path, store: Store) -> tuple[bytes, str] | FileResult:
    """The file's bytes and their SHA-256 (the document id), or its result where nothing is left
    to do: failed (unreadable) or unchanged (those bytes are stored already; a copy of a stored
    file under another path is the same document)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return FileResult(path, "failed", error=f"[E004] file not found or unreadable: {exc}")
    data_hash = hashlib.sha256(data).hexdigest()
    if store.has_document(data_hash):
        return FileResult(path, WriteOutcome.UNCHANGED.value, doc_id=data_hash, size_bytes=len(data))
    return data, data_hash


def extract(path: Path, data: bytes, pipeline: Pipeline, doc_key: int) -> PreparedDocument | str:
    """Read and extract one file into the rows the store writes (ids in `doc_key`'s range), or the
    error message that fails it. A pure function of the bytes and the key: `ingest --jobs` runs it
    in worker processes."""
    try:
        return prepare_document(pipeline(read_file(path, data)), doc_key)
    except IngestError as exc:
        return str(exc)
    except Exception as exc:  # a bug must not sink the batch; report it with its type
        return f"[E999] internal error: {type(exc).__name__}: {exc}"


def write_extracted(path: Path, extracted: PreparedDocument | str, size: int, store: Store,
                    fault_hook: FaultHook | None = None) -> FileResult:
    if isinstance(extracted, str):
        return FileResult(path, "failed", error=extracted)
    try:
        outcome = store.write_prepared(extracted, fault_hook=fault_hook)
    except sqlite3.Error as exc:  # the transaction was rolled back: nothing of the document is stored
        return FileResult(path, "failed", error=Errors.E010.format(detail=f"{type(exc).__name__}: {exc}"))
    except Exception as exc:
        return FileResult(path, "failed", error=f"[E999] internal error: {type(exc).__name__}: {exc}")
    return FileResult(path, outcome.value, doc_id=extracted.doc_id, size_bytes=size)


def ingest_file(path: Path, store: Store, pipeline: Pipeline, fault_hook: FaultHook | None = None) -> FileResult:
    source = read_source(path, store)
    if isinstance(source, FileResult):
        return source
    data, _ = source
    return write_extracted(path, extract(path, data, pipeline, store.reserve_doc_key()), len(data), store,
                           fault_hook)


def ingest_paths(
    inputs: Iterable[str | Path],
    store: Store,
    *,
    pipeline: Pipeline | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    fault_hook: FaultHook | None = None,
    corrections: Path | None = None,
    jobs: int = 1,
) -> IngestReport:
    """Ingest files and folders into `store`; see the module docstring.

    `jobs` > 1 extracts in that many worker processes while this process writes, one document
    per transaction as always, in the order of the files (pipeline/parallel.py).
    """
    start = time.perf_counter()
    files, hidden, missing = collect_paths(inputs)
    report = IngestReport(skipped_hidden=hidden)
    for m in missing:
        report.results.append(FileResult(Path(m), "failed", error="[E004] file not found or unreadable: no such file or folder"))

    def emit(result: FileResult) -> None:
        report.results.append(result)
        if on_file:
            on_file(result)

    if jobs > 1 and pipeline is not None:
        # Workers build the standard pipeline; a caller's own would be silently left out.
        raise ValueError("a custom pipeline runs in this process only: use jobs=1")
    if jobs > 1 and len(files) > 1:
        from pipeline.parallel import ingest_in_workers

        ingest_in_workers(files, store, jobs, emit, fault_hook=fault_hook)
    else:
        pipeline = pipeline or Pipeline()
        for i, path in enumerate(files):
            emit(ingest_file(path, store, pipeline, fault_hook=fault_hook))
            if i == 0:
                # The first document loaded the large, long-lived tables (jionlp's divisions, jieba's
                # dictionary, compiled rules): freezing them out of the collector's generations stops
                # every later collection from rescanning them (~9% of a large batch when measured).
                gc.freeze()
    # Issue 4: canonical units are resolved over ALL mentions after a run, unchanged files
    # included, so that an edited corrections file changes the result on the next ingest; a run
    # that changed none of the pass's inputs (documents, corrections, dictionaries) skips it.
    from pipeline.canonical import resolve_units_if_changed
    from pipeline.views import ensure_views, refresh_derived_if_rules_changed

    store.index_pending()  # the batch's tasks join the full-text index together
    report.canonical = resolve_units_if_changed(store.db, corrections)
    refresh_derived_if_rules_changed(store.db)
    ensure_views(store.db)  # the cross-county views are there for anyone who opens the database
    report.seconds = time.perf_counter() - start
    return report
