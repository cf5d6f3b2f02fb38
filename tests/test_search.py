"""Chinese full-text search over tasks (pipeline/search.py): exact substring semantics, word mode,
and the index kept in step with the store."""
import sqlite3

import pytest

from pipeline import search
from pipeline.ingest import ingest_paths
from pipeline.nlp import Pipeline
from pipeline.readers import read_file
from pipeline.store import Store

# An invented plan: nothing here comes from a real document.
INVENTED_PLAN = """某县2025年河湖长制工作要点

为深入推进河湖治理，现制定本工作要点。

一、重点任务
（一）全面落实河长制。健全县乡村三级河长制组织体系，年底前完成河长制公示牌更新。（牵头单位：县水利局；配合单位：各乡镇人民政府）
（二）推进再生水利用。新建再生水管网5公里，到2025年再生水利用率达到25%以上。（牵头单位：县住建局）
（三）加强河道巡查。落实河长巡河制度，调节水量保障生态流量。（牵头单位：县水利局）
（四）开展节水宣传。组织节水进社区活动，节，水资源保护宣传全覆盖。（责任单位：县委宣传部）

二、保障措施
（一）强化组织领导。各乡镇要高度重视河湖长制工作。
"""


def containing(db, term: str) -> set[str]:
    return {r[0] for r in db.execute("select task_id from tasks where instr(text, ?) > 0", [term])}


@pytest.fixture(scope="module")
def invented(tmp_path_factory):
    folder = tmp_path_factory.mktemp("invented")
    (folder / "某县河湖长制工作要点.txt").write_text(INVENTED_PLAN, encoding="utf-8")
    store = Store.open(":memory:")
    assert ingest_paths([folder], store).ok
    yield store
    store.close()


def titles(hits) -> set[str]:
    return {h.title for h in hits}


@pytest.mark.parametrize("term", ["节水", "漏损", "再生水", "管网", "节水型", "水资源", "2025"])
def test_sample_corpus_hits_are_exactly_the_tasks_containing_the_term(ingested_corpus, term):
    db = ingested_corpus.db
    expected = containing(db, term)
    assert expected, f"the sample corpus should contain {term}"
    hits = search.search(db, term, limit=None)
    assert {h.task_id for h in hits} == expected
    assert len(hits) == len(expected)


def test_river_chief_system_on_an_invented_plan(invented):
    db = invented.db
    hits = search.search(db, "河长制")
    assert titles(hits) == {"全面落实河长制"}
    assert {h.task_id for h in hits} == containing(db, "河长制")
    assert "【河长制】" in hits[0].snippet("河长制")


@pytest.mark.parametrize("query, expected", [
    ("河长制", {"全面落实河长制"}),
    ("再生水", {"推进再生水利用"}),
    ("节水", {"开展节水宣传", "加强河道巡查"}),    # 调节水量 contains the characters 节水
    ("再生水 管网", {"推进再生水利用"}),           # every term must occur
    ("再生水 河长制", set()),
    ('"再生水利用率"', {"推进再生水利用"}),
    ("节，水", {"开展节水宣传"}),                  # punctuation in a term must be in the text too
    ("节水，", {"开展节水宣传", "加强河道巡查"}),   # punctuation at a term's ends means nothing
    ("河湖长制", {"强化组织领导"}),
    ("25%", {"推进再生水利用"}),
    ("", set()),
    ("，。", set()),
    ('"', set()),
])
def test_substring_queries(invented, query, expected):
    assert titles(search.search(invented.db, query)) == expected


def test_a_phrase_never_matches_across_punctuation(invented):
    # 节，水资源 holds 节 and 水 next to each other only across a comma.
    hits = search.search(invented.db, "节水资源")
    assert hits == []


@pytest.mark.parametrize("query, expected", [
    ("节水", {"开展节水宣传"}),        # jieba reads 调节水量 as 调节/水量: no word 节水 there
    ("河长制", {"全面落实河长制"}),    # not in jieba's dictionary: matched as its pieces 河/长/制 in a row
    ("调节水", set()),
])
def test_word_mode(invented, query, expected):
    assert titles(search.search(invented.db, query, words=True)) == expected


def test_jurisdiction_filter(ingested_corpus):
    db = ingested_corpus.db
    everywhere = search.search(db, "节水", limit=None)
    jurisdictions = {h.jurisdiction for h in everywhere}
    assert len(jurisdictions) > 1
    one = sorted(jurisdictions)[0]
    local = search.search(db, "节水", jurisdiction=one, limit=None)
    assert local and {h.jurisdiction for h in local} == {one}
    assert {h.task_id for h in local} == {h.task_id for h in everywhere if h.jurisdiction == one}


def test_limit_and_ranking_order(ingested_corpus):
    hits = search.search(ingested_corpus.db, "节水", limit=5)
    assert len(hits) == 5
    assert [h.rank for h in hits] == sorted(h.rank for h in hits)


@pytest.mark.parametrize("text, tokens", [
    ("节水", ["节", "水"]),
    ("节，水", ["节", search.BREAK, "水"]),
    ("节 ，  水", ["节", search.BREAK, "水"]),
    ("COD排放", ["C", "O", "D", "排", "放"]),
    ("１０．５％", ["1", "0", search.BREAK, "5", search.BREAK]),   # full-width forms folded (NFKC)
])
def test_char_tokens(text, tokens):
    assert search.char_tokens(text) == tokens


@pytest.mark.parametrize("text", ["推进10.15万亩，“COD”排放", "㎡、℃及①项", "水\u3000资源"])
def test_fts_tokenizer_keeps_each_char_token_whole(text):
    # The index relies on FTS5's unicode61 reading each of our tokens as exactly one token.
    conn = sqlite3.connect(":memory:")
    conn.execute("create virtual table f using fts5(x)")
    conn.execute("insert into f values (?)", [" ".join(search.char_tokens(text))])
    conn.execute("create virtual table v using fts5vocab(f, 'instance')")
    stored = [r[0] for r in conn.execute("select term from v order by offset")]
    assert stored == [t.lower() for t in search.char_tokens(text)]


def test_store_keeps_the_index_in_step(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    plan = folder / "某县河湖长制工作要点.txt"
    plan.write_text(INVENTED_PLAN, encoding="utf-8")
    store = Store.open(tmp_path / "db.sqlite")
    try:
        assert ingest_paths([folder], store).ok
        assert titles(search.search(store.db, "河长制")) == {"全面落实河长制"}
        # A new version of the same path replaces the old entries.
        plan.write_text(INVENTED_PLAN.replace("河长制", "河长责任制"), encoding="utf-8")
        assert ingest_paths([folder], store).ok
        assert search.search(store.db, "河长制") == []
        assert titles(search.search(store.db, "河长责任")) == {"全面落实河长责任制"}
        n_tasks = store.count("tasks")
        assert store.count(search.SEARCH_TABLE) == n_tasks
        # Deleting the document empties the shadow table and the FTS index.
        (doc_id,) = store.document_ids()
        store.delete_document(doc_id)
        assert store.count(search.SEARCH_TABLE) == 0
        assert store.db.execute(f"select count(*) from {search.FTS_TABLE} where {search.FTS_TABLE} match ?",
                                [search.query_expression("河长")]).fetchone()[0] == 0
    finally:
        store.close()


def _fts_is_consistent(db) -> bool:
    # FTS5's integrity-check compares an external-content index with its content table.
    try:
        db.execute(f"insert into {search.FTS_TABLE} ({search.FTS_TABLE}) values ('integrity-check')")
        return True
    except sqlite3.DatabaseError:
        return False


def _plan_folder(tmp_path, name: str, text: str):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "某县河湖长制工作要点.txt").write_text(text, encoding="utf-8")
    return folder


def test_tasks_join_the_index_at_the_end_of_the_batch(tmp_path):
    store = Store.open(tmp_path / "db.sqlite")
    try:
        assert ingest_paths([_plan_folder(tmp_path, "a", INVENTED_PLAN)], store).ok
        assert not search.has_pending(store.db)
        assert titles(search.search(store.db, "河长制")) == {"全面落实河长制"}
        assert _fts_is_consistent(store.db.conn)
    finally:
        store.close()


@pytest.mark.parametrize("reopen", ["ingest", "serve"])
def test_a_batch_that_dies_before_indexing_is_indexed_at_the_next_open(tmp_path, monkeypatch, reopen):
    path = tmp_path / "db.sqlite"
    store = Store.open(path)
    # The run dies after its documents were written, before the batch's index statement.
    monkeypatch.setattr(Store, "index_pending", lambda self: 0)
    assert ingest_paths([_plan_folder(tmp_path, "a", INVENTED_PLAN)], store).ok
    store.db.close()
    monkeypatch.undo()
    raw = sqlite3.connect(path)
    assert search.has_pending(raw)
    assert search.search(raw, "河长制") == []  # written, not yet in the index
    raw.close()
    if reopen == "serve":
        from pipeline.serve import prepare_database
        prepare_database(path)
        raw = sqlite3.connect(path)
        assert not search.has_pending(raw)
        assert titles(search.search(raw, "河长制")) == {"全面落实河长制"}
        raw.close()
    store = Store.open(path)
    try:
        assert not search.has_pending(store.db)
        assert titles(search.search(store.db, "河长制")) == {"全面落实河长制"}
        assert _fts_is_consistent(store.db.conn)
    finally:
        store.close()


def test_replacing_a_document_before_and_after_indexing_keeps_the_index_exact(tmp_path):
    store = Store.open(tmp_path / "db.sqlite")
    plan = _plan_folder(tmp_path, "a", INVENTED_PLAN)
    file = next(plan.iterdir())
    try:
        assert ingest_paths([plan], store).ok  # indexed
        # Replaced twice within one batch of writes: the first replacement's rows are deleted before
        # they were ever indexed, which must not send a 'delete' for them to the index.
        for version in ("河长责任制", "河长工作制"):
            file.write_text(INVENTED_PLAN.replace("河长制", version), encoding="utf-8")
            store.write_document(Pipeline()(read_file(file, file.read_bytes())))
        assert _fts_is_consistent(store.db.conn)
        assert store.index_pending() == store.count("tasks")
        assert search.search(store.db, "河长制") == []
        assert search.search(store.db, "河长责任") == []
        assert titles(search.search(store.db, "河长工作")) == {"全面落实河长工作制"}
        # Rowids of deleted rows may be reused by the next document's rows; they are indexed too.
        (doc_id,) = store.document_ids()
        store.delete_document(doc_id)
        assert ingest_paths([_plan_folder(tmp_path, "b", INVENTED_PLAN)], store).ok
        assert titles(search.search(store.db, "河长制")) == {"全面落实河长制"}
        assert search.search(store.db, "河长工作") == []
        assert _fts_is_consistent(store.db.conn)
    finally:
        store.close()


def _copy_of(store, tmp_path) -> sqlite3.Connection:
    path = tmp_path / "old.db"
    store.db.conn.execute(f"vacuum into '{path}'")
    return sqlite3.connect(path)


def test_a_database_with_the_per_document_trigger_gets_the_guarded_one(tmp_path, ingested_corpus):
    conn = _copy_of(ingested_corpus, tmp_path)
    with conn:
        conn.execute(f"drop trigger {search.SEARCH_TABLE}_ad")
        conn.execute(f"create trigger {search.SEARCH_TABLE}_ad after delete on {search.SEARCH_TABLE} begin "
                     f"insert into {search.FTS_TABLE} ({search.FTS_TABLE}, rowid, segmented, chars) "
                     f"values ('delete', old.search_id, old.segmented, old.chars); end")
    with conn:
        search.ensure_search_schema(conn)
    (sql,) = conn.execute("select sql from sqlite_master where name = ?", [f"{search.SEARCH_TABLE}_ad"]).fetchone()
    assert "WHEN EXISTS" in sql
    conn.close()


def test_a_database_without_the_index_is_backfilled(tmp_path, ingested_corpus):
    # Simulate a database written before search existed: drop the index, then open it again.
    conn = _copy_of(ingested_corpus, tmp_path)
    with conn:
        conn.execute(f"drop trigger {search.SEARCH_TABLE}_ad")
        conn.execute(f"drop table {search.FTS_TABLE}")
        conn.execute(f"drop table {search.SEARCH_TABLE}")
    with conn:
        search.ensure_search_schema(conn)
    assert {h.task_id for h in search.search(conn, "节水", limit=None)} == containing(conn, "节水")
    conn.close()


def test_fold_indexes_plan_text_as_nfkc_would():
    # fold() stands in for unicodedata.normalize("NFKC") for speed: on real plan text the tokens
    # both indexes keep must be the same.
    import unicodedata

    from tests.conftest import CORPUS

    def tokens(normalised: str) -> tuple[list[str], list[str]]:
        words = [w for w in search._word_string(normalised).split() if not search._is_separator(w)]
        return words, search._char_string(normalised).split(" ")

    for f in sorted(CORPUS.glob("*.txt")):
        for para in f.read_text(encoding="utf-8").split("\n"):
            assert tokens(search.fold(para)) == tokens(unicodedata.normalize("NFKC", para)), para
    assert search.fold("ＣＯＤ排放２．５％，１０㎡，①") == "COD排放2.5%，10m2，1"
    assert search.fold("推进农业节水，") == "推进农业节水，"
