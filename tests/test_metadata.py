"""Metadata stage: the five samples against their gold files, and invented header cases in the
style of other provinces and levels (one row per phrase)."""
import datetime as dt
import json
from pathlib import Path

import pytest

from extractors.metadata import (find_base_year, find_citations, find_dates, find_doc_number,
                                 find_heading, find_signing_date, find_status, issue_year, locate)
from extractors.metadata.found import Found
from extractors.metadata.text import squeeze
from extractors.ruleset import load_ruleset
from pipeline.metadata import extract_metadata
from schemas.spans import CharSpan

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p.stem for p in (ROOT / "corpus").glob("*.txt"))
FIELDS = ["title", "jurisdiction", "province", "admin_level", "issuer", "doc_number", "date",
          "status", "base_year", "cited_documents"]


def ident(s: int, e: int) -> CharSpan:
    return CharSpan(start=s, end=e, orig_start=s, orig_end=e)


def meta(text: str):
    return extract_metadata(text, ident)


def sample_text(stem: str) -> str:
    # Until pipeline/clean.py lands: CRLF repaired only.
    return (ROOT / "corpus" / f"{stem}.txt").read_text(encoding="utf-8").replace("\r\n", "\n")


def exported(m) -> dict:
    d = m.model_dump(mode="json")
    d["cited_documents"] = [c["title"] for c in d["cited_documents"]]
    return d


# ---------------------------------------------------------------- gold samples
def test_five_samples_present():
    assert len(SAMPLES) == 5


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("stem", SAMPLES)
def test_sample_matches_gold(stem, field):
    gold = json.loads((ROOT / "tests" / "gold" / f"{stem}.json").read_text(encoding="utf-8"))
    assert exported(meta(sample_text(stem)))[field] == gold[field]


@pytest.mark.parametrize("stem", SAMPLES)
def test_sample_spans_point_at_their_values(stem):
    text = sample_text(stem)
    m = meta(text)
    for field in ("title", "issuer", "doc_number"):
        if getattr(m, field) is not None:
            sp = m.spans[field]
            assert squeeze(text[sp.start:sp.end]) == getattr(m, field)
    if m.status is not None:
        sp = m.spans["status"]
        assert m.status in text[sp.start:sp.end]
    if m.base_year is not None:
        sp = m.spans["base_year"]
        assert text[sp.start:sp.start + 4] == str(m.base_year)
    if m.jurisdiction and m.jurisdiction != "全国":
        sp = m.spans["jurisdiction"]
        assert text[sp.start:sp.end] == m.jurisdiction
    for c in m.cited_documents:
        assert text[c.span.start] == "《" and text[c.span.end - 1] == "》"


def test_sample_citation_doc_numbers_attached():
    m = meta(sample_text("003_9823cad0ae2b82be"))
    assert [c.doc_number for c in m.cited_documents] == [
        "发改环资规〔2019〕695号", "发改办环资〔2019〕754号", "新政办发〔2019〕125号", "昌州政办发〔2020〕72号"]
    assert m.prefecture == "昌吉回族自治州"


# ---------------------------------------------------------------- invented whole headers
PROVINCE_NOTICE = """某政办发〔2022〕5号

河北省人民政府办公厅关于印发河北省
节约用水行动方案的通知

各市（含定州、辛集市）人民政府，省政府有关部门：
《河北省节约用水行动方案》已经省政府同意，现印发给你们，请认真贯彻执行。

河北省人民政府办公厅
二〇二二年三月十五日

河北省节约用水行动方案

为全面落实节水优先方针，根据《国家节水行动方案》（发改环资规〔2019〕695号），制定本方案。
一、总体要求
到2025年，全省用水总量控制在182亿立方米以内。
"""

NATIONAL_PLAN = """国务院办公厅关于印发《全国节水型社会建设规划》的通知
国办发（2021）12号
各省、自治区、直辖市人民政府：
《全国节水型社会建设规划》已经国务院同意，现印发给你们。

国务院办公厅
2021年10月8日
"""

MINISTRY_PLAN = """城乡供水节水工作要点

为落实党中央、国务院决策部署，推进城镇节水，制定本要点。
一、主要任务
年底前完成城市节水评估。

中华人民共和国水利部
2024.3.1
"""

PREFECTURE_PLAN = """洛阳市工业节水三年行动计划
（2024—2026年）

为推进工业节水，结合全市实际，制定本计划。
一、目标
到2026年底，全市万元工业增加值用水量下降10%。
"""

COUNTY_CITY_PLAN = """义乌市节约用水工作要点

（征求意见稿）

为做好全市节约用水工作，制定本要点。
6月底前完成计划用水核定。
义乌市水务局
2023年2月20日
"""

AUTONOMOUS_PREFECTURE = """湘西土家族苗族自治州
农业节水增效实施方案
（2023-2025年）

为推进农业节水，制定本方案。
"""

LEAGUE_PLAN = """锡林郭勒盟节约用水行动实施方案
（讨论稿）
为落实节水要求，结合全盟实际，制定本方案。
"""

BANNER_PLAN = """阿巴嘎旗2024年节约用水工作要点
为推进全旗节约用水工作，制定本要点。
"""

MUNICIPAL_DISTRICT = """北京市朝阳区
节水型社会建设
实施方案

为贯彻落实节水优先方针，结合全区实际，制定本方案。
"""

BRACKET_NUMBER = """某区水发[2021]7号
上海市浦东新区水务局关于印发《浦东新区节水行动方案》的通知
各街道、镇：
现将《浦东新区节水行动方案》印发给你们，请遵照执行。
上海市浦东新区水务局
2021-06-30
"""

HEADER_CASES = [
    # text, field, expected
    (PROVINCE_NOTICE, "title", "河北省节约用水行动方案"),
    (PROVINCE_NOTICE, "jurisdiction", "河北省"),
    (PROVINCE_NOTICE, "province", "河北省"),
    (PROVINCE_NOTICE, "admin_level", "province"),
    (PROVINCE_NOTICE, "issuer", "河北省人民政府办公厅"),
    (PROVINCE_NOTICE, "doc_number", "某政办发〔2022〕5号"),
    (PROVINCE_NOTICE, "date", "2022-03-15"),
    (PROVINCE_NOTICE, "base_year", 2022),
    (PROVINCE_NOTICE, "status", None),
    (PROVINCE_NOTICE, "cited_documents", ["国家节水行动方案"]),
    (NATIONAL_PLAN, "title", "全国节水型社会建设规划"),
    (NATIONAL_PLAN, "jurisdiction", "全国"),
    (NATIONAL_PLAN, "province", None),
    (NATIONAL_PLAN, "admin_level", "national"),
    (NATIONAL_PLAN, "issuer", "国务院办公厅"),
    (NATIONAL_PLAN, "doc_number", "国办发〔2021〕12号"),
    (NATIONAL_PLAN, "date", "2021-10-08"),
    (NATIONAL_PLAN, "cited_documents", []),
    (MINISTRY_PLAN, "title", "城乡供水节水工作要点"),
    (MINISTRY_PLAN, "jurisdiction", "全国"),
    (MINISTRY_PLAN, "admin_level", "national"),
    (MINISTRY_PLAN, "province", None),
    (MINISTRY_PLAN, "issuer", "中华人民共和国水利部"),
    (MINISTRY_PLAN, "date", "2024-03-01"),
    (MINISTRY_PLAN, "base_year", 2024),
    (PREFECTURE_PLAN, "title", "洛阳市工业节水三年行动计划（2024—2026年）"),
    (PREFECTURE_PLAN, "jurisdiction", "洛阳市"),
    (PREFECTURE_PLAN, "province", "河南省"),
    (PREFECTURE_PLAN, "admin_level", "prefecture"),
    (PREFECTURE_PLAN, "base_year", 2024),
    (PREFECTURE_PLAN, "issuer", None),
    (PREFECTURE_PLAN, "date", None),
    (COUNTY_CITY_PLAN, "title", "义乌市节约用水工作要点"),
    (COUNTY_CITY_PLAN, "jurisdiction", "义乌市"),
    (COUNTY_CITY_PLAN, "province", "浙江省"),
    (COUNTY_CITY_PLAN, "prefecture", "金华市"),
    (COUNTY_CITY_PLAN, "admin_level", "county"),
    (COUNTY_CITY_PLAN, "status", "征求意见稿"),
    (COUNTY_CITY_PLAN, "issuer", "义乌市水务局"),
    (COUNTY_CITY_PLAN, "date", "2023-02-20"),
    (COUNTY_CITY_PLAN, "base_year", 2023),
    (AUTONOMOUS_PREFECTURE, "title", "湘西土家族苗族自治州农业节水增效实施方案（2023-2025年）"),
    (AUTONOMOUS_PREFECTURE, "admin_level", "prefecture"),
    (AUTONOMOUS_PREFECTURE, "province", "湖南省"),
    (AUTONOMOUS_PREFECTURE, "base_year", 2023),
    (LEAGUE_PLAN, "jurisdiction", "锡林郭勒盟"),
    (LEAGUE_PLAN, "admin_level", "prefecture"),
    (LEAGUE_PLAN, "province", "内蒙古自治区"),
    (LEAGUE_PLAN, "status", "讨论稿"),
    (LEAGUE_PLAN, "title", "锡林郭勒盟节约用水行动实施方案"),
    (BANNER_PLAN, "jurisdiction", "阿巴嘎旗"),
    (BANNER_PLAN, "admin_level", "county"),
    (BANNER_PLAN, "prefecture", "锡林郭勒盟"),
    (BANNER_PLAN, "base_year", 2024),
    (MUNICIPAL_DISTRICT, "title", "北京市朝阳区节水型社会建设实施方案"),
    (MUNICIPAL_DISTRICT, "jurisdiction", "朝阳区"),
    (MUNICIPAL_DISTRICT, "province", "北京市"),
    (MUNICIPAL_DISTRICT, "prefecture", None),
    (MUNICIPAL_DISTRICT, "admin_level", "county"),
    (BRACKET_NUMBER, "doc_number", "某区水发〔2021〕7号"),
    (BRACKET_NUMBER, "title", "浦东新区节水行动方案"),
    (BRACKET_NUMBER, "jurisdiction", "浦东新区"),
    (BRACKET_NUMBER, "province", "上海市"),
    (BRACKET_NUMBER, "admin_level", "county"),
    (BRACKET_NUMBER, "issuer", "上海市浦东新区水务局"),
    (BRACKET_NUMBER, "date", "2021-06-30"),
    (BRACKET_NUMBER, "cited_documents", []),
]


@pytest.mark.parametrize("text,field,expected", HEADER_CASES,
                         ids=[f"{t.strip().splitlines()[0][:12]}-{f}" for t, f, _ in HEADER_CASES])
def test_invented_header(text, field, expected):
    d = meta(text).model_dump(mode="json")
    d["cited_documents"] = [c["title"] for c in d["cited_documents"]]
    assert d[field] == expected


# ---------------------------------------------------------------- titles
@pytest.mark.parametrize("text,title", [
    ("某县推进节水\n\n三年行动方案\n\n为推进节水，制定本方案。", "某县推进节水三年行动方案"),
    ("某市\n城镇节水\n工作方案\n一、总体要求", "某市城镇节水工作方案"),
    ("某市节水方案（2023-2025 年）\n为落实要求，制定本方案。", "某市节水方案（2023-2025年）"),
    ("附件\n\n某区节水工作要点（征求意见稿）\n\n为推进工作，制定本要点。", "某区节水工作要点"),
    ("某市人民政府办公室文件\n某政办〔2020〕3号\n某市人民政府关于加强节约用水工作的实施意见\n各县区人民政府：",
     "某市人民政府关于加强节约用水工作的实施意见"),
    ("某县人民政府关于印发某县水资源管理办法（试行）的通知\n各乡镇：\n", "某县水资源管理办法（试行）"),
    ("某自治区水利厅关于转发《某自治区\n用水定额\n标准》的通知\n各盟市水利局：", "某自治区用水定额标准"),
])
def test_title(text, title):
    assert find_heading(text).title.value == title


def test_title_span_of_notice_points_at_repeated_title():
    h = find_heading(PROVINCE_NOTICE)
    assert PROVINCE_NOTICE[h.title.start:h.title.end] == "河北省节约用水行动方案"
    assert h.title.start > PROVINCE_NOTICE.index("二〇二二")


def test_no_title_in_running_text():
    assert find_heading("为推进节水工作，结合实际，制定本方案。\n一、总体要求").title is None


# ---------------------------------------------------------------- 发文字号
@pytest.mark.parametrize("line,number", [
    ("昌市政办发〔2021〕14号", "昌市政办发〔2021〕14号"),
    ("某政办发(2021)8号", "某政办发〔2021〕8号"),
    ("某政办发（2021）8号", "某政办发〔2021〕8号"),
    ("某政办发[2021]8号", "某政办发〔2021〕8号"),
    ("某政办发［2021］8号", "某政办发〔2021〕8号"),
    ("某政办发【2021】8号", "某政办发〔2021〕8号"),
    ("国办发〔2021〕 03 号", "国办发〔2021〕3号"),
    ("某水发〔2023〕7号    签发人：某某", "某水发〔2023〕7号"),
])
def test_doc_number_normalised(line, number):
    assert find_doc_number(f"{line}\n某市节水方案\n").value == number


@pytest.mark.parametrize("text", [
    "根据《某方案》（某政办发〔2019〕125号）要求，制定本方案。",
    "某市节水方案\n2021年4月18日\n",
])
def test_doc_number_not_in_running_text(text):
    assert find_doc_number(text) is None


# ---------------------------------------------------------------- 成文日期
@pytest.mark.parametrize("line,date", [
    ("2021年4月18日", dt.date(2021, 4, 18)),
    ("二〇二一年四月十八日", dt.date(2021, 4, 18)),
    ("二○二二年十二月三十一日", dt.date(2022, 12, 31)),
    ("二〇二三年十月九日", dt.date(2023, 10, 9)),
    ("二〇二〇年二月二十日", dt.date(2020, 2, 20)),
    ("2021-04-18", dt.date(2021, 4, 18)),
    ("2021.4.18", dt.date(2021, 4, 18)),
    ("2021/4/18", dt.date(2021, 4, 18)),
    ("  2023年12月 1日 ", dt.date(2023, 12, 1)),
])
def test_date_spellings(line, date):
    assert [f.value for f in find_dates(f"某市水务局\n{line}\n")] == [date]


@pytest.mark.parametrize("text", [
    "2021年4月18日召开会议。",
    "到2025年6月底完成。",
    "2021年2月30日",          # impossible date
])
def test_date_not_a_signing_date(text):
    assert find_dates(text) == []


def test_date_after_signature_preferred():
    text = "某方案\n2020年1月2日\n正文。\n某市水务局\n2021年3月4日\n"
    assert find_signing_date(text, [text.index("某市水务局") + 5]).value == dt.date(2021, 3, 4)
    assert find_signing_date(text).value == dt.date(2020, 1, 2)


# ---------------------------------------------------------------- status
@pytest.mark.parametrize("text,status", [
    ("某方案\n（征求意见稿）\n", "征求意见稿"),
    ("某方案（公开征求意见稿）\n", "征求意见稿"),
    ("某方案\n(讨论稿)\n", "讨论稿"),
    ("某方案（送审稿）\n", "送审稿"),
    ("某条例（草案）\n", "草案"),
    ("征求意见稿\n\n某区养老服务提升行动方案\n", "征求意见稿"),   # bare mark above the title
    ("某市燃气安全整治方案\n送审稿\n", "送审稿"),
    ("某办法（试行）\n", None),
    ("某方案（2023-2025年）\n", None),
])
def test_status(text, status):
    f = find_status(text)
    assert (f.value if f else None) == status


def test_bare_status_line_is_not_part_of_the_title():
    text = "征求意见稿\n\n某县生活垃圾分类攻坚方案（2024—2026年）\n\n为做好分类工作，制定本方案。\n"
    h = find_heading(text)
    assert h.title.value == "某县生活垃圾分类攻坚方案（2024—2026年）"
    found = find_status(text, 0, h.header_end)
    assert found.value == "征求意见稿" and text[found.start:found.end] == "征求意见稿"


def test_bare_status_words_in_a_sentence_are_not_a_status():
    text = "某县方案\n各单位形成征求意见稿后报送。\n征求意见稿已印发各乡镇\n"
    assert find_status(text, 0, find_heading(text).header_end) is None


def test_status_only_in_header():
    text = "某方案\n为做好工作，广泛征求意见后制定本方案（征求意见稿）。\n"
    h = find_heading(text)
    assert find_status(text, 0, h.header_end) is None


# ---------------------------------------------------------------- citations
@pytest.mark.parametrize("text,own,expected", [
    ("根据《某省节水方案》（某政发〔2020〕1号）和《某省节水方案》要求", None,
     [("某省节水方案", "某政发〔2020〕1号")]),
    ("对照《某通则（GB/T 1-2020）》配备；附件：《某通则(GB/T 1-2020)》", None, [("某通则（GB/T 1-2020）", None)]),
    ("根据《<国家节水行动方案>分工方案》", None, [("<国家节水行动方案>分工方案", None)]),
    ("印发《某县\n节水方案》；落实《某市规划（2021—2025 年）》", "某县节水方案", [("某市规划（2021—2025年）", None)]),
    ("落实《甲办法》、《乙规划》、《甲办法》", None, [("甲办法", None), ("乙规划", None)]),
    ("按《某办法》（某发[2021]3号）执行", None, [("某办法", "某发〔2021〕3号")]),
    ("没有书名号的句子。", None, []),
])
def test_citations(text, own, expected):
    assert [(f.value.title, f.value.doc_number) for f in find_citations(text, own)] == expected


# ---------------------------------------------------------------- base year precedence
def _title_found(text: str) -> Found:
    return find_heading(text).title


@pytest.mark.parametrize("text,year", [
    ("某县节水方案\n到2025年底完成。\n某县水务局\n2021年5月6日\n", 2021),       # 成文日期 first
    ("2023年全区节水工作要点\n到2025年完成。\n", 2023),                        # single title year
    ("某县行动方案（2024-2026年）\n到2025年完成。\n", 2024),                    # period start
    ("某区节水工作要点\n为推进工作，落实《某规划（2019年）》（某发〔2018〕1号）。\n到2026年6月底完成，较2020年下降。2027年底前完成。\n", 2026),
    ("某区节水工作要点\n为推进工作，制定本要点。\n", None),
    # no signing date: the year of the 发文字号 comes before the body's years
    ("关于印发某县节水方案的通知\n某办发〔2023〕12号\n某县节水方案\n年底前完成排查，到2025年建成。\n", 2023),
])
def test_base_year(text, year):
    h = find_heading(text)
    dates = find_dates(text)
    cited = find_citations(text)
    number = find_doc_number(text)
    skip = [(c.start, c.value.extent_end) for c in cited] + ([(number.start, number.end)] if number else [])
    f = find_base_year(text, h.title, dates[0] if dates else None, skip, h.header_end,
                       doc_number_year=issue_year(number) if number else None)
    assert (f.value if f else None) == year


# ---------------------------------------------------------------- jurisdiction table
@pytest.mark.parametrize("name,jurisdiction,province,prefecture,level", [
    ("昌吉市节水", "昌吉市", "新疆维吾尔自治区", "昌吉回族自治州", "county"),    # county-level city
    ("张掖市节水", "张掖市", "甘肃省", None, "prefecture"),
    ("昌吉州节水", "昌吉回族自治州", "新疆维吾尔自治区", None, "prefecture"),  # short form of 自治州
    ("重庆市綦江区节水", "綦江区", "重庆市", None, "county"),
    ("綦江区节水", "綦江区", "重庆市", None, "county"),
    ("广东省节水", "广东省", "广东省", None, "province"),
    ("上海市节水", "上海市", "上海市", None, "province"),                        # 直辖市 itself
])
def test_locate(name, jurisdiction, province, prefecture, level):
    place, s, e = locate(name)
    assert (place.jurisdiction, place.province, place.prefecture, place.level) == (
        jurisdiction, province, prefecture, level)
    assert name[s:e] in (jurisdiction, "昌吉州")


def test_ambiguous_district_alone_is_not_guessed():
    assert locate("朝阳区节水方案") is None


# ---------------------------------------------------------------- rules and helpers
def test_rule_file_loads_with_examples():
    rs = load_ruleset("metadata")
    assert {"wrapper", "doc_number", "date", "status", "issuer", "national"} <= {r.label for r in rs.rules}


@pytest.mark.parametrize("raw,clean", [
    ("2023—2025 年", "2023—2025年"),
    ("《昌吉市\n节水》", "《昌吉市节水》"),
    ("（GB/T 24789-2022）", "（GB/T 24789-2022）"),
    (" 到 2026 年底 ", "到2026年底"),
])
def test_squeeze(raw, clean):
    assert squeeze(raw) == clean


# ---------------------------------------------------------------- issuer / signature
@pytest.mark.parametrize("text,issuer", [
    ("某方案\n正文。\n甘州区水务局\n", "甘州区水务局"),                                   # closing signature
    ("某方案\n正文。\n昌吉市人民政府办公室\n\n2021年4月18日\n附件\n表格", "昌吉市人民政府办公室"),  # dated
    ("某方案\n正文。\n\t区水利局\n", None),                                               # table cell
    ("某方案\n正文。\n区水利局\n", None),                                                  # no division name
    ("某方案\n正文。\n一、总体要求\n", None),
    ("某方案\n正文。\n国家发展改革委\n二〇二一年五月六日\n", "国家发展改革委"),
    ("某方案\n正文。\n锡林郭勒盟水资源节约集约利用领导小组办公室\n2022年1月5日\n",
     "锡林郭勒盟水资源节约集约利用领导小组办公室"),
])
def test_issuer_from_signature(text, issuer):
    from extractors.metadata import find_issuer
    f = find_issuer(text)
    assert (f.value if f else None) == issuer


@pytest.mark.parametrize("text, level", [
    ("2024年全省农村供水工作要点", "province"),
    ("全自治区节约用水工作方案", "province"),
    ("2023年全县节水工作要点", "county"),
    ("全旗水资源管理工作要点", "county"),
    ("全州节约用水工作要点", "prefecture"),
    ("全市节水工作要点", None),      # a prefecture or a county-level city: not decided here
    ("全区水利工作要点", None),      # a district or a whole autonomous region
])
def test_scope_word_gives_the_level_of_a_plan_that_names_no_division(text, level):
    from extractors.metadata.jurisdiction import scope_level

    found = scope_level(text)
    assert (found.value.value if found else None) == level


def test_unnamed_provincial_plan_gets_its_level_but_no_jurisdiction():
    from pipeline.metadata import extract_metadata

    text = "2024年全省农村供水工作要点\n\n全省农村自来水普及率提高到92%。\n"
    meta = extract_metadata(text, lambda s, e: CharSpan(start=s, end=e, orig_start=s, orig_end=e))
    assert meta.admin_level == "province" and meta.jurisdiction is None and meta.province is None
    assert text[meta.spans["admin_level"].start:meta.spans["admin_level"].end] == "全省"
