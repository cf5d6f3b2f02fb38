"""`ingest --jobs`: extraction in worker processes gives the database a serial run gives, keeps
the batch's error handling, and survives a worker that dies."""
import os
import shutil
import sqlite3

import pytest

from pipeline import parallel
from pipeline.ingest import ingest_paths
from pipeline.store import Store
from tests.conftest import CORPUS


def _table_rows(db_path) -> dict[str, list[tuple]]:
    """Every row of every table (the FTS internals aside), in rowid order, without the ingest time."""
    conn = sqlite3.connect(db_path)
    out = {}
    for (table,) in conn.execute("select name from sqlite_master where type = 'table' "
                                 "and name not like 'tasks_search_fts%' order by name"):
        cols = [r[1] for r in conn.execute(f"pragma table_info([{table}])") if r[1] != "ingested_at"]
        out[table] = conn.execute(f"select {', '.join(f'[{c}]' for c in cols)} from [{table}] order by rowid").fetchall()
    conn.close()
    return out


@pytest.fixture
def batch(tmp_path):
    """The sample plans, a copy of one under another name, and two files that must fail."""
    folder = tmp_path / "batch"
    shutil.copytree(CORPUS, folder)
    first = sorted(folder.glob("*.txt"))[0]
    shutil.copy(first, folder / "zz_copy_of_first.txt")
    (folder / "broken.txt").write_bytes(b"")
    (folder / "notes.xyz").write_text("not a plan", encoding="utf-8")
    return folder


def _ingest(folder, db_path, jobs):
    store = Store.open(db_path)
    try:
        return ingest_paths([folder], store, jobs=jobs)
    finally:
        store.close()


def test_workers_write_what_a_serial_run_writes(tmp_path, batch):
    serial = _ingest(batch, tmp_path / "serial.db", jobs=1)
    workers = _ingest(batch, tmp_path / "workers.db", jobs=2)
    assert [(r.path.name, r.outcome, r.error) for r in workers.results] == \
           [(r.path.name, r.outcome, r.error) for r in serial.results]
    outcomes = {r.path.name: r.outcome for r in workers.results}
    assert outcomes["broken.txt"] == outcomes["notes.xyz"] == "failed"
    assert outcomes["zz_copy_of_first.txt"] == "unchanged"
    assert sum(o == "ingested" for o in outcomes.values()) == len(list(CORPUS.glob("*.txt")))
    a, b = _table_rows(tmp_path / "serial.db"), _table_rows(tmp_path / "workers.db")
    assert a.keys() == b.keys()
    for table in a:
        assert a[table] == b[table], table
    # and the search index holds the same tasks
    conn = sqlite3.connect(tmp_path / "workers.db")
    from pipeline import search
    assert {h.task_id for h in search.search(conn, "节水", limit=None)} == \
           {r[0] for r in conn.execute("select task_id from tasks where instr(text, '节水') > 0")}
    conn.close()


def test_a_second_parallel_run_is_a_no_op(tmp_path, batch):
    db = tmp_path / "db.sqlite"
    _ingest(batch, db, jobs=2)
    before = _table_rows(db)
    again = _ingest(batch, db, jobs=2)
    assert {r.outcome for r in again.results if r.path.suffix == ".txt" and r.path.name != "broken.txt"} == {"unchanged"}
    assert _table_rows(db) == before


def _die_on_the_killer(path, data, pipeline, doc_key):
    # Runs in a forked worker: a crash no Python handler can catch.
    if path.name == "a_killer.txt":
        os._exit(3)
    return _real_extract(path, data, pipeline, doc_key)


_real_extract = None


def test_a_dying_worker_fails_its_files_and_the_batch_goes_on(tmp_path, monkeypatch):
    global _real_extract
    import pipeline.ingest as ingest

    folder = tmp_path / "plans"
    folder.mkdir()
    samples = sorted(CORPUS.glob("*.txt"))
    shutil.copy(samples[0], folder / "a_killer.txt")
    # More files than are ever in flight, so that some are sent only after the pool died.
    n = 2 * 2 * parallel.IN_FLIGHT_PER_WORKER
    for i in range(n):
        text = samples[i % len(samples)].read_text(encoding="utf-8") + f"\n（副本{i}）\n"
        (folder / f"b_copy_{i:02d}.txt").write_text(text, encoding="utf-8")
    _real_extract = ingest.extract
    # fork (not forkserver) so that the workers inherit the patched extract
    monkeypatch.setattr(parallel, "START_METHOD", "fork")
    monkeypatch.setattr(ingest, "extract", _die_on_the_killer)
    report = _ingest(folder, tmp_path / "db.sqlite", jobs=2)
    # Only the file that kills its worker fails; the others in flight with it are tried again.
    failed = {r.path.name: r.error for r in report.failed}
    assert list(failed) == ["a_killer.txt"] and failed["a_killer.txt"].startswith("[E011]")
    ingested = {r.path.name for r in report.results if r.outcome == "ingested"}
    assert ingested == {f"b_copy_{i:02d}.txt" for i in range(n)}
    conn = sqlite3.connect(tmp_path / "db.sqlite")
    stored = {r[0] for r in conn.execute("select file_name from documents")}
    conn.close()
    assert stored == ingested
