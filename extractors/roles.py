"""Responsible units of a task item and their roles (lead / support).

Pure: `find_unit_roles(item_text)` returns the unit mentions with offsets in `item_text`.
Units come only from role markings (DECISIONS.md "Units"):
1. statements: unit lines (牵头单位：…) and unit parentheses ((…牵头，…配合), (责任单位：…)).
   Where an item has any statement, running text adds nothing.
2. otherwise running text: "X牵头", "X配合", "X会同Y" with X, Y made only of unit names.
Role semantics (FORMAT.md): 牵头/主办 → lead; 配合/参与/协同/协助/协办 → support; 责任单位 and
负责 → support beside a 牵头 unit (in the same statement, or in another unit line of the item),
else lead; a unit marked in place "X（牵头）" is lead and the rest of its list support; 指导 → lead
where no unit 牵头s; X会同Y → X lead, Y support. In running text 参与/协助/协同 mark support only
in a sentence that names a 牵头 unit, and 由X负责 is lead. A group list ("以下均需…落实，不再一一列出")
is returned apart in `group_units`; the caller decides its scope (`apply_group_units` gives the
convention of the gold files).
Table cells go through `units_from_cell`. Patterns live in data/rules/roles.yaml.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Hashable, Literal, Sequence

import regex

from extractors.ruleset import load_ruleset
from extractors.whitespace import no_whitespace
from extractors.unit_names import (NameReject, is_bare_prefix, is_collective, is_proper, is_unit, level_prefix,
                                   split_unit_list, split_unit_names)

RULESET = "roles"
Role = Literal["lead", "support"]

# Reject codes for statements (unit_names.py has the U codes for single names).
R_RUNNING_NOT_UNIT = "R001"   # running-text 牵头/配合/会同 whose subject is not a unit list
R_PAREN_PARTIAL = "R002"      # a unit parenthesis with role words where some piece is not a unit


@dataclass(frozen=True)
class UnitMention:
    start: int
    end: int
    name: str
    role: Role
    rule_id: str
    raw: str


@dataclass
class RoleResult:
    units: list[UnitMention] = field(default_factory=list)
    group_units: list[UnitMention] = field(default_factory=list)
    rejects: list[NameReject] = field(default_factory=list)
    has_statement: bool = False   # the item carries a unit line or unit parenthesis
    names_lead: bool = False      # the item marks a lead unit (牵头, 主办, X（牵头）, X会同Y): units
                                  # said to 负责 / 落实 beside it, a group list's too, are support

    def names(self, role: Role) -> list[str]:
        seen: list[str] = []
        for u in self.units:
            if u.role == role and u.name not in seen:
                seen.append(u.name)
        return seen

    @property
    def lead(self) -> list[str]:
        return self.names("lead")

    @property
    def support(self) -> list[str]:
        return self.names("support")


# Running-text lists never cross these marks (RUN in roles.yaml excludes them, in a short parenthesis
# too), nor do the words around a list: a running pattern matches inside one stretch between two.
_LIST_BREAK = "，,；;。"
_STRETCH = regex.compile(r"[^，,；;。]+")


def _triggers(rule) -> tuple[str, ...]:
    trig = (rule.value or {}).get("trigger")
    return (trig,) if isinstance(trig, str) else tuple(trig or ())


@lru_cache(maxsize=1)
def _rules():
    rs = load_ruleset(RULESET)
    for rule in rs.with_label("running") + rs.with_label("running_beside_lead") + [rs.rule("running_huitong")]:
        # a running pattern only runs near its triggers (_finditer_near): a wrong list would hide matches
        found = [m.group(0) for ex in rule.examples for m in rule.compiled.finditer(ex.text)]
        if not _triggers(rule) or any(not any(t in f for t in _triggers(rule)) or any(c in f for c in _LIST_BREAK)
                                      for f in found):
            raise ValueError(f"roles.yaml rule {rule.id!r}: value.trigger missing, or an example's match "
                             f"{found} lacks a trigger or crosses one of {_LIST_BREAK}")
    markers = []
    for rule in rs.with_label("marker"):
        # (rule, role, triggers): a marker with triggers is only scanned over text holding one
        role, triggers = (rule.value, ()) if isinstance(rule.value, str) else (rule.value["role"], _triggers(rule))
        found = [m.group(0) for ex in rule.examples for m in rule.compiled.finditer(ex.text)]
        if triggers and any(not any(t in f for t in triggers) for f in found):
            raise ValueError(f"roles.yaml rule {rule.id!r}: an example's match in {found} lacks a value.trigger")
        markers.append((rule, role, triggers))
    return {
        "line": rs.rule("unit_line"),
        "paren": rs.rule("unit_paren"),
        "group": rs.rule("group_list"),
        "markers": markers,
        "inline_lead": rs.rule("inline_lead"),
        "verbs": rs.with_label("verb"),
        "huitong": rs.rule("huitong"),
        "running": rs.with_label("running"),
        "running_beside_lead": rs.with_label("running_beside_lead"),
        "running_huitong": rs.rule("running_huitong"),
        "manner": rs.rule("manner_tail").compiled,
    }


_CLAUSE_SEP = regex.compile(r"[，,；;。]")
_LABEL_END = regex.compile(r"[：:】]")
# a bureau name that continues a collective place (各县（市、区）|卫生健康局): ends like an office
_BUREAU_AFTER = regex.compile(r"\p{Han}{0,10}?(?:局|委员会|委|厅|办公室|办|中心|人民政府|政府)")
# a branch that continues the body it belongs to (中国人民银行|某某市分行, 县公安局|交警大队); the
# words between never hold a verb or a conjunction (市财政局|开展分局检查 is no branch)
_BRANCH_AFTER = regex.compile(r"(?:(?!开展|进行|推进|加强|制定|组织|实施|完成|建立|落实|研究|编制|做好|共同|联合|负责"
                              r"|[对和与及])\p{Han}){0,8}?(?:分行|支行|分局|分公司|分中心|支队|大队|中队|调查队|营业部|派出所)")
_LEADING = regex.compile(r"[\s、，,；;：:]*(?:并由|均由|由|请|经)?")
_MARKER_WORDS = regex.compile(r"牵头|配合|参与|协同|协助|协办|负责|落实|指导|会同|单位|部门")
_SUFFIX_CONT = regex.compile(r"(?:公室|员会|事处|会|室|局|委|办|厅|部|中心|公司|处)")
_NAME_SEP = regex.compile(r"[、和及与]")
# Cheap pre-checks: a rule cannot match a text that lacks every one of these strings.
_GROUP_OPENERS = ("以下", "下列", "后续")   # group_list starts with one of them
_LINE_COLONS = ("：", ":", "】")             # a unit line's label ends with one of them


# ----------------------------------------------------------------------------- statements
@dataclass
class _Piece:
    start: int
    end: int
    kind: str          # lead | support | duty | guide | bare
    rule_id: str


def _mentions(text: str, start: int, end: int, role: Role, rule_id: str, out: RoleResult) -> bool:
    """Split text[start:end] as a unit list; add mentions with `role`. False if any piece fails."""
    # The list's own offsets are shifted here, as the mentions are made: split_unit_list(…,
    # offset=start) would build shifted copies of every name only for them to be dropped.
    units, rejects = split_unit_names(text[start:end])
    if rejects:
        out.rejects.extend(NameReject(r.start + start, r.end + start, r.raw, r.code) for r in rejects)
    for u in units:
        out.units.append(UnitMention(u.start + start, u.end + start, u.name, role, rule_id, u.raw))
    return not rejects


def _clause_pieces(text: str, start: int, end: int) -> list[_Piece]:
    """Verb form: split at ，；。 and read the role word that ends each clause."""
    pieces, pending = [], None
    bounds = [start] + [m.end() for m in _CLAUSE_SEP.finditer(text, start, end)] + [end]
    for c_start, c_end in zip(bounds, bounds[1:]):
        clause = text[c_start:c_end].rstrip("，,；;。 \t\n")
        c_end = c_start + len(clause)
        if not clause.strip():
            continue
        lead = _LEADING.match(text, c_start, c_end)
        c_start = lead.end() if lead else c_start
        found = None
        for rule in _rules()["verbs"]:
            m = rule.compiled.search(text, c_start, c_end)
            if m:
                found = (m.start(), rule.value, rule.id)
                break
        if found is None:
            if not _is_unit_list(text, c_start, c_end):
                continue   # 2025年底前完成, 保障资金: a clause that names no unit is not part of a list
            if pending is None:   # a unit list without role word belongs to the next list
                pending = c_start
            continue
        if pending is not None:
            c_start = pending
        pending = None
        pieces.append(_Piece(c_start, found[0], found[1], found[2]))
    if pending is not None:
        pieces.append(_Piece(pending, end, "bare", "bare_list"))
    return pieces


def _is_unit_list(text: str, start: int, end: int) -> bool:
    return _whole_unit_list(text[start:end])


@lru_cache(maxsize=4096)
def _whole_unit_list(s: str) -> bool:
    units, rejects = split_unit_names(s)   # read only: the shared tuples, no UnitList copy
    return bool(units) and not rejects


def _label_pieces(text: str, start: int, end: int, markers: list[tuple[int, int, str, str]]) -> list[_Piece]:
    pieces = []
    if text[start:markers[0][0]].strip("，,；;。、 \t\n"):
        pieces += _clause_pieces(text, start, markers[0][0])
    for i, (m_start, m_end, role, rid) in enumerate(markers):
        seg_end = markers[i + 1][0] if i + 1 < len(markers) else end
        stop = text.find("。", m_end, seg_end)
        seg_stop = stop if stop >= 0 else seg_end
        if role == "skip":   # 完成时限：… names no unit
            continue
        inner = _clause_pieces(text, m_end, seg_stop) if role != "support" else []
        if any(p.kind in ("lead", "support") for p in inner):
            # 责任单位：县水利局牵头，县财政局配合: verbs inside the list decide; the rest keep the label's role
            pieces += [p if p.kind in ("lead", "support") else _Piece(p.start, p.end, role, rid) for p in inner]
        else:
            pieces.append(_Piece(m_end, seg_stop, role, rid))
    return pieces


def _find_markers(text: str, start: int, end: int) -> list[tuple[int, int, str, str]]:
    if not _LABEL_END.search(text, start, end):
        return []   # every label ends with a colon or a closing bracket
    found = []
    for rule, role, triggers in _rules()["markers"]:
        if triggers and not any(text.find(t, start, end) >= 0 for t in triggers):
            continue
        for m in rule.compiled.finditer(text, start, end):
            found.append((m.start(), m.end(), role, rule.id))
    found.sort()
    # Keep the longest marker at one place (牵头单位： over 牵头：), drop overlaps.
    kept: list[tuple[int, int, str, str]] = []
    for f in found:
        if kept and f[0] < kept[-1][1]:
            if f[1] - f[0] > kept[-1][1] - kept[-1][0]:
                kept[-1] = f
            continue
        kept.append(f)
    return kept


def _inline_leads(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if "牵头" not in text and "主责" not in text:
        return []
    return [m.span() for m in _rules()["inline_lead"].compiled.finditer(text, start, end)]


def _statement(text: str, start: int, end: int, source: str, out: RoleResult, *, bare_ok: bool,
               item_lead: bool = False) -> bool:
    """Read one statement (a unit line or a parenthesis body); True if it named units.

    `item_lead`: the item names a 牵头 unit elsewhere (another unit line), so 责任单位 here are support.
    """
    inline = _inline_leads(text, start, end)
    if inline:   # read the list without its "（牵头）" marks; they decide roles below
        text = _blank(text, inline)
    markers = _find_markers(text, start, end)
    pieces = _label_pieces(text, start, end, markers) if markers else _clause_pieces(text, start, end)
    if not markers and all(p.kind == "bare" for p in pieces) and not bare_ok:
        return False
    # 会同 inside a statement: X会同Y负责 → X lead, Y support.
    expanded: list[_Piece] = []
    for p in pieces:
        m = _rules()["huitong"].compiled.search(text, p.start, p.end) if p.kind != "support" else None
        if m:
            expanded += [_Piece(p.start, m.start(), "lead", "huitong"), _Piece(m.end(), p.end, "support", "huitong")]
        else:
            expanded.append(p)
    has_lead = item_lead or bool(inline) or any(p.kind == "lead" for p in expanded)
    trial = RoleResult()
    ok = True
    for p in expanded:
        if p.kind == "bare":
            role: Role = "support" if inline else "lead"
        elif p.kind in ("duty", "guide"):
            role = "support" if has_lead else "lead"
        else:
            role = p.kind  # type: ignore[assignment]
        rule_id = f"{source}:{p.rule_id}"
        ok &= _mentions(text, p.start, p.end, role, rule_id, trial)
    if inline:   # X（牵头）: the marked unit leads, whatever its list's label said
        trial.units = [replace(u, role="lead", rule_id=f"{source}:inline_lead")
                       if any(s >= u.end and not text[u.end:s].strip() for s, _ in inline) else u
                       for u in trial.units]
    if not trial.units:
        return False
    if not ok and source == "paren" and not markers:
        # Role words around text that is not a unit list (考核实施细则…): not a statement.
        out.rejects.append(NameReject(start, end, text[start:end], R_PAREN_PARTIAL))
        return False
    out.units += trial.units
    out.rejects += trial.rejects
    out.names_lead |= has_lead
    return True


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    # Replace spans by spaces of the same length, so offsets stay valid.
    if not spans:
        return text
    parts, pos = [], 0
    for s, e in sorted(spans):
        s = max(s, pos)   # overlapping spans: blank their union
        if e <= s:
            continue
        parts += [text[pos:s], " " * (e - s)]
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


def _line_end(text: str, body_end: int) -> int:
    # A unit line that ends with 、 or ， continues on the next non-empty line (wrapped PDF text).
    end = body_end
    while text[:end].rstrip().endswith(("、", "，", ",")):
        nxt = text.find("\n", end + 1)
        nxt = len(text) if nxt < 0 else nxt
        if not text[end:nxt].strip() or _rules()["line"].compiled.match(text, end + 1, nxt):
            break
        end = nxt
    return end


# ----------------------------------------------------------------------------- running text
def _trim_left(text: str, start: int, end: int) -> int | None:
    """Start of the longest unit list that ends at `end` (drops 建立由… before the units)."""
    lead = _LEADING.match(text, start, end)
    start = lead.end() if lead else start
    # The first name ends at the first separator, unless 和/及/与 sits inside it (市自然资源和规划局):
    # try each separator up to the first 、 (never inside a name), then the whole span.
    ends = [m.start() for m in _NAME_SEP.finditer(text, start, end)] + [end]
    for head_end in ends:
        for s in range(start, head_end - 1):
            head = no_whitespace(text[s:head_end])
            # At the clause start any unit will do (国家发展改革委牵头); further in, only a name that
            # opens like a unit (level prefix, place, 各, collective) may cut off the words before it.
            if is_unit(head) and (s == start or level_prefix(head) or is_proper(head) or is_collective(head)
                                  or head.startswith("各")):
                units, rejects = split_unit_names(text[s:end])
                if units and not rejects:
                    return s
        if head_end < end and text[head_end] == "、":
            break
    return None


def _shortest_unit(text: str, start: int, end: int) -> int | None:
    """End of the shortest unit name that opens text[start:end] and is not cut inside a longer
    name (区委 of 区委办公室, 市发展和改革委 of …委员会). Two-character shapes (区行 of 区行政审批局)
    and bare level prefixes are too short to stand alone in running text."""
    depth = 0
    for e in range(start + 1, end + 1):
        ch = text[e - 1]
        depth += (ch in "（(") - (ch in "）)")
        if depth == 0 and ch in "、，,":
            return None   # a name never holds a separator outside its parentheses
        if e < start + 3 or depth:
            continue
        name = no_whitespace(text[start:e])
        if is_unit(name) and not is_bare_prefix(name) and not _SUFFIX_CONT.match(text, e, end):
            if is_collective(name):   # 各县（市、区） may open 各县（市、区）卫生健康局
                longer = _BUREAU_AFTER.match(text, e, min(end, e + 12))
                if longer and not _SUFFIX_CONT.match(text, longer.end(), end):
                    return longer.end()
            else:
                branch = _BRANCH_AFTER.match(text, e, min(end, e + 12))
                if branch and not _SUFFIX_CONT.match(text, branch.end(), end):
                    return branch.end()
            return e
    return None


def _trim_right(text: str, start: int, end: int) -> int | None:
    """End of the unit list that starts at `start` (drops 制定方案… after the units).

    Walks the list name by name: each name is the shortest unit at the cursor; the list goes on
    only across 、 or 和/及/与 followed by another name, so an object that follows the units
    (建立月调度、季通报制度) is never read as part of the list."""
    pos, last = start, None
    while pos < end:
        e = _shortest_unit(text, pos, end)
        if e is None:
            break
        last = e
        nxt = e
        while nxt < end and text[nxt].isspace():
            nxt += 1
        if nxt < end and text[nxt] in "、和及与":
            pos = nxt + 1
            continue
        break
    if last is None:
        return None
    units, rejects = split_unit_names(text[start:last])
    return last if units and not rejects else None


def _finditer_near(rule, text: str):
    """rule.finditer(text), run only on the stretches between ，；。 that hold one of the rule's
    triggers: the same matches in the same order (none crosses a stretch's ends; see _LIST_BREAK),
    without trying the lazy list pattern at every position of the text."""
    triggers = _triggers(rule)
    if not any(t in text for t in triggers):
        return
    for stretch in _STRETCH.finditer(text):
        a, b = stretch.span()
        if any(text.find(t, a, b) >= 0 for t in triggers):
            # the mark that ends the stretch stays in view, for a lookahead such as (?=[。；;，,]|$)
            yield from rule.compiled.finditer(text, a, min(b + 1, len(text)))


def _running(text: str, out: RoleResult) -> None:
    rules = _rules()
    found = RoleResult()
    _running_marked(text, found)
    # 负责 (duty) is lead where no unit 牵头s, else support (FORMAT): resolved once the item's
    # running-text 牵头 units are known
    duty_role: Role = "support" if found.names_lead else "lead"
    out.names_lead |= found.names_lead
    out.rejects += found.rejects
    seen: set[tuple[int, int, str]] = set()
    for u in found.units:
        u = replace(u, role=duty_role) if u.role == "duty" else u   # type: ignore[comparison-overlap]
        if (u.start, u.end, u.role) not in seen:   # X会同Y负责 is read by two rules
            seen.add((u.start, u.end, u.role))
            out.units.append(u)
    lead_sentences = {_sentence_start(text, u.start) for u in out.units if u.role == "lead"}
    for rule in rules["running_beside_lead"] if lead_sentences else ():
        whole_clause = (rule.value or {}).get("whole_clause", False)
        if (rule.value or {}).get("beside_lead_word") and not out.names_lead:
            continue   # 各区负责组织实施，市园林局负责技术指导: beside a unit that only 负责
        for m in _finditer_near(rule, text):
            if _sentence_start(text, m.start()) not in lead_sentences:
                continue   # 带动全社会参与: a plain verb, not a role, without a 牵头 unit beside it
            lend = _list_end(text, m)
            ls = _trim_left(text, m.start("list"), lend)
            if whole_clause and ls != m.start("list"):
                continue   # the clause is not a unit list: an ordinary verb
            if ls is None:
                out.rejects.append(NameReject(m.start(), m.end(), m.group(0), R_RUNNING_NOT_UNIT))
                continue
            beside = RoleResult()
            _mentions(text, ls, lend, rule.value["role"], rule.id, beside)
            out.rejects += beside.rejects
            taken = {(u.start, u.end) for u in out.units}
            # a name already read keeps its role (X协同Y负责: X is the lead, not a unit that 协同s)
            out.units += [u for u in beside.units if (u.start, u.end) not in taken]


def _running_marked(text: str, out: RoleResult) -> None:
    """Running-text 会同 and the running rules; a duty's role is left "duty" for _running."""
    rules = _rules()
    joint = rules["huitong"].compiled
    for m in _finditer_near(rules["running_huitong"], text):
        ls = _trim_left(text, m.start("lead"), m.end("lead"))
        re_ = _trim_right(text, m.start("support"), m.end("support"))
        if ls is None or re_ is None:
            out.rejects.append(NameReject(m.start(), m.end(), m.group(0), R_RUNNING_NOT_UNIT))
            continue
        _mentions(text, ls, m.end("lead"), "lead", "running_huitong", out)
        _mentions(text, m.start("support"), re_, "support", "running_huitong", out)
        out.names_lead = True
    for rule in rules["running"]:
        whole_clause = (rule.value or {}).get("whole_clause", False)
        role = rule.value["role"]
        for m in _finditer_near(rule, text):
            lend = _list_end(text, m)
            j = joint.search(text, m.start("list"), lend) if role != "support" else None
            if j:   # 由X会同Y负责, X协同Y负责: X lead, Y support
                ls = _trim_left(text, m.start("list"), j.start())
                if whole_clause and ls != m.start("list"):
                    continue
                if ls is None or not _is_unit_list(text, j.end(), lend):
                    out.rejects.append(NameReject(m.start(), m.end(), m.group(0), R_RUNNING_NOT_UNIT))
                    continue
                _mentions(text, ls, j.start(), "lead", f"{rule.id}:huitong", out)
                _mentions(text, j.end(), lend, "support", f"{rule.id}:huitong", out)
                out.names_lead = True
                continue
            ls = _trim_left(text, m.start("list"), lend)
            if whole_clause and ls != m.start("list"):
                # 明确专人负责: the clause is not a unit list, so its verb is an ordinary one; no reject
                continue
            if ls is None:
                if _MARKER_WORDS.search(m.group("list")) is None:
                    out.rejects.append(NameReject(m.start(), m.end(), m.group(0), R_RUNNING_NOT_UNIT))
                continue
            _mentions(text, ls, lend, role, rule.id, out)
            out.names_lead |= role == "lead"


def _list_end(text: str, m) -> int:
    """End of a running match's list, without the manner phrase before its verb (按职责|协同)."""
    tail = _rules()["manner"].search(text, m.start("list"), m.end("list"))
    return tail.start() if tail else m.end("list")


def _sentence_start(text: str, pos: int) -> int:
    return max(text.rfind(c, 0, pos) for c in "。；;\n") + 1


# ----------------------------------------------------------------------------- public API
def find_unit_roles(item_text: str, *, group_units: Sequence[UnitMention] | None = None) -> RoleResult:
    """Units responsible for one task item, with roles; offsets are in `item_text`.

    `group_units` (from an earlier item's group list) are added as they are, after the item's
    own units, so the caller can carry a group list across items.
    """
    rules = _rules()
    out = RoleResult()
    groups = (list(rules["group"].compiled.finditer(item_text))
              if any(w in item_text for w in _GROUP_OPENERS) else [])
    for g in groups:
        lst = split_unit_list(g.group("units"), offset=g.start("units"))
        out.rejects += lst.rejects
        out.group_units += [UnitMention(u.start, u.end, u.name, rules["group"].value, "group_list", u.raw)
                            for u in lst.units]
    text = _blank(item_text, [g.span() for g in groups])

    taken: list[tuple[int, int]] = []
    parens = list(rules["paren"].compiled.finditer(text))
    # parens come from one finditer: sorted and disjoint, so only the last one opening before a
    # line can hold it
    paren_starts, paren_ends = [p.start() for p in parens], [p.end() for p in parens]
    lines = [(m, _line_end(text, m.end("body")))
             for m in (rules["line"].compiled.finditer(text) if any(c in text for c in _LINE_COLONS) else ())
             if not _inside(m.start(), paren_starts, paren_ends)]   # a label inside （…） is the paren's
    # 牵头单位：A / 责任单位：B on separate lines: B are support (FORMAT), as within one statement
    item_lead = any(rid == "lead_label" for m, end in lines for *_, rid in _find_markers(text, m.start("body"), end))
    for m, end in lines:
        if _statement(text, m.start("body"), end, "line", out, bare_ok=False, item_lead=item_lead):
            out.has_statement = True
            taken.append((m.start(), end))
    for m in parens:
        if taken and any(s <= m.start() < e for s, e in taken):
            continue
        body = m.group("body")
        if not _MARKER_WORDS.search(body) and not _bare_unit_paren(body, item_text, m.end()):
            continue
        if _statement(text, m.start("body"), m.end("body"), "paren", out, bare_ok=True):
            out.has_statement = True
    if not out.has_statement:
        _running(text, out)
    if group_units:
        out.units += _group_for(out, group_units)
    return out


def _group_for(res: RoleResult, group_units: Sequence[UnitMention]) -> list[UnitMention]:
    """A group list's units as one item takes them: said to 落实, they are support beside the
    item's 牵头 unit and keep the list's own role (lead) otherwise."""
    if res.names_lead:
        return [replace(u, role="support") for u in group_units]
    return list(group_units)


def _inside(pos: int, starts: list[int], ends: list[int]) -> bool:
    """True if starts[k] < pos < ends[k] for some k, the intervals being sorted and disjoint."""
    k = bisect_left(starts, pos)   # intervals opening before pos
    return bool(k) and pos < ends[k - 1]


def _bare_unit_paren(body: str, text: str, end: int) -> bool:
    # A parenthesis holding only units, at the end of a sentence or item: （市发改委、市财政局）.
    after = text[end:end + 2].strip()
    return (not after or after[0] in "。；;\n") and bool(body.strip())


def units_from_cell(cell_text: str, role: Role) -> RoleResult:
    """Units of one table cell (牵头单位 / 配合单位 / 责任单位 column) with the column's role.

    A cell may still carry role words (区级有关部门按职责分工负责, 交通实业公司负责); they are
    stripped, and the column decides the role.
    """
    out = RoleResult()
    text = cell_text
    markers = _find_markers(text, 0, len(text))
    if markers:   # a cell that itself says 牵头单位：… / 配合单位：…
        _statement(text, 0, len(text), "cell", out, bare_ok=True)
    elif _inline_leads(text, 0, len(text)):   # 县住建局（牵头）、县财政局 in a 责任单位 column
        _statement(text, 0, len(text), "cell", out, bare_ok=True)
    else:
        _mentions(text, 0, len(text), role, "cell", out)
    out.has_statement = bool(out.units)
    return out


def apply_group_units(results: Sequence[RoleResult], scopes: Sequence[Hashable],
                      origins: dict[int, UnitMention] | None = None) -> list[RoleResult]:
    """Carry each group list to the items that follow it within the same scope.

    `scopes[i]` names the scope of item i (e.g. its top-level section). A group list declared
    in item i applies to item i and every later item with the same scope, until another group
    list is declared; it is added as lead, as the gold files read "以下均需…落实", except in an
    item that names a 牵头 unit, where its units (said to 落实 beside it) are support.
    `origins`, if given, receives id(added mention) → the group list's own mention it stands for.
    """
    if len(results) != len(scopes):
        raise ValueError("results and scopes must have the same length")
    active: tuple[Hashable, list[UnitMention]] | None = None
    out = []
    for res, scope in zip(results, scopes):
        if res.group_units:
            active = (scope, res.group_units)
        if active and active[0] == scope:
            new = RoleResult(list(res.units), list(res.group_units), list(res.rejects), res.has_statement,
                             res.names_lead)
            added = _group_for(res, active[1])
            if origins is not None:
                origins.update((id(a), o) for a, o in zip(added, active[1]))
            new.units += added
            out.append(new)
        else:
            out.append(res)
    return out
