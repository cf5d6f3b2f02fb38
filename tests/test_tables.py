"""pipeline/tables.py: both flattened layouts on invented tables, then the gold table rows."""
import pytest

from conftest import CORPUS, gold_files, load_gold
from extractors.headings import classify_line
from pipeline.segment import segment
from pipeline.tables import column_roles, find_tables
from schemas.labels import LabelStyle
from test_segment import nows, standin_clean, to_span


def tables_of(text: str):
    return find_tables(text, to_span, segment(text, to_span))


def grid(table):
    rows = [[""] * table.n_cols for _ in range(table.n_rows)]
    for c in table.cells:
        rows[c.row][c.col] = c.text
    return rows


def labels(table):
    return [r.label for r in table.rows if not r.is_header]


ROW_PER_LINE = """一、任务
1.推进节水。加强管理。
附件
某县节水重点任务清单
序号\t工作任务\t责任单位\t备注
一、夯实工作基础\t\t\t
1. 开展用水监测\t建立监测机制。\t县水务局 县统计局\t
\t开展节水诊断。\t县水务局\t
2. 加强源头监管\t开展水资源论证。\t县水务局\t

序号\t工作任务\t责任单位\t备注
\t落实三同时制度。\t县住建局\t
二、推进节水增效\t\t\t
3. 实施技术改造\t推进企业改造。\t县工信局\t重点
"""

CELL_PER_LINE = """一、任务
1.推进节水。
附件2
某县节水任务分解表
\t序号
\t目标任务
\t工作内容
\t牵头单位
\t配合单位

\t（一）
\t建设节水型社会
\t开展节水型城市创建。
\t县城管局
\t县级有关部门

\t
\t
\t强化计划用水管理。
\t县水务局
\t

\t(二）
\t推进农业节水
\t完成灌区创建。
\t县水务局
\t
"""

NUMBERED_CELLS = """附件
\t序号
\t任务内容
\t节点
要求
\t牵头单位

\t1
\t健全三级指标体系。
\t持续
推进
\t县水务局

\t2
\t实施差别化管控。
\t2025年
\t县农业
农村局
抄送：存档。
"""

IN_TEXT = """一、任务
6.实施技术改造。各县区任务见表1。
表1 技术改造重点项目年度任务分解表
甲县\t乙县\t丙县
2\t1\t1-2

7.加强循环利用。
"""


def test_row_per_line_layout():
    (t,) = tables_of(ROW_PER_LINE)
    assert t.label == "附件" and t.caption == "某县节水重点任务清单"
    assert t.columns == ["序号", "工作任务", "责任单位", "备注"] and t.n_cols == 4
    assert labels(t) == ["一", "1.1", "1.2", "2.1", "2.2", "二", "3"]
    g = grid(t)
    assert g[0] == ["序号", "工作任务", "责任单位", "备注"]
    assert g[1] == ["一、夯实工作基础", "", "", ""]  # empty trailing cells kept
    assert g[5] == ["", "落实三同时制度。", "县住建局", ""]  # the repeated header was dropped
    assert [r.group for r in t.rows[1:]] == ["一", "一", "一", "一", "一", "二", "二"]
    assert t.rows[0].is_header and not any(r.is_header for r in t.rows[1:])
    empty = [c for c in t.cells if not c.text]
    assert empty and all(c.span is None for c in empty)
    for c in t.cells:
        if c.span is not None:
            assert ROW_PER_LINE[c.span.start:c.span.end] == c.text


def test_cell_per_line_layout_with_group_positions():
    (t,) = tables_of(CELL_PER_LINE)
    assert t.label == "附件2" and t.n_cols == 5
    assert t.columns == ["序号", "目标任务", "工作内容", "牵头单位", "配合单位"]
    assert labels(t) == ["（一）-1", "（一）-2", "（二）-1"]
    assert grid(t)[2] == ["", "", "强化计划用水管理。", "县水务局", ""]
    assert column_roles(t.columns) == {"seq": 0, "task": 2, "lead": 3, "support": 4}


def test_raw_cell_fragments_are_joined_and_footer_stays_out():
    for text in (NUMBERED_CELLS, standin_clean(NUMBERED_CELLS)):
        (t,) = tables_of(text)
        assert t.columns == ["序号", "任务内容", "节点要求", "牵头单位"]
        assert labels(t) == ["1", "2"]
        assert grid(t)[1][2] == "持续推进" and grid(t)[2][3] == "县农业农村局"
        assert "抄送" not in text[t.span.start:t.span.end]


def test_in_text_table_without_seq_column():
    (t,) = tables_of(IN_TEXT)
    assert t.label == "表1" and t.caption.startswith("表1")
    assert t.columns == ["甲县", "乙县", "丙县"] and grid(t)[1] == ["2", "1", "1-2"]
    assert labels(t) == [None]
    secs = segment(IN_TEXT, to_span)
    assert secs[t.section].path == ["一", "6"]


def test_no_tabs_no_tables():
    assert tables_of("一、任务\n1.推进节水。\n") == []


@pytest.mark.parametrize("columns, roles", [
    (["序号", "工作任务", "责任单位", "备注"], {"seq": 0, "task": 1, "lead": 2}),
    (["序号", "类别", "分类", "任务内容", "节点要求", "牵头单位", "参与单位"],
     {"seq": 0, "task": 3, "deadline": 4, "lead": 5, "support": 6}),
    (["编号", "重点任务", "完成时限", "牵头部门", "配合部门"],
     {"seq": 0, "task": 1, "deadline": 2, "lead": 3, "support": 4}),
])
def test_column_roles(columns, roles):
    assert column_roles(columns) == roles


# -- gold table rows ---------------------------------------------------------------------------

def _gold_rows():
    for path in gold_files():
        for r in load_gold(path.stem).get("table_rows", []):
            yield pytest.param(path.stem, r, id=f"{path.stem[:3]}-{r['table']}-{r['row']}")


_TABLES: dict[tuple[str, bool], list] = {}


def _tables(stem: str, clean: bool):
    if (stem, clean) not in _TABLES:
        raw = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")
        _TABLES[(stem, clean)] = tables_of(standin_clean(raw) if clean else raw)
    return _TABLES[(stem, clean)]


def _task_text(cell: str) -> str:
    """A task cell may open with its own item number ("1.全区新增…" holds two numbered tasks)."""
    m = classify_line(cell)
    if m is not None and m.style in (LabelStyle.ARABIC_DOT, LabelStyle.ARABIC_PAREN):
        return cell[m.rest_start:]
    return cell


@pytest.mark.parametrize("clean", [False, True], ids=["raw", "standin"])
@pytest.mark.parametrize("stem, gold_row", list(_gold_rows()))
def test_gold_table_row(stem, gold_row, clean):
    tables = [t for t in _tables(stem, clean) if t.label == gold_row["table"]]
    assert tables, f"no table labelled {gold_row['table']}"
    found = [(t, r) for t in tables for r in t.rows if r.label == gold_row["row"]]
    assert len(found) == 1
    t, r = found[0]
    col = column_roles(t.columns)["task"]
    cell = next(c for c in t.cells if c.row == r.row and c.col == col)
    assert nows(_task_text(cell.text)).startswith(nows(gold_row["quote"]))


@pytest.mark.parametrize("stem", [p.stem for p in gold_files()])
def test_gold_tables_only_where_the_text_has_them(stem):
    g = load_gold(stem)
    tables = _tables(stem, False)
    expected = {r["table"] for r in g.get("table_rows", [])}
    assert expected <= {t.label for t in tables}
    for t in tables:
        data = [r for r in t.rows if not r.is_header]
        if t.label in expected:
            gold_n = sum(1 for r in g["table_rows"] if r["table"] == t.label)
            # every gold row is a data row; group rows of their own (一、…\t\t\t) come on top
            assert len([r for r in data if r.label and "." in r.label or "-" in (r.label or "")
                        or (r.label or "").isdigit()]) == gold_n
