"""split_unit_list / is_unit: separators, 和 inside names, spaces, shared prefixes, 各, proper
names, collective units, role tails, duplicates and rejects (invented lists, many levels)."""
import pytest

from extractors.unit_names import NOT_AGENCY, is_unit, split_unit_list

LISTS = [
    # separators
    ("市水利局、市财政局", ["市水利局", "市财政局"]),
    ("省发展改革委，省财政厅；省水利厅", ["省发展改革委", "省财政厅", "省水利厅"]),
    ("区水利局和区农业农村局", ["区水利局", "区农业农村局"]),
    ("县教育局与县卫生健康局", ["县教育局", "县卫生健康局"]),
    # 和 inside names never splits
    ("市住房和城乡建设局", ["市住房和城乡建设局"]),
    ("市发展和改革委员会、市商务和工信局", ["市发展和改革委员会", "市商务和工信局"]),
    ("省人力资源和社会保障厅和省教育厅", ["省人力资源和社会保障厅", "省教育厅"]),
    ("区文化和旅游局及区体育局", ["区文化和旅游局", "区体育局"]),
    # spaces between units (table cells) and line breaks inside a name
    ("市工信局 市水务局 市统计局", ["市工信局", "市水务局", "市统计局"]),
    ("市农业\n农村局、市水利局", ["市农业农村局", "市水利局"]),
    ("区经济信息\n委", ["区经济信息委"]),
    ("市委\n宣传部", ["市委宣传部"]),
    # shared prefixes written out
    ("市发改委、商务和工信局", ["市发改委", "市商务和工信局"]),
    ("县发改委、工信局、水务局", ["县发改委", "县工信局", "县水务局"]),
    ("市委宣传部、党校", ["市委宣传部", "市委党校"]),
    ("市委宣传部、组织部、教育局", ["市委宣传部", "市委组织部", "市教育局"]),
    ("市住建局、城市管理局", ["市住建局", "市城市管理局"]),
    ("市水利局、市场监督管理局", ["市水利局", "市市场监督管理局"]),
    ("州水利局、财政局", ["州水利局", "州财政局"]),
    ("省生态环境厅、自然资源厅", ["省生态环境厅", "省自然资源厅"]),
    ("县水务局、合作交流中心", ["县水务局", "县合作交流中心"]),
    # a list without a prefix stays as written
    ("发改委、财政局", ["发改委", "财政局"]),
    # proper names are never prefixed, and do not reset the shared prefix
    ("市水利局、州生态环境局某某市分局、科技局", ["市水利局", "州生态环境局某某市分局", "市科技局"]),
    ("县住建局、某某产业园区管理办公室、某某供水公司", ["县住建局", "某某产业园区管理办公室", "某某供水公司"]),
    ("区住建局、张掖智能制造产业发展中心", ["区住建局", "张掖智能制造产业发展中心"]),
    ("区水利局、团区委", ["区水利局", "团区委"]),
    # 各 is a quantifier: not a prefix, not distributed
    ("各乡镇人民政府、街道办事处", ["各乡镇人民政府", "街道办事处"]),
    ("各乡镇及涉农街道", ["各乡镇", "涉农街道"]),
    ("各乡镇（街道）", ["各乡镇（街道）"]),
    ("各县区、开发区", ["各县区", "开发区"]),
    ("各市、县（区）人民政府", ["各市", "县（区）人民政府"]),
    ("各县（市、区）人民政府、市水利局", ["各县（市、区）人民政府", "市水利局"]),
    ("市水利局、各乡镇、涉农街道", ["市水利局", "各乡镇", "涉农街道"]),
    # collective units stay as written
    ("区级有关部门", ["区级有关部门"]),
    ("区属各部门", ["区属各部门"]),
    ("其他所有成员单位", ["其他所有成员单位"]),
    ("市直有关单位、各县区人民政府", ["市直有关单位", "各县区人民政府"]),
    # trailing role phrases stripped
    ("区级有关部门按职责分工负责", ["区级有关部门"]),
    ("市工信局、市水务局按照职责分工负责", ["市工信局", "市水务局"]),
    ("交通实业公司负责", ["交通实业公司"]),
    ("区水利局牵头", ["区水利局"]),
    ("市财政局、市审计局等部门", ["市财政局", "市审计局"]),
    ("国家发展改革委、财政部等", ["国家发展改革委", "财政部"]),
    ("县水利局、县自然资源局（按职责分工负责）", ["县水利局", "县自然资源局"]),
    # 村 / 镇 alone are the set of villages / towns
    ("各镇（街道）、村（社区）", ["各镇（街道）", "村（社区）"]),
    # …室 is an agency ending
    ("区政府办公室、区委督查室", ["区政府办公室", "区委督查室"]),
    # repeats listed once; typos stay verbatim
    ("县发改委、住建局、商务局、住建局", ["县发改委", "县住建局", "县商务局"]),
    ("县住建局、某某产业全区", ["县住建局", "某某产业全区"]),
]


@pytest.mark.parametrize("text,names", LISTS, ids=[t for t, _ in LISTS])
def test_split_unit_list(text, names):
    res = split_unit_list(text)
    assert res.names == names
    assert res.rejects == []


@pytest.mark.parametrize("text,names", LISTS, ids=[t for t, _ in LISTS])
def test_offsets(text, names):
    for u in split_unit_list(text, offset=10).units:
        assert ("#" * 10 + text)[u.start:u.end] == u.raw


REJECTS = [
    ("加快推进节水工作", []),
    ("市水利局、加强监督检查", ["市水利局"]),
    ("各县区要抓好落实", []),
]


@pytest.mark.parametrize("text,names", REJECTS, ids=[t for t, _ in REJECTS])
def test_rejects_are_reported(text, names):
    res = split_unit_list(text)
    assert res.names == names
    assert res.rejects and all(r.code == NOT_AGENCY for r in res.rejects)


@pytest.mark.parametrize("name", ["市水利局", "街道办事处", "某某经开区", "人民银行", "党校", "县金融办",
                                  "区级有关部门", "各乡镇（街道）", "市机关事务服务中心", "团区委", "某某产业集聚区",
                                  "省委督查室", "村"])
def test_is_unit(name):
    assert is_unit(name)


@pytest.mark.parametrize("name", ["节水型社会建设", "全区", "有关规定", "加强监督", "局", "带动全社会", "全社会"])
def test_is_not_unit(name):
    assert not is_unit(name)
