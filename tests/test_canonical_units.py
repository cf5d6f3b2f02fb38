"""extractors/canonical_units.py: one mention in one plan's jurisdiction → its canonical unit.

Invented names and places throughout, plus the dictionary's own integrity checks.
"""
import pytest

from extractors import canonical_units as cu
from extractors.canonical_units import Place, collective_kind, expand_list, resolve_mention, resolve_names, spell_out

COUNTY = Place("永宁县", "county", "河西省", "安平市")              # a county of a prefecture
DISTRICT = Place("东城区", "county", "安平市", None)                # a district of a municipality (重庆-like)
CITY_COUNTY = Place("清河市", "county", "西疆自治区", "白山回族自治州")  # county-level city in an autonomous prefecture
PREFECTURE = Place("安平市", "prefecture", "河西省", None)
PROVINCE = Place("河西省", "province", "河西省", None)


@pytest.mark.parametrize("name, place, canonical, level", [
    # level prefixes read relative to the plan
    ("县水务局", COUNTY, "永宁县水务局", "县"),
    ("市发改委", COUNTY, "安平市发展和改革委员会", "市"),          # 市 in a county plan: the parent city
    ("市发改委", CITY_COUNTY, "清河市发展和改革委员会", "县"),     # 市 in a county-level city's plan: itself
    ("州生态环境局", CITY_COUNTY, "白山回族自治州生态环境局", "市"),
    ("区水利厅", CITY_COUNTY, "西疆自治区水利厅", "省"),           # 区 there is the autonomous region
    ("市住房城乡建委", DISTRICT, "安平市住房和城乡建设委员会", "省"),  # municipality above a district
    ("市工信局", PREFECTURE, "安平市工业和信息化局", "市"),
    ("省水利厅", PREFECTURE, "河西省水利厅", "省"),
    ("省发改委", PROVINCE, "河西省发展和改革委员会", "省"),
    # abbreviations spelled out
    ("区住房城乡建委", DISTRICT, "东城区住房和城乡建设委员会", "县"),
    ("区住房城乡建设委员会", DISTRICT, "东城区住房和城乡建设委员会", "县"),
    ("县住建局", COUNTY, "永宁县住房和城乡建设局", "县"),
    ("县经信委", COUNTY, "永宁县经济和信息化委员会", "县"),
    ("区经济信息委", DISTRICT, "东城区经济和信息化委员会", "县"),
    ("县市场监管局", COUNTY, "永宁县市场监督管理局", "县"),
    ("县市场监督管理局", COUNTY, "永宁县市场监督管理局", "县"),
    ("县文旅局", COUNTY, "永宁县文化和旅游局", "县"),
    ("县卫健委", COUNTY, "永宁县卫生健康委员会", "县"),
    ("县林草局", COUNTY, "永宁县林业和草原局", "县"),
    ("区规资局", DISTRICT, "东城区规划和自然资源局", "县"),
    ("县人社局", COUNTY, "永宁县人力资源和社会保障局", "县"),
    ("县医保局", COUNTY, "永宁县医疗保障局", "县"),
    ("县应急局", COUNTY, "永宁县应急管理局", "县"),
    ("县城管局", COUNTY, "永宁县城市管理局", "县"),
    ("区教委", DISTRICT, "东城区教育委员会", "县"),
    ("县交通局", COUNTY, "永宁县交通运输局", "县"),
    ("县农牧局", COUNTY, "永宁县农牧局", "县"),
    ("市商务委", DISTRICT, "安平市商务委员会", "省"),               # composed: stem + 委 → 委员会
    ("市商务和工信局", CITY_COUNTY, "清河市商务和工业和信息化局", "县"),
    # party and mass organisations
    ("团县委", COUNTY, "共青团永宁县委员会", "县"),
    ("县团委", COUNTY, "共青团永宁县委员会", "县"),
    ("县委宣传部", COUNTY, "永宁县委宣传部", "县"),
    ("县委办", COUNTY, "永宁县委办公室", "县"),
    ("县政府办", COUNTY, "永宁县人民政府办公室", "县"),
    ("县妇联", COUNTY, "永宁县妇女联合会", "县"),
    ("县税务局", COUNTY, "国家税务总局永宁县税务局", "县"),
    # an unprefixed function name is the plan's own body
    ("住建局", COUNTY, "永宁县住房和城乡建设局", "县"),
    ("发改委", PREFECTURE, "安平市发展和改革委员会", "市"),
    ("市场监管局", COUNTY, "永宁县市场监督管理局", "县"),         # 市 here is not a prefix
    ("人民银行", COUNTY, "中国人民银行永宁县支行", "县"),
    # written out in full
    ("永宁县水务局", COUNTY, "永宁县水务局", "县"),
    ("安平市住建局", COUNTY, "安平市住房和城乡建设局", "市"),
])
def test_canonical_name_and_level(name, place, canonical, level):
    u = resolve_mention(name, place)
    assert (u.canonical_name, u.level) == (canonical, level)
    assert u.qualified and not u.is_collective


@pytest.mark.parametrize("name, place, how", [
    ("州生态环境局清河市分局", CITY_COUNTY, "branch"),     # a branch in a named place stays itself
    ("安平市自然资源局永宁分局", COUNTY, "branch"),
    ("兴源供水有限公司", COUNTY, "proper"),                # a firm is its own name
    ("金谷产业园区管理办公室", COUNTY, "proper"),          # so is a park
    ("北湖新区社区服务中心", COUNTY, "proper"),            # a proper name that names no function
])
def test_names_that_stay_as_written(name, place, how):
    u = resolve_mention(name, place)
    assert u.canonical_name == name and u.how == how


def test_branch_in_the_plans_own_place_has_its_level():
    u = resolve_mention("州生态环境局清河市分局", CITY_COUNTY)
    assert (u.belongs_to, u.level) == ("清河市", "县")


@pytest.mark.parametrize("name, place", [
    ("区水务局", PREFECTURE),   # which of the city's districts? unknown
    ("县发改委", PROVINCE),
])
def test_prefix_the_plan_cannot_place_keeps_the_name_unqualified(name, place):
    u = resolve_mention(name, place)
    assert u.canonical_name == name and not u.qualified and u.belongs_to is None


@pytest.mark.parametrize("name, place, canonical, level", [
    ("各乡镇人民政府", COUNTY, "永宁县各乡镇人民政府", "乡镇"),
    ("各乡镇", COUNTY, "永宁县各乡镇人民政府", "乡镇"),             # one actor, two spellings
    ("街道办事处", DISTRICT, "东城区各街道办事处", "乡镇"),
    ("各街道办事处", DISTRICT, "东城区各街道办事处", "乡镇"),
    ("区级有关部门", DISTRICT, "东城区级有关部门", "县"),
    ("县直各部门", COUNTY, "永宁县直各部门", "县"),
    ("各县区人民政府", PREFECTURE, "安平市各县区人民政府", "县"),
    ("各县区", PREFECTURE, "安平市各县区人民政府", "县"),
    ("其他所有成员单位", COUNTY, "永宁县其他所有成员单位", "县"),
    ("各市州人民政府", PROVINCE, "河西省各市州人民政府", "市"),
])
def test_collective_units_are_units_of_their_own(name, place, canonical, level):
    u = resolve_mention(name, place)
    assert u.is_collective and (u.canonical_name, u.level) == (canonical, level)


@pytest.mark.parametrize("name, kind", [
    ("各乡镇（街道）", "乡镇"), ("涉农街道", "乡镇"), ("各县区人民政府", "县"), ("区属各部门", "本级"),
    ("各有关部门", "本级"), ("各级水行政主管部门", "本级"), ("县水务局", None), ("乡村振兴局", None),
    ("市场监管局", None),
])
def test_collective_kind(name, kind):
    assert collective_kind(name) == kind


@pytest.mark.parametrize("name, place, canonicals", [
    ("区公、检、法", DISTRICT, ["东城区公安局", "东城区人民检察院", "东城区人民法院"]),
    ("县公、检、法、司", COUNTY, ["永宁县公安局", "永宁县人民检察院", "永宁县人民法院", "永宁县司法局"]),
    ("发改、工信、水务、住建等部门", COUNTY,
     ["永宁县发展和改革委员会", "永宁县工业和信息化局", "永宁县水务局", "永宁县住房和城乡建设局"]),
    ("各级发改、财政、生态环境、市场监管等部门", PREFECTURE,
     ["安平市发展和改革委员会", "安平市财政局", "安平市生态环境局", "安平市市场监督管理局"]),
    ("税务、水利、规资部门", DISTRICT, ["国家税务总局东城区税务局", "东城区水利局", "东城区规划和自然资源局"]),
    ("县发改委、工信局", COUNTY, ["永宁县发展和改革委员会", "永宁县工业和信息化局"]),   # the prefix is carried
])
def test_lists_expand_to_their_units(name, place, canonicals):
    assert [u.canonical_name for u in resolve_names(name, place)] == canonicals


@pytest.mark.parametrize("name", ["县水务局", "各乡镇人民政府", "兴源供水有限公司"])
def test_a_single_name_is_not_a_list(name):
    assert expand_list(name) is None
    assert len(resolve_names(name, COUNTY)) == 1


@pytest.mark.parametrize("rest, full", [
    ("发改委", "发展和改革委员会"), ("发展改革委", "发展和改革委员会"), ("发改局", "发展和改革局"),
    ("工信局", "工业和信息化局"), ("交通运输局", "交通运输局"), ("交通局", "交通运输局"), ("商务委", "商务委员会"),
    ("合作交流中心", None), ("金谷产业园区", None),
])
def test_spell_out(rest, full):
    found = spell_out(rest)
    assert (found[0] if found else None) == full


# -- the dictionaries --------------------------------------------------------------------------
def test_alias_dictionary_has_no_duplicate_keys():
    rows = cu.alias_rows()
    fulls = [f for f, _ in rows]
    aliases = [a for _, al in rows for a in al]
    assert len(fulls) == len(set(fulls)), "a full name has two rows"
    assert len(aliases) == len(set(aliases)), "an alias belongs to two rows"
    assert not set(fulls) & set(aliases), "a full name is also an alias"
    assert len(rows) >= 100  # a working dictionary, not the samples' handful


def test_duplicate_alias_is_rejected(monkeypatch):
    monkeypatch.setattr(cu, "alias_rows", lambda: [("发展和改革委员会", ["发改委"]), ("发展和改革局", ["发改委"])])
    cu._dicts.cache_clear()
    try:
        with pytest.raises(cu.AgencyDictError):
            cu._dicts()
    finally:
        monkeypatch.undo()
        cu._dicts.cache_clear()


def test_stem_units_are_in_the_alias_dictionary_or_placeholders():
    from extractors.ruleset import load_tsv

    fulls = {f for f, _ in cu.alias_rows()}
    for row in load_tsv("agency_stems"):
        assert row["unit"] in fulls, f"stem {row['stem']!r} defaults to {row['unit']!r}, unknown to agency_aliases.tsv"
