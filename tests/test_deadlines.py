"""Deadlines: one row per phrase (invented sentences in the style of many plans), plus the gold.

Run `python tests/test_deadlines.py` to print the gold scores and every mismatch.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from extractors.deadlines import DeadlineMatch, find_deadlines, find_time_statements
from extractors.ruleset import load_ruleset

ROOT = Path(__file__).resolve().parents[1]
GOLD = sorted((ROOT / "tests" / "gold").glob("0*.json"))


def kinds_dates(text, base_year=2025, single_year=False):
    return [(d.kind, d.date, d.text) for d in find_deadlines(text, base_year, single_year=single_year)]


# --------------------------------------------------------------------------- absolute points
@pytest.mark.parametrize("text, expected", [
    ("到2025年底，全县节水型企业创建率达到60%。", [("by", "2025-12-31", "到2025年底")]),
    ("2026年底前，各工业园区完成再生水管网建设。", [("by", "2026-12-31", "2026年底前")]),
    ("到2027年6月底，建成3个智慧灌区示范点。", [("by", "2027-06-30", "到2027年6月底")]),
    ("2026年6月，完成问题排水企业整治。", [("by", "2026-06-30", "2026年6月")]),
    ("2028年前全面完成供水管网改造。", [("by", "2028-12-31", "2028年前")]),
    ("到2030年，用水总量控制在3亿立方米以内。", [("by", "2030-12-31", "到2030年")]),
    ("2026年，完成县域节水型社会达标建设。", [("by", "2026-12-31", "2026年")]),
    ("一体化推进2026年计划建设的高标准农田。", [("by", "2026-12-31", "2026年")]),
    ("2027年第一季度完成项目招标。", [("by", "2027-03-31", "2027年第一季度")]),
    ("2026年三季度末前完成验收。", [("by", "2026-09-30", "2026年三季度末前")]),
    ("2026年上半年启动试点。", [("by", "2026-06-30", "2026年上半年")]),
    ("2026年下半年推广应用。", [("by", "2026-12-31", "2026年下半年")]),
    ("2025年12月31日前完成全部计量设施安装。", [("by", "2025-12-31", "2025年12月31日前")]),
    ("2026年3月15日前报送实施方案。", [("by", "2026-03-15", "2026年3月15日前")]),
    ("二〇二七年底前建成数字孪生平台。", [("by", "2027-12-31", "二〇二七年底前")]),
    ("至2026年5月中旬完成排查。", [("by", "2026-05-20", "至2026年5月中旬")]),
    ("截至2026年底，累计建成节水型小区10个。", [("by", "2026-12-31", "截至2026年底")]),
    ("2026 年 底，园区完成循环利用设施建设。", [("by", "2026-12-31", "2026年底")]),
    ("到2025年、2030年，用水效率分别提高到", [("by", "2025-12-31", "到2025年"), ("by", "2030-12-31", "2030年")]),
    ("2026、2027年分别完成2家和3家。", [("by", "2026-12-31", "2026"), ("by", "2027-12-31", "2027年")]),
    ("到“十四五”末，全市再生水利用率达到25%。", [("by", "2025-12-31", "“十四五”末")]),
    ("力争2027年末前建成投运。", [("by", "2027-12-31", "2027年末前")]),
    ("2026年11月前完成冬灌储水。", [("by", "2026-11-30", "2026年11月前")]),
    ("于2026年9月底前完成排查。", [("by", "2026-09-30", "2026年9月底前")]),
    ("2026年度内完成全部改造。", [("by", "2026-12-31", "2026年度内")]),
    ("到2026年年底，建成区全部达标。", [("by", "2026-12-31", "到2026年年底")]),
])
def test_absolute_points(text, expected):
    assert kinds_dates(text, base_year=2025) == expected


# --------------------------------------------------------------------------- relative to the base year
@pytest.mark.parametrize("text, single_year, expected", [
    ("年底前全区各部门完成节水改造。", False, [("by", "2026-12-31", "年底前")]),
    ("年内创成省级节水型企业。", False, [("by", "2026-12-31", "年内")]),
    ("6月底前完成节水器具更换。", False, [("by", "2026-06-30", "6月底前")]),
    ("各医院6月底要争取建成节水型单位。", False, [("by", "2026-06-30", "6月底")]),
    ("至6月底打造2个示范小区，至年底再创建3个。", False,
     [("by", "2026-06-30", "至6月底"), ("by", "2026-12-31", "至年底")]),
    ("三季度末完成全部监测点位建设。", False, [("by", "2026-09-30", "三季度末")]),
    ("一季度末前制定工作方案。", False, [("by", "2026-03-31", "一季度末前")]),
    ("上半年完成摸底调查，下半年全面推开。", False,
     [("by", "2026-06-30", "上半年"), ("by", "2026-12-31", "下半年")]),
    ("9月30日前将评估报告报市政府。", False, [("by", "2026-09-30", "9月30日前")]),
    ("十一月中旬前完成冬季储水调配。", False, [("by", "2026-11-20", "十一月中旬前")]),
    ("次年3月底前报送上年度用水统计数据。", False, [("by", "2027-03-31", "次年3月底前")]),
    ("明年全面推开阶梯水价。", False, [("by", "2027-12-31", "明年")]),
    ("今年底前完成改造。", False, [("by", "2026-12-31", "今年底前")]),
    ("年末前完成年度建设任务。", False, [("by", "2026-12-31", "年末前")]),
    ("全年开展节水宣传活动不少于2场次。", True, [("by", "2026-12-31", "全年")]),
    ("全年开展节水宣传活动不少于2场次。", False, []),
    ("半年总结评估，年终评价落实情况。", True, [("by", "2026-06-30", "半年"), ("by", "2026-12-31", "年终")]),
    ("半年总结评估，年终评价落实情况。", False, []),
    ("本年度内完成全部改造任务。", True, [("by", "2026-12-31", "本年度内")]),
    ("12月中旬前完成考核验收，考核结果于次年1月底前通报。", True,
     [("by", "2026-12-20", "12月中旬前"), ("by", "2027-01-31", "次年1月底前")]),
])
def test_relative_to_base_year(text, single_year, expected):
    assert kinds_dates(text, base_year=2026, single_year=single_year) == expected


@pytest.mark.parametrize("text", ["年底前完成改造。", "6月底前完成。", "三季度末完成。", "次年完成。"])
def test_relative_without_base_year_gives_nothing(text):
    assert find_deadlines(text, None) == []


# --------------------------------------------------------------------------- ranges
@pytest.mark.parametrize("text, start, end, matched", [
    ("2023—2025年，完成用水权确权和明晰。", "2023-01-01", "2025-12-31", "2023—2025年"),
    ("2021-2030 年，实施地下水超采治理。", "2021-01-01", "2030-12-31", "2021-2030年"),
    ("2023年—2025年建成数字水网平台。", "2023-01-01", "2025-12-31", "2023年—2025年"),
    ("2024-2025年，统筹园区供排水设施建设。", "2024-01-01", "2025-12-31", "2024-2025年"),
    ("2021年至2025年，累计改造老旧管网50公里。", "2021-01-01", "2025-12-31", "2021年至2025年"),
    ("2024——2026年，开展灌区现代化改造。", "2024-01-01", "2026-12-31", "2024——2026年"),
    ("2024年1月至2025年6月，完成排查整治。", "2024-01-01", "2025-06-30", "2024年1月至2025年6月"),
    ("“十四五”期间，全市新增高效节水灌溉面积5万亩。", "2021-01-01", "2025-12-31", "“十四五”期间"),
    ("十五五时期，持续压减地下水开采量。", "2026-01-01", "2030-12-31", "十五五时期"),
    ("今明两年完成全部农村供水工程改造。", "2021-01-01", "2022-12-31", "今明两年"),
    ("2021年4月—10月开展河湖专项整治。", "2021-04-01", "2021-10-31", "2021年4月—10月"),
    ("2021年4—10月开展河湖专项整治。", "2021-04-01", "2021-10-31", "2021年4—10月"),
    ("4月至10月开展河湖“清四乱”专项行动。", "2021-04-01", "2021-10-31", "4月至10月"),
    ("6—9月加强汛期巡查。", "2021-06-01", "2021-09-30", "6—9月"),
])
def test_ranges(text, start, end, matched):
    (d,) = [d for d in find_deadlines(text, 2021) if d.kind == "range"]
    assert (d.start_date, d.date, d.text) == (start, end, matched)


def test_range_with_continuation_gives_range_and_ongoing():
    assert kinds_dates("2021-2022年并持续推进管网改造。", base_year=2021) == [
        ("range", "2022-12-31", "2021-2022年"), ("ongoing", None, "持续推进")]


def test_range_with_per_year_values_gives_the_range_only():
    text = "2024-2026年每年新增再生水利用能力分别为20万m3、15万m3、15万m3。"
    assert kinds_dates(text, base_year=2024) == [("range", "2026-12-31", "2024-2026年")]


# --------------------------------------------------------------------------- ongoing and recurring
@pytest.mark.parametrize("text, matched", [
    ("持续推进农业水价综合改革。", "持续推进"),
    ("持续开展节水型企业创建。", "持续开展"),
    ("持续深入开展节水宣传进社区活动。", "持续深入开展"),
    ("持续扩大节水宣传影响力。", "持续扩大"),
    ("持续宣传普及节水知识。", "持续宣传普及"),
    ("长期坚持节水优先方针。", "长期坚持"),
    ("常年开展河道巡查保洁。", "常年开展"),
    ("常态化开展联合执法检查。", "常态化"),
    ("每年组织实施一批节水技改项目。", "每年"),
    ("每半年摸排梳理一次重点企业用水情况。", "每半年"),
    ("每季度通报工作进展。", "每季度"),
    ("每月调度工作进展。", "每月"),
    ("每年6月底前报送上半年用水数据。", "每年6月底前"),
    ("每季度末向县政府报告进展。", "每季度末"),
    ("按照每年递增15%的比例推进载体创建。", "每年"),
    ("分年度建立重点项目台账。", "分年度"),
    ("后续年度从严核定下达用水计划。", "后续年度"),
    ("逐年提高再生水利用率。", "逐年"),
    ("按月调度项目进展。", "按月"),
    ("半年进行一次综合评比。", "半年进行一次"),
    ("半年通报一次工作进展。", "半年通报一次"),
    ("每年汛期6—9月加强巡查。", "每年"),
])
def test_ongoing(text, matched):
    assert kinds_dates(text, base_year=2025) == [("ongoing", None, matched)]


# --------------------------------------------------------------------------- not deadlines
@pytest.mark.parametrize("text", [
    "定期检查供水管网，及时修复漏损。",
    "逐步建立节水标准体系，不断提高用水效率。",
    "限期进行节水改造，推动项目早日建成。",
    "适时调整水价，对比企业用水量同期变化。",
    "同时设计、同时施工、同时投入使用。",
    "充分利用黄河凌汛期分洪引水。",
    "利用“世界水日”“中国水周”开展宣传。",
    "明确全县“十四五”用水总量控制指标。",
    "落实“十四五”节约用水规划任务。",
    "将节水指标纳入年度考核体系，制定年度计划。",
    "将漏损率纳入乡镇年终考核。",
    "开展2024年度海绵城市建设绩效评估。",
    "编制2021—2025年城镇供水及节水实施计划。",
    "制定2026年节水宣传方案。",
    "万元GDP用水量较2020年下降16%。",
    "与2022年相比，用水总量下降5%。",
    "在2023年的基础上提高3个百分点。",
    "从2024年开始，逐步推广。",
    "自2025年7月起施行。",
    "2022年以来，全县累计建成节水型单位20家。",
    "全市2020年已通过县域节水型社会达标验收。",
    "年用水量1万立方米以上的工业企业纳入重点监控。",
    "落实《某市节水行动实施方案（2023—2025年）》要求。",
    "3月22日世界水日当天开展宣传。",
    "促进经济社会可持续发展。",
    "建立节水长效机制，长期以来用水粗放。",
    "常年平均降水量不足400毫米，常年水位偏低。",
    "今年以来全县新增节水灌溉面积。",
    "开展1-6月用水数据统计分析。",
    "2024年起逐步接入实时监测数据。",
    "统筹夏季高峰期和冬季用水调度。",
    "三年内完成、近半年以来成效明显。",
    "每人每天用水量、每个乡镇。",
    "报送上半年用水数据和三季度工作总结。",
])
def test_not_deadlines(text):
    assert find_deadlines(text, 2025, single_year=True) == []


def test_past_year_before_base_year_is_not_a_deadline():
    assert find_deadlines("完成2022年专项检查反馈问题整改。", 2023) == []
    assert kinds_dates("完成2023年专项检查反馈问题整改。", base_year=2023) == [("by", "2023-12-31", "2023年")]


def test_identical_expressions_are_recorded_once():
    text = "分年度建立项目台账，分年度推进实施；到2025年完成，到2025年验收。"
    assert kinds_dates(text, base_year=2025) == [
        ("ongoing", None, "分年度"), ("by", "2025-12-31", "到2025年")]


def test_same_date_different_expressions_are_kept():
    assert kinds_dates("2025年完成改造，到2025年底验收。", base_year=2025) == [
        ("by", "2025-12-31", "2025年"), ("by", "2025-12-31", "到2025年底")]


@pytest.mark.parametrize("text, code", [
    ("万元GDP用水量较2020年下降16%。", "DL001"),
    ("年底前完成改造。", "DL002"),
    ("全年开展宣传。", "DL003"),
    ("2023—2025年完成改造。", "DL005"),
    ("完成2022年专项检查反馈问题整改。", "DL006"),
])
def test_dropped_candidates_are_logged_with_a_code(text, code, caplog):
    caplog.set_level("DEBUG", logger="extractors.deadlines")
    find_deadlines(text, None if code == "DL002" else 2023)
    assert any(r.getMessage().startswith(code) for r in caplog.records)


# --------------------------------------------------------------------------- offsets and shape
@pytest.mark.parametrize("text", [
    "推进改造。到 2026 年\n底，园区完成\t建设；每半年  摸排；2023 — 2025 年完成",
    "　　持续\n推进，6 月底前完成。",
])
def test_offsets_point_at_the_verbatim_text(text):
    found = find_deadlines(text, 2023)
    assert found
    for d in found:
        assert re.sub(r"\s+", "", text[d.start:d.end]) == d.text
        assert not text[d.start].isspace() and not text[d.end - 1].isspace()


def test_match_is_frozen_and_carries_rule_id():
    (d,) = find_deadlines("到2025年底完成", 2025)
    assert isinstance(d, DeadlineMatch) and d.rule_id == "by_date"
    with pytest.raises(AttributeError):
        d.date = "x"


def test_every_rule_has_examples_and_a_known_label():
    rs = load_ruleset("deadlines")
    for r in rs.rules:
        assert r.examples, r.id
        assert r.label in {"by", "range", "ongoing", "exclude"}, r.id


# --------------------------------------------------------------------------- time statements
@pytest.mark.parametrize("text, base_year, years", [
    ("到2025年，节水率达到20%。", 2023, [2025]),
    ("2023年，完成8座塘坝；2024年，开工水库。", 2023, [2023, 2024]),
    ("2023—2025年漏损率分别控制在12%、10%、8%以内。", 2023, [2025]),
    ("较2020年下降15%，每年递增20%，持续推进。", 2021, []),
    ("从2021年开始，到2025年达到90%。", 2021, [2025]),
    ("年底前完成。", 2026, [2026]),
    ("年底前完成。", None, []),
])
def test_time_statements(text, base_year, years):
    assert [s.year for s in find_time_statements(text, base_year)] == years


def test_time_statements_keep_repeats_and_range_start():
    st = find_time_statements("2024年完成，2023-2025年推进，2024年验收。", 2023)
    assert [(s.year, s.start_year) for s in st] == [(2024, None), (2025, 2023), (2024, None)]
    assert st[0].start < st[1].start < st[2].start


# --------------------------------------------------------------------------- gold
def _stop(line: str) -> bool:
    s = line.strip()
    return bool(re.match(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,3}(?:[.．、]|(?=[\u4e00-\u9fff]))"
                         r"|[①-⑳]|附件|第[一二三四五六七八九十]+[章节条])", s))


def slice_task(doc: str, quote: str) -> str:
    """The item's text: from its quote to the next line that starts a label (unit lines included)."""
    keep = [i for i, c in enumerate(doc) if not c.isspace()]
    compact = "".join(doc[i] for i in keep)
    q = re.sub(r"\s+", "", quote)
    pos = compact.find(q)
    assert pos >= 0, quote
    start = keep[pos]
    line_end = doc.find("\n", start)
    end = len(doc)
    offset = line_end + 1 if line_end >= 0 else len(doc)
    while 0 <= line_end < len(doc):
        nxt = doc.find("\n", offset)
        line = doc[offset: nxt if nxt >= 0 else len(doc)]
        if _stop(line):
            end = offset
            break
        if nxt < 0:
            break
        offset = nxt + 1
    return doc[start:end]


def is_single_year(title: str) -> bool:
    """Stand-in for the metadata stage: an annual 工作要点 / 年度任务 plan without a span of years."""
    return bool(re.search(r"工作要点|年度任务|年度工作", title)) and not re.search(r"\d{4}\s*[-–—至]\s*\d{4}", title)


def gold_comparison():
    """Per task: (file, path, gold (kind, date) list, predicted list, predicted texts)."""
    rows = []
    for gf in GOLD:
        g = json.loads(gf.read_text(encoding="utf-8"))
        doc = (ROOT / "corpus" / g["file"]).read_text(encoding="utf-8")
        single = is_single_year(g["title"])
        for t in g["tasks"]:
            text = slice_task(doc, t["quote"])
            pred = find_deadlines(text, g["base_year"], single_year=single)
            rows.append((g["file"], t["path"], [(d["kind"], d["date"]) for d in t["deadlines"]],
                         [(d.kind, d.date) for d in pred], [d.text for d in pred],
                         [d["text"] for d in t["deadlines"]]))
    return rows


def gold_scores():
    tp = fp = fn = 0
    for *_, gold, pred, _, _ in gold_comparison():
        common = sum((Counter(gold) & Counter(pred)).values())
        tp, fp, fn = tp + common, fp + len(pred) - common, fn + len(gold) - common
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return tp, fp, fn, p, r, (2 * p * r / (p + r) if p + r else 0.0)


def test_gold_tasks_are_all_found():
    assert len(gold_comparison()) == sum(len(json.loads(f.read_text(encoding="utf-8"))["tasks"]) for f in GOLD)


def test_gold_f1_floor():
    tp, fp, fn, p, r, f1 = gold_scores()
    assert f1 >= 0.95, (tp, fp, fn, p, r, f1)


@pytest.mark.parametrize("date_kind", ["by", "range", "ongoing"])
def test_gold_recall_per_kind(date_kind):
    gold_n = hit = 0
    for *_, gold, pred, _, _ in gold_comparison():
        g = Counter(x for x in gold if x[0] == date_kind)
        gold_n += sum(g.values())
        hit += sum((g & Counter(pred)).values())
    assert gold_n and hit / gold_n >= 0.9


if __name__ == "__main__":
    for file, path, gold, pred, ptext, gtext in gold_comparison():
        if Counter(gold) != Counter(pred):
            print(file[:3], path, "gold", list(zip(gtext, gold)), "pred", list(zip(ptext, pred)))
    print("tp=%d fp=%d fn=%d P=%.3f R=%.3f F1=%.3f" % gold_scores())
