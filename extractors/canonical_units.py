"""One name per agency: a unit mention, read in its plan's jurisdiction, gives a canonical unit.

Pure functions over two dictionaries users can read and extend:
- data/dicts/agency_aliases.tsv: full function names and their abbreviations (发改委 → 发展和改革委员会);
- data/dicts/agency_stems.tsv: the short stems of department lists (发改、工信…等部门, 区公、检、法);
and one rule file, data/rules/collective_units.yaml, for collective actors (各乡镇人民政府).

How a name is read (the plan is 甘州区's, a county of 张掖市, 甘肃省):
- a level prefix names a jurisdiction relative to the plan's: 区水务局 → 甘州区水务局, 市委 → 张掖市委
  (市 in a county plan is the parent city; in a county-level city's plan it is that city, as 州 is its
  autonomous prefecture). A prefix the plan cannot place (区水务局 in a prefecture's plan, naming any
  of its districts) keeps the name as written, scoped to the plan.
- an unprefixed function name (住建局, 发改委) is the plan's own government's body;
- a proper name (固盛供水公司, 张掖经开区管委会) and a branch (州生态环境局昌吉市分局) stay as written;
- the function part is spelled out from the dictionaries, so 区住房城乡建委 and 区住房城乡建设委员会, or
  团区委 and 区团委, are one unit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex

from extractors.ruleset import load_ruleset, load_tsv
from extractors.unit_types import unit_type

LEVEL_CHARS = "省市州盟县区旗"
ADMIN_LEVEL = {"national": "国家", "province": "省", "prefecture": "市", "county": "县"}
# Level of a jurisdiction a prefix character names when the plan cannot place it (区水务局 in a
# prefecture plan is some district's bureau: level 县).
_CHAR_LEVEL = {"省": "省", "市": "市", "州": "市", "盟": "市", "县": "县", "区": "县", "旗": "县"}
_SPACE = regex.compile(r"\s+")
# The name a jurisdiction's prefix character is: 甘州区 → 区, 昌吉回族自治州 → 州, 新疆维吾尔自治区 → 区.
_SUFFIX_CHAR = regex.compile(f"([{LEVEL_CHARS}])$")
# An agency's branch in a named place stays as written: 州生态环境局昌吉市分局, 张掖市自然资源局甘州分局.
_BRANCH = regex.compile(r"^\p{Han}*?(?:局|委员会|委|厅|中心)(?P<place>\p{Han}{2,8}?)(?:分局|分中心|支队|大队|中队|派出所)$")
# Endings of a government body; a name starting with a known stem and ending so is a function name.
_BODY_END = regex.compile(r"(?:局|委|委员会|厅|办|办公室|中心|院|部|站|所|队|政府|会|社|支行)$")
_PLACEHOLDER_J = "{J}"
NOT_A_UNIT = "NOT_A_UNIT"


@dataclass(frozen=True)
class Place:
    """The plan's jurisdiction, as the documents table holds it."""

    jurisdiction: str | None
    admin_level: str | None = None      # national | province | prefecture | county
    province: str | None = None
    prefecture: str | None = None


@dataclass(frozen=True)
class CanonicalUnit:
    canonical_name: str
    level: str | None               # 国家 | 省 | 市 | 县 | 乡镇; None for a firm or an unplaced name
    belongs_to: str | None          # the jurisdiction the unit belongs to; None when unknown
    is_collective: bool
    qualified: bool                 # False: the name alone does not identify the unit outside its plan
    how: str                        # alias | composed | written | proper | branch | collective | unplaced | list
    function: str | None = None     # spelled-out function (发展和改革), to match list items to named bodies
    from_stem: bool = False         # a list stem's default body (发改 → 发展和改革委员会)
    aliases: tuple[str, ...] = field(default=())   # dictionary forms, jurisdiction-qualified


@dataclass(frozen=True)
class _Dicts:
    alias_to_full: dict[str, str]
    full_to_aliases: dict[str, tuple[str, ...]]
    level_aliases: tuple[tuple[regex.Pattern, str], ...]   # aliases with {L}: (pattern, full)
    stems: dict[str, tuple[str, str]]                        # stem → (function, unit)
    stem_re: regex.Pattern                                   # stems of ≥ 2 characters, inside names
    level_words: tuple[str, ...]                             # known words that start with a level char


class AgencyDictError(ValueError):
    """agency_aliases.tsv or agency_stems.tsv has a duplicate or malformed row."""


def alias_rows() -> list[tuple[str, list[str]]]:
    """(full, aliases) per row of agency_aliases.tsv, in file order."""
    return [(r["full"].strip(), [a.strip() for a in (r.get("aliases") or "").split("|") if a.strip()])
            for r in load_tsv("agency_aliases")]


@lru_cache(maxsize=1)
def _dicts() -> _Dicts:
    alias_to_full: dict[str, str] = {}
    full_to_aliases: dict[str, tuple[str, ...]] = {}
    level_aliases = []
    for full, aliases in alias_rows():
        if full in full_to_aliases:
            raise AgencyDictError(f"agency_aliases.tsv: {full!r} has two rows")
        full_to_aliases[full] = tuple(a for a in aliases if "{L}" not in a)
        for a in aliases:
            if a in alias_to_full or a in full_to_aliases:
                raise AgencyDictError(f"agency_aliases.tsv: alias {a!r} of {full!r} is already a name or alias")
            if "{L}" in a:
                level_aliases.append((regex.compile("^" + regex.escape(a).replace(r"\{L\}", f"([{LEVEL_CHARS}])") + "$"), full))
            else:
                alias_to_full[a] = full
    for full in full_to_aliases:
        if full in alias_to_full:
            raise AgencyDictError(f"agency_aliases.tsv: {full!r} is both a full name and an alias")
    stems = {}
    for r in load_tsv("agency_stems"):
        if r["stem"] in stems:
            raise AgencyDictError(f"agency_stems.tsv: stem {r['stem']!r} has two rows")
        stems[r["stem"]] = (r["function"], r["unit"])
    # Inside a name a stem counts only before a body ending or a conjunction, so that 交通 in
    # 交通运输局 is left alone while 交通局 and 商务和工信局 are spelled out.
    long_stems = sorted((s for s in stems if len(s) >= 2), key=len, reverse=True)
    stem_re = regex.compile("(?:" + "|".join(map(regex.escape, long_stems)) + r")(?=局|委|厅|办|和|与|、|部门|中心|$)")
    words = [w for w in (*alias_to_full, *full_to_aliases, *stems) if w[0] in LEVEL_CHARS and len(w) > 1]
    return _Dicts(alias_to_full, full_to_aliases, tuple(level_aliases), stems, stem_re,
                  tuple(sorted(words, key=len, reverse=True)))


@lru_cache(maxsize=1)
def _collective_rules():
    return load_ruleset("collective_units").rules


def collective_kind(name: str) -> str | None:
    """Level of the members of a collective unit (乡镇, 县, 市, 本级), or None for a single body."""
    for rule in _collective_rules():
        if rule.search(name):
            return rule.label
    return None


def _suffix(place_name: str) -> str | None:
    m = _SUFFIX_CHAR.search(place_name)
    return m.group(1) if m else None


def place_of_prefix(char: str, place: Place) -> tuple[str, str] | None:
    """The (jurisdiction, admin level) a level prefix names in a plan of `place`, or None."""
    candidates = ((place.jurisdiction, place.admin_level), (place.prefecture, "prefecture"),
                  (place.province, "province"))
    for name, level in candidates:
        if not name or level is None:
            continue
        if _suffix(name) == char or (char == "州" and name.endswith("自治州")) or (char == "盟" and name.endswith("盟")):
            return name, level
    return None


def spell_out(rest: str) -> tuple[str, str] | None:
    """The full function name of `rest` (a name without place) and how it was found, or None."""
    d = _dicts()
    if rest in d.full_to_aliases:
        return rest, "alias"
    if rest in d.alias_to_full:
        return d.alias_to_full[rest], "alias"
    replaced = [False]

    def sub(m: regex.Match) -> str:
        function = d.stems[m.group(0)][0]
        replaced[0] = replaced[0] or function != m.group(0)
        return function

    composed = d.stem_re.sub(sub, rest)
    if composed.endswith("委") and composed != rest:
        composed += "员会"  # 商务委 → 商务委员会: a spelled-out department's 委 is a 委员会
    if composed in d.full_to_aliases:
        return composed, "alias"
    if composed != rest or d.stem_re.search(rest):
        return composed, "composed"
    return None


def _function_of(full: str) -> str:
    return regex.sub(r"(?:委员会|局|厅|委|办公室|中心)$", "", full)


def _qualify(full: str, place_name: str) -> str:
    return full.replace(_PLACEHOLDER_J, place_name) if _PLACEHOLDER_J in full else place_name + full


def _level_alias(name: str, place: Place) -> tuple[str, tuple[str, str] | None] | None:
    """团区委-style names: (full, the place the inner level character names)."""
    for pattern, full in _dicts().level_aliases:
        m = pattern.match(name)
        if m:
            return full, place_of_prefix(m.group(1), place)
    return None


def _unit(full: str, how: str, where: tuple[str, str] | None, written: str, *, from_stem=False) -> CanonicalUnit:
    if where is None:
        return CanonicalUnit(written, None, None, False, False, "unplaced", _function_of(full), from_stem)
    place_name, admin = where
    aliases = tuple(_qualify(a, place_name) for a in _dicts().full_to_aliases.get(full, ()))
    return CanonicalUnit(_qualify(full, place_name), ADMIN_LEVEL.get(admin), place_name, False, True, how,
                         _function_of(full), from_stem, aliases)


@lru_cache(maxsize=65536)
def resolve_mention(name: str, place: Place) -> CanonicalUnit:
    """The canonical unit of one unit name (as unit_mentions.name holds it) in a plan of `place`."""
    name = _SPACE.sub("", name)
    own = (place.jurisdiction, place.admin_level) if place.jurisdiction and place.admin_level else None
    kind = collective_kind(name)
    if kind:
        return _collective(name, kind, place, own)
    branch = _BRANCH.match(name)
    if branch:
        sub = branch.group("place")
        j = place.jurisdiction or ""
        here = bool(j) and (sub in j or j in sub or j[:-1] == sub)
        return CanonicalUnit(name, ADMIN_LEVEL.get(place.admin_level) if here else None,
                             j if here else None, False, True, "branch")
    if unit_type(name) in ("企业", "园区"):
        # A firm or a park is its own name; it is unambiguous when it starts with a place name.
        placed = any(p and name.startswith(p) for p in (place.jurisdiction, place.prefecture, place.province))
        return CanonicalUnit(name, None, None, False, placed, "proper")
    level_alias = _level_alias(name, place)
    if level_alias:
        return _unit(level_alias[0], "alias", level_alias[1], name)
    # A full place name written out: 昌吉市水利局, 张掖市住建局.
    for pname, admin in ((place.jurisdiction, place.admin_level), (place.prefecture, "prefecture"),
                         (place.province, "province")):
        if pname and admin and name.startswith(pname) and len(name) > len(pname):
            found = spell_out(name[len(pname):])
            if found:
                return _unit(found[0], found[1], (pname, admin), name)
            return CanonicalUnit(name, ADMIN_LEVEL.get(admin), pname, False, True, "written")
    d = _dicts()
    if name[0] in LEVEL_CHARS and len(name) > 1 and not any(name.startswith(w) for w in d.level_words):
        rest = name[1:]
        where = place_of_prefix(name[0], place)
        found = spell_out(rest)
        full = found[0] if found else rest
        if where is None:
            return CanonicalUnit(name, _CHAR_LEVEL[name[0]], None, False, False, "unplaced", _function_of(full))
        return _unit(full, found[1] if found else "written", where, name)
    found = spell_out(name)
    if found and (found[1] == "alias" or _BODY_END.search(found[0])):
        return _unit(found[0], found[1], own, name)
    return CanonicalUnit(name, None, None, False, False, "proper")


def _collective(name: str, kind: str, place: Place, own: tuple[str, str] | None) -> CanonicalUnit:
    d = _dicts()
    m = regex.match(f"^([{LEVEL_CHARS}])(?=级|属|直)", name)
    if m:  # 区级有关部门 → 綦江区级有关部门: the prefix names whose departments they are
        where, body = place_of_prefix(m.group(1), place), name[1:]
    elif name[0] in LEVEL_CHARS and len(name) > 1 and not any(name.startswith(w) for w in d.level_words):
        # 县安委会各成员单位, 县有关部门: the prefix names whose committee or departments they are
        where, body = place_of_prefix(name[0], place), name[1:]
    elif _is_bare(name):  # 街道办事处 as an actor means every one of them: 甘州区各街道办事处
        where, body = own, "各" + d.alias_to_full.get(name, name)
    else:  # 各乡镇 and 各乡镇人民政府 are one actor
        where = own
        head = "各" if name.startswith("各") else ""
        rest = name[len(head):]
        body = head + d.alias_to_full.get(rest, rest)
    level = {"乡镇": "乡镇", "县": "县", "市": "市"}.get(kind) or (ADMIN_LEVEL.get(where[1]) if where else None)
    if where is None:
        return CanonicalUnit(name, level, None, True, False, "collective")
    return CanonicalUnit(where[0] + body, level, where[0], True, True, "collective")


def _is_bare(name: str) -> bool:
    rule = next((r for r in _collective_rules() if r.id == "bare_town"), None)
    return bool(rule and rule.search(name))


# -- lists ---------------------------------------------------------------------------------------
_LIST = regex.compile(
    rf"^(?P<pre>各级|[{LEVEL_CHARS}](?:级)?)?(?P<items>\p{{Han}}+?(?:[、，,/]\p{{Han}}+?)*)"
    r"(?P<tail>等(?:有关|相关)?(?:部门|单位)?|部门|单位)?$")
_ITEM_SPLIT = regex.compile(r"[、，,/]|(?<=\p{Han})(?:和|及|与)(?=\p{Han}{1,6}$)")


def expand_list(name: str) -> list[tuple[str, bool]] | None:
    """Names of the units a list names, each with whether it came from a stem; None if not a list.

    区公、检、法 → 区公安局, 区人民检察院, 区人民法院; 发改、工信、水务、住建等部门 → 发展和改革委员会,
    工业和信息化局, 水务局, 住房和城乡建设局; 县发改委、工信局 → 县发改委, 县工信局 (the prefix carried).
    """
    name = _SPACE.sub("", name)
    if "、" not in name and "，" not in name and not regex.search(r"等(?:部门|单位)$", name):
        return None
    m = _LIST.match(name)
    if not m:
        return None
    pre = m.group("pre") or ""
    prefix = pre[0] if pre and pre != "各级" else ""
    items = [i for i in _ITEM_SPLIT.split(m.group("items")) if i]
    if len(items) < 2 and not m.group("tail"):
        return None
    stems = _dicts().stems
    out = []
    for item in items:
        if item in stems:
            out.append((prefix + stems[item][1], True))
        elif prefix and item[0] not in LEVEL_CHARS:
            out.append((prefix + item, False))
        else:
            out.append((item, False))
    return out


def resolve_names(name: str, place: Place) -> list[CanonicalUnit]:
    """Every unit a mention names: one, or several for a list (区公、检、法)."""
    return list(_resolve_names(name, place))


@lru_cache(maxsize=65536)
def _resolve_names(name: str, place: Place) -> tuple[CanonicalUnit, ...]:
    # A corpus names the same few hundred units in the same few places over and over; the
    # canonical pass runs over every mention of the database on every ingest.
    return tuple(_resolve_names_uncached(name, place))


def _resolve_names_uncached(name: str, place: Place) -> list[CanonicalUnit]:
    listed = expand_list(name)
    if listed is None:
        return [resolve_mention(name, place)]
    out = []
    for item, from_stem in listed:
        unit = resolve_mention(item, place)
        if from_stem:
            unit = CanonicalUnit(**{**unit.__dict__, "from_stem": True, "how": "list"})
        out.append(unit)
    return out
