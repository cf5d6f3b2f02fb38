"""Benchmark the ingest stage (run by hand, not in CI).

Builds a corpus of at least --mb megabytes by repeating the sample plans under distinct names
(each copy gets a distinct last line, so each is a distinct document by hash), ingests it into a
fresh database in one process, and prints documents/s, MB/s, time per pipeline stage and peak memory.

    python bench/ingest_bench.py            # 20 MB
    python bench/ingest_bench.py --mb 5 --keep
    python bench/ingest_bench.py --repeat 3     # median of three runs
    python bench/ingest_bench.py --cold         # passages of the repeated plans never hit a cache
    python bench/ingest_bench.py --cold all     # nor names and divisions: a lower bound
"""
from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import components  # noqa: E402
from pipeline.ingest import ingest_paths  # noqa: E402
from pipeline.store import Store  # noqa: E402


def build_corpus(folder: Path, megabytes: float) -> tuple[int, int]:
    samples = sorted((ROOT / "corpus").glob("*.txt"))
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in samples]
    total, n = 0, 0
    while total < megabytes * 1e6:
        stem, text = texts[n % len(texts)]
        data = (text + f"\n（副本{n}）\n").encode("utf-8")
        (folder / f"{stem}_copy{n:05d}.txt").write_bytes(data)
        total += len(data)
        n += 1
    return n, total


def time_stages() -> dict[str, float]:
    """Wrap every registered component so its run time is added up."""
    spent: dict[str, float] = defaultdict(float)
    for name, comp in list(components.REGISTRY.items()):
        def timed(state, _fn=comp.fn, _name=name):
            t = time.perf_counter()
            _fn(state)
            spent[_name] += time.perf_counter() - t
        components.REGISTRY[name] = components.Component(comp.name, comp.requires, comp.assigns, timed)
    return spent


def time_storage(spent: dict[str, float]) -> None:
    """Wrap the storage steps so the bench says where the time outside the stages goes."""
    import pipeline.canonical as canonical
    import pipeline.ingest as ingest
    import pipeline.store as store

    def wrap(owner, attr, label):
        fn = getattr(owner, attr)

        def timed(*a, **kw):
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                spent[label] += time.perf_counter() - t
        setattr(owner, attr, timed)

    wrap(ingest, "prepare_document", "store: rows, search words, derived keys")
    wrap(store.Store, "write_prepared", "store: SQLite writes")
    wrap(store.Store, "index_pending", "search index (once per batch)")
    wrap(canonical, "resolve_units", "canonical units pass")
    # ingest.py imports resolve_units inside the function, so the module attribute is what it finds


# Caches keyed by a passage of a plan (a task's text, a list of units, a time phrase): on a batch of
# different plans they rarely hit, but the bench repeats five plans, so they hit on every copy.
# The other bounded caches are keyed by vocabulary (a unit name, a division name, a numbering
# label), which recurs across any corpus.
PASSAGE_CACHES = ("pipeline.tasks.unit_roles", "extractors.deadlines._read",
                  "extractors.unit_names._split", "extractors.roles._whole_unit_list")


def text_caches(which: str = "all") -> list:
    """The bounded lru_caches of extractors and pipeline (not the maxsize=1/None loaders of
    dictionaries and rules): all of them, or only the PASSAGE_CACHES."""
    found = []
    for name, module in list(sys.modules.items()):
        if not name.startswith(("extractors", "pipeline")):
            continue
        for obj in vars(module).values():
            info = getattr(obj, "cache_info", None)
            if info is None or info().maxsize in (None, 1) or obj in found:
                continue
            if which == "all" or f"{obj.__module__}.{obj.__qualname__}" in PASSAGE_CACHES:
                found.append(obj)
    return found


def reference_loop() -> float:
    """Seconds for a fixed pure-Python loop: the machine's speed at the moment of the run.

    Shared virtual machines change speed from minute to minute (the same loop measured 0.24 s and
    0.61 s in one session); figures from two runs compare only beside their reference times."""
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        x = 0
        for j in range(1_000_000):
            x += j * j
        best = min(best, time.perf_counter() - t)
    return best


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished child processes (the --jobs workers)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run_once(corpus: Path, db_path: Path, stages: str | None, spent: dict, storage: dict, keep: bool,
             cold: str | None = None, jobs: int = 1):
    import pipeline.ingest as ingest
    import pipeline.parallel as parallel
    from pipeline.nlp import Pipeline

    caches = text_caches(cold) if cold else []

    def clear_caches(_result=None) -> None:
        for cached in caches:
            cached.cache_clear()

    spent.clear()
    storage.clear()
    store = Store.open(db_path)
    extract = ingest.extract
    if jobs > 1:
        # fork, so that the workers inherit the cache clearing below; the workers are then this
        # process's children and their CPU time is counted when the pool has shut down.
        parallel.START_METHOD = "fork"
        if cold:
            def extract_cold(*a):
                try:
                    return extract(*a)
                finally:
                    clear_caches()
            ingest.extract = extract_cold
    t0, c0 = time.perf_counter(), _cpu_seconds()
    pipeline = Pipeline(tuple(stages.split(","))) if stages else None
    report = ingest_paths([corpus], store, pipeline=pipeline, on_file=clear_caches if cold and jobs == 1 else None,
                          jobs=jobs)
    elapsed = time.perf_counter() - t0
    storage["cpu"] = _cpu_seconds() - c0
    ingest.extract = extract
    store.close()
    if not keep:  # a 20 MB corpus makes a database of ~0.5 GB
        for f in db_path.parent.glob(db_path.name + "*"):
            f.unlink()
    return report, elapsed, dict(spent), dict(storage)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    ap.add_argument("--keep", action="store_true", help="keep the generated corpus and database")
    ap.add_argument("--stages", default=None,
                    help="comma-separated pipeline stages (default: all), e.g. clean,metadata,sections,tables "
                         "for the ingest foundation without extraction")
    ap.add_argument("--repeat", type=int, default=1,
                    help="ingest the corpus this many times, each into a fresh database, and report the run "
                         "of median time (CPU speed on shared machines varies by tens of percent)")
    ap.add_argument("--cold", nargs="?", const="passages", choices=("passages", "all"), default=None,
                    help="after each document clear the caches keyed by passages (default), so the copies "
                         "cost what distinct plans would, or 'all' bounded caches, names and divisions "
                         "included (a lower bound: no corpus is without repeated names)")
    ap.add_argument("--jobs", type=int, default=1,
                    help="extract in this many worker processes (zhengce ingest --jobs); stage times are "
                         "then spent in the workers and not shown, CPU time includes the workers'")
    args = ap.parse_args()
    if args.jobs > 1 and args.stages:
        ap.error("--stages runs a custom pipeline, which --jobs does not take")
    work = Path(tempfile.mkdtemp(prefix="zhengce-bench-"))
    corpus = work / "corpus"
    corpus.mkdir()
    n_docs, n_bytes = build_corpus(corpus, args.mb)
    spent = time_stages()
    storage: dict[str, float] = defaultdict(float)
    time_storage(storage)
    # warm-up outside the timed run: first imports (jionlp unpacks dictionaries) are a one-off cost
    t0 = time.perf_counter()
    warm = Store.open(":memory:")
    ingest_paths([ROOT / "corpus" / "000_d18375a228b56b19.txt"], warm)
    warm_s = time.perf_counter() - t0
    ref_before = reference_loop()
    runs = [run_once(corpus, work / f"bench{i}.db", args.stages, spent, storage, args.keep, args.cold, args.jobs)
            for i in range(max(1, args.repeat))]
    ref_after = reference_loop()
    times = sorted(r[1] for r in runs)
    report, elapsed, spent, storage = sorted(runs, key=lambda r: r[1])[len(runs) // 2]
    storage = defaultdict(float, storage)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    ok = len(report.by_outcome("ingested"))
    print(f"corpus: {n_docs} documents, {n_bytes / 1e6:.1f} MB (UTF-8)"
          + (f"; --cold {args.cold}: {len(text_caches(args.cold))} caches cleared after each document"
             if args.cold else ""))
    print(f"warm-up (imports, first document): {warm_s:.2f} s")
    print(f"machine speed: reference loop {ref_before * 1000:.0f} ms before, {ref_after * 1000:.0f} ms after "
          f"(lower is faster; compare runs only at similar speeds)")
    if len(runs) > 1:
        print(f"runs: {len(runs)}, times {', '.join(f'{t:.2f}' for t in times)} s; figures below are the median run")
    cpu = storage.pop("cpu")
    where = "one process, one core" if args.jobs == 1 else f"{args.jobs} extraction workers and one writer"
    print(f"ingested {ok}/{n_docs} in {elapsed:.2f} s: {ok / elapsed:.1f} documents/s, "
          f"{n_bytes / 1e6 / elapsed:.2f} MB/s ({where})")
    print(f"CPU time {cpu:.2f} s: {n_bytes / 1e6 / cpu:.2f} MB per CPU-second"
          + (" (the rest of the wall time is waiting for the disk)" if args.jobs == 1 else
             f" (all processes; {cpu / elapsed:.2f} cores busy on average)"))
    for name, s in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"  stage {name:<10} {s:7.2f} s  {n_bytes / 1e6 / s if s else float('inf'):8.2f} MB/s")
    if args.jobs > 1:
        print("  (stage times are spent in the workers and not collected; the workers were forked from this warm "
              "process, where `zhengce ingest --jobs` first warms a fork server, about 2 s once)")
    for name, s in storage.items():
        print(f"  {name:<40} {s:7.2f} s")
    if args.jobs == 1:
        other = elapsed - sum(spent.values()) - sum(storage.values())
        print(f"  {'read, hash, document model, views':<40} {other:7.2f} s")
        print(f"pipeline stages alone: {n_bytes / 1e6 / sum(spent.values()):.2f} MB/s; ingest stages "
              f"(clean, metadata, sections, tables): "
              f"{n_bytes / 1e6 / sum(spent.get(k, 0.0) for k in ('clean', 'metadata', 'sections', 'tables')):.2f} MB/s")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB" + (f"; largest worker {peak_worker_mb:.0f} MB" if args.jobs > 1 else ""))
    if report.failed:
        print(f"FAILED: {len(report.failed)}; first: {report.failed[0].error}")
    if args.keep:
        print(f"kept: {work}")
    else:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
