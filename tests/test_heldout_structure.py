"""Structure gaps seen on held-out plans: decimal numbering (1 / 1.1 / 2.1.1), background chapters
(规划基础, 发展现状 …) and appendix tables laid out with spaces or Markdown pipes. Every document
here is invented, in the style of plans of other provinces and topics."""
from __future__ import annotations

import pytest

from extractors.headings import classify_line
from pipeline.clean import clean
from pipeline.segment import segment
from pipeline.tasks import build_tasks
from schemas.spans import CharSpan


def to_span(s, e):
    return CharSpan(start=s, end=e, orig_start=s, orig_end=e)


def sections_of(raw: str):
    ct = clean(raw)
    return ct, segment(ct.text, ct.span)


def paths(raw: str) -> list[list[str]]:
    _ct, secs = sections_of(raw)
    return [s.path for s in secs[1:] if s.path]


def task_paths(raw: str) -> list[list[str]]:
    ct, secs = sections_of(raw)
    return [t.path for t in build_tasks(secs, raw, ct.span)]


# ------------------------------------------------------------------ decimal headings, one line
@pytest.mark.parametrize("line, label, key", [
    ("1 总体要求", "1", "decimal1"),
    ("3 组织实施", "3", "decimal1"),
    ("1.2 主要目标", "1.2", "decimal2"),
    ("2.3 加快农村供水工程建设", "2.3", "decimal2"),
    ("2.1.4 推进灌区续建配套。实施灌区改造。", "2.1.4", "decimal3"),
    ("4.2. 强化人才支撑", "4.2", "decimal2"),
    ("4.2．强化人才支撑", "4.2", "decimal2"),
    ("２．３ 加强考核", "2.3", "decimal2"),
    ("3.1.2.1 细化分工", "3.1.2.1", "decimal4"),
])
def test_decimal_label(line, label, key):
    m = classify_line(line)
    assert m is not None and m.label == label and m.key == key


@pytest.mark.parametrize("line", [
    "1 万立方米再生水用于园林绿化",
    "2024 年全县完成造林",
    "3.5 亿元用于老旧管网改造",
    "2.6万亩高标准农田",
    "5 个乡镇开展试点",
    "10 月底前完成验收",
    "1     开展河湖清四乱              县水利局      2024年底前",
    "2025.6 前完成",
])
def test_not_a_decimal_label(line):
    m = classify_line(line)
    assert m is None or not m.key.startswith("decimal")


DECIMAL_PLAN = """某市农村供水保障提升方案

为提升农村供水保障水平，制定本方案。

1 总体要求

1.1 主要目标
到2026年，农村自来水普及率达到92%。

1.2 基本原则
坚持城乡统筹、因地制宜。

2 主要任务

2.1 完善供水工程体系

2.1.1 推进规模化供水。新建规模化水厂3座，2025年底前建成投运。
牵头单位：市水务局

2.1.2 改造小型供水工程。改造小型工程60处。（市水务局牵头，各县区人民政府配合）

2.2 强化水质保障

2.2.1 加强水源保护。划定水源保护区20个。（市生态环境局负责）

3 保障措施

3.1 强化资金保障。统筹各级资金。（市财政局负责）

3.2 加强督导考核。将供水保障纳入年度考核。
"""


def test_decimal_plan_tree():
    assert paths(DECIMAL_PLAN) == [
        ["1"], ["1", "1.1"], ["1", "1.2"], ["2"], ["2", "2.1"], ["2", "2.1", "2.1.1"],
        ["2", "2.1", "2.1.2"], ["2", "2.2"], ["2", "2.2", "2.2.1"], ["3"], ["3", "3.1"], ["3", "3.2"],
    ]


def test_decimal_plan_tasks():
    assert task_paths(DECIMAL_PLAN) == [
        ["2", "2.1", "2.1.1"], ["2", "2.1", "2.1.2"], ["2", "2.2", "2.2.1"], ["3", "3.1"], ["3", "3.2"],
    ]


def test_decimal_label_keeps_its_space_in_cleaning():
    ct = clean("1 总体要求\n\n1.1 主要目标\n到 2026 年底，新增 5 万亩。\n")
    assert ct.text.startswith("1 总体要求\n\n1.1 主要目标\n")
    assert "到2026年底，新增5万亩。" in ct.text


def test_decimal_heading_not_glued_to_the_unit_line_above():
    ct = clean("2.1.1 推进规模化供水。新建水厂3座。\n责任单位：市水务局/市财政局\n\n2.1.2 改造小型工程。改造60处。\n")
    assert "市财政局\n\n2.1.2 改造" in ct.text


BODY_NUMBERS = """某县节水工作要点

一、工作目标
全年节约用水
1 万立方米以上。

二、重点任务
（一）推进农业节水。
2 个灌区完成改造。
3 加强宣传引导
"""


def test_stray_numbers_are_not_decimal_headings():
    # neither the quantities nor a lone "3 加强…" (no nested x.y label anywhere) open a section
    assert paths(BODY_NUMBERS) == [["一"], ["二"], ["二", "（一）"]]


INCOHERENT = """某区文化惠民工程方案

一、主要任务
1 建设综合文化站
5.3 推进图书馆分馆建设
"""


def test_decimal_labels_without_a_sequence_are_body_text():
    # "5.3" neither opens a family under a "5" nor follows a "5.2": no decimal sequence at all
    assert paths(INCOHERENT) == [["一"]]


# ------------------------------------------------------------------ background chapters
BACKGROUND_PLAN = """某省湿地保护规划（2025—2035年）

第一章 发展基础和面临形势

第一节 发展成效
全省湿地面积达到1200万亩，湿地保护率提高到52%。

第二节 面临形势
全省仍有退化湿地约300万亩。

第二章 总体要求

第一节 规划目标
到2030年，全省湿地保护率达到60%。

第三章 主要任务

第一节 摸清湿地现状底数
开展湿地资源调查，建立湿地名录500处。（省林业局牵头，省自然资源厅配合）

第二节 修复退化湿地
到2030年修复退化湿地80万亩。（省林业局负责）
"""


def test_background_chapter_gives_no_tasks():
    # 摸清…现状底数 is a task heading below the top level: kept
    assert task_paths(BACKGROUND_PLAN) == [["第三章", "第一节"], ["第三章", "第二节"]]


def _targets(raw: str):
    from pipeline.collect_targets import collect_targets
    ct, secs = sections_of(raw)
    tasks = build_tasks(secs, raw, ct.span)
    return collect_targets(ct.text, secs, tasks, [], 2025, False, ct.span)


def test_background_chapter_gives_no_targets():
    values = sorted(t.value for t in _targets(BACKGROUND_PLAN))
    assert values == [60.0, 80.0, 500.0]   # not 1200万亩, 52%, 300万亩 of 第一章


@pytest.mark.parametrize("heading", ["一、发展现状", "一、规划背景", "一、工作回顾", "一、存在的主要问题"])
def test_background_heading_forms(heading):
    raw = (f"某县供水规划\n\n{heading}\n全县建成水厂12座。\n\n二、主要任务\n"
           "（一）新建水厂。新建水厂3座。（县水利局负责）\n")
    assert task_paths(raw) == [["二", "（一）"]]
    assert [t.value for t in _targets(raw)] == [3.0]


def test_task_heading_with_a_background_word_is_a_task():
    raw = ("某县供水规划\n\n一、夯实发展基础\n新建水厂3座。（县水利局负责）\n\n"
           "二、摸清现状\n开展普查。（县统计局负责）\n")
    assert task_paths(raw) == [["一"], ["二"]]


# ------------------------------------------------------------------ tables without tabs
def tables_of(raw: str):
    from pipeline.tables import find_tables
    ct, secs = sections_of(raw)
    return ct, find_tables(ct.text, ct.span, secs)


def grid(table) -> list[list[str]]:
    rows: dict[int, list[str]] = {}
    for c in table.cells:
        rows.setdefault(c.row, []).append(c.text)
    return [rows[r] for r in sorted(rows)]


SPACE_TABLE = """某区河湖长制工作方案

一、主要任务
（一）开展河湖清四乱。（区水利局负责）

附件

某区河湖长制重点任务分工表

序号  重点任务                    牵头单位      配合单位                完成时限
1     开展河湖清四乱专项行动      区水利局      各街道办事处            2025年6月底前
2     建设幸福河湖示范段          区水利局      区住建局、区城管局      2026年底前

3     完善河长巡河制度            区河长办                              长期坚持
"""


def test_space_aligned_table_rows():
    ct, tables = tables_of(SPACE_TABLE)
    assert len(tables) == 1
    t = tables[0]
    assert t.columns == ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
    assert t.label == "附件"
    assert grid(t)[1:] == [
        ["1", "开展河湖清四乱专项行动", "区水利局", "各街道办事处", "2025年6月底前"],
        ["2", "建设幸福河湖示范段", "区水利局", "区住建局、区城管局", "2026年底前"],
        ["3", "完善河长巡河制度", "区河长办", "", "长期坚持"],   # an empty cell under 配合单位
    ]
    for c in t.cells:   # every cell span maps back to the same characters of the source
        if c.span is not None:
            assert SPACE_TABLE[c.span.orig_start:c.span.orig_end] == c.text


PIPE_TABLE = """某县垃圾分类工作方案

一、重点任务
1.建设分类投放点。（县城管局负责）

附件

| 序号 | 工作内容 | 责任单位 | 完成时限 |
| :---: | --- | --- | --- |
| 1 | 建设生活垃圾分类投放点120个 | 县城管局（牵头）/各乡镇人民政府 | 2025年底前 |
| 2 | 建成厨余垃圾处理设施 | 县城管局 | 2026年6月底前 |
"""


def test_pipe_table_rows():
    ct, tables = tables_of(PIPE_TABLE)
    assert len(tables) == 1
    t = tables[0]
    assert t.columns == ["序号", "工作内容", "责任单位", "完成时限"]
    assert [r.label for r in t.rows if not r.is_header] == ["1", "2"]
    assert grid(t)[2] == ["2", "建成厨余垃圾处理设施", "县城管局", "2026年6月底前"]
    for c in t.cells:
        if c.span is not None:
            assert PIPE_TABLE[c.span.orig_start:c.span.orig_end] == c.text


def test_pipe_rows_are_not_glued_by_cleaning():
    ct = clean(PIPE_TABLE)
    assert "2025年底前 |\n| 2 |" in ct.text


@pytest.mark.parametrize("raw", [
    # a signature block laid out with spaces
    "一、工作要求\n各单位抓好落实。\n\n某县人民政府办公室      2024年3月1日\n某县水利局      2024年3月1日\n",
    # units listed with runs of spaces in the running text
    "（一）加强协作。\n参加单位：\n县水利局    县财政局    县农业农村局\n县自然资源局    县生态环境局    县林业局\n",
    # a column-word line over prose: no row splits into the header's columns
    "序号  任务  时限\n本方案自印发之日起施行。\n",
    # pipe lines without a header of column words
    "| 甲 | 乙 | 丙 |\n| 1 | 2 | 3 |\n",
])
def test_lines_with_spaces_or_pipes_that_are_not_tables(raw):
    _ct, tables = tables_of("某县方案\n\n" + raw)
    assert tables == []


def test_duty_column_beside_lead_column_is_support():
    from pipeline.tables import column_roles
    assert column_roles(["序号", "工作任务", "牵头单位", "责任单位", "完成时限"]) == \
        {"seq": 0, "task": 1, "lead": 2, "support": 3, "deadline": 4}
    # 责任单位 alone, or beside 配合单位, is the lead column
    assert column_roles(["序号", "工作任务", "责任单位", "完成时限"])["lead"] == 2
    assert column_roles(["序号", "工作任务", "责任单位", "配合单位"]) == \
        {"seq": 0, "task": 1, "lead": 2, "support": 3}


def _task_rows(raw: str):
    from pipeline.task_rows import build_task_rows
    ct, tables = tables_of(raw)
    secs = segment(ct.text, ct.span)
    tasks = build_tasks(secs, raw, ct.span)
    return build_task_rows(tables, secs, tasks, raw, ct.span)


def test_space_table_task_rows_with_duty_column_beside_lead():
    raw = ("某县防汛方案\n\n一、主要任务\n（一）清理河道。（县水利局负责）\n\n附件\n\n某县防汛重点任务清单\n\n"
           "序号  工作任务              牵头单位      责任单位              完成时限\n"
           "1     清理行洪河道          县水利局      各乡镇人民政府        2025年5月底前\n"
           "2     储备防汛物资          县应急局      县发改局、县财政局    长期\n"
           "\n本清单由县防汛办负责解释。\n")
    rows = _task_rows(raw)
    assert [(r.label, r.quote, r.deadline_text) for r in rows] == [
        ("1", "清理行洪河道", "2025年5月底前"), ("2", "储备防汛物资", "长期")]
    assert [(u.name, u.role.value) for u in rows[1].units] == [
        ("县应急局", "lead"), ("县发改局", "support"), ("县财政局", "support")]


def test_pipe_table_task_rows():
    rows = _task_rows(PIPE_TABLE)
    assert [(r.label, r.quote, r.deadline_text) for r in rows] == [
        ("1", "建设生活垃圾分类投放点120个", "2025年底前"), ("2", "建成厨余垃圾处理设施", "2026年6月底前")]


def test_space_table_ends_at_a_row_wider_than_its_header():
    raw = ("某县方案\n\n附件\n\n序号  工作任务        责任单位\n1     建设站点        县民政局\n"
           "备注  名单另行通知  联系人  电话\n")
    _ct, tables = tables_of(raw)
    assert len(tables) == 1 and tables[0].n_rows == 2


def test_decimal_sublabels_under_dotted_top_labels():
    raw = ("某区养老服务方案\n\n1.总体要求\n\n1.1 发展目标\n到2026年建成养老服务中心10个。\n\n"
           "2.重点任务\n\n2.1 建设养老服务中心。新建中心10个。（区民政局负责）\n\n"
           "2.2 培训护理人员。培训500人次。（区人社局负责）\n")
    assert paths(raw) == [["1"], ["1", "1.1"], ["2"], ["2", "2.1"], ["2", "2.2"]]
    assert task_paths(raw) == [["2", "2.1"], ["2", "2.2"]]
