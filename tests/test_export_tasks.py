"""Task exports for tracking systems: CSV for Excel, JSONL against the committed JSON Schema, ids
stable across re-ingest."""
import csv
import json
import shutil

import jsonschema
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.export import export_json
from pipeline.export_tasks import stable_task_id
from pipeline.ingest import ingest_paths
from pipeline.store import Store
from schemas.export_rows import CSV_COLUMNS, SCHEMA_DIR, json_schemas, schema_text

runner = CliRunner()


@pytest.fixture(scope="module")
def exported(tmp_path_factory, corpus_dir):
    work = tmp_path_factory.mktemp("export")
    db = work / "x.db"
    assert runner.invoke(app, ["ingest", str(corpus_dir), "--db", str(db)]).exit_code == 0
    for fmt in ("jsonl", "csv", "json"):
        result = runner.invoke(app, ["export", "--db", str(db), "--format", fmt, "--out", str(work / "out")])
        assert result.exit_code == 0, result.output
    return work


def _schema(name):
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(json_schemas()))
def test_committed_schema_equals_the_generated_one(name):
    assert (SCHEMA_DIR / name).read_text(encoding="utf-8") == schema_text(json_schemas()[name]), \
        "run `python -m schemas.export_rows` and commit schemas/json/"


def test_jsonl_validates_against_the_committed_schema(exported):
    lines = (exported / "out" / "tasks.jsonl").read_text(encoding="utf-8").splitlines()
    validator = jsonschema.Draft202012Validator(_schema("task.schema.json"))
    rows = [json.loads(line) for line in lines]
    for row in rows:
        validator.validate(row)
    assert len(rows) == sum(len(json.loads(p.read_text(encoding="utf-8"))["tasks"])
                            for p in (exported / "out").glob("*.json"))
    assert len({r["id"] for r in rows}) == len(rows)
    first = next(r for r in rows if r["jurisdiction"] == "甘州区" and r["path"] == ["二", "（一）"])
    assert [u["name"] for u in first["lead"]] == ["甘州区农业农村局", "甘州区水务局"]
    assert first["lead"][1]["written"] == ["区水务局"] and first["lead"][1]["type"] == "水利"
    assert first["id"] == stable_task_id("甘州区", first["text_hash"])
    assert first["due_date"] == "2025-12-31"


def test_json_export_validates_against_the_committed_schema(exported):
    validator = jsonschema.Draft202012Validator(_schema("document.schema.json"))
    files = sorted((exported / "out").glob("*.json"))
    assert len(files) == 5
    for p in files:
        validator.validate(json.loads(p.read_text(encoding="utf-8")))


def test_a_bad_row_fails_the_schema():
    row = {"id": "not-an-id"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(row, _schema("task.schema.json"))


def test_csv_round_trips_with_chinese_intact_and_a_bom_for_excel(exported):
    path = exported / "out" / "tasks.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == CSV_COLUMNS
    body = [dict(zip(rows[0], r)) for r in rows[1:]]
    jsonl = [json.loads(line) for line in (exported / "out" / "tasks.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(body) == len(jsonl)
    validator = jsonschema.Draft202012Validator(_schema("task_csv_row.schema.json"))
    for row, full in zip(body, jsonl):
        validator.validate(row)
        assert row["id"] == full["id"] and row["text"] == full["text"]      # multi-line Chinese text intact
        assert row["lead"] == "；".join(u["name"] for u in full["lead"])
    task5 = next(r for r in body if r["jurisdiction"] == "固阳县" and r["path"] == "二 / （一） / 5")
    assert task5["title"] == "完善计量监测" and task5["lead"] == "固阳县水务局"
    assert task5["support"].split("；")[:2] == ["固阳县发展和改革委员会", "固阳县工业和信息化局"]
    assert any("\n" in r["text"] for r in body)  # line breaks inside a cell survive the round trip


def test_ids_stay_the_same_across_re_ingest_and_a_re_issued_plan(tmp_path, corpus_dir):
    def ids(db):
        store = Store.open(db)
        from pipeline.export_tasks import task_rows

        out = {(r.path_text if hasattr(r, "path_text") else tuple(r.path), r.file): r.id for r in task_rows(store)}
        store.close()
        return out

    src = tmp_path / "plans"
    src.mkdir()
    for name in ("002_7ead9b338588c065.txt", "004_c0d36fa321cfe27d.txt"):
        shutil.copy(corpus_dir / name, src)
    db = tmp_path / "a.db"
    store = Store.open(db)
    ingest_paths([src], store)
    store.close()
    first = ids(db)
    store = Store.open(db)
    assert all(r.outcome == "unchanged" for r in ingest_paths([src], store).results)
    store.close()
    assert ids(db) == first
    # A re-issued version: one task edited, a line added at the end. Unedited tasks keep their ids.
    f = src / "004_c0d36fa321cfe27d.txt"
    text = f.read_text(encoding="utf-8")
    assert "加强计划用水" in text
    f.write_text(text.replace("加强计划用水", "全面加强计划用水", 1) + "\n（完）\n", encoding="utf-8")
    store = Store.open(db)
    assert ingest_paths([src], store).results[1].outcome == "replaced"
    store.close()
    second = ids(db)
    changed = {k for k in first if first[k] != second.get(k)}
    assert changed == {(("二", "（一）", "4"), "004_c0d36fa321cfe27d.txt")}
    # A fresh database gives the same ids: they depend on the text, not on ingest order.
    store = Store.open(tmp_path / "b.db")
    ingest_paths([src / "004_c0d36fa321cfe27d.txt", src / "002_7ead9b338588c065.txt"], store)
    store.close()
    assert ids(tmp_path / "b.db") == second


def test_export_rejects_an_unknown_format(exported):
    result = runner.invoke(app, ["export", "--db", str(exported / "x.db"), "--format", "xml"])
    assert result.exit_code != 0
