"""Out-of-sample check: INVENTED plans of other levels, provinces and topics, scored against
gold files that were hand-annotated (FORMAT.md / DECISIONS.md) before the pipeline ever ran on them.

The plans live in tests/data/invented/ (no real document's text): a provincial 实施方案 in its 印发
notice, a national ministry plan (jurisdiction 全国), a prefecture plan with an appendix 任务分工表
(one row per line), a county single-year 工作要点 with 责任单位 lines and relative dates, and a district
plan with （1）/① sub-items, 一是/二是 enumerations, Chinese numerals, ranges and 分别 lists; and ten
held-out plans (a prefecture plan, a provincial 工作要点 naming no province, a prefecture 三年行动方案
on groundwater, a county river-chief 工作要点 with 责任领导/责任单位/完成时限 blocks, a provincial 实施意见
signed at its foot, a city 工作方案 with 责任部门/时间节点 lines, a two-year county 实施方案 with
relative dates, a prefecture plan with 牵头组织实施 / 按职能分工负责 / 分别负责, a county plan with a
tab-separated appendix 任务清单, a carelessly typed county 工作方案 with half-width labels and full-width
digits) that were scored once before any fix (their notes give the first-contact figures); and six
more (inv16-inv21: a provincial 第X章/第X节 规划 with a background chapter, a county plan with a
space-aligned appendix table, a prefecture plan in 1 / 1.1 / 1.1.1 decimal numbering, a notice that is
itself the plan, a county plan with a Markdown pipe table, an autonomous-region plan with a group
clause), likewise scored once before their fixes.
The floors may only ever rise; never lower one to pass.
"""
from pathlib import Path

import pytest

from plan_scoring import assert_floor, gold_files, score_folder

INVENTED = Path(__file__).resolve().parent / "data" / "invented"

# Floors set from what the pipeline measured (1.000 on every field once the fixes landed, 0.8–0.98
# before them), less a small margin; the issue asks for at least 0.90 (tasks, units, deadlines) and
# 0.85 (targets, table rows).
FLOORS = {
    "metadata": 0.97,
    "cited_documents": 0.97,
    "tasks": 0.97,
    "lead": 0.97,
    "support": 0.97,
    "deadlines": 0.97,
    "targets": 0.97,
    "target_comparator": 0.97,
    "table_rows": 0.97,
    "table_row_lead": 0.97,
    "table_row_support": 0.97,
    "table_row_deadline": 0.97,
}


def invented_gold() -> list[dict]:
    return gold_files(INVENTED)


def test_every_invented_plan_has_a_gold_file():
    texts = {p.name for p in INVENTED.glob("*.txt")}
    golds = {g["file"] for g in invented_gold()}
    assert len(texts) == 21 and texts == golds


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return score_folder(INVENTED, tmp_path_factory.mktemp("invented") / "invented.db")


@pytest.mark.parametrize("field, floor", sorted(FLOORS.items()))
def test_invented_field_f1_floor(report, field, floor):
    assert_floor(report, field, floor)
