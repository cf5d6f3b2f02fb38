"""Tables written in plain text, seen on held-out plans: Markdown pipe tables and space-aligned
tables (pdftotext -layout), read into the same Table model as the tab layouts, with spans on the
source characters. Every document here is invented, in the style of plans of other provinces and
topics; the counter-examples are prose lines with spaces that must stay prose."""
from __future__ import annotations

import pytest

from pipeline.clean import clean
from pipeline.nlp import Pipeline
from pipeline.readers import read_file
from pipeline.segment import segment
from pipeline.tables import column_roles, find_tables


def tables_of(raw: str):
    ct = clean(raw)
    return ct, find_tables(ct.text, ct.span, segment(ct.text, ct.span))


def grid(table):
    rows = [[""] * table.n_cols for _ in range(table.n_rows)]
    for c in table.cells:
        rows[c.row][c.col] = c.text
    return rows


def task_rows(tmp_path, raw: str):
    path = tmp_path / "plan.txt"
    path.write_text(raw, encoding="utf-8")
    doc = Pipeline()(read_file(path, path.read_bytes()))
    return [(r.label, r.task_text, [(u.name, u.role.value) for u in r.units], r.deadline_text)
            for r in doc.task_rows]


PIPE_PLAN = """某区文物保护利用三年行动方案

一、主要任务
（一）加强文物修缮。实施重点文物修缮工程。（区文化旅游局负责）

附件

某区文物保护利用重点任务分解表

| 序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 |
|:---:|---|---|---|---|
| 1 | 完成不可移动文物普查登记 | 区文化旅游局 | 各街道办事处 | 2025年6月底前 |
| 2 | 修缮革命旧址 | 区文化旅游局 | 区财政局、区住房城乡建设局 | 2026年底前 |
| 3 | 建设数字博物馆 | 区文化旅游局 |  | 持续推进 |
"""


def test_pipe_table_rows_and_cells():
    ct, tables = tables_of(PIPE_PLAN)
    assert len(tables) == 1
    t = tables[0]
    assert t.label == "附件" and t.caption == "某区文物保护利用重点任务分解表"
    assert t.columns == ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
    assert grid(t)[1:] == [
        ["1", "完成不可移动文物普查登记", "区文化旅游局", "各街道办事处", "2025年6月底前"],
        ["2", "修缮革命旧址", "区文化旅游局", "区财政局、区住房城乡建设局", "2026年底前"],
        ["3", "建设数字博物馆", "区文化旅游局", "", "持续推进"],
    ]
    assert [r.label for r in t.rows if not r.is_header] == ["1", "2", "3"]
    # the | --- | rule is no row, and an empty cell has no span
    assert t.n_rows == 4 and next(c for c in t.cells if c.row == 3 and c.col == 3).span is None


def test_pipe_cell_spans_are_the_source_characters():
    ct, (t,) = tables_of(PIPE_PLAN.replace("\n", "\r\n"))
    for c in t.cells:
        if c.span is not None:
            assert ct.orig[c.span.orig_start:c.span.orig_end] == c.text
            assert ct.text[c.span.start:c.span.end] == c.text


def test_pipe_rows_are_not_glued_by_the_paragraph_repair():
    # rows long enough, and with enumeration commas, to look like a broken sentence
    ct = clean("| 序号 | 任务 | 责任单位 |\n| --- | --- | --- |\n"
               "| 1 | 开展河道清淤疏浚、岸线整治和水系连通工作 | 县水利局、县农业农村局 |\n"
               "| 2 | 推进城乡供水一体化和农村供水工程规范化管理 | 县水利局、县卫生健康局 |\n")
    assert ct.text.count("\n") == 4


def test_pipe_rows_without_a_rule_are_no_table():
    raw = "一、主要任务\n| 注：本方案由县发展改革局负责解释 |\n| 自印发之日起施行 |\n| 有效期三年 |\n"
    assert tables_of(raw)[1] == []


def test_pipe_table_task_rows(tmp_path):
    assert task_rows(tmp_path, PIPE_PLAN) == [
        ("1", "完成不可移动文物普查登记", [("区文化旅游局", "lead"), ("各街道办事处", "support")], "2025年6月底前"),
        ("2", "修缮革命旧址", [("区文化旅游局", "lead"), ("区财政局", "support"), ("区住房城乡建设局", "support")],
         "2026年底前"),
        ("3", "建设数字博物馆", [("区文化旅游局", "lead")], "持续推进"),
    ]


# ------------------------------------------------------------------ space-aligned tables
SPACE_PLAN = """某市城乡环境整治百日攻坚方案

一、重点任务
（一）整治城乡接合部环境。清理建筑垃圾。（市城管局负责）

二、工作要求
各责任单位要加强协调配合，确保按期完成任务。

市城乡环境整治领导小组办公室      2024年5月6日

附件

某市城乡环境整治重点任务清单

序号  任务内容                        牵头单位      责任单位                  完成时限
1     清理主次干道两侧乱堆乱放        市城管局      各区人民政府              2024年6月底前
2     整治农贸市场周边秩序            市市场监管局  市城管局、市公安局        2024年8月底前
3     拆除违法建设                    市自然资源局                            长期坚持

本清单由市城乡环境整治领导小组办公室负责解释。
"""


def test_space_table_rows_and_cells():
    ct, tables = tables_of(SPACE_PLAN)
    assert len(tables) == 1
    t = tables[0]
    assert t.label == "附件" and t.columns == ["序号", "任务内容", "牵头单位", "责任单位", "完成时限"]
    # row 3 has no 责任单位: its deadline stands under 完成时限, not in the empty column
    assert grid(t)[1:] == [
        ["1", "清理主次干道两侧乱堆乱放", "市城管局", "各区人民政府", "2024年6月底前"],
        ["2", "整治农贸市场周边秩序", "市市场监管局", "市城管局、市公安局", "2024年8月底前"],
        ["3", "拆除违法建设", "市自然资源局", "", "长期坚持"],
    ]
    # the closing prose line is not swallowed
    assert "负责解释" not in ct.text[t.span.start:t.span.end]
    for c in t.cells:
        if c.span is not None:
            assert ct.orig[c.span.orig_start:c.span.orig_end] == c.text


def test_space_table_task_rows(tmp_path):
    # 责任单位 beside 牵头单位 are support (FORMAT.md)
    assert task_rows(tmp_path, SPACE_PLAN) == [
        ("1", "清理主次干道两侧乱堆乱放", [("市城管局", "lead"), ("各区人民政府", "support")], "2024年6月底前"),
        ("2", "整治农贸市场周边秩序", [("市市场监管局", "lead"), ("市城管局", "support"), ("市公安局", "support")],
         "2024年8月底前"),
        ("3", "拆除违法建设", [("市自然资源局", "lead")], "长期坚持"),
    ]


@pytest.mark.parametrize("raw", [
    # a signature block: name and date apart by spaces
    "一、工作要求\n加强领导。\n\n某县人民政府办公室      2024年3月1日\n某县发展和改革局        2024年3月1日\n",
    # units listed with spaces in body text
    "二、保障措施\n成员单位：\n县发展改革局    县财政局    县自然资源局\n县住房城乡建设局    县交通运输局    县水利局\n",
    # a line of header words with nothing under it that fits
    "附件\n\n序号    工作任务    牵头单位\n\n本表由县政府办公室汇总。全县各部门按职责分工抓好落实，确保任务完成。\n",
    # names and posts (a 领导小组 list), two columns of non-header words
    "组    长：王某某    县长\n副组长：李某某    副县长\n成    员：县直各有关单位主要负责人\n",
])
def test_prose_with_spaces_is_no_table(raw):
    assert tables_of(raw)[1] == []


def test_a_line_that_fits_no_column_ends_the_space_table():
    raw = ("附件\n\n序号  工作任务          责任单位    完成时限\n"
           "1     建设污水管网      县住建局    2025年底前\n"
           "2     改造雨污合流管网  县住建局    2026年底前\n"
           "注：以上任务由县住建局会同    有关部门    按年度分解落实    并报县政府    备案\n")
    (t,) = tables_of(raw)[1]
    assert t.n_rows == 3 and [r.label for r in t.rows if not r.is_header] == ["1", "2"]


@pytest.mark.parametrize("columns, roles", [
    (["序号", "工作任务", "牵头单位", "责任单位", "完成时限"], {"lead": 2, "support": 3}),
    (["序号", "工作任务", "责任单位", "完成时限"], {"lead": 2}),
    (["序号", "工作任务", "责任单位", "配合单位"], {"lead": 2, "support": 3}),
    (["序号", "任务", "牵头单位", "配合单位", "责任单位"], {"lead": 2, "support": 3}),
])
def test_duty_column_beside_a_lead_column_is_support(columns, roles):
    got = column_roles(columns)
    assert {k: v for k, v in got.items() if k in ("lead", "support")} == roles
