"""find_unit_roles / units_from_cell / apply_group_units: invented sentences in the styles of
national, provincial, city and county plans, then the five gold files (F1 floors 0.95)."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import regex

from extractors import unit_names
from extractors.roles import apply_group_units, find_unit_roles, units_from_cell
from extractors.unit_types import unit_type

ROOT = Path(__file__).resolve().parents[1]
GOLD = sorted((ROOT / "tests" / "gold").glob("0*.json"))


# ----------------------------------------------------------------------------- invented rows
# (item text, expected lead, expected support)
ROWS = [
    # unit lines after an item
    ("1.强化节水管理。健全考核制度。\n牵头单位：市水利局\n配合单位：市发改委、财政局",
     ["市水利局"], ["市发改委", "市财政局"]),
    ("（二）推进再生水利用。\n牵头部门：省住房城乡建设厅\n配合部门：省发展改革委、生态环境厅",
     ["省住房城乡建设厅"], ["省发展改革委", "省生态环境厅"]),
    ("3.完善监测网络。\n责任单位：县水务局\n参与单位:县自然资源局、气象局",
     ["县水务局"], ["县自然资源局", "县气象局"]),
    ("2.加强宣传。\n主办单位：区委宣传部\n协办单位：区教育局、团区委",
     ["区委宣传部"], ["区教育局", "团区委"]),
    ("5.建设平台。\n责任部门：市大数据局\n协同单位：市通信管理局",
     ["市大数据局"], ["市通信管理局"]),
    ("4.推进节水型社会建设。\n牵头单位：市水利局\n\n参与单位：市商务和工信局、财政局、住建局、\n农业农村局、各乡镇（街道）",
     ["市水利局"], ["市商务和工信局", "市财政局", "市住建局", "市农业农村局", "各乡镇（街道）"]),
    # parentheses at the end of an item or sentence
    ("6.持续推进农业水价综合改革。（区发展改革委牵头，区财政局、区水利局配合）",
     ["区发展改革委"], ["区财政局", "区水利局"]),
    ("1.开展节水型城市创建。（区城市管理局牵头，区级有关部门按职责分工负责）",
     ["区城市管理局"], ["区级有关部门"]),
    ("8.建成再生水厂。（区住房城乡建委牵头，城投公司负责）",
     ["区住房城乡建委"], ["城投公司"]),
    ("（三）推动节水技术改造（责任单位：县工信局、水务局，配合单位：县发改委、财政局）",
     ["县工信局", "县水务局"], ["县发改委", "县财政局"]),
    ("5.完善计量监测。（责任单位：县水务局、配合单位：县发改委、工信局）",
     ["县水务局"], ["县发改委", "县工信局"]),
    ("9.规范排水许可。（责任单位：县生态环境局，配合：县住建局）",
     ["县生态环境局"], ["县住建局"]),
    # 责任单位 beside a 牵头单位 are support: FORMAT makes 责任单位 lead only "when 责任单位 stands
    # beside 配合单位, or alone", and units that 负责 beside a 牵头 unit are support
    ("7.实施地下水超采治理（牵头单位：市水利局；责任单位：各县区人民政府）",
     ["市水利局"], ["各县区人民政府"]),
    ("7.实施地下水超采治理（责任单位：市水利局；配合单位：各县区人民政府）",
     ["市水利局"], ["各县区人民政府"]),
    ("10.开展水效领跑者引领行动。（省工业和信息化厅牵头，省水利厅参与）",
     ["省工业和信息化厅"], ["省水利厅"]),
    ("11.实施农村供水保障工程。（市水利局指导，各县区人民政府参与）",
     ["市水利局"], ["各县区人民政府"]),
    ("12.开展农业用水精细化管理（市农业农村局负责）。", ["市农业农村局"], []),
    ("13.落实水资源税政策（州税务局负责落实）。", ["州税务局"], []),
    ("14.推进节水灌溉（市农业农村局、市水利局牵头）。", ["市农业农村局", "市水利局"], []),
    ("15.开展专项检查（区水利局牵头，区住房和城乡建设委员会、区商务委配合）。",
     ["区水利局"], ["区住房和城乡建设委员会", "区商务委"]),
    ("16.编制规划（市发展改革委会同市水利局负责）。", ["市发展改革委"], ["市水利局"]),
    # several parentheses for several parts: a unit may be both lead and support
    ("17.完成监控单位载体创建。（区水利局、区城市管理局牵头）创建1家节水型酒店。（区商务委牵头，区水利局配合）",
     ["区水利局", "区城市管理局", "区商务委"], ["区水利局"]),
    # running text, only when the item has no statement
    ("18.强化考核督查。由区委办公室、区政府办公室牵头成立督察组，每月督查进展。",
     ["区委办公室", "区政府办公室"], []),
    ("19.完善价格机制。市发展改革委会同市财政局、市水利局制定实施办法。",
     ["市发展改革委"], ["市财政局", "市水利局"]),
    ("20.加强执法。县水务局牵头，县公安局、县司法局配合，开展联合执法。",
     ["县水务局"], ["县公安局", "县司法局"]),
    ("21.实施节水行动。国家发展改革委、水利部牵头，开展专项行动。", ["国家发展改革委", "水利部"], []),
    # a unit line overrides running text
    ("21.推进合同节水。县机关事务服务中心会同教育局开展试点。\n牵头单位：县水务局",
     ["县水务局"], []),
    # running-text actors and objects without a marking are not units
    ("22.加强组织领导。各乡镇、街道及有关部门要高度重视，函送区水利局备案。", [], []),
    ("23.加大投入。各级发改、财政等部门要积极争取资金。", [], []),
    # 等 after the last unit of a list, beside a 牵头 unit (national style)
    ("22.实施灌区改造。（水利部牵头，国家发展改革委、财政部等按职责分工负责）",
     ["水利部"], ["国家发展改革委", "财政部"]),
    # a unit marked in place "X（牵头）": X leads, the rest of its list support
    ("23.提升收运水平。\n责任单位：县城市管理局（牵头），县财政局、各乡镇人民政府",
     ["县城市管理局"], ["县财政局", "各乡镇人民政府"]),
    ("24.推进改造。（市住建局（牵头）、市城管局、市财政局按职责分工负责）",
     ["市住建局"], ["市城管局", "市财政局"]),
    # 责任单位 lines beside a 牵头单位 line are support
    ("25.加强村容村貌提升。\n牵头单位：县乡村振兴局\n责任单位：县自然资源局、县林业局",
     ["县乡村振兴局"], ["县自然资源局", "县林业局"]),
    # role verbs inside a 责任单位 list decide
    ("26.推进改革。\n责任单位：县水利局牵头，县财政局、县发改局配合",
     ["县水利局"], ["县财政局", "县发改局"]),
    # running 参与 beside a running 牵头 unit; 参与 without one is a plain verb
    ("27.加强水源保护。由省自然资源厅牵头，省林业局参与，划定水源保护区。",
     ["省自然资源厅"], ["省林业局"]),
    ("28.深化宣传。持续扩大影响力，带动全社会参与节水。", [], []),
    # …室 names and a principle between the list and 负责
    ("29.严格考核。（区委督查室、区城市管理局按职责分工负责）", ["区委督查室", "区城市管理局"], []),
    ("30.开展执法。（市公安局、市生态环境局按照“谁主管、谁负责”原则负责）",
     ["市公安局", "市生态环境局"], []),
    # running 会同 whose object contains 、 / a modal / 和 inside a name
    ("31.严格督导。市生态环境局会同市城市管理局建立月调度、季通报制度。",
     ["市生态环境局"], ["市城市管理局"]),
    ("32.加强指导。省水利厅要会同省农业农村厅加强技术指导。", ["省水利厅"], ["省农业农村厅"]),
    ("33.开展宣传。市水利局会同县委宣传部和市发展和改革委员会开展宣传。",
     ["市水利局"], ["县委宣传部", "市发展和改革委员会"]),
    ("34.编制规划。市自然资源和规划局牵头编制专项规划，市水利局、市住建局积极配合。",
     ["市自然资源和规划局"], ["市水利局", "市住建局"]),
    ("44.加强疾控体系建设。市疾控中心会同各县（市、区）卫生健康局建立监测预警平台。",
     ["市疾控中心"], ["各县（市、区）卫生健康局"]),
    # 各 + division words are collective units in a statement, actors in running text
    ("45.推进河湖治理。（市水利局牵头，各县区落实）", ["市水利局"], ["各县区"]),
    ("46.推进河湖治理。（市水利局牵头，各县（市、区）配合）", ["市水利局"], ["各县（市、区）"]),
    ("47.推进河湖治理。（各地区、各部门按职责分工负责）", ["各地区", "各部门"], []),
    ("48.加强领导。各县区要加强领导。", [], []),
    # 由X负责 in running text
    ("35.强化考核。由市委组织部、市考核办负责。", ["市委组织部", "市考核办"], []),
    ("36.加强领导。各乡镇要明确专人负责。", [], []),
    # "X负责" as a clause of its own after the work (no 由), with 协助/配合 beside it
    ("49.加强排污口监管。完成排查溯源。县生态环境局负责，县住建局、县农业农村局协助。",
     ["县生态环境局"], ["县住建局", "县农业农村局"]),
    ("50.建立台账。逐一登记造册，各乡镇人民政府负责落实。", ["各乡镇人民政府"], []),
    ("51.开展宣传。组织进社区活动，县委宣传部、县文旅局共同负责，县教育局配合。",
     ["县委宣传部", "县文旅局"], ["县教育局"]),
    # 主责 marks the lead, 协同 the support, in a unit parenthesis
    ("54.推进再生水利用。新建管道20公里。\n（市水务局主责，市城市管理局、市园林局协同）",
     ["市水务局"], ["市城市管理局", "市园林局"]),
    # 牵头 with a verb after it; 职能 for 职责; 分别负责
    ("55.建设水源工程。开工建设中型水库2座。（由市水务局牵头组织实施，市发展改革委、市自然资源规划局等部门配合）",
     ["市水务局"], ["市发展改革委", "市自然资源规划局"]),
    ("56.加强水质保障。（市卫生健康委、市生态环境局按职能分工负责）", ["市卫生健康委", "市生态环境局"], []),
    ("57.健全管护机制。（市水务局、市财政局分别负责）", ["市水务局", "市财政局"], []),
    # 主要责任单位 / 其他责任单位 lines; 协作 as a support label and verb
    ("58.推进改革。\n主要责任单位：市水务局\n其他责任单位：市财政局、市自然资源局",
     ["市水务局"], ["市财政局", "市自然资源局"]),
    ("59.推进改革。\n牵头单位：市水务局\n协作单位：市财政局", ["市水务局"], ["市财政局"]),
    ("60.推进改革。（县水利局牵头，县财政局协作）", ["县水利局"], ["县财政局"]),
    # 具体落实 beside a 牵头 unit is support; a post label (督办领导：…) names no unit
    ("61.推进节水。（县住建局、县城管局牵头，各街道办事处具体落实）", ["县住建局", "县城管局"], ["各街道办事处"]),
    ("62.推进节水。（责任单位：县水利局；协办单位：县财政局；督办领导：李某）", ["县水利局"], ["县财政局"]),
    # a whole statement in 【】, on the item's line or on lines of its own
    ("63.推进节水。【牵头单位：县水利局；配合单位：县财政局】", ["县水利局"], ["县财政局"]),
    ("64.推进节水。\n【牵头单位：市水利局】\n【配合单位：市发改委、市财政局】", ["市水利局"], ["市发改委", "市财政局"]),
    # …but not where the clause holds more than units and 负责
    ("52.落实责任。各地要负责做好宣传，确保取得实效。", [], []),
    ("53.压实责任。河长要对所辖河段负责。", [], []),
    # a label after the item's last sentence on the same line, with a 完成时限 label
    ("37.开展创建。推进节水型学校建设。责任单位：县教体局；完成时限：2024年12月底前", ["县教体局"], []),
    ("38.建设项目。\n责任单位：县水利局、县自然资源局（按职责分工负责）", ["县水利局", "县自然资源局"], []),
    ("39.完善机制。（牵头领导：某某；牵头单位：县农业农村局；配合单位：各镇）", ["县农业农村局"], ["各镇"]),
    # a clause that names no unit inside a unit parenthesis is skipped
    ("40.加强保护。（省林业局负责，2025年底前完成）", ["省林业局"], []),
    ("41.改造管网。（2024年底前完成，市住建局负责）", ["市住建局"], []),
    # labels written in brackets
    ("42.推进节水。【责任单位】县水利局【配合单位】县财政局", ["县水利局"], ["县财政局"]),
    ("43.推进节水。\n【牵头单位】市水利局\n【配合单位】市发改委、市财政局", ["市水利局"], ["市发改委", "市财政局"]),
    # parentheses that are not unit statements
    ("24.创建节水型企业至少5家（根据考核实施细则以及资金情况，尽量多创建）。", [], []),
    ("25.开展水平衡测试（年用水量1万立方米以上企业全覆盖）。", [], []),
    ("26.创建节水型酒店（某某酒店有限公司创建节水型酒店）。", [], []),
]


@pytest.mark.parametrize("text,lead,support", ROWS, ids=[r[0][:14] for r in ROWS])
def test_item_roles(text, lead, support):
    res = find_unit_roles(text)
    assert res.lead == lead
    assert res.support == support


@pytest.mark.parametrize("text,lead,support", ROWS, ids=[r[0][:14] for r in ROWS])
def test_offsets_point_at_raw(text, lead, support):
    for u in find_unit_roles(text).units:
        assert text[u.start:u.end] == u.raw
        assert regex.sub(r"\s+", "", u.raw) in u.name


GROUP_TEXT = ("1.建立监测机制。（责任单位：市工信局、市水务局按照职责分工负责。"
              "以下均需各县区人民政府、某某经开区管委会落实，不再一一列出）")


def test_group_list_is_exposed_not_mixed():
    res = find_unit_roles(GROUP_TEXT)
    assert res.lead == ["市工信局", "市水务局"]
    assert [u.name for u in res.group_units] == ["各县区人民政府", "某某经开区管委会"]


def test_apply_group_units_scope():
    items = [find_unit_roles(GROUP_TEXT), find_unit_roles("2.加强监管。（责任单位：市住建局）"),
             find_unit_roles("（一）压实责任。各县区要加强领导。")]
    out = apply_group_units(items, ["二", "二", "三"])
    assert out[0].lead == ["市工信局", "市水务局", "各县区人民政府", "某某经开区管委会"]
    assert out[1].lead == ["市住建局", "各县区人民政府", "某某经开区管委会"]
    assert out[2].lead == []


def test_group_units_argument_added():
    g = find_unit_roles(GROUP_TEXT).group_units
    assert find_unit_roles("2.加强监管。（责任单位：市住建局）", group_units=g).lead == [
        "市住建局", "各县区人民政府", "某某经开区管委会"]


CELLS = [
    ("区级有关部门按职责分工负责", "support", [], ["区级有关部门"]),
    ("交通实业公司负责", "support", [], ["交通实业公司"]),
    ("各县区人民政府 某某经开区管委会 市工信局 市水务局", "lead",
     ["各县区人民政府", "某某经开区管委会", "市工信局", "市水务局"], []),
    ("市农业\n农村局", "lead", ["市农业农村局"], []),
    ("市委宣传部、党校、教育局", "support", [], ["市委宣传部", "市委党校", "市教育局"]),
    ("各乡镇及涉农街道", "lead", ["各乡镇", "涉农街道"], []),
    ("县住建局（牵头）、县财政局", "lead", ["县住建局"], ["县财政局"]),
]


@pytest.mark.parametrize("cell,role,lead,support", CELLS, ids=[c[0][:10] for c in CELLS])
def test_units_from_cell(cell, role, lead, support):
    res = units_from_cell(cell, role)
    assert res.lead == lead and res.support == support


def test_running_reject_has_code():
    res = find_unit_roles("建立健全工作机制牵头抓总。")
    assert res.units == [] and all(r.code for r in res.rejects)


# ----------------------------------------------------------------------------- gold files
_LABELS = [  # rank of a heading label: lower is higher in the outline
    (0, regex.compile(r"^(?:[一二三四五六七八九十]+、|附件)")),
    (1, regex.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
    (2, regex.compile(r"^\d{1,2}(?:[.．、]|(?![年月日万亿元个家])(?=\p{Han}))")),
    (3, regex.compile(r"^[（(]\d{1,2}[）)]")),
]


_LINE = regex.compile(r"(?m)^[ \t\u3000]*(\S.*)$")


def _rank(label: str) -> int:
    """Rank of a gold path label (三, （一）, 1, （1）)."""
    label = label + "、" if regex.fullmatch(r"[一二三四五六七八九十]+|\d+", label) else label
    for rank, rx in _LABELS:
        if rx.match(label):
            return rank
    raise ValueError(label)


def _find_quote(text: str, quote: str, after: int = 0) -> int:
    """Position in text of the first char of `quote`, whitespace-insensitive."""
    pat = r"\s*".join(regex.escape(c) for c in regex.sub(r"\s+", "", quote))
    m = regex.compile(pat).search(text, after)
    assert m, quote
    return m.start()


def gold_items(path: Path) -> list[tuple[dict, str]]:
    """Slice each gold task's text from the corpus: from its label to the next label of the same
    or a higher level (unit lines after the item included)."""
    gold = json.loads(path.read_text(encoding="utf-8"))
    text = (ROOT / "corpus" / gold["file"]).read_text(encoding="utf-8")
    appendix = regex.search(r"(?m)^\s*附件\s*\d*\s*$", text)
    limit = appendix.start() if appendix else len(text)
    out, pos = [], 0
    for task in gold["tasks"]:
        q = _find_quote(text, task["quote"], pos)
        start = text.rfind("\n", 0, q) + 1
        rank = _rank(task["path"][-1])
        end = limit
        for m in _LINE.finditer(text, q, limit):
            if m.start() <= q:
                continue
            line = m.group(1)
            if any(rx.match(line) and r <= rank for r, rx in _LABELS):
                end = m.start()
                break
        out.append((task, text[start:end]))
        pos = q
    return out


def _norm(name: str) -> str:
    return regex.sub(r"\s+", "", name)


def score_tasks(verbose: bool = False) -> dict:
    counts = {k: [0, 0, 0] for k in ("lead", "support")}   # tp, fp, fn
    types = [0, 0]
    for path in GOLD:
        items = gold_items(path)
        results = [find_unit_roles(t) for _, t in items]
        results = apply_group_units(results, [task["path"][0] for task, _ in items])
        for (task, _), res in zip(items, results):
            for role in ("lead", "support"):
                gold = {_norm(u["name"]) for u in task[role]}
                pred = {_norm(n) for n in res.names(role)}
                c = counts[role]
                c[0] += len(gold & pred); c[1] += len(pred - gold); c[2] += len(gold - pred)
                if verbose and gold != pred:
                    print(path.name[:3], task["path"], role, "missing", sorted(gold - pred),
                          "extra", sorted(pred - gold))
                for u in task[role]:
                    types[1] += 1
                    ok = unit_type(u["name"]) == u["type"]
                    types[0] += ok
                    if verbose and not ok:
                        print("type", u["name"], u["type"], unit_type(u["name"]))
    out = {}
    for role, (tp, fp, fn) in counts.items():
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        out[role] = {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0, 4),
                     "tp": tp, "fp": fp, "fn": fn}
    out["type_acc"] = round(types[0] / types[1], 4)
    return out


@pytest.fixture(scope="module")
def gold_scores():
    return score_tasks()


@pytest.mark.parametrize("role", ["lead", "support"])
def test_gold_task_units_f1(gold_scores, role):
    assert gold_scores[role]["f1"] >= 0.95, gold_scores


def test_gold_unit_types(gold_scores):
    assert gold_scores["type_acc"] >= 0.95, gold_scores


def test_speed_one_mb_per_second():
    items = [t for p in GOLD for _, t in gold_items(p)]
    blob_size = sum(len(t.encode("utf-8")) for t in items)
    find_unit_roles(items[0])  # load rules and dictionaries outside the timing
    t0 = time.perf_counter()
    rounds = 0
    while time.perf_counter() - t0 < 1.0:
        # Cold caches each round: the list-splitting cache is keyed on list text, which a trailing
        # space on the item would not change, so a warm cache would measure lookups, not reading.
        unit_names._split.cache_clear()
        for t in items:
            find_unit_roles(t)
        rounds += 1
    rate = blob_size * rounds / (time.perf_counter() - t0) / 1e6
    assert rate >= 1.0, f"{rate:.2f} MB/s"


# ----------------------------------------------------------------------------- gold table rows
def gold_table_cells(path: Path) -> list[tuple[dict, list[str]]]:
    """For each gold table row, the unit cells of its stretch of the flattened table.

    The table reader is another stage; here a row is the text from its quote to the next row's
    quote, cells are split at tabs (line breaks inside a cell removed), and the unit columns are
    the cells that read wholly as unit lists, in column order."""
    gold = json.loads(path.read_text(encoding="utf-8"))
    text = (ROOT / "corpus" / gold["file"]).read_text(encoding="utf-8")
    rows = gold["table_rows"]
    if not rows:
        return []
    starts, pos = [], regex.search(r"(?m)^\s*附件\s*\d*\s*$", text).start()
    for row in rows:
        pos = _find_quote(text, row["quote"], pos)
        starts.append(pos)
    starts.append(len(text))
    out = []
    for row, s, e in zip(rows, starts, starts[1:]):
        cells = [c.split("\n\n")[0].strip() for c in text[s:e].split("\t")[1:]]
        unit_cells = []
        for c in cells:
            if c and not units_from_cell(c, "lead").rejects and units_from_cell(c, "lead").units:
                unit_cells.append(c)
        out.append((row, unit_cells))
    return out


def score_table_rows(verbose: bool = False) -> dict:
    counts = {k: [0, 0, 0] for k in ("lead", "support")}
    for path in GOLD:
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = (ROOT / "corpus" / gold["file"]).read_text(encoding="utf-8")
        appendix = regex.search(r"(?m)^\s*附件\s*\d*\s*$", text)
        tail = regex.sub(r"\s+", "", text[appendix.start():]) if appendix else ""
        two_columns = bool(regex.search(r"(?:配合|参与|协办)单位", tail))
        for row, cells in gold_table_cells(path):
            pred = {"lead": [], "support": []}
            roles = ["lead", "support"] if two_columns else ["lead"]
            for cell, role in zip(cells, roles):
                res = units_from_cell(cell, role)
                for r in ("lead", "support"):
                    pred[r] += res.names(r)
            for role in ("lead", "support"):
                g = {_norm(u["name"]) for u in row[role]}
                p = set(pred[role])
                c = counts[role]
                c[0] += len(g & p); c[1] += len(p - g); c[2] += len(g - p)
                if verbose and g != p:
                    print(path.name[:3], row["row"], role, "missing", sorted(g - p), "extra", sorted(p - g))
    out = {}
    for role, (tp, fp, fn) in counts.items():
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        out[role] = {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0, 4),
                     "tp": tp, "fp": fp, "fn": fn}
    return out


@pytest.mark.parametrize("role", ["lead", "support"])
def test_gold_table_row_units_f1(role):
    scores = score_table_rows()
    assert scores[role]["f1"] >= 0.95, scores


@pytest.mark.parametrize("text, lead, support", [
    ("由市生态环境局牵头，会同市水利局开展入河排污口排查整治。", ["市生态环境局"], ["市水利局"]),
    ("由县发展改革局牵头，会同县财政局、县水务局，研究制定水价方案。", ["县发展改革局"], ["县财政局", "县水务局"]),
    ("鼓励企业会同高校开展节水技术研究。", [], []),          # no 牵头 unit: 会同 is an ordinary verb here
])
def test_huitong_after_a_running_lead(text, lead, support):
    res = find_unit_roles(text)
    assert res.lead == lead and res.support == support
