"""pipeline/segment.py: invented documents for each nesting situation, then the gold task paths."""
import re

import pytest

from conftest import CORPUS, gold_files, load_gold
from pipeline.segment import segment
from schemas.labels import LabelStyle, SectionKind
from schemas.spans import CharSpan


def to_span(s, e):
    return CharSpan(start=s, end=e, orig_start=s, orig_end=e)


def nows(s: str) -> str:
    return "".join(s.split())


def standin_clean(raw: str) -> str:
    """A tiny stand-in for pipeline/clean.py (built in parallel): mixed-width brackets of labels,
    and cell fragments joined to the tab-led cell above them, blank lines between dropped."""
    text = re.sub(r"[(（]([一二三四五六七八九十]+)[)）]", r"（\1）", raw)
    lines = text.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        if line.strip() and "\t" not in line:
            prev = next((j for j in range(len(out) - 1, -1, -1) if out[j].strip()), None)
            nxt = next((ln for ln in lines[i + 1:] if ln.strip()), "")
            joinable_next = nxt.startswith("\t") or (0 < len(nxt.strip()) <= 12 and "\t" not in nxt)
            if prev is not None and out[prev].startswith("\t") and joinable_next:
                del out[prev + 1:]
                out[prev] += line.strip()
                continue
        out.append(line)
    return "\n".join(out)


def tree(text: str):
    return segment(text, to_span)


def by_path(sections):
    return {tuple(s.path): s for s in sections if s.label and s.kind in (SectionKind.HEADING, SectionKind.ITEM)}


# -- invented documents ----------------------------------------------------------------------

DOC_A = """某县节水工作要点

为推进节水型社会建设，制定本要点。

一、全面建设节水型社会
1.开展节水型城市创建。健全长效机制。（县水务局牵头）
2.强化计划用水管理（县水务局牵头）。
二、推进农业节水
3.完成1个节水型灌区创建（县水务局牵头）。
4抓好灌溉定额管理，推广滴灌（县农业农村局牵头）。
5.推进水价改革。
"""

DOC_B = """某市节水行动方案

一、总体要求
坚持节水优先。
二、重点行动
（一）严格总量控制
1.强化指标约束。健全指标体系。
牵头单位：市水务局
配合单位：市发改委
2.推进农村生活节水。
（1）加强管网改造。推动计量收费。
（2）推进农村改厕。提升普及率。
3.严格用水管理。落实论证制度。
（二）加强农业节水
4.优化种植结构。调整布局。
三、保障措施
（一）加强组织领导。成立领导小组。
（二）强化资金保障。加大投入。
"""

DOC_C = """某区节水工作要点（征求意见稿）

为贯彻落实节水行动，制定本要点。

总体目标
到2025年底，全区建成2个节水示范点。
二、具体任务
（一）打造农业节水标杆。推进高标准农田建设。
牵头单位：区农业农村局
（二）打造机关节水标杆。推进节水改造。
三、保障措施
（一）加强组织领导。各部门要提高站位。

附件：1.某区节水工作协调机制
2.某区高标准农田建设情况表
3.某区节水型学校建设情况表

某区水务局
"""

DOC_D = """某市节水方案

一、主要任务
1.推进节水改造。加强管理。
二、保障措施
1.加强领导。明确责任。

附件：1.领导小组名单
      2.任务清单
附件1
某市节水领导小组名单
一、领导小组职责
统筹全市节水工作。
二、办公室职责
承办日常工作。
附件2
某市节水任务清单
序号\t任务\t牵头单位
1\t推进节水改造\t市水务局
"""

DOC_E = """一、工作目标
到2025年，用水总量控制在1亿立方米以内。
3个灌区完成改造。
二、工作任务
1.推进灌区改造。加强管理。
2.推进计量设施建设。
1.完成东干渠改造。
2.完成西干渠改造。
3.完成南干渠改造。
3.推进水价改革。明确责任。
"""

DOC_WRAPPED = """某县人民政府办公室关于印发某县节水方案的通知
各乡镇人民政府，县直各部门：
现将《某县节水方案》印发给你们，请认真贯彻执行。
某县人民政府办公室
2024年3月1日
附件
某县节水方案
一、总体要求
坚持节水优先。
二、重点任务
（一）加强计划用水。严格考核。
"""


def test_root_and_preamble():
    secs = tree(DOC_A)
    root, pre = secs[0], secs[1]
    assert root.index == 0 and root.parent is None and root.kind is SectionKind.DOCUMENT
    assert root.span.start == 0 and root.span.end == len(DOC_A) and root.text == DOC_A
    assert pre.kind is SectionKind.PREAMBLE and pre.parent == 0 and pre.path == []
    assert pre.text.startswith("某县节水工作要点") and pre.text.endswith("制定本要点。")


def test_cn_comma_then_arabic_with_running_numbers():
    got = by_path(tree(DOC_A))
    assert set(got) == {("一",), ("一", "1"), ("一", "2"), ("二",), ("二", "3"), ("二", "4"), ("二", "5")}
    assert got[("一", "1")].title == "开展节水型城市创建"
    assert got[("一", "2")].title == "强化计划用水管理"
    assert got[("二", "3")].title == "完成1个节水型灌区创建"
    # "4抓好…" has no dot but continues 3: accepted as an item
    assert got[("二", "4")].title == "抓好灌溉定额管理，推广滴灌"
    assert got[("一", "1")].kind is SectionKind.ITEM and got[("一",)].kind is SectionKind.HEADING


def test_four_levels_and_unit_lines_stay_in_item():
    got = by_path(tree(DOC_B))
    assert ("二", "（一）", "2", "（1）") in got and ("二", "（一）", "2", "（2）") in got
    assert ("二", "（一）", "3") in got and ("二", "（二）", "4") in got
    assert ("三", "（一）") in got and got[("三", "（二）")].title == "强化资金保障"
    item = got[("二", "（一）", "1")]
    assert item.text.endswith("配合单位：市发改委")
    assert got[("二", "（一）")].title == "严格总量控制"


def test_parent_chain_and_spans():
    secs = tree(DOC_B)
    for s in secs[1:]:
        parent = secs[s.parent]
        assert s.depth == parent.depth + 1
        assert parent.span.start <= s.span.start and s.span.end <= parent.span.end
        assert s.text == DOC_B[s.span.start:s.span.end]
        if s.title_span is not None:
            assert DOC_B[s.title_span.start:s.title_span.end] == s.title
    assert [s.index for s in secs] == list(range(len(secs)))
    starts = [s.span.start for s in secs]
    assert starts == sorted(starts)


def test_unnumbered_heading_stands_in_for_first_sibling():
    secs = tree(DOC_C)
    goal = next(s for s in secs if s.title == "总体目标")
    assert goal.kind is SectionKind.HEADING and goal.label_style is LabelStyle.UNNUMBERED
    assert goal.parent == 0 and goal.path == []
    two = next(s for s in secs if s.path == ["二"])
    assert two.parent == 0
    assert "到2025年底" in goal.text and "具体任务" not in goal.text


def test_appendix_list_closes_body_and_is_not_items():
    secs = tree(DOC_C)
    got = by_path(secs)
    assert set(got) == {("二",), ("二", "（一）"), ("二", "（二）"), ("三",), ("三", "（一）")}
    last = got[("三", "（一）")]
    assert "附件" not in last.text and last.text.endswith("提高站位。")


def test_appendices_are_top_level_containers():
    secs = tree(DOC_D)
    apps = [s for s in secs if s.kind is SectionKind.APPENDIX]
    assert [(a.label, a.title, a.parent, a.path) for a in apps] == [
        ("附件1", "某市节水领导小组名单", 0, ["附件1"]),
        ("附件2", "某市节水任务清单", 0, ["附件2"]),
    ]
    got = by_path(secs)
    assert ("附件1", "一") in got and ("附件1", "二") in got
    assert ("一", "1") in got and ("二", "1") in got
    # the list's "2.任务清单" is not an item of the body
    assert not any(s.title == "任务清单" and s.kind is SectionKind.ITEM for s in secs)
    assert got[("附件1", "二")].text.endswith("承办日常工作。")


def test_bare_number_out_of_sequence_is_body_text_and_restart_nests():
    got = by_path(tree(DOC_E))
    assert ("一", "3") not in got  # "3个灌区…" is a count, not item 3
    assert ("二", "2", "1") in got and ("二", "2", "3") in got  # a restarted 1. nests under item 2
    assert got[("二", "2", "3")].title == "完成南干渠改造"
    # the second "3." continues the outer 1., 2. (the sub-list would go on with 4.)
    assert ("二", "3") in got and got[("二", "3")].title == "推进水价改革"


def test_wrapped_plan_appendix_adds_no_label():
    secs = tree(DOC_WRAPPED)
    app = next(s for s in secs if s.kind is SectionKind.APPENDIX)
    assert app.label == "附件" and app.title == "某县节水方案"
    got = by_path(secs)
    assert ("一",) in got and ("二", "（一）") in got
    assert secs[got[("一",)].parent].kind is SectionKind.APPENDIX


def test_text_without_headings_is_one_preamble():
    text = "这是一段没有标题的文字。\n第二段文字。"
    secs = tree(text)
    assert [s.kind for s in secs] == [SectionKind.DOCUMENT, SectionKind.PREAMBLE]
    assert secs[1].text == text


# An invented plan issued as itself and signed at its foot.
SIGNED_BODY = """某县关于加强河湖管护工作的实施意见

一、重点任务
（一）开展河道清障。汛前完成清障。（县水利局负责）
（二）强化考核。每年通报考核结果。（县水利局牵头，县统计局参与）
"""


@pytest.mark.parametrize("after", ["", "\n（此件公开发布）\n", "\n抄送：县委各部门。\n",
                                   "\n附件1\n某县河湖名录\n一、县级河湖\n"])
def test_a_sign_off_closes_the_last_item(after):
    text = SIGNED_BODY + "\n青川县人民政府办公室\n2024年5月6日\n" + after
    got = by_path(tree(text))
    last = got[("一", "（二）")]
    assert last.text.endswith("县统计局参与）"), last.text
    assert "2024年5月6日" not in got[("一",)].text
    if "附件1" in after:
        assert ("附件1", "一") in got


def test_a_unit_line_and_a_date_inside_an_item_are_not_a_sign_off():
    # a unit name alone on a line with a date under it, and the item going on after them
    text = SIGNED_BODY + "青川县水利局\n2024年6月30日\n完成后报县政府备案。\n"
    got = by_path(tree(text))
    assert got[("一", "（二）")].text.endswith("完成后报县政府备案。")


def test_empty_text():
    secs = tree("")
    assert len(secs) == 1 and secs[0].span.end == 0


def test_mixed_width_bracket_label_is_normalised():
    got = by_path(tree("一、任务\n(三）加强宣传引导。各部门要宣传。\n"))
    assert ("一", "（三）") in got


# -- gold: every task path exists, with its parent chain and title -----------------------------

def _gold_tasks():
    for path in gold_files():
        g = load_gold(path.stem)
        for t in g["tasks"]:
            yield pytest.param(path.stem, t, id=f"{path.stem[:3]}-{'/'.join(t['path'])}")


_TREES: dict[tuple[str, bool], list] = {}


def _sections(stem: str, clean: bool):
    key = (stem, clean)
    if key not in _TREES:
        raw = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")
        _TREES[key] = tree(standin_clean(raw) if clean else raw)
    return _TREES[key]


@pytest.mark.parametrize("clean", [False, True], ids=["raw", "standin"])
@pytest.mark.parametrize("stem, task", list(_gold_tasks()))
def test_gold_task_path_chain_and_title(stem, task, clean):
    secs = _sections(stem, clean)
    path = task["path"]
    matches = [s for s in secs if s.path == path and s.kind in (SectionKind.HEADING, SectionKind.ITEM)]
    assert len(matches) == 1, f"{len(matches)} sections with path {path}"
    s = matches[0]
    chain, node = [], s
    while node.parent is not None:
        if node.label:
            chain.append(node)
        node = secs[node.parent]
    assert [n.label for n in reversed(chain)] == path
    assert [n.path for n in reversed(chain)] == [path[:i + 1] for i in range(len(path))]
    assert nows(s.title or "") == nows(task["title"])


@pytest.mark.parametrize("stem", [p.stem for p in gold_files()])
def test_gold_sections_are_well_formed(stem):
    raw = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")
    secs = _sections(stem, False)
    assert secs[0].text == raw
    for s in secs[1:]:
        assert s.text == raw[s.span.start:s.span.end] and s.text.strip() == s.text
        assert secs[s.parent].span.start <= s.span.start <= s.span.end <= secs[s.parent].span.end
