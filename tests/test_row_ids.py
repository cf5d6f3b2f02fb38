"""Integer row ids (pipeline/row_ids.py): each document's rows in its doc_key's range, keys never
shared between documents or reused, older text-id databases refused by name."""
import sqlite3
import subprocess
import sys

import pytest

from pipeline import row_ids
from pipeline.db_schema import ALL_TABLES
from pipeline.errors import DatabaseLayoutError
from pipeline.ingest import ingest_paths
from pipeline.nlp import Pipeline
from pipeline.readers import read_file
from pipeline.store import Store, prepare_document

SAMPLE = "003_9823cad0ae2b82be.txt"   # the largest sample: tables, task rows, mentions of both kinds
OTHER = "002_7ead9b338588c065.txt"


def _id_columns(spec) -> list[str]:
    refs = [col for col, target, _ in spec.foreign_keys if target != "documents"]
    return [spec.pk, *refs] if spec.name != "documents" else []


def test_every_row_id_is_in_its_documents_range(ingested_corpus):
    db = ingested_corpus.db
    keys = dict(db.execute("select doc_id, doc_key from documents").fetchall())
    assert len(set(keys.values())) == len(keys)
    for spec in ALL_TABLES:
        for col in _id_columns(spec):
            rows = db.execute(f"select doc_id, [{col}] from [{spec.name}] where [{col}] is not null").fetchall()
            assert rows or spec.name == "tables" or col != spec.pk, spec.name
            for doc_id, value in rows:
                assert isinstance(value, int), (spec.name, col, value)
                assert row_ids.doc_key_of(value) == keys[doc_id], (spec.name, col, value)


def test_positions_are_the_rows_own(ingested_corpus):
    db = ingested_corpus.db
    for table, pk, position in (("sections", "section_id", "section_index"), ("tasks", "task_id", "task_index"),
                                ("targets", "target_id", "position"), ("citations", "citation_id", "position"),
                                ("tables", "table_id", "table_index")):
        bad = db.execute(f"select count(*) from [{table}] where [{pk}] % ? != [{position}]",
                         [row_ids.ROWS_PER_DOCUMENT]).fetchone()[0]
        assert bad == 0, table
    # numbered in document order within each document, from 0, without gaps
    for table, pk in (("unit_mentions", "mention_id"), ("deadlines", "deadline_id"), ("table_cells", "cell_id"),
                      ("table_rows", "row_id"), ("task_rows", "task_row_id")):
        for doc_id, n, lo, hi in db.execute(
                f"select doc_id, count(*), min([{pk}] % ?), max([{pk}] % ?) from [{table}] group by doc_id",
                [row_ids.ROWS_PER_DOCUMENT] * 2):
            assert (lo, hi) == (0, n - 1), (table, doc_id)


def test_foreign_keys_hold(ingested_corpus):
    assert ingested_corpus.db.execute("pragma foreign_key_check").fetchall() == []
    # rows that name an owner in another table name one of their own document
    for table, col, other, other_pk in (("unit_mentions", "task_id", "tasks", "task_id"),
                                        ("targets", "section_id", "sections", "section_id"),
                                        ("task_rows", "table_id", "tables", "table_id"),
                                        ("tasks_search", "task_id", "tasks", "task_id")):
        mixed = ingested_corpus.db.execute(
            f"select count(*) from [{table}] a join [{other}] b on b.[{other_pk}] = a.[{col}] "
            f"where a.doc_id != b.doc_id").fetchone()[0]
        assert mixed == 0, table


def test_a_key_is_never_given_again(tmp_db, corpus_dir):
    store = Store.open(tmp_db)
    ingest_paths([corpus_dir / OTHER, corpus_dir / SAMPLE], store)
    last_key, last_doc = store.db.execute("select doc_key, doc_id from documents order by doc_key desc").fetchone()
    store.delete_document(last_doc)
    store.close()
    store = Store.open(tmp_db)                       # a later run, in a new process's Store
    ingest_paths([corpus_dir / "000_d18375a228b56b19.txt"], store)
    new_key = store.db.execute("select max(doc_key) from documents").fetchone()[0]
    assert new_key > last_key


def test_a_run_that_writes_nothing_leaves_the_counter(tmp_path, tmp_db, corpus_dir):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01" * 50)
    store = Store.open(tmp_db)
    ingest_paths([corpus_dir / OTHER, bad], store)
    state = store.db.execute("select * from pipeline_state order by key").fetchall()
    again = ingest_paths([corpus_dir / OTHER, bad], store)      # unchanged + failed: no key is kept
    assert [r.outcome for r in again.results] == ["unchanged", "failed"]
    assert store.db.execute("select * from pipeline_state order by key").fetchall() == state


def test_two_writers_never_share_a_key(tmp_db, corpus_dir):
    """Two ingests into one database: both hand out the same next key; the second to write moves its
    document to a fresh key, every id column with it."""
    pipeline = Pipeline()
    first, second = Store.open(tmp_db), Store.open(tmp_db)
    docs = [pipeline(read_file(corpus_dir / name, (corpus_dir / name).read_bytes())) for name in (OTHER, SAMPLE)]
    key_a, key_b = first.reserve_doc_key(), second.reserve_doc_key()
    assert key_a == key_b
    first.write_prepared(prepare_document(docs[0], key_a))
    second.write_prepared(prepare_document(docs[1], key_b))
    db = first.db
    keys = dict(db.execute("select doc_id, doc_key from documents").fetchall())
    assert keys[docs[0].doc_id] == key_a and keys[docs[1].doc_id] > key_a
    assert db.execute("pragma foreign_key_check").fetchall() == []
    for spec in ALL_TABLES:
        for col in _id_columns(spec):
            for doc_id, value in db.execute(f"select doc_id, [{col}] from [{spec.name}] where [{col}] is not null"):
                assert row_ids.doc_key_of(value) == keys[doc_id], (spec.name, col)
    for table, col in (("tasks_search", "task_id"), ("target_keys", "target_id"), ("task_sectors", "task_id")):
        owner = "targets" if col == "target_id" else "tasks"
        orphans = db.execute(f"select count(*) from [{table}] where [{col}] not in (select [{col}] from [{owner}])")
        assert orphans.fetchone()[0] == 0, table
    # the moved document is whole: as many rows as the same plan written alone
    alone = Store.open(":memory:")
    alone.write_document(docs[1])
    for spec in ALL_TABLES:
        assert first.count(spec.name, docs[1].doc_id) == alone.count(spec.name, docs[1].doc_id), spec.name
    # the first store's next key is the one the second took: its next document moves on as well
    third = pipeline(read_file(corpus_dir / "000_d18375a228b56b19.txt",
                               (corpus_dir / "000_d18375a228b56b19.txt").read_bytes()))
    first.write_prepared(prepare_document(third, first.reserve_doc_key()))
    stored = [k for (k,) in db.execute("select doc_key from documents")]
    assert len(stored) == len(set(stored)) == 3
    assert db.execute("pragma foreign_key_check").fetchall() == []


def test_a_plan_too_large_for_its_range_fails_by_name(tmp_db, corpus_dir, monkeypatch):
    monkeypatch.setattr(row_ids, "ROWS_PER_DOCUMENT", 200)   # 003 has hundreds of mentions
    store = Store.open(tmp_db)
    report = ingest_paths([corpus_dir / SAMPLE], store)
    (result,) = report.results
    assert result.outcome == "failed" and result.error.startswith("[E012]")
    assert "rows in table table_cells, more than the 199" in result.error
    assert store.count("documents") == 0


def _schema_1_database(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("create table documents (doc_id text primary key, path text, text text)")
    conn.commit()
    conn.close()
    return path


def test_a_database_with_text_ids_is_refused(tmp_path):
    path = _schema_1_database(tmp_path)
    with pytest.raises(DatabaseLayoutError) as err:
        Store.open(path)
    assert str(err.value).startswith("[E013]") and "old.db" in str(err.value)


@pytest.mark.parametrize("verb", [["ingest", "CORPUS"], ["export", "--format", "json", "--out", "OUT"],
                                  ["search", "节水"], ["report", "000"], ["compare", "workload"]])
def test_every_verb_refuses_it_in_one_line(tmp_path, corpus_dir, verb):
    path = _schema_1_database(tmp_path)
    before = path.read_bytes()
    args = [a.replace("CORPUS", str(corpus_dir)).replace("OUT", str(tmp_path / "out")) for a in verb]
    # pipeline.cli.main is the console script `zhengce`
    done = subprocess.run([sys.executable, "-c", "import sys; from pipeline.cli import main; sys.argv[0] = 'zhengce'; main()",
                           *args, "--db", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().startswith("[E013]") and "Traceback" not in done.stderr
    assert path.read_bytes() == before
