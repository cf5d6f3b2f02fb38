"""Storage: identity by hash, atomic replacement, one transaction per document."""
import json
import shutil
import subprocess
import sys
import textwrap

import pytest

from pipeline.db_schema import ALL_TABLES
from pipeline.ingest import ingest_paths
from pipeline.store import Store

SAMPLE = "002_7ead9b338588c065.txt"


def snapshot(store: Store) -> dict:
    """Every row of every table, as comparable data."""
    return {spec.name: sorted(map(tuple, store.db.execute(f"select * from [{spec.name}]").fetchall()), key=repr)
            for spec in ALL_TABLES}


def rows_for(store: Store, doc_id: str) -> dict[str, int]:
    return {spec.name: store.count(spec.name, doc_id) for spec in ALL_TABLES}


def test_schema_has_keys_and_indexes(tmp_db):
    store = Store.open(tmp_db)
    fks = {(fk.table, fk.column, fk.other_table) for t in store.db.tables for fk in t.foreign_keys}
    assert ("sections", "doc_id", "documents") in fks
    assert ("sections", "parent_id", "sections") in fks
    assert ("table_cells", "table_id", "tables") in fks
    assert store.db["documents"].pks == ["doc_id"]
    index_cols = {tuple(i.columns) for i in store.db["sections"].indexes}
    assert ("doc_id", "section_index") in index_cols
    assert any(i.unique and i.columns == ["path"] for i in store.db["documents"].indexes)
    # half of all mentions have no task (they are a table row's), half no row: indexed where set,
    # and lookups by either still use the index
    sparse = dict(store.db.execute("select name, sql from sqlite_master where tbl_name = 'unit_mentions' "
                                   "and type = 'index' and sql like '%is not null'").fetchall())
    assert set(sparse) == {"idx_unit_mentions_task_id", "idx_unit_mentions_task_row_id"}
    for col in ("task_id", "task_row_id"):
        plan = " ".join(r[3] for r in store.db.execute(
            f"explain query plan select * from unit_mentions where {col} = ?", ["x"]))
        assert f"idx_unit_mentions_{col}" in plan


def test_reingest_is_a_no_op(tmp_db, corpus_dir):
    store = Store.open(tmp_db)
    first = ingest_paths([corpus_dir], store)
    assert [r.outcome for r in first.results] == ["ingested"] * 5
    before = snapshot(store)
    second = ingest_paths([corpus_dir], store)
    assert [r.outcome for r in second.results] == ["unchanged"] * 5
    assert snapshot(store) == before          # not even ingested_at changed


def test_changed_file_replaces_old_version(tmp_path, tmp_db, corpus_dir):
    plan = tmp_path / "plans" / SAMPLE
    plan.parent.mkdir()
    shutil.copy(corpus_dir / SAMPLE, plan)
    store = Store.open(tmp_db)
    old_id = ingest_paths([plan], store).results[0].doc_id
    plan.write_text(plan.read_text(encoding="utf-8") + "\n附件3\n新增的一行。\n", encoding="utf-8")
    result = ingest_paths([plan], store).results[0]
    assert result.outcome == "replaced"
    assert result.doc_id != old_id
    assert store.document_ids() == [result.doc_id]
    assert all(n == 0 for n in rows_for(store, old_id).values())
    assert rows_for(store, result.doc_id)["sections"] > 0


class Boom(RuntimeError):
    pass


@pytest.mark.parametrize("fail_after", ["documents", "sections", "tables", "table_cells"])
def test_exception_between_writes_leaves_no_trace(tmp_path, tmp_db, corpus_dir, fail_after):
    plan = tmp_path / SAMPLE
    shutil.copy(corpus_dir / SAMPLE, plan)
    store = Store.open(tmp_db)

    def hook(table: str) -> None:
        if table == fail_after:
            raise Boom(table)

    report = ingest_paths([plan], store, fault_hook=hook)
    assert report.results[0].outcome == "failed" and "Boom" in report.results[0].error
    assert all(store.count(spec.name) == 0 for spec in ALL_TABLES)


def test_failed_replacement_keeps_previous_version(tmp_path, tmp_db, corpus_dir):
    plan = tmp_path / SAMPLE
    shutil.copy(corpus_dir / SAMPLE, plan)
    store = Store.open(tmp_db)
    ingest_paths([plan], store)
    before = snapshot(store)
    plan.write_text(plan.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")

    def hook(table: str) -> None:
        if table == "sections":
            raise Boom(table)

    assert ingest_paths([plan], store, fault_hook=hook).results[0].outcome == "failed"
    assert snapshot(store) == before


def test_hard_kill_mid_write_leaves_database_without_the_document(tmp_path, corpus_dir):
    """The process dies (os._exit, no cleanup) after some tables of a document were written."""
    db = tmp_path / "killed.db"
    plan = tmp_path / SAMPLE
    shutil.copy(corpus_dir / SAMPLE, plan)
    script = textwrap.dedent(f"""
        import os
        from pipeline.ingest import ingest_paths
        from pipeline.store import Store
        store = Store.open({str(db)!r})
        def hook(table):
            if table == "sections":
                os._exit(9)
        ingest_paths([{str(plan)!r}], store, fault_hook=hook)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 9, proc.stderr
    store = Store.open(db)
    assert all(store.count(spec.name) == 0 for spec in ALL_TABLES)
    # and the database is usable: the same file now ingests cleanly
    assert ingest_paths([plan], store).results[0].outcome == "ingested"


def _records(store: Store) -> dict:
    """A document's records without what legitimately differs between encodings."""
    doc_id = store.document_ids()[0]
    doc = store.db.execute(
        "select title, jurisdiction, province, prefecture, admin_level, issuer, doc_number, date, status, "
        "base_year, meta_spans, text, original_text from documents").fetchone()
    out = {"documents": doc}
    for spec in ALL_TABLES[1:]:
        cols = [c for c in spec.columns if c not in ("doc_id",) and not c.endswith("_id")]
        rows = store.db.execute(f"select {', '.join(cols)} from [{spec.name}] order by 1, 2").fetchall()
        out[spec.name] = [tuple(r) for r in rows]
    return json.loads(json.dumps(out, ensure_ascii=False, default=str).replace(doc_id, "DOC"))


@pytest.mark.parametrize("sample", ["003_9823cad0ae2b82be.txt", "000_d18375a228b56b19.txt"])
def test_gb18030_and_utf16_yield_identical_records(tmp_path, corpus_dir, sample):
    text = (corpus_dir / sample).read_text(encoding="utf-8")
    results = {}
    for enc in ("utf-8", "gb18030", "utf-16"):
        folder = tmp_path / enc
        folder.mkdir()
        (folder / sample).write_bytes(text.encode(enc))
        store = Store.open(tmp_path / f"{enc}.db")
        report = ingest_paths([folder], store)
        assert report.ok, report.failed
        enc_seen = store.db.execute("select encoding from documents").fetchone()[0]
        assert enc_seen == {"utf-8": "utf-8", "gb18030": "gb18030", "utf-16": "utf-16"}[enc]
        results[enc] = _records(store)
    assert results["gb18030"] == results["utf-8"]
    assert results["utf-16"] == results["utf-8"]


def test_database_error_is_reported_and_rolled_back(tmp_path, tmp_db, corpus_dir):
    import sqlite3

    plan = tmp_path / SAMPLE
    shutil.copy(corpus_dir / SAMPLE, plan)
    store = Store.open(tmp_db)

    def hook(table: str) -> None:
        if table == "tasks":
            raise sqlite3.OperationalError("disk I/O error")

    result = ingest_paths([plan], store, fault_hook=hook).results[0]
    assert result.outcome == "failed" and result.error.startswith("[E010]") and "disk I/O error" in result.error
    assert all(store.count(spec.name) == 0 for spec in ALL_TABLES)


def test_text_that_cleans_to_nothing_is_an_error(tmp_path, tmp_db):
    (tmp_path / "blank.txt").write_text("\ufeff\u200b\n[bookmark: _GoBack]\n", encoding="utf-8")
    result = ingest_paths([tmp_path / "blank.txt"], Store.open(tmp_db)).results[0]
    assert result.outcome == "failed" and "[E005]" in result.error


def test_sections_store_their_own_text_and_the_view_gives_the_whole(ingested_corpus):
    # sections.text holds a section's own text (up to its first subsection); v_sections.full_text
    # is the whole section cut from documents.text by its span, descendants included.
    from pipeline.nlp import Pipeline
    from pipeline.readers import read_file
    from pipeline.views import ensure_views

    db = ingested_corpus.db
    ensure_views(db)
    from tests.conftest import CORPUS

    path = sorted(CORPUS.glob("*.txt"))[0]
    doc = Pipeline()(read_file(path, path.read_bytes()))
    stored = {r[0]: r[1:] for r in db.execute(
        "select section_index, own_text, full_text, parent_id from v_sections where doc_id = ?", [doc.doc_id])}
    assert len(stored) == len(doc.sections)
    parents = {s.parent for s in doc.sections if s.parent is not None}
    for s in doc.sections:
        own, full, _ = stored[s.index]
        assert full == s.text, s.path
        assert full.startswith(own)
        if s.index in parents:
            first_child = min(c.span.start for c in doc.sections if c.parent == s.index)
            assert len(own) == first_child - s.span.start
        else:
            assert own == full
    # no character of the plan is in two sections' own texts (text between a section's children,
    # such as the list of appendices after the last task, is in the parent's full_text only)
    owner = [0] * len(doc.text)
    for s in doc.sections:
        for i in range(s.span.start, s.span.start + len(stored[s.index][0])):
            owner[i] += 1
    assert max(owner) == 1
