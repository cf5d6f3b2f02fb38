"""find_targets / assign_years: one row per invented phrase, plus the score on the sample gold."""
from decimal import Decimal

import pytest

from extractors.ruleset import load_ruleset
from extractors.targets import assign_years, find_targets, shifted

D = Decimal


def triples(text):
    return [(t.comparator, t.value, t.value_max, t.unit) for t in find_targets(text)]


@pytest.mark.parametrize("text, expected", [
    # >= : 达到 / 不低于 / 以上 / 提高到 / 至少 / 力争 / 争取 / 不少于 / 保持在
    ("到2027年，全县农田灌溉水有效利用系数达到0.58。", [(">=", D("0.58"), None, "")]),
    ("规模以上工业用水重复利用率不低于92%。", [(">=", D("92"), None, "%")]),
    ("城镇污水处理率达到95％以上。", [(">=", D("95"), None, "%")]),
    ("灌溉水有效利用系数提高到0.6以上。", [(">=", D("0.6"), None, "")]),
    ("全省创建节水型企业至少30家。", [(">=", D("30"), None, "家")]),
    ("力争新建节水型灌区3个。", [(">=", D("3"), None, "个")]),
    ("争取培育2家省级水效领跑者。", [(">=", D("2"), None, "家")]),
    ("建成不少于5个县域节水型社会达标县。", [(">=", D("5"), None, "个")]),
    ("培育1个以上节水服务企业。", [(">=", D("1"), None, "个")]),
    ("再生水利用率保持在40%以上。", [(">=", D("40"), None, "%")]),
    ("饮用水水源地水质达标率保持100%。", [(">=", D("100"), None, "%")]),
    ("全年接待游客突破500万人次。", [(">=", D("500"), None, "万人次")]),
    ("中水回用量达到每天2万立方米。", [(">=", D("2"), None, "万立方米")]),
    ("新增造林绿化面积1.2万亩以上。", [(">=", D("1.2"), None, "万亩")]),
    ("粮食总产量稳定在50亿斤以上。", [(">=", D("50"), None, "亿斤")]),
    ("人均预期寿命达到80岁以上。", [(">=", D("80"), None, "岁")]),
    ("监测覆盖范围至少达到取水总量的80%。", [(">=", D("80"), None, "%")]),
    # <= : 控制在…以内 / 不高于 / 以下 / 不超过 / 低于 / 降低至
    ("全市用水总量控制在5.6亿立方米以内。", [("<=", D("5.6"), None, "亿立方米")]),
    ("公共供水管网漏损率不高于9%。", [("<=", D("9"), None, "%")]),
    ("居民人均生活用水量降低至110（L/人·d）以下。", [("<=", D("110"), None, "L/人·d")]),
    ("地下水开采量不超过3000万m3。", [("<=", D("3000"), None, "万m3")]),
    ("漏损率低于8%。", [("<=", D("8"), None, "%")]),
    ("农业综合灌溉定额控制在350方/亩以内。", [("<=", D("350"), None, "方/亩")]),
    # = : plain amounts, shares, 为
    ("新建高标准农田12万亩。", [("=", D("12"), None, "万亩")]),
    ("完成2个灌区续建配套与现代化改造。", [("=", D("2"), None, "个")]),
    ("打造3个节水教育基地。", [("=", D("3"), None, "个")]),
    ("建成 4 座再生水厂。", [("=", D("4"), None, "座")]),
    ("60%的县级机关建成节水型机关。", [("=", D("60"), None, "%")]),
    ("新增高效节水灌溉面积2.5万亩。", [("=", D("2.5"), None, "万亩")]),
    ("非常规水源利用量为1200万立方米。", [("=", D("1200"), None, "万立方米")]),
    ("建设两座调蓄水池。", [("=", D("2"), None, "座")]),
    ("新增供水能力一万立方米。", [("=", D("1"), None, "万立方米")]),  # FORMAT: 一万 is 1, unit 万…
    ("建设5000立方米/年的雨水收集设施。", [("=", D("5000"), None, "立方米/年")]),
    ("2024—2028年累计改造骨干渠道8万公里。", [("=", D("8"), None, "万公里")]),
    ("新增公共停车泊位0.8万个。", [("=", D("0.8"), None, "万个")]),
    ("新购置压缩式垃圾运输车20辆。", [("=", D("20"), None, "辆")]),
    ("接入视频监控点位不少于3000路。", [(">=", D("3000"), None, "路")]),
    ("每万人城市管理投诉量控制在5件以内。", [("<=", D("5"), None, "件")]),
    ("全区累计完成城市更新投资十二亿元。", [("=", D("12"), None, "亿元")]),
    ("改造生活垃圾分类投放点位一千二百个。", [("=", D("1200"), None, "个")]),
    # relative change
    ("万元地区生产总值用水量较2020年下降16%。", [("decrease", D("16"), None, "%")]),
    ("万元工业增加值用水量比2020年降低12%。", [("decrease", D("12"), None, "%")]),
    ("工业用水重复利用率提高3个百分点。", [("increase", D("3"), None, "个百分点")]),
    ("再生水利用量增长20%。", [("increase", D("20"), None, "%")]),
    ("按照每年递增15%推进节水载体创建。", [("increase", D("15"), None, "%")]),
    # range
    ("每个乡镇举办2-3场次节水宣传活动。", [("range", D("2"), D("3"), "场次")]),
    ("培育3～5家合同节水服务机构。", [("range", D("3"), D("5"), "家")]),
    ("新创建省级节水型企业1至2家。", [("range", D("1"), D("2"), "家")]),
    # counters of objects: 块 (meters), 盏 (lamps); not 张 or 根, which set phrases use (两张清单, 一张图)
    ("更换老化水表 1200 块，安装路灯300盏。", [("=", D("1200"), None, "块"), ("=", D("300"), None, "盏")]),
    # a length of time is not a count of 个
    ("每两个月开展巡查，3个月内完成整改，10个工作日内反馈。", []),
    ("每年培育三到五个节水示范区。", [("range", D("3"), D("5"), "个")]),
    # coefficient and per-mille
    ("灌溉水利用系数提高到0.5118以上。", [(">=", D("0.5118"), None, "")]),
    ("万人病床数达到5‰。", [(">=", D("5"), None, "‰")]),
    # 至少…力争 and totals with parts
    ("创建市级节水型单位至少6家，力争8家。", [(">=", D("6"), None, "家"), (">=", D("8"), None, "家")]),
    ("实施高标准农田建设8.2万亩（新建5万亩，改造提升3.2万亩）。",
     [("=", D("8.2"), None, "万亩"), ("=", D("5"), None, "万亩"), ("=", D("3.2"), None, "万亩")]),
])
def test_comparators_values_units(text, expected):
    assert triples(text) == expected


@pytest.mark.parametrize("text", [
    "鼓励年用水量5万立方米以上的工业企业开展水平衡测试。",
    "年用水量1万立方米及以上的服务业单位纳入计划用水管理。",
    "单体建筑面积超过2万平方米的新建公共建筑应安装中水设施。",
    "推动年取用水量（5万m3及以上）的取水户安装在线计量。",
    "年设计用水量3万立方米（含3万立方米）的建设项目开展节水评价。",
    "规模以上工业企业开展水效对标。",
    "县级以上党政机关全部建成节水型机关。",
    "更换3L以下水箱的节水马桶。",
    "选用水效等级2级（含）以上的用水器具。",
    "万元GDP用水量较2020年有所下降。",
    "全区2020年已建成节水型小区5个。",
    "目前已累计建成高效节水灌溉面积40万亩。",
    "执行《节水型企业评价导则》（GB/T 7119-2018）。",
    "根据市政办发〔2023〕15号文件精神。",
    "每年召开一次联席会议。",
    "建立三级节水管理体系，落实节水三同时制度，推进一水多用和水肥一体化。",
    "推行一户一表改造，开展二次供水设施改造。",
    "实行问题清单、责任清单“两张清单”管理，绘制全县水网一张图。",
    "第2个阶段完成验收。",
    "到2025年底，全面完成节水改造。",
    "推动有两个以上不同水源的企业分别计量。",
    "漏损率由15%下降。",
    "为65岁以上老年人提供免费体检。",
    "完善3岁以下婴幼儿照护服务。",
])
def test_not_targets(text):
    assert triples(text) == []


@pytest.mark.parametrize("text, expected", [
    ("2023-2025年城镇公共供水管网漏损率分别控制在11%、10%、9%以内。",
     [("<=", D("11"), "2023"), ("<=", D("10"), "2024"), ("<=", D("9"), "2025")]),
    ("2024—2026年每年新增再生水利用能力分别为20万m3、30万m3、40万m3。",
     [("=", D("20"), "2024"), ("=", D("30"), "2025"), ("=", D("40"), "2026")]),
    ("城镇、农村污水集中处理率分别达到95%、60%以上。", [(">=", D("95"), "城镇"), (">=", D("60"), "农村污水集中处理率")]),
    ("机关、学校、医院分别建成3个节水示范单位。",
     [("=", D("3"), "机关"), ("=", D("3"), "学校"), ("=", D("3"), "医院")]),
    ("渠系水利用率和田间水利用率均达到85%以上。",
     [(">=", D("85"), "渠系水利用率"), (">=", D("85"), "田间水利用率")]),
    # a list of years instead of a range
    ("2024年、2025年污水集中收集率分别达到60%、70%。", [(">=", D("60"), "2024"), (">=", D("70"), "2025")]),
    ("到2025年底和2030年，用水总量分别控制在12亿立方米、13亿立方米以内。",
     [("<=", D("12"), "2025"), ("<=", D("13"), "2030")]),
    ("2025、2027年分别新增高效节水灌溉面积5万亩、8万亩。", [("=", D("5"), "2025"), ("=", D("8"), "2027")]),
])
def test_respectively_lists_expose_pairing(text, expected):
    found = find_targets(text)
    assert [(t.comparator, t.value, t.pair_key) for t in found] == expected
    assert all(t.pair_count == len(expected) for t in found)
    if expected[0][2].isdigit():
        assert [t.own_year for t in found] == [int(k) for _, _, k in expected]


def test_ratio_gives_one_target_per_part():
    found = find_targets("到2030年，一、二、三产业用水比例调整至68.5︰14.5︰17。")
    assert [(t.indicator, t.value, t.unit, t.comparator) for t in found] == [
        ("一产业用水比例", D("68.5"), "%", "="), ("二产业用水比例", D("14.5"), "%", "="),
        ("三产业用水比例", D("17"), "%", "=")]
    assert find_targets("会议于9:30召开。") == []


@pytest.mark.parametrize("text, own_year", [
    ("2030年农业综合灌溉定额控制在330立方米/亩以内。", 2030),
    ("到2026年全市建成不少于3家节水标杆企业。", 2026),
    ("2024—2026年完成6个企业节水改造。", 2026),
    ("万元GDP用水量较2020年下降10%。", None),
    ("从2021年开始每年递增10%。", None),
    ("新建节水型小区5个。", None),
])
def test_own_year(text, own_year):
    assert find_targets(text)[0].own_year == own_year


def test_text_and_indicator_are_short_and_verbatim():
    s = "到2025年，全区农业高效节水面积达到78%；城镇节水型小区建成率达到 20%。"
    found = find_targets(s)
    assert [t.text for t in found] == ["全区农业高效节水面积达到78%", "城镇节水型小区建成率达到 20%"]
    assert [t.indicator for t in found] == ["全区农业高效节水面积", "城镇节水型小区建成率"]
    assert all(s[t.start:t.end] == t.text for t in found)
    assert found[0].base_value == D("78") and found[0].base_unit == "%"
    assert find_targets("打造2个农业节水示范区。")[0].indicator == "农业节水示范区"


def test_base_value_converts_multipliers():
    t = find_targets("用水总量控制在2.2亿立方米以内。")[0]
    assert (t.base_value, t.base_unit) == (D("220000000"), "m3")


def test_assign_years_rules():
    text = "2023年，新建塘坝8座；2024年，新建塘坝6座。规划新建水库1座。"
    found = find_targets(text)
    statements = [(0, 2023), (text.index("2024年"), 2024)]
    assert assign_years(found, statements, None) == [2023, 2024, 2024]
    # a relative time inside the target's own phrase is its clause's time (年内完成…的80%)
    inside = find_targets("年内完成整治任务的80%")
    assert assign_years(inside, [(0, 2022)], None) == [2022]
    # a statement after the target does not count; without one, the single-year plan's year
    later = find_targets("新建水库1座，2024年完成验收。")
    assert assign_years(later, [(7, 2024)], None) == [None]
    assert assign_years(later, [(7, 2024)], 2023) == [2023]
    # the clause's own year wins
    own = find_targets("2030年控制在337立方米/亩以内")
    assert assign_years(own, [(0, 2025)], None) == [2030]


def test_shifted_moves_offsets():
    t = find_targets("新建水库1座")[0]
    assert (shifted(t, 10).start, shifted(t, 10).end) == (t.start + 10, t.end + 10)


def test_ruleset_loads_and_every_label_is_used():
    labels = {r.label for r in load_ruleset("targets").rules}
    assert {"figure", "ratio", "comparator", "qualifier", "exclude", "distribute", "year", "year_range"} <= labels


def test_gold_floor():
    from tests.gold_targets_eval import score
    plain, with_year = score(False), score(True)
    print("gold targets:", {k: v for k, v in plain.items() if k != "mismatches"})
    print("with year:", {k: v for k, v in with_year.items() if k != "mismatches"})
    assert plain["f1"] >= 0.90, plain["mismatches"]
    assert with_year["f1"] >= 0.90, with_year["mismatches"]
    assert plain["comparator_accuracy"] >= 0.90, plain["mismatches"]


# ------------------------------------------------------------------ cells of a small table inside a task
TABLE_PLAN = """XX省农村供水保障方案（2024—2026年）

一、重点任务
（一）实施小型工程规范化改造。{before}各地改造任务见表1。（省水利厅负责）

表1 {caption_year}各设区市小型供水工程改造任务（单位：处）

甲市	乙市	丙市
60	85	1-2

二、保障措施
（一）加强组织领导。各地要加强领导。
"""


@pytest.mark.parametrize("before, caption_year, year", [
    ("", "2024年", 2024),                          # the caption's own year
    ("2025年底前完成千人以上工程改造。", "", 2025),  # else the task's last time statement before the table
    ("", "", None),                               # else the plan year (none: a three-year plan)
])
def test_table_cells_take_the_caption_or_task_year(before, caption_year, year):
    from pipeline.clean import clean
    from pipeline.collect_targets import collect_targets
    from pipeline.segment import segment
    from pipeline.tables import find_tables
    from pipeline.tasks import build_tasks

    ct = clean(TABLE_PLAN.format(before=before, caption_year=caption_year))
    sections = segment(ct.text, ct.span)
    tasks = build_tasks(sections, ct.orig, ct.span)
    found = collect_targets(ct.text, sections, tasks, find_tables(ct.text, ct.span, sections), 2024, False, ct.span)
    cells = [(t.value, t.value_max, t.unit, t.year) for t in found if t.rule_id == "table_cell"]
    assert cells == [(60.0, None, "处", year), (85.0, None, "处", year), (1.0, 2.0, "处", year)]
