"""`zhengce compare …`: each command answers a concrete question on the sample corpus, with rows
checked against the gold annotations where the gold says the answer."""
import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.views import ensure_views, indicator_key, sectors_of
from tests.conftest import gold_files, load_gold

runner = CliRunner()


@pytest.fixture(scope="module")
def db_path(ingested_corpus):
    ensure_views(ingested_corpus.db)
    return ingested_corpus.db.conn.execute("pragma database_list").fetchone()[2]


def compare(db_path, *args) -> list[dict]:
    result = runner.invoke(app, ["compare", *args, "--db", db_path, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_leakage_targets_across_plans_strictest_first(db_path):
    rows = compare(db_path, "targets", "漏损率")
    gold = sorted((g["jurisdiction"], t["year"], t["value"]) for gf in gold_files()
                  for g in [load_gold(gf.stem)] for t in g["targets"] if "漏损率" in t["indicator"])
    assert sorted((r["jurisdiction"], r["year"], r["value"]) for r in rows) == gold
    assert {r["indicator_key"] for r in rows} == {"供水管网漏损率"}
    assert [r["base_value"] for r in rows] == sorted(r["base_value"] for r in rows)  # a ceiling: lowest first
    assert rows[0]["jurisdiction"] == "固阳县" and rows[0]["value"] == 8


def test_a_floor_indicator_is_strictest_highest_first(db_path):
    rows = compare(db_path, "targets", "农田灌溉水有效利用系数")
    assert [(r["jurisdiction"], r["year"], r["value"]) for r in rows] == [
        ("固阳县", 2025, 0.77), ("昌吉市", 2030, 0.7), ("綦江区", 2023, 0.5118)]


def test_total_water_use_in_base_units_with_a_year_filter(db_path):
    rows = compare(db_path, "targets", "用水总量", "--year", "2023")
    assert [(r["jurisdiction"], r["base_value"], r["base_unit"]) for r in rows] == [("綦江区", 2.2e8, "m3")]


@pytest.mark.parametrize("wording, key", [
    ("城镇公共供水管网漏损率", "供水管网漏损率"), ("灌溉水利用系数", "农田灌溉水有效利用系数"),
    ("全县万元地区生产总值用水量", "万元GDP用水量"), ("规模以上工业企业用水重复率", "工业用水重复利用率"),
    ("其中地下水取用水量", "地下水用水量"), ("农业用水总量", "农业用水量"), ("全市用水总量", "用水总量"),
    ("新建塘坝", None),
])
def test_indicator_key(wording, key):
    found = indicator_key(wording)
    assert (found[0] if found else None) == key


def test_unit_types_leading_industrial_tasks_in_each_jurisdiction(db_path):
    rows = compare(db_path, "leads", "工业")
    by_place: dict[str, set[str]] = {}
    for r in rows:
        by_place.setdefault(r["jurisdiction"], set()).add(r["unit_type"])
    assert by_place == {
        "甘州区": {"工业和信息化", "水利", "园区"},
        "张掖市": {"园区", "政府", "水利", "工业和信息化", "住房城乡建设", "发展改革", "生态环境", "市场监管", "统计", "财政"},
        "綦江区": {"工业和信息化", "水利"},
        "昌吉市": {"商务", "住房城乡建设", "城市管理"},      # 市商务和工信局 is typed 商务 (its first function)
        "固阳县": {"工业和信息化", "住房城乡建设", "园区", "水利"},
    }
    top = {r["jurisdiction"]: r for r in rows if r["unit_type"] == "工业和信息化"}
    assert top["张掖市"]["units"] == "张掖市工业和信息化局" and top["张掖市"]["tasks"] == 8


@pytest.mark.parametrize("title, headings, sectors", [
    ("实施工业节水技术改造", [], ["工业"]),
    ("总结推广节水经验成果", ["激发工业企业节水潜力"], ["宣传教育"]),      # the title decides first
    ("完善政策体系", ["推进用水机制改革"], []),
    ("降低供水管网漏损", [], ["城镇生活"]),
    ("打造学校节水新标杆", [], ["公共机构"]),
    ("强化再生水利用", [], ["非常规水源"]),
    ("夯实基础", ["加快工业节水改造"], ["工业"]),                          # no sector in the title: the heading
])
def test_sectors_of(title, headings, sectors):
    assert sectors_of(title, headings) == sectors


def test_tasks_due_in_2025_for_ganzhou_water_bureau(db_path):
    rows = compare(db_path, "due", "2025", "--unit", "甘州区水务局")
    got = sorted({r["path_text"] for r in rows if r["item"] == "task" and r["role"] == "lead"})
    gold = load_gold("000_d18375a228b56b19")
    expected = sorted(" / ".join(t["path"]) for t in gold["tasks"] if any(u["name"] == "区水务局" for u in t["lead"])
                      and any((d["date"] or "").startswith("2025") for d in t["deadlines"]))
    assert got == expected and len(got) == 6
    assert {r["unit"] for r in rows} == {"甘州区水务局"}


def test_an_alias_finds_the_unit_and_targets_are_due_by_year(db_path):
    rows = compare(db_path, "due", "2023", "--unit", "区城市管理局")    # an alias, as written in 綦江区's plan
    assert {r["unit"] for r in rows} == {"綦江区城市管理局"}
    targets = [(r["path_text"], r["role"], r["text"]) for r in rows if r["item"] == "target"]
    assert ("四 / 14", "lead", "确保城市公共供水管网漏损率不高于9%") in targets


def test_workload_per_unit_matches_the_gold_counts(db_path):
    rows = compare(db_path, "workload", "--jurisdiction", "固阳县")
    water = next(r for r in rows if r["unit"] == "固阳县水务局")
    gold = load_gold("004_c0d36fa321cfe27d")
    led = sum(any(u["name"] == "县水务局" for u in t["lead"]) for t in gold["tasks"])
    supported = sum(any(u["name"] == "县水务局" for u in t["support"]) for t in gold["tasks"])
    assert (water["tasks_led"], water["tasks_supported"]) == (led, supported) == (25, 8)
    assert rows[0]["unit"] == "固阳县水务局"   # the busiest unit of the plan
    # 发改委 written without prefix in one list is the same unit as 县发改委
    ndrc = next(r for r in rows if r["unit"] == "固阳县发展和改革委员会")
    assert ndrc["tasks_led"] + ndrc["tasks_supported"] >= 27


@pytest.mark.parametrize("fmt, check", [
    ("table", lambda out: "固阳县" in out and "rows)" in out),
    ("csv", lambda out: out.splitlines()[0].startswith("indicator_key,jurisdiction,year")),
])
def test_formats(db_path, fmt, check):
    result = runner.invoke(app, ["compare", "targets", "漏损率", "--db", db_path, "--format", fmt])
    assert result.exit_code == 0 and check(result.output), result.output


def test_views_answer_in_plain_sql(ingested_corpus):
    ensure_views(ingested_corpus.db)
    n = ingested_corpus.db.execute(
        "select count(*) from v_indicator_targets where indicator_key = '供水管网漏损率'").fetchone()[0]
    assert n == 7


def _derived(db) -> tuple[list, list]:
    return (db.execute("select target_id, indicator_key, better from target_keys order by 1").fetchall(),
            db.execute("select task_id, sector from task_sectors order by 1, 2").fetchall())


def test_derived_rows_written_per_document_equal_a_full_rebuild(tmp_path):
    # target_keys and task_sectors are written with each document; a full rebuild from the stored
    # rows must give the same rows, including after a document is replaced by a new version.
    from pipeline.ingest import ingest_paths
    from pipeline.store import Store
    from pipeline.views import refresh_derived
    from tests.conftest import CORPUS

    folder = tmp_path / "plans"
    folder.mkdir()
    for f in sorted(CORPUS.glob("*.txt"))[:2]:
        (folder / f.name).write_bytes(f.read_bytes())
    store = Store.open(tmp_path / "db.sqlite")
    try:
        assert ingest_paths([folder], store).ok
        first = _derived(store.db)
        assert first[0] and first[1]
        # a new version of one plan without its first task heading's sector words
        plan = sorted(folder.glob("*.txt"))[0]
        plan.write_text(plan.read_text(encoding="utf-8").replace("漏损", "损耗"), encoding="utf-8")
        assert ingest_paths([folder], store).ok
        incremental = _derived(store.db)
        with store.db.atomic():
            refresh_derived(store.db)
        assert _derived(store.db) == incremental
        assert incremental != first
        # no row points at a task or target of the replaced version
        orphans = store.db.execute(
            "select count(*) from target_keys where target_id not in (select target_id from targets)").fetchone()[0]
        assert orphans == 0
    finally:
        store.close()


def test_a_rule_change_rebuilds_the_derived_rows(tmp_path, monkeypatch):
    from pipeline import views
    from pipeline.ingest import ingest_paths
    from pipeline.store import Store
    from tests.conftest import CORPUS

    store = Store.open(tmp_path / "db.sqlite")
    try:
        assert ingest_paths([sorted(CORPUS.glob("*.txt"))[0]], store).ok
        assert views.refresh_derived_if_rules_changed(store.db) is False  # same rules: nothing to do
        store.db.execute("delete from target_keys")
        monkeypatch.setattr(views, "derived_rules_fingerprint", lambda: "edited rules")
        assert views.refresh_derived_if_rules_changed(store.db) is True
        assert store.db.execute("select count(*) from target_keys").fetchone()[0] > 0
    finally:
        store.close()
