"""Split a list of responsible units and normalise each name.

A list as plans write it ("县发改委、工信局、水务局按照职责分工负责", a table cell
"各县区人民政府 张掖经开区管委会 市工信局") becomes unit names as FORMAT.md defines them:
- separators 、，, ；/ always split; 和/及/与 split only where the left side is already a whole
  unit name, so 住房和城乡建设局 and 商务和工信局 stay whole (agency shape, not a name list);
- whitespace splits only between two whole unit names; otherwise it is a line break inside a
  name (市农业\\n农村局) and is removed;
- a level prefix the list carries is written out on later generic names (县发改委、工信局 →
  县工信局; 市委宣传部、党校 → 市委党校), never on proper names (firms, parks, branches, names
  beginning with a place), quantified names (各…) or collective units (区级有关部门);
- trailing role phrases (按职责分工负责, 牵头, 等部门 …) are stripped; repeats are listed once.
Pieces that do not have the shape of a unit are returned as rejects with a code, never dropped.
Patterns live in data/rules/unit_names.yaml.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from extractors.ruleset import load_ruleset
from extractors.whitespace import no_whitespace
from extractors.unit_types import unit_type

RULESET = "unit_names"

# Reject codes (a piece of a unit list that is not a unit name).
NOT_AGENCY = "U001"      # does not end like an agency and is no known collective form
TOO_LONG = "U002"        # longer than any plausible unit name: a sentence fragment

MAX_NAME = 40


@dataclass(frozen=True)
class UnitName:
    start: int   # offsets of the raw piece in the text given to split_unit_list
    end: int
    raw: str     # the piece as written (line breaks included)
    name: str    # normalised name: no whitespace, shared prefix written out


@dataclass(frozen=True)
class NameReject:
    start: int
    end: int
    raw: str
    code: str


@dataclass
class UnitList:
    units: list[UnitName] = field(default_factory=list)
    rejects: list[NameReject] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [u.name for u in self.units]


@lru_cache(maxsize=1)
def _rules():
    rs = load_ruleset(RULESET)
    get = lambda label: [r.compiled for r in rs.with_label(label)]  # noqa: E731
    return {
        "agency": get("agency"),
        "collective": get("collective")[0],
        "quantified": get("quantified")[0],
        "prefix": get("prefix")[0],
        "bare_prefix": get("bare_prefix")[0],
        "proper": get("proper")[0],
        "subcounty": get("subcounty")[0],
        "tail": get("tail")[0],
        "separator": get("separator")[0],
        "conjunction": get("conjunction")[0],
        # the conjunction rule as its literal alternatives (以及, 和, 及, 与), where it is one: a
        # piece holding none of them is not searched (None: the rule is a pattern, always search)
        "conjunction_words": _literal_alternatives(get("conjunction")[0].pattern),
    }


def _literal_alternatives(pattern: str) -> tuple[str, ...] | None:
    alternatives = pattern.split("|")
    if not all(a and regex.escape(a, literal_spaces=True) == a for a in alternatives):
        return None
    # an alternative holding a shorter one (以及 holds 及) is found wherever that one is
    return tuple(a for a in alternatives if not any(b != a and b in a for b in alternatives))


_PARENS = regex.compile(r"[（(][^（）()]*[）)]")
_WS_RUN = regex.compile(r"\S+")
_FIRST_CONJUNCTION = regex.compile(r"和|及|与")


def _core(name: str) -> str:
    # 各乡镇（街道） and 各县（市、区）人民政府 are checked without their parenthesised part.
    return _PARENS.sub("", name)


@lru_cache(maxsize=8192)
def is_unit(name: str) -> bool:
    """True if `name` (no whitespace) has the shape of a responsible unit or a collective unit."""
    rules = _rules()
    core = _core(name)
    if len(name) > MAX_NAME:
        return False
    if rules["collective"].match(core):
        return True
    if len(core) < 2:
        return False
    return any(p.match(core) for p in rules["agency"])


@lru_cache(maxsize=8192)
def is_bare_prefix(name: str) -> bool:
    """A level prefix alone (市委, 县政府, 区): the start of a name, not a unit of its own."""
    return bool(_rules()["bare_prefix"].match(name))


# The name tests below are cached: a plan names the same few dozen units over and over, and the
# running-text readers in roles.py try every prefix of a clause as a name.
@lru_cache(maxsize=8192)
def is_collective(name: str) -> bool:
    return bool(_rules()["collective"].match(_core(name)))


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    """Place names (full and short forms) whose use at the start of a unit name makes it proper.

    Short forms that are also ordinary words (合作, 公安, 城区, 东方) would make generic bureaus
    look proper, so a short form counts only when jieba's dictionary tags it as a name or lacks it.
    """
    import jieba.posseg as posseg

    from extractors.divisions import location_table

    tags = posseg.dt.word_tag_tab
    names: set[str] = set()

    def walk(node: dict) -> None:
        for key, sub in node.items():
            if key.startswith("_") or not isinstance(sub, dict):
                continue
            forms = [key]
            alias = sub.get("_alias")
            forms += [alias] if isinstance(alias, str) else list(alias or [])
            for form in forms:
                if len(form) >= 2 and tags.get(form, "ns") in ("ns", "nr", "nz", "nt", "nrt"):
                    names.add(form)
            walk(sub)

    walk(location_table())
    return frozenset(names)


def starts_with_place(name: str) -> bool:
    places = _place_names()
    return any(name[:k] in places for k in range(2, min(len(name) - 1, 8) + 1))


@lru_cache(maxsize=8192)
def is_proper(name: str) -> bool:
    """A unit with a name of its own: never given a list's level prefix."""
    return bool(_rules()["proper"].search(_core(name))) or starts_with_place(name)


@lru_cache(maxsize=8192)
def level_prefix(name: str) -> tuple[str, bool] | None:
    """(level, is_party) of the prefix a name carries: 市发改委 → (市, False), 市委宣传部 → (市, True)."""
    rules = _rules()
    if rules["quantified"].match(name) or rules["collective"].match(_core(name)):
        return None
    m = rules["prefix"].match(name)
    if not m:
        return None
    return m.group("level"), bool(m.group("party"))


@lru_cache(maxsize=8192)
def strip_role_tail(text: str) -> str:
    tail = _rules()["tail"]
    while True:
        m = tail.search(text)
        if not m or m.start() == 0:
            return text
        text = text[: m.start()]


def _pieces(text: str) -> list[tuple[int, int]]:
    """Spans of the pieces between hard separators."""
    # Separators inside parentheses belong to the name: 各县（市、区）人民政府. Without an opening
    # parenthesis _PARENS cannot match: most lists have none, and skip the substitution.
    if "（" in text or "(" in text:
        masked = _PARENS.sub(lambda m: "（" + "#" * (len(m.group(0)) - 2) + "）", text)
    else:
        masked = text
    spans, pos = [], 0
    for m in _rules()["separator"].finditer(masked):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return spans


def _split_spaces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    # Whitespace separates two whole units (table cells) or breaks one name across lines.
    segment = text[start:end]
    if not segment:
        return []
    words = segment.split()
    if len(words) == 1 and len(words[0]) == len(segment):
        # no whitespace at all (to str.isspace, hence none to \s either), the usual piece: one
        # token, without the regex scan and the loop below
        return [(start, end)]
    tokens = [(start + m.start(), start + m.end()) for m in _WS_RUN.finditer(segment)]
    bare = _rules()["bare_prefix"]
    out: list[tuple[int, int]] = []
    for tok in tokens:
        if out:
            prev = no_whitespace(text[out[-1][0]:out[-1][1]])
            cur = text[tok[0]:tok[1]]
            if not (is_unit(prev) and is_unit(cur)) or bare.match(prev):
                out[-1] = (out[-1][0], tok[1])
                continue
        out.append(tok)
    return out


def _split_conjunctions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    # 和/及/与 split only between two whole units: 各乡镇及涉农街道, not 住房和城乡建设局.
    rules = _rules()
    words = rules["conjunction_words"]
    if words is not None:
        for w in words:
            if text.find(w, start, end) >= 0:
                break
        else:
            return [(start, end)]   # no conjunction in the piece, the usual case: no search
    out, pos = [], start
    for m in rules["conjunction"].finditer(text, start, end):
        left = no_whitespace(text[pos:m.start()])
        right = no_whitespace(strip_role_tail(text[m.end():end]))
        right_first = _FIRST_CONJUNCTION.split(right, maxsplit=1)[0]
        if is_unit(left) and (is_unit(right) or is_unit(right_first)):
            out.append((pos, m.start()))
            pos = m.end()
    out.append((pos, end))
    return out


def _with_prefix(name: str, carried: tuple[str, bool]) -> str:
    level, party = carried
    if party and unit_type(name) == "党委部门":
        return f"{level}委{name}"
    return f"{level}{name}"


def split_unit_names(text: str) -> tuple[tuple[UnitName, ...], tuple[NameReject, ...]]:
    """split_unit_list(text) as the cached, shared tuples (offsets in `text`), for a caller that
    reads them and shifts the offsets itself: roles.py makes its own mentions of every name, so
    the shifted UnitName copies split_unit_list(…, offset=…) builds were made only to be dropped."""
    return _split(text)


def split_unit_list(text: str, *, offset: int = 0) -> UnitList:
    """Split a unit list into normalised unit names; offsets are shifted by `offset`."""
    units, rejects = _split(text)
    if not offset:
        return UnitList(list(units), list(rejects))
    return UnitList([UnitName(u.start + offset, u.end + offset, u.raw, u.name) for u in units],
                    [NameReject(r.start + offset, r.end + offset, r.raw, r.code) for r in rejects])


# Cached on the text: a plan repeats its unit lists (the same 牵头/配合 cells row after row, the
# same statement read by task selection and by unit assignment), and the readers in roles.py
# split the same clause tails while trimming running text.
@lru_cache(maxsize=4096)
def _split(text: str) -> tuple[tuple[UnitName, ...], tuple[NameReject, ...]]:
    units: list[UnitName] = []
    rejects: list[NameReject] = []
    body_end = len(strip_role_tail(text.rstrip()))
    carried: tuple[str, bool] | None = None
    seen: set[str] = set()
    conjunctions = _rules()["conjunction_words"]
    for p_start, p_end in _pieces(text[:body_end]):
        piece = text[p_start:p_end]
        stripped = strip_role_tail(piece.rstrip())
        p_end = p_start + len(stripped)
        if _one_name(stripped, conjunctions):
            # the usual piece: no whitespace and no 和/及/与, so the space and conjunction splits
            # give it whole and it is its own name (strip_role_tail leaves it as it is)
            names: Iterable[tuple[int, int, str, str]] = ((p_start, p_end, stripped, stripped),)
        else:
            names = ((c_start, c_end, raw, no_whitespace(strip_role_tail(raw.strip())))
                     for s_start, s_end in _split_spaces(text, p_start, p_end)
                     for c_start, c_end in _split_conjunctions(text, s_start, s_end)
                     for raw in (text[c_start:c_end],))
        for c_start, c_end, raw, name in names:
            if not name:
                continue
            if not is_unit(name):
                code = TOO_LONG if len(name) > MAX_NAME else NOT_AGENCY
                rejects.append(NameReject(c_start, c_end, raw, code))
                continue
            own = level_prefix(name)
            if own is not None:
                if not is_proper(name):
                    carried = own
            elif carried and not _keeps_own_form(name):
                name = _with_prefix(name, carried)
            if name in seen:
                continue
            seen.add(name)
            units.append(UnitName(c_start, c_end, raw, name))
    return tuple(units), tuple(rejects)


def _one_name(piece: str, conjunctions: tuple[str, ...] | None) -> bool:
    """A non-empty piece without whitespace (to str.split, hence to \\s too) and without a
    conjunction word: _split_spaces and _split_conjunctions would return it whole."""
    words = piece.split()
    return (len(words) == 1 and len(words[0]) == len(piece) and conjunctions is not None
            and not any(w in piece for w in conjunctions))


@lru_cache(maxsize=8192)
def _keeps_own_form(name: str) -> bool:
    """A name a list's level prefix is never written onto (collective, 各…, sub-county, proper)."""
    rules = _rules()
    return bool(is_collective(name) or rules["quantified"].match(name) or rules["subcounty"].search(name)
                or is_proper(name))
