"""Quantitative targets in running text: pure functions of the text (rules in data/rules/targets.yaml).

find_targets(text) finds every figure with a known unit (or a coefficient after a comparator),
reads the clause around it through a window "<before>⟨figure⟩<after>" that the YAML rules match,
drops scope thresholds, baselines and past figures, and returns one TargetMatch per target:
a list joined by 、 (12%、10%、8%) gives one per figure, a figure shared by a list of subjects
(A、B分别建成2个 / A和B均达到90%) one per subject, a ratio 70.75︰12.05︰17.2 one per part.
assign_years(...) then resolves each target's year from the time statements around it.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

import regex

from extractors import measure_units
from extractors.numbers import is_chinese_numeral, parse_number
from extractors.ruleset import Rule, any_of, load_ruleset
from extractors.whitespace import no_whitespace

log = logging.getLogger(__name__)

RULESET = "targets"
OPEN, CLOSE = "⟨", "⟩"
# A clause ends at these marks; 、 does not end one, because lists of subjects and values run across it.
_CLAUSE_BREAK = regex.compile(r"[，,。；;：:！？!?\n]")
_LAST_CLAUSE_BREAK = regex.compile(r"(?r)[，,。；;：:！？!?\n]")   # searches backwards: the last one
_LAST_SENTENCE_BREAK = regex.compile(r"(?r)[。；;！？!?\n]")
# A ratio's first part ends in a digit, maybe a %, then its RATIO_SEP (\\s*[︰:：∶]): a text without
# that is not scanned for ratios. The standard `re` engine, whose \\s and \\d take in at least what
# regex's do, so this can only let more texts through. Most texts hold a colon (牵头单位：), few
# one after a digit: 7 -> 1 µs for a text without a ratio.
_RATIO_GATE = re.compile(r"\d%?\s*[︰:：∶]")
_LIST_JOIN = regex.compile(r"\s*(?:、|和|及|与|或)\s*")
_SUBJECT_SPLIT = regex.compile(r"、|和|及|与")
# Lead-ins that are not part of what is measured (time phrase, effort verbs, scope words).
_LEAD_IN = regex.compile(
    r"^(?:(?:到|至|在|于|从)?\s*(?:19|20)\d{2}\s*年(?:\s*[-—–~至]\s*(?:19|20)\d{2}\s*年)?(?:底|末|前|内)*\s*"
    r"|全年|年内|年底前|其中|确保|力争|争取|推动|实现|计划|全面|同时|并|要|使)+")
_BASELINE = regex.compile(r"(?:较|比|相比)\s*(?:19|20)\d{2}\s*年(?:底|末)?")
# The standard `re` engine: plain literals read the same by both engines, and this star of
# alternatives anchored at $ is tried at every position of every indicator phrase, where `re`
# measured 2.5-3 µs a phrase against 8-12 µs for `regex`.
_TRAILING_WORDS = re.compile(
    r"(?:分别|均|都)?(?:达到|达|不低于|不少于|至少达到|至少|保持在|稳定在|提高到|提高至|提升到|提升至|"
    r"控制在|控制到|不高于|不超过|低于|降低至|降低到|下降到|下降|降低|减少|提高|提升|增长|增加|递增|"
    r"为|调整至|调整为|力争|争取|保持|稳定|突破|缩短至|缩短到|压缩至|压缩到)*$")
_NOUN_AFTER = regex.compile(r"\s*(?:及以上|以上|及以下|以下|以内)?(?:的)?([^，,。；;：:（(、\n]{1,24})")
# A phrase ending in a verb of making says what is done, not what is counted: the noun after counts.
_MAKING_VERBS = ("打造", "建成", "建设", "新建", "改建", "扩建", "创建", "完成", "培育", "评选", "筹办", "举办",
                 "开展", "实施", "新增", "发展建设", "发展", "认定", "培训", "引进", "推广", "改造", "安装", "更换",
                 "建立", "设立", "试点建成")
_NOT_A_QUANTITY = regex.compile(r"\s*(?:年|月|日|号|时|届|级|倍|周|天|季度|[.．、]\s*\p{Han}|[A-Za-z])")
_COEFFICIENT_WORDS = regex.compile(r"系数|指数|倍数|当量")
_UNIT_IN_PARENS = regex.compile(r"\s*[（(]\s*")
_FOUR_DIGITS = regex.compile(r"\d{4}")
_QUALIFIER_TAIL = regex.compile(r"\s*(?:及以上|以上|及以下|以下|以内|之内)")
_DISTRIBUTIVE = regex.compile(r"分别|均|都")
_RATIO_CONTEXT = regex.compile(r"比例|比重|结构|之比|比$")
_RATIO_SEP = regex.compile(r"\s*[︰:：∶]\s*")
_RATIO_VERB_TAIL = regex.compile(r"(?:调整至|调整为|为|达到|调整到)$")
_MAGNITUDES = frozenset("万亿")


@dataclass(frozen=True)
class TargetMatch:
    start: int
    end: int
    text: str
    indicator: str
    comparator: str
    value: Decimal
    value_max: Decimal | None
    unit: str
    base_value: Decimal
    base_value_max: Decimal | None
    base_unit: str
    own_year: int | None
    rule_id: str
    # Pairing of a 分别/均 list or ratio: which member this is, of how many, and what it pairs with.
    pair_index: int = 0
    pair_count: int = 1
    pair_key: str | None = None


@dataclass
class _Figure:
    start: int
    end: int          # after the unit (and a closing parenthesis around it)
    num: str
    num2: str | None
    unit: str | None  # None: a bare number, kept only as a list member or a coefficient


@lru_cache(maxsize=1)
def _rules():
    rs = load_ruleset(RULESET)
    rules = {label: rs.with_label(label) for label in {r.label for r in rs.rules}}
    # each exclusion with the unit kinds it is limited to (empty: any kind), read once
    rules["exclude_kinds"] = [(r, (r.value or {}).get("kinds")) for r in rules.get("exclude", [])]
    # per label, all its rules as one pattern: one search says "none matches", the usual answer
    # for exclusions (measured 5 -> 2.5 µs a figure) and for half the comparator windows
    rules["any"] = {label: any_of(rules[label]) for label in ("comparator", "qualifier", "exclude")}
    return rules


def _clause_start(text: str, pos: int, floor: int = 0) -> int:
    if pos <= floor:
        return pos
    m = _LAST_CLAUSE_BREAK.search(text, floor, pos)
    return m.end() if m else floor


def _clause_end(text: str, pos: int, limit: int = 24) -> int:
    m = _CLAUSE_BREAK.search(text, pos, min(len(text), pos + limit))
    return m.start() if m else min(len(text), pos + limit)


def _window(text: str, start: int, end: int, left: int) -> str:
    return f"{text[left:start]}{OPEN}{text[start:end]}{CLOSE}{text[end:_clause_end(text, end)]}"


def _first(rules, label: str, window: str) -> Rule | None:
    """The first rule of the label, in file order, that matches the window."""
    gate = rules["any"].get(label)
    if gate is not None and gate.search(window) is None:
        return None
    for r in rules[label]:
        if r.compiled.search(window):
            return r
    return None


def _read_unit(text: str, pos: int) -> tuple[str, int] | None:
    """The unit after a figure: 78%, 10.15万亩, 4 个 (PDF spacing), 100（L/人·d）."""
    i = pos
    while i < len(text) and text[i] in " \t\u3000":
        i += 1
    found = measure_units.match_unit(text, i)
    if found:
        return found
    if i < len(text) and text[i].isalnum():
        return None  # 年, 级, 项 …: neither a unit nor a parenthesis or blank before one
    paren = _UNIT_IN_PARENS.match(text, pos)
    if paren:
        inner = measure_units.match_unit(text, paren.end())
        if inner and inner[1] < len(text) and text[inner[1]] in "）)":
            return inner[0], inner[1] + 1
    return None


def _may_open_unit(ch: str) -> bool:
    """Whether _read_unit can find a unit at a character: one that opens a unit, a blank before one
    or a parenthesis around one (ch.isspace() covers every character \\s matches)."""
    return ch in measure_units.first_chars() or ch in "（(" or ch.isspace()


def _figures(text: str, rules, taken: list[tuple[int, int]]) -> list[_Figure]:
    out = []
    n = len(text)
    for m in rules["figure"][0].finditer(text):
        start, end = m.span()
        if taken and any(a <= start < b for a, b in taken):
            continue
        num, num2 = m.group("num", "num2")
        if num2 is None and num[-1] in _MAGNITUDES and len(num) > 1 and is_chinese_numeral(num):
            # 二十三亿元 is 23 亿元 (FORMAT: 一万 is 1, unit 万): a closing 万/亿 that opens a unit is the unit's
            split = measure_units.match_unit(text, end - 1)
            if split is not None:
                num, end = num[:-1], end - 1
        # Two figures in three stand before a character that can open no unit (年, 月, 级, 项):
        # _read_unit's answer, None, without its calls (targets 5% cheaper on the 20 plans).
        unit = _read_unit(text, end) if end < n and _may_open_unit(text[end]) else None
        if unit is None:
            if is_chinese_numeral(num) or _NOT_A_QUANTITY.match(text, end):
                continue  # 一体化, 三级, 2025年, 6月: only a unit makes a numeral a quantity
            out.append(_Figure(start, end, num, num2, None))
        else:
            out.append(_Figure(start, unit[1], num, num2, unit[0]))
    return out


def _groups(text: str, figs: list[_Figure]) -> list[list[_Figure]]:
    """Figures joined only by 、/和 form one list (12%、10%、8%); bare members take the list's unit."""
    groups: list[list[_Figure]] = []
    for f in figs:
        if groups and _LIST_JOIN.fullmatch(text, groups[-1][-1].end, f.start):
            groups[-1].append(f)
        else:
            groups.append([f])
    for g in groups:
        unit = next((f.unit for f in reversed(g) if f.unit is not None), None)
        for f in g:
            if f.unit is None and unit is not None:
                f.unit = unit
    return groups


def _comparator(rules, adjacent: Rule | None, qualifier: Rule | None, window: str, paragraph_before: str,
                unit: str, ranged: bool) -> str:
    """The comparator of one figure, from the comparator rule matched right before it (`adjacent`)
    and the qualifier after its group (`qualifier`), else the clause and paragraph around it."""
    if ranged:
        return "range"
    if adjacent is not None and adjacent.value in ("decrease", "increase"):
        return adjacent.value
    if qualifier is not None:
        return qualifier.value
    if adjacent is not None and adjacent.value != "=":
        return adjacent.value
    if _first(rules, "clause_comparator", window):
        return ">="
    if measure_units.kind(unit) in ("volume", "volume_per_time") and _first(rules, "quota_context", paragraph_before):
        return "<="  # the parts of a control quota are ceilings
    return "="


def _excluded(rules, window: str, unit: str) -> Rule | None:
    gate = rules["any"]["exclude"]
    if gate is not None and gate.search(window) is None:
        return None
    kind = measure_units.kind(unit)
    for r, kinds in rules["exclude_kinds"]:
        if kinds and kind not in kinds:
            continue
        if r.compiled.search(window):
            return r
    return None


def _own_year(rules, text: str, left: int, start: int) -> int | None:
    """The year the target's own clause names (its last one; a range gives its end year)."""
    if text.find("年", left, start) < 0:
        return None   # both year rules end their match on 年; most clauses before a figure hold none
    year = None
    for m in rules["year_range"][0].finditer(text, left, start):
        year = (m.start(), int(m.group("y2")))
    for m in rules["year"][0].finditer(text, left, start):
        if year and m.start() < year[0] + 12 and m.start() >= year[0]:
            continue  # the first year of a range already read
        before, after = text[max(0, m.start() - 4):m.start()], text[m.end():m.end() + 8]
        if _first(rules, "year_exclude_before", before) or _first(rules, "year_exclude_after", after):
            continue
        year = (m.start(), int(m.group("y")))
    return year[1] if year else None


def _indicator(text: str, left: int, start: int, end: int) -> tuple[str, int]:
    """What is measured, and where the target's text begins."""
    while left < start and text[left] in "（(、）) \t":
        left += 1
    lead = _LEAD_IN.match(text, left, start)
    i = lead.end() if lead else left
    phrase = text[i:start]
    if "较" in phrase or "比" in phrase:   # _BASELINE opens with 较, 比 or 相比: most phrases hold none
        phrase = _BASELINE.sub("", phrase)
    phrase = _TRAILING_WORDS.sub("", no_whitespace(phrase))
    phrase = phrase.lstrip("（(、")
    if not phrase or phrase.endswith(_MAKING_VERBS):
        noun = _NOUN_AFTER.match(text, end)
        if noun:
            phrase = no_whitespace(noun.group(1))
    return phrase[:40], i


def _subjects(indicator: str) -> list[str]:
    """The subjects a 分别/均 figure is shared by: 机关、学校分别建成 -> [机关, 学校]."""
    head = _DISTRIBUTIVE.split(indicator)[0] if _DISTRIBUTIVE.search(indicator) else indicator
    parts = [p for p in _SUBJECT_SPLIT.split(head) if p]
    return parts if len(parts) > 1 else []


def _ratios(text: str, rules) -> tuple[list[TargetMatch], list[tuple[int, int]]]:
    out, taken = [], []
    if _RATIO_GATE.search(text) is None:
        return out, taken
    for m in rules["ratio"][0].finditer(text):
        left = _clause_start(text, m.start())
        before = text[left:m.start()]
        if not _RATIO_CONTEXT.search(before):
            continue  # 9:30 is a time, not a ratio
        parts = [p.rstrip("%") for p in _RATIO_SEP.split(m.group("parts"))]
        values = [parse_number(p) for p in parts]
        unit = "%" if "%" in m.group(0) or abs(sum(values) - 100) <= 1 else ""
        ind, tstart = _indicator(text, left, m.start(), m.end())
        names = [p for p in _RATIO_VERB_TAIL.sub("", ind).split("、") if p]
        if len(names) == len(values) and len({len(n) for n in names[:-1]}) == 1:
            suffix = names[-1][len(names[0]):]
            names = [n + suffix for n in names[:-1]] + [names[-1]]
        else:
            names = [f"{ind}（{i + 1}）" for i in range(len(values))]
        own = _own_year(rules, text, left, m.start())
        for i, (v, name) in enumerate(zip(values, names)):
            bv, bu = measure_units.to_base(v, unit)
            out.append(TargetMatch(tstart, m.end(), text[tstart:m.end()], name, "=", v, None, unit, bv, None,
                                   bu, own, "ratio", i, len(values), name))
        taken.append((m.start(), m.end()))
    return out, taken


def _kept(text: str, rules, group: list[_Figure], windows: list[str], left: int, coefficient: bool
          ) -> list[_Figure]:
    """The figures of a group that are targets: a bare number only as a coefficient after a
    comparator (`coefficient`: the indicator names one), and nothing an exclude rule drops.
    `windows`: each figure's window from the clause start `left`."""
    kept = []
    for f, window in zip(group, windows):
        unit = f.unit or ""
        if f.unit is None and not (coefficient and _first(
                rules, "comparator", window if f is group[0] else _window(text, f.start, f.end, f.start))):
            log.debug("W-TGT01 bare number without unit dropped: %r", text[f.start:f.end])
            continue
        why = _excluded(rules, window, unit)
        if why is not None:
            log.debug("W-TGT02 %s dropped (%s): %r", why.id, why.value, text[f.start:f.end])
            continue
        kept.append(f)
    return kept


def _list_years(text: str, rules, left: int, first_start: int, n: int) -> list[int] | None:
    """The years a list of n values pairs with, named earlier in the same sentence."""
    sentence_break = _LAST_SENTENCE_BREAK.search(text, 0, left)
    sentence_start = sentence_break.end() if sentence_break else 0
    years = None
    # a list of values paired with a year range in the same sentence (2023-2025年…分别为…)
    for ym in rules["year_range"][0].finditer(text, sentence_start, first_start):
        y1, y2 = int(ym.group("y1")), int(ym.group("y2"))
        if y2 - y1 + 1 == n:
            years = list(range(y1, y2 + 1))
    # … or with a list of years (2024年、2025年…分别达到60%、70%)
    for ym in rules["year_list"][0].finditer(text, sentence_start, first_start) if not years else ():
        listed = [int(y) for y in _FOUR_DIGITS.findall(ym.group("list"))]
        if len(listed) == n:
            years = listed
    return years


def find_targets(text: str) -> list[TargetMatch]:
    """Every quantitative target in `text`, in text order (offsets relative to `text`)."""
    rules = _rules()
    out, taken = _ratios(text, rules)
    previous_end, previous_indicator = 0, None
    for group in _groups(text, _figures(text, rules, taken)):
        first, last = group[0], group[-1]
        # a clause begins after the previous figure too (下降15%、万元工业增加值用水量较…下降18%)
        left = _clause_start(text, first.start, previous_end)
        # The indicator is read before the figures are judged only when a bare number needs it;
        # otherwise after, and not at all for the third of groups whose figures are all dropped.
        bare = any(f.unit is None for f in group)
        read = _indicator(text, left, first.start, last.end) if bare else None
        # every figure's window from the clause start, built once: the exclusions read them all,
        # the comparator and qualifier rules the first's and the last's (the same one, in most groups)
        windows = [_window(text, f.start, f.end, left) for f in group]
        kept = _kept(text, rules, group, windows, left, bare and _COEFFICIENT_WORDS.search(read[0]) is not None)
        if not kept:
            continue
        indicator, tstart = read or _indicator(text, left, first.start, last.end)
        previous_end = last.end
        if not indicator and previous_indicator:
            indicator = previous_indicator  # 至少5家,力争7家: the second figure counts the same thing
        previous_indicator = indicator
        comparator_window, group_window = windows[0], windows[-1]
        # the rules read the same windows for every member of the group: matched once
        adjacent = _first(rules, "comparator", comparator_window)
        qualifier = _first(rules, "qualifier", group_window)
        end = last.end
        if qualifier is not None:
            end += len(_QUALIFIER_TAIL.match(text, last.end).group(0))
        own = _own_year(rules, text, left, first.start)
        years = _list_years(text, rules, left, first.start, len(kept)) if len(kept) > 1 else None
        lead_phrase = no_whitespace(text[tstart:first.start])  # before the indicator lost its verb
        subjects = _subjects(lead_phrase) if len(kept) == 1 and _first(rules, "distribute", comparator_window) else []
        if len(kept) > 1 and not years:
            listed = _subjects(lead_phrase)
            subjects = listed if len(listed) == len(kept) else []
        members = [(f, None) for f in kept] if len(kept) > 1 else [(kept[0], s) for s in (subjects or [None])]
        noun = _NOUN_AFTER.match(text, end)
        para_start = text.rfind("\n", 0, first.start) + 1
        for i, (f, subject) in enumerate(members):
            unit = f.unit or ""
            value = parse_number(f.num)
            value_max = parse_number(f.num2) if f.num2 else None
            cmp = _comparator(rules, adjacent, qualifier, comparator_window, text[para_start:first.start], unit,
                              value_max is not None)
            bv, bu = measure_units.to_base(value, unit)
            bmax = measure_units.to_base(value_max, unit)[0] if value_max is not None else None
            name = indicator
            key = None
            if len(kept) > 1 and years:
                key = str(years[i])
            elif subject is not None or (len(kept) > 1 and subjects):
                subject = subject if subject is not None else subjects[i]
                key = subject
                name = subject if indicator.startswith(subject) or not noun else subject + no_whitespace(noun.group(1))
            out.append(TargetMatch(
                start=tstart, end=end, text=text[tstart:end], indicator=name, comparator=cmp,
                value=value, value_max=value_max, unit=measure_units.normalise(unit),
                base_value=bv, base_value_max=bmax, base_unit=bu,
                own_year=years[i] if years else own, rule_id=_rule_id(cmp, f),
                pair_index=i if len(members) > 1 else 0, pair_count=len(members), pair_key=key))
    out.sort(key=lambda t: (t.start, t.pair_index))
    return out


def _rule_id(cmp: str, f: _Figure) -> str:
    return "coefficient" if f.unit is None else f"figure{cmp}"


def assign_years(targets: list[TargetMatch], statements: list[tuple[int, int]],
                 plan_year: int | None) -> list[int | None]:
    """Each target's year: its own clause's year, else the last time statement before it (same
    item or goal paragraph; `statements` are (offset, year) in the same coordinates), else the
    plan's year for a single-year plan, else None. A statement after the target does not count."""
    ordered = sorted(statements)
    years = []
    for t in targets:
        if t.own_year is not None:
            years.append(t.own_year)
            continue
        # A statement inside the target's own phrase (年内完成…80%) is its clause's time; one after
        # the phrase does not count (DECISIONS.md).
        before = [y for off, y in ordered if off < t.end]
        years.append(before[-1] if before else plan_year)
    return years


def shifted(t: TargetMatch, offset: int) -> TargetMatch:
    """The same target with offsets moved by `offset` (block-relative -> document offsets)."""
    return replace(t, start=t.start + offset, end=t.end + offset)
