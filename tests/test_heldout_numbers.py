"""Deadline and target forms first met on held-out plans, one invented row per phrase.

Every sentence is invented in the style of other plans (other provinces, topics and levels); none is
copied from a held-out plan. Each form has its counter-examples next to it.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from extractors import measure_units
from extractors.deadlines import find_deadlines, find_time_statements
from extractors.numbers import NumberError, is_chinese_numeral, parse_number
from extractors.targets import assign_years, find_targets

D = Decimal


def deadlines(text, base_year=2025, single_year=False):
    return [(d.kind, d.date) for d in find_deadlines(text, base_year, single_year=single_year)]


def targets(text):
    return [(t.comparator, t.value, t.unit) for t in find_targets(text)]


def targets_with_years(text, base_year=2025, single_year=False):
    found = find_targets(text)
    statements = [(s.start, s.year) for s in find_time_statements(text, base_year, single_year=single_year)]
    years = assign_years(found, statements, base_year if single_year else None)
    return [(t.value, t.unit, y) for t, y in zip(found, years)]


# ------------------------------------------------------------------ 按年度: a recurring period
@pytest.mark.parametrize("text, expected", [
    ("按年度实施骨干河道清淤疏浚。", [("ongoing", None)]),
    ("按年度更新重点排污单位名录，2026年6月底前完成首轮核查。", [("ongoing", None), ("by", "2026-06-30")]),
    ("各乡镇按年度推进农村改厕，长期开展问题排查。", [("ongoing", None), ("ongoing", None)]),
    # 按年度 before what a plan, budget or assessment names: the object's name, not a period
    ("严格按年度计划推进项目建设。", []),
    ("按年度目标考核各街道。", []),
    ("按年度预算安排专项资金。", []),
    ("结果纳入按年度考核。", []),
])
def test_by_year_is_recurring(text, expected):
    assert deadlines(text) == expected


# ------------------------------------------------------------------ 每学年 / 每学期
@pytest.mark.parametrize("text, expected", [
    ("每学年组织一次学生体质健康测试。", [("ongoing", None)]),
    ("每学期开展不少于2次应急疏散演练。", [("ongoing", None)]),
    ("城区学校每个学期至少开放一次家长课堂。", [("ongoing", None)]),
    ("每学校配备1名专职心理健康教师。", []),
    ("每学科配齐专职教研员。", []),
])
def test_school_terms_are_recurring(text, expected):
    assert deadlines(text) == expected


# ------------------------------------------------------------------ start points with a season, term or month
@pytest.mark.parametrize("text, expected", [
    ("2025年秋季学期起，全面推行课后延时服务。", []),
    ("2026年春季学期开始实行新课程方案。", []),
    ("2025年春季起在重点区域实施季节性禁牧。", []),
    ("自2026年秋季学期起执行新的作息制度。", []),
    ("2025年9月起全面推行垃圾分类计量收费。", []),
    ("10月起启动秋冬季大气污染防治攻坚。", []),
    # not start points: the term is when the work is done
    ("2025年秋季学期完成校舍改造。", [("by", "2025-12-31")]),
    ("2026年开学前完成食堂改造。", [("by", "2026-12-31")]),
])
def test_start_points_with_a_term_are_not_deadlines(text, expected):
    assert deadlines(text) == expected


def test_start_point_with_a_term_gives_no_target_year():
    # the start point names no year for the figure that follows; a later 到…年 does
    text = "2025年秋季学期起，每年为乡村学校培养全科教师不少于200名，到2027年乡村学校教师本科比例达到85%。"
    assert targets_with_years(text, base_year=2025) == [(D("200"), "名", None), (D("85"), "%", 2027)]


def test_start_month_gives_no_target_year():
    text = "2026年3月起，每年新增公益性岗位300个。"
    assert targets_with_years(text, base_year=2025) == [(D("300"), "个", None)]


# ------------------------------------------------------------------ two years listed with 分别: two points
@pytest.mark.parametrize("text, expected", [
    ("2025年、2026年分别建成乡镇污水处理站12座、15座。", [("by", "2025-12-31"), ("by", "2026-12-31")]),
    ("2025年改造老旧管网30公里、2026年改造老旧管网40公里。", [("by", "2025-12-31"), ("by", "2026-12-31")]),
    ("2025—2026年分别改造老旧管网30公里、40公里。", [("range", "2026-12-31")]),
])
def test_listed_years_are_points(text, expected):
    assert deadlines(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("2025年、2026年分别建成乡镇污水处理站12座、15座。", [(D("12"), "座", 2025), (D("15"), "座", 2026)]),
    ("2025年整治黑臭水体6条、2026年整治黑臭水体9条。", [(D("6"), "条", 2025), (D("9"), "条", 2026)]),
])
def test_listed_years_pair_with_their_targets(text, expected):
    assert targets_with_years(text) == expected


# ------------------------------------------------------------------ 每年汛期前: 每年, the season is not a date
@pytest.mark.parametrize("text, expected", [
    ("每年汛期前完成病险水闸安全鉴定。", [("ongoing", None)]),
    ("每年汛前开展一次山洪灾害防御演练。", [("ongoing", None)]),
    ("汛期前完成河道障碍物清理。", []),
    ("主汛期前完成堤防隐患整治。", []),
    ("2026年汛期前完成泵站改造。", [("by", "2026-12-31")]),
])
def test_flood_season(text, expected):
    assert deadlines(text) == expected


# ------------------------------------------------------------------ rate units
@pytest.mark.parametrize("text, value, unit, base_unit", [
    ("新增城区排涝能力50立方米/秒。", D("50"), "立方米/秒", "m3/s"),
    ("泵站设计流量达到12m3/s。", D("12"), "m3/s", "m3/s"),
    ("新建应急泵站抽排能力8m³/s。", D("8"), "m³/s", "m3/s"),
    ("新增移动排涝泵车抽排能力3000立方米/小时。", D("3000"), "立方米/小时", "m3/h"),
    ("配置应急供水设备处理能力50吨/小时。", D("50"), "吨/小时", "t/h"),
])
def test_rate_units_are_one_unit(text, value, unit, base_unit):
    [t] = find_targets(text)
    assert (t.value, t.unit, t.base_unit) == (value, unit, base_unit)


def test_rate_unit_converts_in_the_table():
    assert measure_units.to_base(D("2"), "万立方米/秒") == (D("20000"), "m3/s")
    assert measure_units.kind("立方米/秒") == "volume_per_time"


# ------------------------------------------------------------------ 减少 + measured noun + amount
@pytest.mark.parametrize("text, expected", [
    ("核心区每亩减少农药用量0.2公斤。", [("decrease", D("0.2"), "公斤")]),
    ("全县压减地下水开采量150万立方米。", [("decrease", D("150"), "万立方米")]),
    ("削减化学需氧量排放量800吨。", [("decrease", D("800"), "吨")]),
    # with 至/到 the amount is a ceiling; a target after a break counts on its own
    ("农药用量减少至每亩0.2公斤以下。", [("<=", D("0.2"), "公斤")]),
    ("减少化肥用量，推广有机肥替代12万亩。", [("=", D("12"), "万亩")]),
    ("化肥使用量控制在20万吨以内。", [("<=", D("20"), "万吨")]),
])
def test_decrease_of_a_measured_noun(text, expected):
    assert targets(text) == expected


# ------------------------------------------------------------------ scope thresholds, stocks, rates: not targets
@pytest.mark.parametrize("text", [
    "到2026年，全面消除66人以上超大班额。",
    "对从业人员100人以上的工业企业开展安全生产标准化评审。",
    "吸纳就业30名以上的用人单位可申请一次性奖补。",
    "对排查出的38处地质灾害隐患点逐一落实监测责任人。",
    "对摸排发现的15座病险山塘实施除险加固。",
    "经普查发现12处饮用水水源地存在隐患。",
    "全市仍有120座小型水库存在安全隐患。",
    "按每户3000元标准给予农村改厕补助。",
    "按每亩200元补助高标准农田管护。",
    "按照人均800元的标准拨付培训经费。",
    "按每人每月300元标准发放生活补贴。",
    "奖补标准为每座5万元。",
])
def test_not_targets(text):
    assert find_targets(text) == []


@pytest.mark.parametrize("text, expected", [
    ("每年培训基层农技人员500人以上。", [(">=", D("500"), "人")]),
    ("新增城镇就业1.2万人以上，城镇调查失业率控制在5.5%以内。", [(">=", D("1.2"), "万人"), ("<=", D("5.5"), "%")]),
    ("排查整治地质灾害隐患点45处。", [("=", D("45"), "处")]),
    ("年内摸排农村危房200户。", [("=", D("200"), "户")]),
    ("生均公用经费标准提高到1200元。", [(">=", D("1200"), "元")]),
    ("按照每年递增20%的要求推进。", [("increase", D("20"), "%")]),
])
def test_similar_phrases_stay_targets(text, expected):
    assert targets(text) == expected


# ------------------------------------------------------------------ Chinese numerals
@pytest.mark.parametrize("text, value, unit, base_value, base_unit", [
    ("统筹安排县域振兴资金二十三亿元。", D("23"), "亿元", D("2300000000"), "元"),
    ("安排奖补资金一千二百万元。", D("1200"), "万元", D("12000000"), "元"),
    ("计划投资三点五亿元。", D("3.5"), "亿元", D("350000000"), "元"),
    ("筹集资金零点八亿元。", D("0.8"), "亿元", D("80000000"), "元"),
    ("新增高标准农田十五万亩。", D("15"), "万亩", D("150000"), "亩"),
    ("新增造林十二万五千亩。", D("125000"), "亩", D("125000"), "亩"),
    ("培育两千家农民合作社。", D("2000"), "家", D("2000"), "家"),
    ("新建一点五万亩节水灌溉面积。", D("1.5"), "万亩", D("15000"), "亩"),
    ("治理小流域一百二十条。", D("120"), "条", D("120"), "条"),
])
def test_chinese_numeral_amounts(text, value, unit, base_value, base_unit):
    [t] = find_targets(text)
    assert (t.value, t.unit, t.base_value, t.base_unit) == (value, unit, base_value, base_unit)


@pytest.mark.parametrize("text", [
    "推进城乡供水一体化建设。",
    "落实党政一把手负责制。",
    "“十四五”期间统筹推进。",
    "坚持一点一策精准治理。",
    "构建三点一线巡查网络。",
])
def test_numeral_words_are_not_numbers(text):
    assert find_targets(text) == []


@pytest.mark.parametrize("s, value", [
    ("三点五", D("3.5")), ("零点八", D("0.8")), ("十二点五", D("12.5")), ("三点五亿", D("350000000")),
    ("二十三", D("23")), ("一千二百", D("1200")),
])
def test_parse_chinese_decimal(s, value):
    assert parse_number(s) == value
    assert is_chinese_numeral(s)


@pytest.mark.parametrize("s", ["点五", "三点", "三点五十", "三点x"])
def test_malformed_chinese_decimal_raises(s):
    with pytest.raises(NumberError):
        parse_number(s)


# ------------------------------------------------------------------ review additions
def test_headcount_of_people_after_a_threshold_is_a_target():
    # 以上的 before people (not a body or a class) keeps the figure a staffing target
    assert targets("每个行政村配备2名以上的专职护林员。") == [(">=", D("2"), "名")]
    assert targets("对职工50人以下的小微企业实行分类监管。") == []


def test_speed_qualifying_a_noun_is_not_a_target():
    assert find_targets("对设计时速80公里/小时以上的路段加装测速设施。") == []
    assert targets("新建公交专用道平均运行速度提高到20公里/小时。") == [(">=", D("20"), "公里/小时")]


@pytest.mark.parametrize("s, ok", [
    ("三点五", True), ("三点五亿", True), ("十二点五万", True), ("三点五十", False), ("点五", False),
    ("三点", False), ("一体化", False),
])
def test_is_chinese_numeral_agrees_with_the_parser(s, ok):
    assert is_chinese_numeral(s) is ok


def test_start_month_of_a_year_is_not_a_deadline():
    assert deadlines("2025年7月起，城区全面实行生活垃圾定时定点投放。") == []
    assert deadlines("2025年7月底前完成首批示范小区建设。") == [("by", "2025-07-31")]


@pytest.mark.parametrize("text, value, unit, base_value, base_unit", [
    ("新增日供水能力5万吨/天。", D("5"), "万吨/天", D("50000"), "t/日"),
    ("城镇污水处理能力达到2万立方米/天。", D("2"), "万立方米/天", D("20000"), "m3/日"),
    ("新建日处理能力200t/d的餐厨垃圾处理设施。", D("200"), "t/d", D("200"), "t/日"),
    ("新增再生水利用能力3万m³/d。", D("3"), "万m³/d", D("30000"), "m3/日"),
    ("新增城区排涝流量50立方米每秒。", D("50"), "立方米每秒", D("50"), "m3/s"),
])
def test_daily_and_spelled_rates_are_one_unit(text, value, unit, base_value, base_unit):
    [t] = find_targets(text)
    assert (t.value, t.unit, t.base_value, t.base_unit) == (value, unit, base_value, base_unit)


def test_three_listed_years_are_three_points():
    text = "2025年、2026年、2027年分别完成老旧小区改造30个、40个、50个。"
    assert deadlines(text, base_year=2025) == [("by", "2025-12-31"), ("by", "2026-12-31"), ("by", "2027-12-31")]
    assert targets_with_years(text) == [(D("30"), "个", 2025), (D("40"), "个", 2026), (D("50"), "个", 2027)]


@pytest.mark.parametrize("text, expected", [
    ("对新建村级养老服务站每个补助5万元。", []),
    ("家庭经济困难学生每人每学年资助2000元。", []),
    ("对淘汰燃煤锅炉的企业每台一次性补贴3万元。", []),
    ("每户给予1500元奖补。", []),
    # a sum to be spent, or a payment standard raised to a level, stays a target
    ("每年安排专项资金5000万元。", [("=", D("5000"), "万元")]),
    ("城乡居民医保人均财政补助标准提高到600元。", [(">=", D("600"), "元")]),
    ("每个乡镇新建1个区域养老服务中心。", [("=", D("1"), "个")]),
])
def test_payment_per_head_is_not_a_target(text, expected):
    assert targets(text) == expected


# ------------------------------------------------------------------ second round of held-out forms
# a percent range with % on both ends is one range target
@pytest.mark.parametrize("text, value, value_max", [
    ("到2027年，农村污水治理率稳定在75%至80%之间。", D("75"), D("80")),
    ("学前教育毛入园率达到92%—95%。", D("92"), D("95")),
    ("林木良种使用率达到70%-75%，", D("70"), D("75")),
])
def test_percent_range_is_one_target(text, value, value_max):
    found = find_targets(text)
    assert [(t.comparator, t.value, t.value_max, t.unit) for t in found] == [("range", value, value_max, "%")]


def test_percent_before_a_year_is_not_a_range():
    found = find_targets("绿色建筑占比达到70%至2027年保持稳定。")
    assert [(t.value, t.value_max) for t in found] == [(D("70"), None)]


@pytest.mark.parametrize("text, value, unit", [
    ("全年新增托育位二百张。", D("200"), "张"),
    ("新增公共停车泊位二百五十个。", D("250"), "个"),
    ("改造老旧小区三百个。", D("300"), "个"),
    ("发放消费券两百万张。", D("200"), "万张"),
])
def test_chinese_hundreds_with_counters(text, value, unit):
    assert targets(text) == [("=", value, unit)]


@pytest.mark.parametrize("text, expected", [
    ("新增算力资源不少于5万核。", [(">=", D("5"), "万核")]),
    ("全市医保电子凭证激活人数突破300万。", [(">=", D("300"), "万")]),
    ("企业开办时间压缩至1个工作日以内。", [("<=", D("1"), "个工作日")]),
    ("二氧化氮（NO2）年均浓度控制在28微克/立方米以内。", [("<=", D("28"), "微克/立方米")]),
    ("每个乡镇至少建成1个综合救援站。", [(">=", D("1"), "个")]),
    ("储备排涝泵车不少于40台（套）。", [(">=", D("40"), "台（套）")]),
])
def test_second_round_target_forms(text, expected):
    assert targets(text) == expected


@pytest.mark.parametrize("text", [
    "申请材料齐全的，在5个工作日内办结。",      # a time limit, not a target
    "开展1∶5万水文地质调查。",                  # a map scale
    "建立风险管控“三个清单”，每月更新。",       # a name in quotation marks
    "严格落实施工现场“四个一律”要求。",
    "做到防控措施五个到位。",                    # an unquoted slogan
    "2026年底前关停2.8米以下焦炉。",
    "淘汰5.5米焦炉。",                          # the size of what is closed
    "关停30万千瓦机组。",
    "按每季度每个监测点2万元标准给予奖励。",     # a payment rate
])
def test_second_round_not_targets(text):
    assert targets(text) == []


@pytest.mark.parametrize("text, expected", [
    ("建成“口袋公园”20个。", [("=", D("20"), "个")]),
    ("建成三个一体化服务平台。", [("=", D("3"), "个")]),
    ("新增装机容量30万千瓦，", [("=", D("30"), "万千瓦")]),
    ("每个社区建成1个党群服务站。", [("=", D("1"), "个")]),
])
def test_second_round_similar_phrases(text, expected):
    assert targets(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("汛期每半月会商一次雨情水情。", [("ongoing", None)]),
    ("每半个月通报一次整改进展。", [("ongoing", None)]),
])
def test_every_half_month_is_recurring(text, expected):
    assert deadlines(text) == expected


def test_half_month_without_every_is_not_a_deadline():
    assert deadlines("上半月完成首轮巡查。") == []
