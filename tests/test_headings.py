"""extractors/headings.py: one line -> its label, style and title. Invented sentences, one row each."""
import pytest

from extractors.headings import classify_line, heading_rules, trim_title
from extractors.ruleset import load_ruleset
from schemas.labels import LabelStyle

S = LabelStyle


@pytest.mark.parametrize("line, style, label, number, title, is_item", [
    ("一、总体要求", S.CN_COMMA, "一", 1, "总体要求", False),
    ("十二、附则", S.CN_COMMA, "十二", 12, "附则", False),
    ("三. 重点任务", S.CN_COMMA, "三", 3, "重点任务", False),
    ("四．组织实施", S.CN_COMMA, "四", 4, "组织实施", False),
    ("（一）严格总量和强度双控", S.CN_PAREN, "（一）", 1, "严格总量和强度双控", False),
    ("(三）加强宣传引导。各县要充分利用媒体。", S.CN_PAREN, "（三）", 3, "加强宣传引导", True),
    ("(二)强化考核。建立目标责任制。", S.CN_PAREN, "（二）", 2, "强化考核", True),
    ("（十一）其他事项", S.CN_PAREN, "（十一）", 11, "其他事项", False),
    ("1.强化用水指标刚性约束。健全三级控制指标体系。", S.ARABIC_DOT, "1", 1, "强化用水指标刚性约束", True),
    ("1. 定期开展用水监测分析。建立监测机制。", S.ARABIC_DOT, "1", 1, "定期开展用水监测分析", True),
    ("12．加强计量统计。推进在线计量。", S.ARABIC_DOT, "12", 12, "加强计量统计", True),
    ("3、推进节水型社会建设", S.ARABIC_DOT, "3", 3, "推进节水型社会建设", False),
    ("５．完善价格机制。", S.ARABIC_DOT, "5", 5, "完善价格机制", True),
    ("3.完成2个节水型灌区创建（县水务局牵头）。", S.ARABIC_DOT, "3", 3, "完成2个节水型灌区创建", True),
    ("9.开展征文比赛。（县教育局、县水务局牵头）", S.ARABIC_DOT, "9", 9, "开展征文比赛", True),
    ("4.推广节水器具，普及节水马桶（县住建局牵头，县市场监管局配合）。", S.ARABIC_DOT, "4", 4,
     "推广节水器具，普及节水马桶", True),
    ("7.创建1家节水型酒店（某某酒店创建节水型酒店）。", S.ARABIC_DOT, "7", 7,
     "创建1家节水型酒店（某某酒店创建节水型酒店）", True),
    ("8.开展用水指标核减工作（县经济信息", S.ARABIC_DOT, "8", 8, "开展用水指标核减工作", False),
    ("21抓好水效标识落实（县市场监管局牵头）。", S.ARABIC_DOT, "21", 21, "抓好水效标识落实", True),
    ("（1）在保障饮水安全基础上，加强管网改造。", S.ARABIC_PAREN, "（1）", 1, "在保障饮水安全基础上，加强管网改造", True),
    ("(2)推进农村改厕。", S.ARABIC_PAREN, "（2）", 2, "推进农村改厕", True),
    ("3）推进机关节水。", S.ARABIC_PAREN, "（3）", 3, "推进机关节水", True),
    ("②园林绿化选用耐旱植被。", S.CIRCLED, "②", 2, "园林绿化选用耐旱植被", True),
    ("第一章 总则", S.ORDINAL, "第一章", 1, "总则", False),
    ("第三节　水资源刚性约束", S.ORDINAL, "第三节", 3, "水资源刚性约束", False),
    ("第二部分 主要任务", S.ORDINAL, "第二部分", 2, "主要任务", False),
    ("　　二、保障措施", S.CN_COMMA, "二", 2, "保障措施", False),
])
def test_numbered_lines(line, style, label, number, title, is_item):
    m = classify_line(line)
    assert m is not None
    assert (m.style, m.label, m.number, m.title, m.is_item) == (style, label, number, title, is_item)
    assert line[m.title_start:m.title_end] == title


@pytest.mark.parametrize("line, label", [
    ("附件", "附件"), ("附件2", "附件2"), ("附件 3", "附件3"), ("附件1：", "附件1"), ("附表1", "附表1"),
])
def test_appendix_headings(line, label):
    m = classify_line(line)
    assert m is not None and m.style is S.APPENDIX and m.label == label


@pytest.mark.parametrize("line", [
    "附件：1.某县节水工作协调机制", "附件：某市节水重点任务清单", "附件1：任务分工表",
])
def test_appendix_lists(line):
    m = classify_line(line)
    assert m is not None and m.key == "appendix_list" and m.label is None


@pytest.mark.parametrize("line, title", [
    ("总体目标", "总体目标"), ("保障措施", "保障措施"), ("指导思想", "指导思想"), ("工作目标：", "工作目标"),
    ("主要目标和任务", "主要目标和任务"), ("组织保障", "组织保障"), ("  重点任务", "重点任务"),
])
def test_unnumbered_headings(line, title):
    m = classify_line(line)
    assert m is not None and m.style is S.UNNUMBERED and m.label is None and m.title == title


@pytest.mark.parametrize("line", [
    "2023年，制定节约用水管理办法。",           # a year, not a label
    "1.5万亩高效节水灌溉面积",                  # a decimal
    "一、二、三产业用水比例调整至70:12:18",     # an inline enumeration
    "一是量水而行，节水优先。",                 # 一是 enumerations are not sections
    "一体化推进高标准农田建设。",
    "3个节水型灌区完成创建",                    # a bare count, not a label
    "10万亩高标准农田",
    "（含2万立方米）的新建项目",
    "（2021年）",
    "牵头单位：县水务局",
    "节水行动实施方案年度任务目标",            # a title line ending in 目标
    "某县节水行动实施方案",
    "某县水务局",
    "2021年4月18日",
    "要求",
    "序号\t工作任务\t责任单位",                  # a table line
    "\t（一）",
    "",
    "   ",
])
def test_not_headings(line):
    assert classify_line(line) is None


def test_bare_number_is_flagged():
    m = classify_line("7加强企业用水循环利用。")
    assert m is not None and m.bare and m.label == "7"
    assert not classify_line("7.加强企业用水循环利用。").bare


@pytest.mark.parametrize("title, closed, expected", [
    ("完成灌区创建（县水务局牵头）", True, "完成灌区创建"),
    ("抓好落实（责任单位：市水务局）", True, "抓好落实"),
    ("推进改造（县住建局负责，县财政局配合）", True, "推进改造"),
    ("核减工作（县经济信息", False, "核减工作"),
    ("核减工作（县经济信息", True, "核减工作（县经济信息"),
    ("配备计量器具（GB/T 24789-2022）", True, "配备计量器具（GB/T 24789-2022）"),
    ("不带括号的标题", True, "不带括号的标题"),
])
def test_trim_title(title, closed, expected):
    assert trim_title(title, heading_rules(), closed) == expected


def test_rule_file_loads_with_examples():
    rules = load_ruleset("headings")
    ids = {r.id for r in rules.rules}
    assert {"cn_comma", "cn_paren", "arabic_dot", "arabic_bare", "arabic_paren", "circled",
            "appendix", "appendix_list", "unnumbered", "resp_paren"} <= ids
    assert all(r.examples for r in rules.rules)
