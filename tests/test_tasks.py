"""Task selection from the section tree, on invented plans."""
from pipeline.clean import clean
from pipeline.segment import segment
from pipeline.tasks import build_tasks, is_task_section, quote_at


def tasks_of(text: str):
    ct = clean(text)
    return build_tasks(segment(ct.text, ct.span), ct.orig, ct.span)


PLAN = """XX市推进节约用水行动方案

为全面推进节水型社会建设，制定本方案。

一、总体要求
（一）指导思想
坚持节水优先方针。
（二）主要目标
到2025年，全市用水总量控制在3.5亿立方米以内。
二、重点任务
（一）强化农业节水
1.推进高标准农田建设。新建高标准农田5万亩。（市农业农村局牵头，市水务局配合）
2.推广节水灌溉技术。
（1）推广喷灌滴灌。（责任单位：市农业农村局）
（2）建设示范区2个。（责任单位：市水务局）
（二）推进工业节水
3.开展水平衡测试。（市工业和信息化局负责）
三、保障措施
（一）加强组织领导。各地要切实加强领导。
（二）强化考核评估。将节水指标纳入考核。
"""


def test_tasks_are_items_of_task_and_safeguard_sections():
    paths = [t.path for t in tasks_of(PLAN)]
    assert paths == [
        ["二", "（一）", "1"],
        ["二", "（一）", "2", "（1）"],   # sub-items carry their own units: they are the tasks
        ["二", "（一）", "2", "（2）"],
        ["二", "（二）", "3"],
        ["三", "（一）"],
        ["三", "（二）"],
    ]


def test_a_top_level_section_without_items_is_a_task_only_when_it_names_work():
    # 三、工作要求 over a paragraph is a part of the plan, not an item; 一、推进农业节水 with no
    # items under it is a piece of work on its own.
    plan = ("XX县节水工作方案\n\n一、推进农业节水。新建高效节水灌溉面积1万亩。（县农业农村局牵头）\n"
            "二、推进工业节水。开展水平衡测试。（县工业和信息化局负责）\n"
            "三、工作要求\n各责任部门要明确专人，每月5日前报送工作进展。\n")
    assert [t.path for t in tasks_of(plan)] == [["一"], ["二"]]


def test_goal_and_principle_sections_hold_no_tasks():
    titles = [t.title for t in tasks_of(PLAN)]
    assert not any("节水优先" in t or "用水总量" in t for t in titles)
    # any short qualifier before 目标 names a goal section (建设目标, 治理目标)
    plan = PLAN.replace("一、总体要求", "一、建设目标")
    assert [t.path for t in tasks_of(plan)] == [t.path for t in tasks_of(PLAN)]
    assert not any(t.path[0] == "一" for t in tasks_of(plan))


def test_item_whose_sub_items_carry_no_units_is_one_task():
    plan = PLAN.replace("（责任单位：市农业农村局）", "").replace("（责任单位：市水务局）", "")
    paths = [t.path for t in tasks_of(plan)]
    assert ["二", "（一）", "2"] in paths
    assert ["二", "（一）", "2", "（1）"] not in paths


def test_quote_is_verbatim_from_the_source_after_the_number():
    t = tasks_of(PLAN)[0]
    assert t.quote == "推进高标准农田建设。新建高标准农"
    assert t.title == "推进高标准农田建设"


def test_quote_skips_whitespace_and_stops_at_the_bound():
    assert quote_at("1.  推进 农田\n建设", 2) == "推进农田建设"
    assert quote_at("完成1个节水型灌区创建\t区水利局", 0, 11) == "完成1个节水型灌区创建"


def test_task_text_hash_ignores_whitespace():
    a = tasks_of(PLAN)[0]
    b = tasks_of(PLAN.replace("推进高标准农田建设。", "推进高标准农田 建设。"))[0]
    assert a.text_hash == b.text_hash


def test_top_level_section_kinds():
    from schemas.document import Section
    from schemas.labels import LabelStyle, SectionKind
    from schemas.spans import CharSpan

    span = CharSpan(start=0, end=1, orig_start=0, orig_end=1)

    def sec(title, kind=SectionKind.HEADING):
        return Section(index=1, parent=0, depth=1, kind=kind, label="一", label_style=LabelStyle.CN_COMMA,
                       path=["一"], title=title, text=title, span=span)

    assert not is_task_section(sec("总体要求"))
    assert not is_task_section(sec("目标任务"))
    assert is_task_section(sec("重点任务"))
    assert is_task_section(sec("保障措施"))
    assert is_task_section(sec("全面建设节水型社会"))
    assert not is_task_section(sec("附件2", SectionKind.APPENDIX))
    assert not is_task_section(sec("实施范围"))
    assert not is_task_section(sec("重要意义"))
    assert not is_task_section(sec("现状分析"))
    assert not is_task_section(sec("附则"))


TRAILING = """XX区城市管理提升方案

一、行动目标
到2026年，道路机械化清扫率达到95%以上。
二、重点任务
（一）提升市容环境
（1）规范广告设置。（责任单位：区城市管理局）
（2）整治背街小巷。（责任单位：区住房城乡建设局）
（二）完善市政基础设施
对城区道路、桥梁开展体检评估，重点抓好以下工作：
①改造城市道路12.5公里；
②新建排水管网28公里。
（区住房城乡建设局牵头，区交通运输局配合）
三、保障措施
（一）加强组织领导。各地要切实加强领导。
"""


def test_statement_after_the_last_sub_item_names_the_units_of_the_whole_item():
    paths = [t.path for t in tasks_of(TRAILING)]
    assert paths == [["二", "（一）", "（1）"], ["二", "（一）", "（2）"], ["二", "（二）"], ["三", "（一）"]]


def test_last_sub_item_with_its_own_statement_stays_a_task():
    # the statement is on the sub-item's own line: the sub-items are tasks, whichever carry units
    plan = TRAILING.replace("②新建排水管网28公里。\n（区住房城乡建设局牵头，区交通运输局配合）",
                            "②新建排水管网28公里。（区住房城乡建设局牵头，区交通运输局配合）")
    paths = [t.path for t in tasks_of(plan)]
    assert ["二", "（二）", "②"] in paths and ["二", "（二）"] not in paths
