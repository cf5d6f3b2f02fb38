"""Cleaning stage: each repair on invented sentences and on the samples, and the offset-map invariants."""
from __future__ import annotations

import json
import random
import re
import time
from pathlib import Path

import pytest

from extractors.ruleset import load_ruleset
from pipeline.clean import CleanText, Repair, clean, describe_repairs
from pipeline.cleaning.chars import SWAPS

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "corpus").glob("*.txt"))
GOLD = ROOT / "tests" / "gold"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def sample(prefix: str) -> str:
    return read(next(p for p in SAMPLES if p.name.startswith(prefix)))


def check_invariants(orig: str, ct: CleanText) -> None:
    text, offs = ct.text, ct.offsets
    assert ct.orig is orig
    assert len(offs) == len(text) + 1
    assert offs[len(text)] == len(orig)
    for i in range(len(text) - 1):
        assert offs[i] < offs[i + 1], f"offsets not increasing at {i}"
    if text:
        assert 0 <= offs[0] and offs[len(text) - 1] < len(orig)
    for i, ch in enumerate(text):
        src = orig[offs[i]]
        assert ch == src or SWAPS.get(src) == ch, f"text[{i}]={ch!r} stands on orig {src!r}"
    # the whole text maps from its first kept character to its last
    if text:
        assert ct.to_orig(0, len(text)) == (offs[0], offs[len(text) - 1] + 1)
    # no silent drops: every source character left out of the text lies inside a logged repair
    for r in ct.repairs:
        assert 0 <= r.orig_start < r.orig_end <= len(orig)
    kept = set(offs[: len(text)])
    logged = set()
    for r in ct.repairs:
        logged.update(range(r.orig_start, r.orig_end))
    dropped = [i for i in range(len(orig)) if i not in kept]
    assert all(i in logged for i in dropped), [orig[i] for i in dropped if i not in logged][:5]
    # and every swapped character too
    swapped = [i for i, ch in enumerate(text) if ch != orig[offs[i]]]
    assert all(offs[i] in logged for i in swapped)


def check_idempotent(ct: CleanText) -> None:
    again = clean(ct.text)
    assert again.text == ct.text, describe_repairs(again, context=6)[:5]


# ---------------------------------------------------------------------------------- invented cases
CASES = [
    # 1. line endings and stray BOM
    ("crlf", "一、目标\r\n到2025年底，完成。\r\n", "一、目标\n到2025年底，完成。\n"),
    ("lone_cr", "一、目标\r到2025年底，完成。", "一、目标\n到2025年底，完成。"),
    ("bom_inside", "节水\ufeff行动方案", "节水行动方案"),
    ("zero_width", "\u200b一、总体要求", "一、总体要求"),
    # 2. conversion markers
    ("bookmark", "[bookmark: _GoBack]为深入贯彻落实，制定本方案。", "为深入贯彻落实，制定本方案。"),
    ("bookmark_mid", "二、重点任务[bookmark: _Toc8841]\n", "二、重点任务\n"),
    ("bracket_kept", "详见[1]和[注]。", "详见[1]和[注]。"),
    # 3. widths
    ("mixed_pair_left", "(三）积极推进农业节水", "（三）积极推进农业节水"),
    ("mixed_pair_right", "（1)加强计量监测", "（1）加强计量监测"),
    ("half_pair_han_inside", "加强用水管网(设备)建设", "加强用水管网（设备）建设"),
    ("half_pair_touching", "管理通则(GB/T 24789-2022)》", "管理通则（GB/T 24789-2022）》"),
    ("half_pair_latin", "函数f(x)与g(y)", "函数f(x)与g(y)"),
    ("fullwidth_digits", "到２０２５年底新增１．５万亩", "到2025年底新增1.5万亩"),
    ("fullwidth_letters", "ＧＤＰ用水量", "GDP用水量"),
    ("fullwidth_percent", "普及率达80％以上", "普及率达80%以上"),
    ("comma_between_han", "加强内部管理,建立健全制度", "加强内部管理，建立健全制度"),
    ("comma_after_count", "至少5家,力争7家", "至少5家，力争7家"),
    ("colon_between_han", "责任单位:市水务局", "责任单位：市水务局"),
    ("semicolon_between_han", "推广节水技术;推进资源化利用", "推广节水技术；推进资源化利用"),
    ("comma_in_number", "共1,000立方米", "共1,000立方米"),
    ("ascii_code_kept", "执行GB/T 24789-2022标准，1.5 m3", "执行GB/T 24789-2022标准，1.5m3"),
    ("unit_formula_kept", "降低至100（L/人·d）以下", "降低至100（L/人·d）以下"),
    # 4. spaces around numbers
    ("year_space", "到 2026 年底，全市完成", "到2026年底，全市完成"),
    ("range_space", "三年行动（2023—2025 年）", "三年行动（2023—2025年）"),
    ("range_dash_spaces", "2023 — 2025 年", "2023—2025年"),
    ("amount_space", "年设计用水量 2 万立方米", "年设计用水量2万立方米"),
    ("percent_kept", "保持在94%以上", "保持在94%以上"),
    ("percent_space", "保持在 94% 以上", "保持在94%以上"),
    ("latin_unit_space", "新增能力 30 万m3", "新增能力30万m3"),
    ("caption_space_kept", "表2 年度任务分解表", "表2 年度任务分解表"),
    ("item_space_kept", "1. 定期开展用水监测。", "1. 定期开展用水监测。"),
    ("unit_list_space_kept", "各县区人民政府 市工信局 市水务局", "各县区人民政府 市工信局 市水务局"),
    ("layout_space_kept", "任  务  内  容", "任  务  内  容"),
    ("ideographic_space", "\u3000\u3000为加强节约用水管理，制定本办法。", "为加强节约用水管理，制定本办法。"),
    ("nbsp_between_han", "节水中国\u00a0你我同行", "节水中国 你我同行"),
    # 5. broken paragraphs
    ("join_mid_word", "1.建立监测机制，掌握用水环节、水循\n\n环模式等。", "1.建立监测机制，掌握用水环节、水循环模式等。"),
    ("join_single_break", "推动工业园区加强专业化运营，强化\n数字赋能。", "推动工业园区加强专业化运营，强化数字赋能。"),
    ("join_in_unit_paren", "8.开展核减工作（县经济信\n\n息局、县水务局牵头）。", "8.开展核减工作（县经济信息局、县水务局牵头）。"),
    ("join_many_blank_lines", "开展节水型单位建设，推进\n\n\n\n\n公共机构节水。", "开展节水型单位建设，推进公共机构节水。"),
    ("join_chain", "一是加强领导，统筹\n推进各项任务落实，确保\n按期完成。", "一是加强领导，统筹推进各项任务落实，确保按期完成。"),
    ("heading_not_glued", "一、工作目标\n\n到2026年底，全市完成。", "一、工作目标\n\n到2026年底，全市完成。"),
    ("plain_heading_not_glued", "总体目标\n到2025年6月底，建成2个。", "总体目标\n到2025年6月底，建成2个。"),
    ("next_heading_blocks", "全面提升用水效率，\n\n二、重点任务", "全面提升用水效率，\n\n二、重点任务"),
    ("next_item_blocks", "完善计量设施，\n\n3. 加强宣传。", "完善计量设施，\n\n3. 加强宣传。"),
    ("next_unit_line_blocks", "牵头单位：县水务局、县住建局\n配合单位：各镇人民政府", "牵头单位：县水务局、县住建局\n配合单位：各镇人民政府"),
    ("terminal_not_joined", "确保达标排放。\n\n加强宣传教育。", "确保达标排放。\n\n加强宣传教育。"),
    ("closed_paren_not_joined", "4.完成灌区创建（县水务局牵头）\n\n5.推进现代农业。", "4.完成灌区创建（县水务局牵头）\n\n5.推进现代农业。"),
    ("title_lines_not_joined", "某县推进节约用水三年\n行动方案（2024-2026年）\n\n为深入贯彻，制定本方案。",
     "某县推进节约用水三年\n行动方案（2024-2026年）\n\n为深入贯彻，制定本方案。"),
    ("title_unclosed_book_not_joined", "某市人民政府关于印发《某市节水\n行动方案》的通知", "某市人民政府关于印发《某市节水\n行动方案》的通知"),
    ("signature_date_not_joined", "请认真贯彻执行\n\n某县人民政府办公室\n\n2024年3月1日", "请认真贯彻执行\n\n某县人民政府办公室\n\n2024年3月1日"),
    ("footer_not_joined", "加强监督检查，\n抄送：县委办公室。", "加强监督检查，\n抄送：县委办公室。"),
    ("layout_not_joined", "组  长：张某某    县长\n\n副组长：李  某    副县长", "组  长：张某某    县长\n\n副组长：李  某    副县长"),
    ("year_range_not_heading", "推进节水改造，到\n\n2025年完成10家。", "推进节水改造，到2025年完成10家。"),
    ("decimal_not_heading", "推进灌溉工程建设，全县新增高效节水灌溉\n1.5万亩，完成。", "推进灌溉工程建设，全县新增高效节水灌溉1.5万亩，完成。"),
    # 6. tables: one cell per line, tab-led
    ("cell_two_lines", "\t1\n\t市农业\n农村局\n\t持续\n推进\n", "\t1\n\t市农业农村局\n\t持续推进\n"),
    ("cell_blank_inside", "\t序号\n\t节点\n\n要求\n\t牵头\n\n单位\n\t参与单位\n", "\t序号\n\t节点要求\n\t牵头单位\n\t参与单位\n"),
    ("cell_numbered_list", "\t\n\t1.推进灌区改造。\n2.推进农田建设。\n\t县农牧局\n", "\t\n\t1.推进灌区改造。2.推进农田建设。\n\t县农牧局\n"),
    ("cell_row_gap_kept", "\t1\n\t县水务局\n\n\t2\n\t县住建局\n", "\t1\n\t县水务局\n\n\t2\n\t县住建局\n"),
    ("cell_vertical_label", "\t51\n\t保\n障\n措\n施\n\t加强组织领导\n", "\t51\n\t保障措施\n\t加强组织领导\n"),
    ("table_tail_cell", "\t县水务局\n\t持续\n推进", "\t县水务局\n\t持续推进"),
    ("table_then_footer", "\t县水务局\n\t其他成员单位\n\n\n抄送：存档。\n", "\t县水务局\n\t其他成员单位\n\n\n抄送：存档。\n"),
    ("table_then_heading", "\t县水务局\n三、保障措施\n（一）加强领导\n\t1\n", "\t县水务局\n三、保障措施\n（一）加强领导\n\t1\n"),
    ("table_then_annex", "\t县水务局\n附件3\n\t序号\n", "\t县水务局\n附件3\n\t序号\n"),
    ("row_layout_kept", "序号\t工作任务\t责任单位\t备注\n1. 开展监测\t建立机制\t市水务局\t\n", "序号\t工作任务\t责任单位\t备注\n1. 开展监测\t建立机制\t市水务局\t\n"),
    ("row_trailing_tabs_kept", "一、夯实基础\t\t\t\n", "一、夯实基础\t\t\t\n"),
    # 7. trailing spaces and blank runs
    ("trailing_spaces", "坚持规划引领。  \n调查研究。 ", "坚持规划引领。\n调查研究。"),
    ("blank_run", "一、总体要求。\n\n\n\n\n二、重点任务", "一、总体要求。\n\n二、重点任务"),
    ("two_blank_lines_kept", "一、总体要求。\n\n\n二、重点任务", "一、总体要求。\n\n\n二、重点任务"),
    # a join brings Chinese context to a comma and a bracket pair
    ("join_then_width", "强化内部管理,建立(县经济\n\n信息局牵头)", "强化内部管理，建立（县经济信息局牵头）"),
]


@pytest.mark.parametrize("orig,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_repair_case(orig, expected):
    ct = clean(orig)
    assert ct.text == expected, describe_repairs(ct)
    check_invariants(orig, ct)
    check_idempotent(ct)


def test_case_ids_unique():
    assert len({c[0] for c in CASES}) == len(CASES)


def test_ruleset_loads_and_labels():
    rs = load_ruleset("cleaning")
    labels = {r.label for r in rs.rules}
    assert {"drop", "swap", "space", "punct", "paren", "line_end", "line_kind", "bracket"} <= labels


# ---------------------------------------------------------------------------------- random inputs
FRAGMENTS = sorted({c[1] for c in CASES} | {
    "\r\n", "\r", "\n", "\n\n", "\n\n\n\n", "\t", " ", "  ", "\u3000", "\xa0", "\ufeff", "(", ")", "（", "）",
    ",", ":", ";", "，", "。", "１", "２０２５", "％", "．", "年", "万亩", "2026", " 年", "一、", "（二）", "3.",
    "牵头单位：", "附件", "抄送：", "《", "》", "[bookmark: x]", "A", "m3", "GB/T 1-2", "市水务局",
})


@pytest.mark.parametrize("seed", range(60))
def test_random_mixtures_keep_invariants(seed):
    rnd = random.Random(seed)
    orig = "".join(rnd.choice(FRAGMENTS) for _ in range(rnd.randint(1, 40)))
    ct = clean(orig)
    check_invariants(orig, ct)
    check_idempotent(ct)


def test_empty_and_debris_only():
    for orig in ["", "\n", "\ufeff", "   \r\n\r\n", "[bookmark: _GoBack]"]:
        ct = clean(orig)
        check_invariants(orig, ct)
        assert ct.text.strip() == ""
        assert ct.to_orig(0, 0) == (ct.offsets[0], ct.offsets[0])


# ---------------------------------------------------------------------------------- API
def test_to_orig_and_span_map_exact_source():
    orig = "到 2026 年底，（区经济信\n\n息委牵头）"
    ct = clean(orig)
    assert ct.text == "到2026年底，（区经济信息委牵头）"
    i = ct.text.index("2026年底")
    s, e = ct.to_orig(i, i + len("2026年底"))
    assert orig[s:e] == "2026 年底"
    i = ct.text.index("经济信息委")
    span = ct.span(i, i + 5, page=3)
    assert orig[span.orig_start:span.orig_end] == "经济信\n\n息委"
    assert (span.start, span.end, span.page) == (i, i + 5, 3)
    assert ct.to_orig(4, 4) == (ct.offsets[4], ct.offsets[4])
    with pytest.raises(IndexError):
        ct.to_orig(0, len(ct.text) + 1)


def test_describe_repairs_lines():
    ct = clean("[bookmark: _GoBack]到 2026 年")
    lines = describe_repairs(ct)
    assert lines[0] == "drop_bookmark @0-19: '[bookmark: _GoBack]' -> ''"
    assert "number_space @20-21: ' ' -> ''" in lines
    assert all(isinstance(r, Repair) for r in ct.repairs)
    assert [r.orig_start for r in ct.repairs] == sorted(r.orig_start for r in ct.repairs)


# ---------------------------------------------------------------------------------- the samples
@pytest.mark.parametrize("path", SAMPLES, ids=[p.name[:3] for p in SAMPLES])
def test_sample_invariants_and_idempotence(path):
    orig = read(path)
    ct = clean(orig)
    check_invariants(orig, ct)
    check_idempotent(ct)


@pytest.mark.parametrize("prefix,expected", [
    ("001", "水循环模式、用水定额等"),
    ("001", "引导重点用水企业建立厂长、车间、班组"),
    ("001", "完成园区节水及水循环利用设施"),
    ("001", "降低废水排放量，促进工业用水"),
    ("001", "到2026年底，全市工业节水管理"),
    ("001", "打造4个节水先进企业"),
    ("001", "保持在94%以上"),
    ("001", "张掖市推进工业节水实施意见（2026–2028年）"),
    ("001", "加强内部用水管理，建立健全节水管理制度，"),
    ("001", "用水管网（设备）建设"),
    ("001", "（GB/T 24789-2022）》"),
    ("001", "\t2026年底，张掖经开区"),
    ("001", "各县区人民政府 张掖经开区管委会 市工信局 市水务局"),
    ("002", "（区经济信息委、区水利局牵头）"),
    ("002", "\t（三）\n"),
    ("002", "节水中国 你我同行"),
    ("002", "资源化利用。2.推进现代农业产业园建设"),
    ("003", "\t节点要求\n\t牵头单位\n"),
    ("003", "\t市农业农村局\n"),
    ("003", "\t持续推进\n"),
    ("003", "\t总量强度双控\n"),
    ("003", "\t保障措施\n"),
    ("003", "\t各乡镇、街道\n"),
    ("003", "\t任  务  内  容\n"),
    ("003", "\n\n抄送：存档。"),
    ("003", "昌吉市人民政府办公室关于印发《昌吉市\n节水行动实施方案》的通知"),
    ("004", "行动方案（2023-2025年）\n\n为深入学习贯彻"),
    ("004", "抽检覆盖率达80%以上"),
    ("000", "降低至100（L/人·d）以下"),
])
def test_sample_repairs(prefix, expected):
    assert expected in clean(sample(prefix)).text


@pytest.mark.parametrize("prefix,absent", [
    ("004", "[bookmark"),
    ("001", "管理,建立"),
    ("002", "(三）"),
    ("003", "\t市农业\n"),
    ("003", "\t持续\n"),
    ("003", "存档。\t"),
])
def test_sample_debris_gone(prefix, absent):
    assert absent not in clean(sample(prefix)).text


_HEADING_LINE = re.compile(r"(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d{1,2}[.．]\D|（\d{1,2}）|附件|总体目标)")


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name[:3] for p in SAMPLES])
def test_no_heading_line_glued(path):
    """Every line of the source that opens with a heading label still opens a line, and no
    short title/heading line got anything appended."""
    orig = read(path)
    ct = clean(orig)
    checked = 0
    pos = 0
    for line in orig.split("\n"):
        start, stripped = pos, line.lstrip(" \u3000")
        pos += len(line) + 1
        if not stripped or line.startswith("\t") or not _HEADING_LINE.match(stripped):
            continue
        first = start + len(line) - len(stripped)
        i = ct.offsets.tolist().index(first) if first in ct.offsets else None
        assert i is not None
        line_start = ct.text.rfind("\n", 0, i) + 1
        if ct.text.startswith("\t", line_start):
            continue  # a numbered list inside a table cell, joined on purpose
        assert i == line_start, f"heading glued: {stripped[:20]!r}"
        if len(stripped) <= 20 and "。" not in stripped and "\t" not in stripped:
            end = ct.text.find("\n", i)
            tail = ct.text[i:end if end >= 0 else len(ct.text)]
            assert tail.replace(" ", "") == stripped.rstrip().replace(" ", ""), f"heading extended: {tail!r}"
        checked += 1
    assert checked >= 5


def _gold_quotes(stem: str) -> list[str]:
    gold = json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))
    return [t["quote"] for t in gold["tasks"]] + [r["quote"] for r in gold["table_rows"]]


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name[:3] for p in SAMPLES])
def test_gold_quotes_on_one_line(path):
    """Every gold quote (16 non-space characters, line breaks removed) reads on one line of the
    cleaned text once spaces are set aside: no broken paragraph or cell is left behind."""
    text = clean(read(path)).text.replace(" ", "")
    # the cleaner writes half-width brackets around Chinese full-width, as the brief asks; gold
    # quotes keep the source's widths, so compare with both sides in full width
    widen = str.maketrans({"(": "（", ")": "）"})
    missing = [q for q in _gold_quotes(path.stem) if q.replace(" ", "").translate(widen) not in text]
    assert missing == []


def test_gold_table_deadlines_are_whole_cells():
    stem = next(p.stem for p in SAMPLES if p.name.startswith("003"))
    gold = json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))
    cells = set(clean(sample("003")).text.split("\n"))
    wanted = {r["deadline_text"] for r in gold["table_rows"] if r["deadline_text"]}
    # the cleaner removes PDF spaces before 年 ("2030 年"), as FORMAT asks for text fields
    missing = [d for d in wanted if "\t" + re.sub(r"(?<=\d) (?=年)", "", d) not in cells]
    assert missing == []


def test_speed_floor():
    """A floor, not the benchmark (reported separately): 2 MB of samples in well under a second."""
    blob = "\n\n".join(read(p) for p in SAMPLES)
    blob = blob * (2_000_000 // len(blob.encode("utf-8")) + 1)
    clean(blob)  # warm the rule and identity caches
    t = time.perf_counter()
    clean(blob)
    mb_s = len(blob.encode("utf-8")) / 1e6 / (time.perf_counter() - t)
    assert mb_s >= 5, f"{mb_s:.1f} MB/s"
