"""Role forms first met in held-out plans, tested on invented sentences of other provinces, levels
and topics: X会同/协同/联合Y负责, 负责 + oversight (技术指导), manner phrases before support verbs
(按职责协同), "X为主办单位" designations, committee member units (安委会各成员单位), bank branches,
具体实施 beside a 牵头 unit, group clauses whose unit holds a parenthesis, space and slash lists."""
from __future__ import annotations

import pytest

from extractors.roles import apply_group_units, find_unit_roles
from extractors.unit_names import is_collective, is_unit, split_unit_list
from extractors.unit_types import unit_type

# (item text, expected lead, expected support)
ROWS = [
    # 1. 由X会同Y负责 / X协同Y负责 / X联合Y负责: X lead, Y support (never one glued name)
    ("（四）整治农村黑臭水体。由区生态环境局会同区住房和城乡建设局、区农业农村局负责。",
     ["区生态环境局"], ["区住房和城乡建设局", "区农业农村局"]),
    ("3.开展危化品运输专项整治。县应急管理局协同县消防救援大队负责。",
     ["县应急管理局"], ["县消防救援大队"]),
    ("5.查处价格违法行为。由州市场监管局联合州公安局负责。", ["州市场监管局"], ["州公安局"]),
    ("（二）完善城乡供水设施。自治区住房和城乡建设厅会同自治区水利厅制定改造计划。",
     ["自治区住房和城乡建设厅"], ["自治区水利厅"]),
    # 联合会 is a name, not 联合
    ("6.开展助残就业服务。市残疾人联合会负责。", ["市残疾人联合会"], []),
    # 2. 负责 + oversight noun: lead where no unit 牵头s, support beside a 牵头 unit
    ("2.推进森林抚育。各县区人民政府负责组织实施，市林业和草原局负责业务指导。",
     ["各县区人民政府", "市林业和草原局"], []),
    ("（三）推广节水灌溉。（县水务局牵头，县农业农村局负责技术指导）", ["县水务局"], ["县农业农村局"]),
    ("4.整治超限运输。由省交通运输厅牵头，省公安厅负责监督检查。", ["省交通运输厅"], ["省公安厅"]),
    ("7.编制河湖岸线规划。县水利局负责指导各乡镇编制方案。", [], []),
    # 3. manner phrase before a support verb
    ("（五）健全价格监测。（市发展改革委牵头，市财政局、市统计局按照职责分工配合）",
     ["市发展改革委"], ["市财政局", "市统计局"]),
    ("8.开展燃气安全排查。区住房城乡建设局负责，区城管局、区应急局按职责协同。",
     ["区住房城乡建设局"], ["区城管局", "区应急局"]),
    ("9.推进产教融合。（省教育厅牵头，省财政厅按职能配合）", ["省教育厅"], ["省财政厅"]),
    ("10.规范医疗收费。（州卫生健康委牵头，州医保局、州市场监管局各司其职负责）",
     ["州卫生健康委"], ["州医保局", "州市场监管局"]),
    # 4. "<units>为…单位" designations, in a parenthesis and in running text
    ("（六）举办全民健身赛事。（区文化和旅游局为主办单位，区教育局、区体育局为协办单位）",
     ["区文化和旅游局"], ["区教育局", "区体育局"]),
    ("11.改造农村公路。州交通运输局为牵头单位，州公安局为配合单位。", ["州交通运输局"], ["州公安局"]),
    ("12.建设高标准农田。县农业农村局为责任单位，县水务局、县林业局为参与单位。",
     ["县农业农村局"], ["县水务局", "县林业局"]),
    ("13.推进乡村治理。各乡镇人民政府为责任主体。", [], []),
    # 5. the member units of a committee: one collective unit
    ("14.开展隐患排查。\n牵头单位：市应急管理局\n责任单位：市安全生产委员会各成员单位、各区人民政府",
     ["市应急管理局"], ["市安全生产委员会各成员单位", "各区人民政府"]),
    # 6. bank branches: proper names, never prefixed, never cut
    ("（七）加大信贷支持。（市财政局、中国人民银行某某市分行、市金融办按职责分工负责）",
     ["市财政局", "中国人民银行某某市分行", "市金融办"], []),
    ("15.完善融资担保。市金融办会同中国人民银行某某市分行制定实施细则。",
     ["市金融办"], ["中国人民银行某某市分行"]),
    ("16.开展联合检查。市水利局会同市财政局开展分局检查。", ["市水利局"], ["市财政局"]),
    # 7. 具体实施 / 组织实施: support beside a 牵头 unit; an ordinary verb without one
    ("17.推进农村改厕。由县住房城乡建设局牵头落实，各镇人民政府具体实施。",
     ["县住房城乡建设局"], ["各镇人民政府"]),
    ("（八）开展慢病筛查。（市卫生健康委牵头，各区卫生健康局组织实施）", ["市卫生健康委"], ["各区卫生健康局"]),
    ("18.推广测土配方施肥。各乡镇组织实施，县农业农村局负责技术指导。", ["县农业农村局"], []),
    ("19.实施老旧管网改造。各乡镇组织实施。", [], []),
    # a manner phrase before 落实 assigns a running clause's units (support beside a 牵头 unit)
    ("23.开展隐患排查。县应急局牵头，县安委会各成员单位按职责分工落实。", ["县应急局"], ["县安委会各成员单位"]),
    ("24.完成问题整改。各有关部门按职责分工落实。", ["各有关部门"], []),
    ("25.压实属地责任。各县区要按职责分工落实。", [], []),
    ("26.统筹项目资金。由市发展改革委负责统筹协调。", ["市发展改革委"], []),
    # 9. space and slash lists
    ("20.推进社区养老。\n责任单位：区民政局　区财政局　区卫生健康局", ["区民政局", "区财政局", "区卫生健康局"], []),
    ("21.整治背街小巷。（责任单位：州住建局/州城管局/吉首市人民政府）", ["州住建局", "州城管局", "吉首市人民政府"], []),
    ("22.建设停车设施。\n责任单位：县交通运输局（牵头）/县公安局/县财政局", ["县交通运输局"], ["县公安局", "县财政局"]),
]


@pytest.mark.parametrize("text,lead,support", ROWS, ids=[r[0][:16] for r in ROWS])
def test_heldout_role_forms(text, lead, support):
    res = find_unit_roles(text)
    assert res.lead == lead
    assert res.support == support


@pytest.mark.parametrize("text,lead,support", ROWS, ids=[r[0][:16] for r in ROWS])
def test_offsets_point_at_raw(text, lead, support):
    for u in find_unit_roles(text).units:
        assert text[u.start:u.end] == u.raw


# ----------------------------------------------------------------------------- unit names
@pytest.mark.parametrize("name,ok", [
    ("自治区住房和城乡建设厅", True), ("县城乡建设局", True), ("自治区住房和城乡", False), ("市住房和城镇", False),
    ("以下均需各县（区）人民政府", False), ("需各乡镇人民政府", False), ("县安委会各成员单位", True),
    ("中国人民银行某某市分行", True),
])
def test_unit_shapes(name, ok):
    assert is_unit(name) is ok


@pytest.mark.parametrize("name,collective", [
    ("县安委会各成员单位", True), ("市安全生产委员会成员单位", True), ("区防汛抗旱指挥部各成员单位", True),
    ("州河长制工作领导小组成员单位", True), ("县安委会", False), ("市防汛抗旱指挥部办公室", False),
])
def test_member_units_are_collective(name, collective):
    assert is_collective(name) is collective


def test_member_units_typed_other():
    assert unit_type("县安委会各成员单位") == "其他"


@pytest.mark.parametrize("text,names", [
    ("市财政局、人民银行某某市分行", ["市财政局", "人民银行某某市分行"]),
    ("县民政局、县审计局按职责协同", ["县民政局", "县审计局"]),
    ("区科技局按照职责分工配合", ["区科技局"]),
    ("州统计局按职能配合", ["州统计局"]),
    ("市应急局、安全生产委员会各成员单位", ["市应急局", "安全生产委员会各成员单位"]),
])
def test_lists(text, names):
    assert split_unit_list(text).names == names


# ----------------------------------------------------------------------------- group clauses
GROUP_PAREN = ("（一）推进学前教育普及。（市教育局牵头，市财政局配合，各县（区）人民政府负责落实。"
               "以下均需各县（区）人民政府落实，不再逐一列出）")


def test_group_clause_with_a_parenthesis():
    res = find_unit_roles(GROUP_PAREN)
    assert [u.name for u in res.group_units] == ["各县（区）人民政府"]
    assert all(not u.name.startswith(("以下", "均需", "需")) for u in res.units)
    assert res.lead == ["市教育局"] and res.support == ["市财政局", "各县（区）人民政府"]


def test_group_role_follows_each_item():
    items = [find_unit_roles(GROUP_PAREN),
             find_unit_roles("（二）加强教师培训。（市人力资源社会保障局牵头，市教育局参与）"),
             find_unit_roles("（三）保障校园安全。（市公安局负责）"),
             find_unit_roles("（一）加强组织领导。（市委教育工委牵头）")]
    out = apply_group_units(items, ["二", "二", "二", "三"])
    assert out[0].support == ["市财政局", "各县（区）人民政府"]
    # beside a 牵头 unit the group's units (said to 落实) are support ...
    assert out[1].lead == ["市人力资源社会保障局"] and out[1].support == ["市教育局", "各县（区）人民政府"]
    # ... and lead in an item that names none
    assert out[2].lead == ["市公安局", "各县（区）人民政府"] and out[2].support == []
    # not carried into another top-level section
    assert out[3].lead == ["市委教育工委"] and out[3].support == []


def test_group_units_argument_takes_the_item_role():
    g = find_unit_roles(GROUP_PAREN).group_units
    res = find_unit_roles("（二）加强教师培训。（市人力资源社会保障局牵头）", group_units=g)
    assert res.lead == ["市人力资源社会保障局"] and res.support == ["各县（区）人民政府"]


# ----------------------------------------------------------------------------- canonical units
@pytest.mark.parametrize("name,canonical,level", [
    # the level prefix of a collective names whose committee or departments it is, written once
    ("县安委会各成员单位", "茶陵县安委会各成员单位", "县"),
    ("市安全生产委员会成员单位", "株洲市安全生产委员会成员单位", "市"),
    ("县有关部门", "茶陵县有关部门", "县"),
    ("县直有关单位", "茶陵县直有关单位", "县"),
])
def test_collective_with_a_level_prefix(name, canonical, level):
    from extractors.canonical_units import Place, resolve_mention
    unit = resolve_mention(name, Place("茶陵县", "county", "湖南省", "株洲市"))
    assert (unit.canonical_name, unit.level, unit.is_collective) == (canonical, level, True)
