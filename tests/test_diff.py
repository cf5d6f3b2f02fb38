"""`zhengce diff`: two versions of an invented county work plan."""
import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.diff import diff_documents, find_document
from pipeline.ingest import ingest_paths
from pipeline.store import Store

DRAFT = """民勤县2024年节约用水工作要点（征求意见稿）

一、工作目标

到2024年底，全县用水总量控制在1.2亿立方米以内，城镇公共供水管网漏损率控制在9%以内。

二、重点任务

1．强化用水总量控制。严格执行取水许可制度，6月底前完成年度用水计划下达。
责任单位：县水务局（牵头），县发改委、县工信局

2．推进工业节水改造。年底前完成3家重点企业节水改造。
责任单位：县工信局（牵头），县水务局

3．开展节水宣传。利用世界水日集中开展宣传活动，全年开展宣传活动不少于4场次。
责任单位：县委宣传部（牵头），县教育局

4．建设节水型小区。年底前建成节水型小区5个。
责任单位：县住建局（牵头），各乡镇人民政府
"""

FINAL = """民勤县2024年节约用水工作要点

一、工作目标

到2024年底，全县用水总量控制在1.2亿立方米以内，城镇公共供水管网漏损率控制在8%以内。

二、重点任务

1．强化用水总量控制。严格执行取水许可制度，6月底前完成年度用水计划下达。
责任单位：县水务局（牵头），县发改委、县工信局

2．推进工业节水改造。9月底前完成5家重点企业节水改造。
责任单位：县工信局（牵头），县水务局、县生态环境局

3．开展节水宣传。利用世界水日集中开展宣传活动，全年开展宣传活动不少于4场次。
责任单位：县委宣传部（牵头），县教育局

4．降低供水管网漏损。年底前完成老旧管网改造20公里。
责任单位：县水务局（牵头），县财政局
"""


@pytest.fixture
def two_versions(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "pingchuan_draft.txt").write_text(DRAFT, encoding="utf-8")
    (folder / "pingchuan_final.txt").write_text(FINAL, encoding="utf-8")
    db = tmp_path / "d.db"
    store = Store.open(db)
    assert ingest_paths([folder], store).ok
    store.close()
    return db


def test_diff_lists_added_removed_and_changed_tasks(two_versions):
    store = Store.open(two_versions)
    a, b = find_document(store.db, "pingchuan_draft.txt"), find_document(store.db, "pingchuan_final")
    d = diff_documents(store.db, a, b)
    store.close()
    assert d.unchanged == 2                                            # tasks 1 and 3, identical text
    assert [t.title for t in d.added] == ["降低供水管网漏损"]
    assert [t.title for t in d.removed] == ["建设节水型小区"]
    assert len(d.changed) == 1
    change = d.changed[0]
    assert change.b.title == "推进工业节水改造" and "text" in change.changes
    assert change.changes["support"] == {"removed": [], "added": ["民勤县生态环境局"]}
    assert change.changes["deadlines"] == {"removed": ["by 2024-12-31"], "added": ["by 2024-09-30"]}
    assert change.changes["targets"]["added"] and change.changes["targets"]["removed"]
    assert "lead" not in change.changes


def test_diff_command_json_and_table(two_versions):
    runner = CliRunner()
    result = runner.invoke(app, ["diff", "pingchuan_draft.txt", "pingchuan_final.txt", "--db", str(two_versions),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert (len(out["added"]), len(out["removed"]), len(out["changed"]), out["unchanged"]) == (1, 1, 1, 2)
    result = runner.invoke(app, ["diff", "pingchuan_draft.txt", "pingchuan_final.txt", "--db", str(two_versions)])
    assert result.exit_code == 0
    assert result.output.startswith("1 added, 1 removed, 1 changed, 2 unchanged")
    assert "+民勤县生态环境局" in result.output


def test_diff_of_unknown_document_exits_2(two_versions):
    result = CliRunner().invoke(app, ["diff", "nope.txt", "pingchuan_final.txt", "--db", str(two_versions)])
    assert result.exit_code == 2
