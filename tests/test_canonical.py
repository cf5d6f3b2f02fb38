"""pipeline/canonical.py on the sample corpus: every mention linked to a canonical unit, and a
researcher's corrections file changing the result on the next (re-)ingest."""
import json
import shutil

import pytest
from typer.testing import CliRunner

from pipeline.canonical import CorrectionsError, load_corrections, resolve_units, unit_id
from pipeline.cli import app
from pipeline.ingest import ingest_paths
from pipeline.store import Store
from tests.conftest import GOLD, gold_files

# (sample, name as the plan writes it, canonical unit, level, collective): the prefix and
# abbreviation cases of all five samples. Every written name here is a gold unit name.
EXPECTED = [
    ("000_d18375a228b56b19", "区水务局", "甘州区水务局", "县", 0),
    ("000_d18375a228b56b19", "区住建局", "甘州区住房和城乡建设局", "县", 0),
    ("000_d18375a228b56b19", "区发展改革局", "甘州区发展和改革局", "县", 0),
    ("000_d18375a228b56b19", "区市场监管局", "甘州区市场监督管理局", "县", 0),
    ("000_d18375a228b56b19", "区文体广电旅游局", "甘州区文化体育广电和旅游局", "县", 0),
    ("000_d18375a228b56b19", "区委办公室", "甘州区委办公室", "县", 0),
    ("000_d18375a228b56b19", "区政府办公室", "甘州区人民政府办公室", "县", 0),
    ("000_d18375a228b56b19", "各乡镇人民政府", "甘州区各乡镇人民政府", "乡镇", 1),
    ("000_d18375a228b56b19", "街道办事处", "甘州区各街道办事处", "乡镇", 1),
    ("000_d18375a228b56b19", "各街道办事处", "甘州区各街道办事处", "乡镇", 1),
    ("000_d18375a228b56b19", "区属各部门", "甘州区属各部门", "县", 1),
    ("000_d18375a228b56b19", "张掖市自然资源局甘州分局", "张掖市自然资源局甘州分局", "县", 0),
    ("001_95467a027dd3b25b", "市发展改革委", "张掖市发展和改革委员会", "市", 0),
    ("001_95467a027dd3b25b", "市工信局", "张掖市工业和信息化局", "市", 0),
    ("001_95467a027dd3b25b", "市市场监管局", "张掖市市场监督管理局", "市", 0),
    ("001_95467a027dd3b25b", "各县区人民政府", "张掖市各县区人民政府", "县", 1),
    ("001_95467a027dd3b25b", "张掖经开区管委会", "张掖经开区管委会", None, 0),
    ("002_7ead9b338588c065", "区住房城乡建委", "綦江区住房和城乡建设委员会", "县", 0),
    ("002_7ead9b338588c065", "区住房城乡建设委员会", "綦江区住房和城乡建设委员会", "县", 0),
    ("002_7ead9b338588c065", "团区委", "共青团綦江区委员会", "县", 0),
    ("002_7ead9b338588c065", "区团委", "共青团綦江区委员会", "县", 0),
    ("002_7ead9b338588c065", "区经济信息委", "綦江区经济和信息化委员会", "县", 0),
    ("002_7ead9b338588c065", "区教委", "綦江区教育委员会", "县", 0),
    ("002_7ead9b338588c065", "区级有关部门", "綦江区级有关部门", "县", 1),
    ("003_9823cad0ae2b82be", "市发改委", "昌吉市发展和改革委员会", "县", 0),
    ("003_9823cad0ae2b82be", "市商务和工信局", "昌吉市商务和工业和信息化局", "县", 0),
    ("003_9823cad0ae2b82be", "市市场监督管理局", "昌吉市市场监督管理局", "县", 0),
    ("003_9823cad0ae2b82be", "市绩效办", "昌吉市绩效管理办公室", "县", 0),
    ("003_9823cad0ae2b82be", "市委宣传部", "昌吉市委宣传部", "县", 0),
    ("003_9823cad0ae2b82be", "州生态环境局昌吉市分局", "州生态环境局昌吉市分局", "县", 0),
    ("003_9823cad0ae2b82be", "各乡镇", "昌吉市各乡镇人民政府", "乡镇", 1),
    ("003_9823cad0ae2b82be", "市税务局", "国家税务总局昌吉市税务局", "县", 0),
    ("004_c0d36fa321cfe27d", "县发改委", "固阳县发展和改革委员会", "县", 0),
    ("004_c0d36fa321cfe27d", "发改委", "固阳县发展和改革委员会", "县", 0),     # unprefixed list
    ("004_c0d36fa321cfe27d", "住建局", "固阳县住房和城乡建设局", "县", 0),
    ("004_c0d36fa321cfe27d", "县林草局", "固阳县林业和草原局", "县", 0),
    ("004_c0d36fa321cfe27d", "县农牧局", "固阳县农牧局", "县", 0),
    ("004_c0d36fa321cfe27d", "县交通局", "固阳县交通运输局", "县", 0),
    ("004_c0d36fa321cfe27d", "县金融办", "固阳县金融工作办公室", "县", 0),
    ("004_c0d36fa321cfe27d", "固盛供水公司", "固盛供水公司", None, 0),
]


def _gold_names(stem: str) -> set[str]:
    g = json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))
    return {u["name"] for item in g["tasks"] + g["table_rows"] for role in ("lead", "support") for u in item[role]}


def test_expected_names_are_gold_names():
    for stem, written, *_ in EXPECTED:
        assert written in _gold_names(stem), (stem, written)


def _canonical_of(db, stem: str, written: str) -> set[tuple]:
    return set(db.execute("""
        select u.canonical_name, u.level, u.is_collective from unit_mentions m
        join documents d on d.doc_id = m.doc_id join mention_units mu on mu.mention_id = m.mention_id
        join units u on u.unit_id = mu.unit_id where d.stem = ? and m.name = ?""", [stem, written]).fetchall())


@pytest.mark.parametrize("stem, written, canonical, level, collective", EXPECTED)
def test_sample_units_resolve(ingested_corpus, stem, written, canonical, level, collective):
    assert _canonical_of(ingested_corpus.db, stem, written) == {(canonical, level, collective)}


def test_every_mention_of_the_samples_is_linked(ingested_corpus):
    db = ingested_corpus.db
    total, linked = db.execute("select count(*), count(unit_id) from unit_mentions").fetchone()
    assert total > 1000 and linked == total
    assert db.execute("select count(*) from mention_units").fetchone()[0] == total


def test_gold_names_of_each_sample_get_one_unit_per_canonical_name(ingested_corpus):
    # Two spellings of one body in one plan (表 vs 正文) are one unit; distinct bodies stay distinct.
    db = ingested_corpus.db
    for gf in gold_files():
        units = {row for name in _gold_names(gf.stem) for row in _canonical_of(db, gf.stem, name)}
        names = [u[0] for u in units]
        assert len(names) == len(set(names))
    assert _canonical_of(db, "002_7ead9b338588c065", "团区委") == _canonical_of(db, "002_7ead9b338588c065", "区团委")


def test_unit_ids_are_stable_and_aliases_recorded(ingested_corpus):
    db = ingested_corpus.db
    uid = db.execute("select unit_id from units where canonical_name = '甘州区水务局'").fetchone()[0]
    assert uid == unit_id("甘州区水务局")
    aliases = {a for (a,) in db.execute("select alias from unit_aliases where unit_id = ?", [uid])}
    assert {"区水务局", "甘州区水务局"} <= aliases


# -- corrections --------------------------------------------------------------------------------
@pytest.fixture
def corpus_db(tmp_path, corpus_dir):
    db_path = tmp_path / "c.db"
    store = Store.open(db_path)
    assert ingest_paths([corpus_dir], store).ok
    store.close()
    return db_path


def test_corrections_change_the_result_on_re_ingest(tmp_path, corpus_dir, corpus_db):
    runner = CliRunner()
    store = Store.open(corpus_db)
    assert _canonical_of(store.db, "003_9823cad0ae2b82be", "市商务和工信局") == {("昌吉市商务和工业和信息化局", "县", 0)}
    store.close()
    fixes = tmp_path / "fixes.tsv"
    fixes.write_text("alias\tcanonical\tjurisdiction\n"
                     "# the bureau's official name\n"
                     "市商务和工信局\t昌吉市商务和工业信息化局\t昌吉市\n"
                     "其他所有成员单位\tNOT_A_UNIT\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(corpus_dir), "--db", str(corpus_db), "--corrections", str(fixes)])
    assert result.exit_code == 0, result.output
    assert "5 unchanged" in result.output
    store = Store.open(corpus_db)
    db = store.db
    assert _canonical_of(db, "003_9823cad0ae2b82be", "市商务和工信局") == {("昌吉市商务和工业信息化局", "县", 0)}
    assert not db.execute("select count(*) from units where canonical_name = '昌吉市商务和工业和信息化局'").fetchone()[0]
    assert db.execute("select count(*) from unit_mentions where name = '其他所有成员单位' and unit_id is null").fetchone()[0] == 1
    assert _canonical_of(db, "003_9823cad0ae2b82be", "其他所有成员单位") == set()
    store.close()
    # The same file, corrections removed: the computed names come back.
    result = runner.invoke(app, ["ingest", str(corpus_dir), "--db", str(corpus_db), "--corrections", str(tmp_path / "none.tsv")])
    assert result.exit_code == 2  # a named corrections file that does not exist is an error
    fixes.write_text("", encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(corpus_dir), "--db", str(corpus_db), "--corrections", str(fixes)]).exit_code == 0
    store = Store.open(corpus_db)
    assert _canonical_of(store.db, "003_9823cad0ae2b82be", "市商务和工信局") == {("昌吉市商务和工业和信息化局", "县", 0)}
    store.close()


def test_corrections_tsv_in_the_working_directory_is_the_default(tmp_path, corpus_dir, corpus_db, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    (work / "corrections.tsv").write_text("区水务局\t甘州区水务局（河长制办公室）\t甘州区\n", encoding="utf-8")
    monkeypatch.chdir(work)
    assert CliRunner().invoke(app, ["ingest", str(corpus_dir), "--db", str(corpus_db)]).exit_code == 0
    store = Store.open(corpus_db)
    assert _canonical_of(store.db, "000_d18375a228b56b19", "区水务局") == {("甘州区水务局（河长制办公室）", "县", 0)}
    store.close()


def test_a_correction_scoped_to_another_jurisdiction_does_not_apply(tmp_path, corpus_db):
    fixes = tmp_path / "f.tsv"
    fixes.write_text("区水务局\t某区水务局\t綦江区\n", encoding="utf-8")
    store = Store.open(corpus_db)
    report = resolve_units(store.db, fixes)
    assert _canonical_of(store.db, "000_d18375a228b56b19", "区水务局") == {("甘州区水务局", "县", 0)}
    assert [c.alias for c in report.corrections_unused] == ["区水务局"]
    store.close()


def test_a_re_issued_plan_keeps_its_unit_ids(tmp_path, corpus_dir):
    # Replacing a document (edited bytes, same path) rebuilds the links without orphans.
    src = tmp_path / "plans"
    src.mkdir()
    shutil.copy(corpus_dir / "004_c0d36fa321cfe27d.txt", src)
    store = Store.open(tmp_path / "r.db")
    ingest_paths([src], store)
    before = dict(store.db.execute("select canonical_name, unit_id from units").fetchall())
    f = src / "004_c0d36fa321cfe27d.txt"
    f.write_text(f.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert ingest_paths([src], store).results[0].outcome == "replaced"
    after = dict(store.db.execute("select canonical_name, unit_id from units").fetchall())
    assert after == before
    orphans = store.db.execute(
        "select count(*) from mention_units where mention_id not in (select mention_id from unit_mentions)").fetchone()[0]
    assert orphans == 0
    store.close()


@pytest.mark.parametrize("line", ["only-one-column", "a\tb\tc\td", "\tcanonical"])
def test_malformed_corrections_line_is_reported(tmp_path, line):
    f = tmp_path / "bad.tsv"
    f.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(CorrectionsError, match="bad.tsv:1"):
        load_corrections(f)


def test_cli_stops_on_a_malformed_corrections_file(tmp_path, corpus_dir):
    bad = tmp_path / "bad.tsv"
    bad.write_text("no tab here\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(corpus_dir), "--db", str(tmp_path / "z.db"), "--corrections", str(bad)])
    assert result.exit_code == 2 and "bad.tsv:1" in result.output
    assert not (tmp_path / "z.db").exists()


def test_pass_is_skipped_only_when_nothing_it_reads_changed(tmp_path, corpus_dir):
    from pipeline.ingest import ingest_paths
    from pipeline.store import Store

    store = Store.open(tmp_path / "skip.db")
    plan = corpus_dir / "002_7ead9b338588c065.txt"
    assert not ingest_paths([plan], store).canonical.skipped
    again = ingest_paths([plan], store).canonical
    assert again.skipped and again.units > 0          # unchanged re-ingest: the pass is not repeated
    fixes = tmp_path / "corrections.tsv"
    fixes.write_text("区商务委\t綦江区商务委员会\n", encoding="utf-8")
    assert not ingest_paths([plan], store, corrections=fixes).canonical.skipped   # edited corrections
    assert ingest_paths([plan], store, corrections=fixes).canonical.skipped
    names = {r[0] for r in store.db.execute("select canonical_name from units")}
    assert "綦江区商务委员会" in names


def _links(db) -> tuple[list, list]:
    return (db.execute("select mention_id, position, unit_id from mention_units order by 1, 2").fetchall(),
            db.execute("select mention_id, unit_id from unit_mentions order by 1").fetchall())


def test_links_written_as_differences_equal_links_written_from_empty(tmp_path, corpus_db):
    # resolve_units writes only the links that changed; after a correction is applied and taken
    # back, the links must be exactly those of a pass over empty link tables.
    store = Store.open(corpus_db)
    try:
        db = store.db
        fixes = tmp_path / "f.tsv"
        fixes.write_text("区水务局\t某某水务机构\n其他所有成员单位\tNOT_A_UNIT\n", encoding="utf-8")
        resolve_units(db, fixes)
        changed = _links(db)
        resolve_units(db)
        incremental = _links(db)
        assert changed != incremental
        with db.atomic():
            db.execute("delete from mention_units")
            db.execute("update unit_mentions set unit_id = null")
        resolve_units(db)
        assert _links(db) == incremental
    finally:
        store.close()
