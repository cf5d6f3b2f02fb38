"""`zhengce serve` as a real process: Datasette on a free localhost port, queried over its JSON API."""
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from pipeline.db_schema import TASKS

STARTUP_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(base: str, path: str, **params) -> tuple[int, bytes]:
    url = base + urllib.parse.quote(path) + ("?" + urllib.parse.urlencode(params) if params else "")
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def get_json(base: str, path: str, **params):
    status, body = get(base, path, **params)
    assert status == 200, body[:500]
    return json.loads(body)


@pytest.fixture(scope="module")
def server(ingested_corpus):
    db_path = Path(ingested_corpus.db.execute("pragma database_list").fetchone()[2])
    port = free_port()
    # The console script's entry point; `python -m pipeline.cli` would run the app before the
    # browse commands at the end of cli.py are registered.
    proc = subprocess.Popen(
        [sys.executable, "-c", "from pipeline.cli import app; app()", "serve", "--db", str(db_path), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"zhengce serve exited with {proc.returncode}: {proc.stdout.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=2):
                    break
            except OSError:
                if time.perf_counter() - start > STARTUP_TIMEOUT_S:
                    pytest.fail(f"zhengce serve did not answer within {STARTUP_TIMEOUT_S} s")
                time.sleep(0.1)
        print(f"zhengce serve answered after {time.perf_counter() - start:.2f} s")
        yield base, db_path.stem, ingested_corpus.db
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode is not None


def test_role_facet_counts(server):
    base, name, db = server
    data = get_json(base, f"/{name}/unit_mentions.json", _facet="role", _size="0")
    got = {r["value"]: r["count"] for r in data["facet_results"]["role"]["results"]}
    want = dict(db.execute("select role, count(*) from unit_mentions group by role").fetchall())
    assert got == want and set(got) == {"lead", "support"}


def test_default_deadline_year_facet(server):
    base, name, db = server
    data = get_json(base, f"/{name}/deadlines.json", _size="0")
    facet = data["facet_results"]["date"]
    assert facet["type"] == "year"
    got = {r["value"]: r["count"] for r in facet["results"]}
    want = dict(db.execute("select substr(date, 1, 4), count(*) from deadlines where date is not null group by 1"))
    assert got == want
    # Following a year's link filters the table to that year.
    year = max(got, key=got.get)
    filtered = get_json(base, f"/{name}/deadlines.json", _size="0", date__startswith=year)
    assert filtered["filtered_table_rows_count"] == got[year]


def test_canned_query_targets_by_indicator_strictest_first(server):
    base, name, db = server
    rows = get_json(base, f"/{name}/targets_by_indicator.json", indicator="漏损率", _shape="array")
    # Every target whose indicator says 漏损率 is there, through its normalised key.
    wording = {r[0] for r in db.execute("select target_id from targets where indicator like '%漏损率%'")}
    assert len(wording) > 1 and wording <= {r["target_id"] for r in rows}
    strictness = dict(db.execute("select target_id, strictness from v_indicator_targets"))
    groups: dict[tuple, list[float]] = {}
    for r in rows:
        groups.setdefault((r["indicator_key"], r["measure"], r["base_unit"]), []).append(strictness[r["target_id"]])
    assert all(values == sorted(values) for values in groups.values())
    ceilings = [r["base_value"] for r in rows if r["comparator"] == "<=" and r["base_unit"] == "%"]
    assert len(ceilings) > 1 and ceilings == sorted(ceilings)


def test_canned_query_workload_per_unit(server):
    base, name, db = server
    rows = get_json(base, f"/{name}/workload_per_unit.json", jurisdiction="", _shape="array")
    want = dict(db.execute("select unit_id, tasks_led from v_unit_workload"))
    assert rows and {r["unit_id"]: r["tasks_led"] for r in rows} == want
    assert [r["tasks_led"] for r in rows] == sorted((r["tasks_led"] for r in rows), reverse=True)


def test_canned_query_corpus_overview(server):
    base, name, db = server
    rows = get_json(base, f"/{name}/corpus_overview.json", _shape="array")
    want = dict(db.execute("select d.doc_id, count(t.task_id) from documents d left join tasks t using(doc_id) group by 1"))
    assert {r["doc_id"]: r["tasks"] for r in rows} == want
    for r in rows:
        assert 0 <= r["pct_with_lead_unit"] <= 100
        assert r["review_report"] == f"/-/zhengce/report/{r['doc_id']}"


@pytest.mark.parametrize("term", ["漏损", "节水"])
def test_search_box_finds_two_character_words(server, term):
    base, name, db = server
    rows = get_json(base, f"/{name}/tasks_search.json", _search=term, _shape="array", _size="max")
    want = {r[0] for r in db.execute("select task_id from tasks where instr(text, ?) > 0", [term])}
    assert want and {r["task_id"] for r in rows} == want


def test_search_canned_query(server):
    base, name, db = server
    rows = get_json(base, f"/{name}/search_tasks.json", q="再生水", jurisdiction="", _shape="array")
    want = {r[0] for r in db.execute("select task_id from tasks where instr(text, '再生水') > 0")}
    assert want and {r["task_id"] for r in rows} == want


def test_metadata_carries_schema_descriptions(server):
    base, name, _ = server
    meta = get_json(base, "/-/metadata.json")
    tasks = meta["databases"][name]["tables"]["tasks"]
    assert tasks["columns"]["text"] == TASKS.columns["text"][1]
    assert tasks["label_column"] == "title"
    assert "corpus_overview" in meta["databases"][name]["queries"]


def test_review_report_route(server):
    base, name, db = server
    doc_id, title = db.execute("select doc_id, title from documents order by file_name").fetchone()
    status, body = get(base, f"/-/zhengce/report/{doc_id}")
    assert status == 200 and title in body.decode()
    assert get(base, "/-/zhengce/report/" + "0" * 64)[0] == 404


def test_server_refuses_writes(server):
    base, name, _ = server
    status, body = get(base, f"/{name}.json", sql="delete from tasks")
    assert status == 400
    assert get_json(base, f"/{name}.json", sql="select count(*) as n from tasks", _shape="array")[0]["n"] > 0
