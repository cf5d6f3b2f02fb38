"""Jurisdiction, province, prefecture and admin level, resolved through jionlp's division table.

Names are found with jionlp's administrative-division dictionary (`china_location_loader`: every
province, prefecture and county with its aliases) and resolved with `jionlp.parse_location`, so no
list of places lives in this repo. A county-level city is told from a prefecture-level one by the
table's hierarchy (昌吉市 is listed under 昌吉回族自治州, so it is a county), never by its name.

Levels: a name resolved to a county entry (区/县/县级市/旗/自治县) → county; to a prefecture entry
(地级市/自治州/地区/盟) → prefecture; to a province (省/自治区/直辖市) → province. A district of a
直辖市 has that municipality as province and no prefecture. National plans (全国/国务院/部委) get
jurisdiction 全国 and province None; see `national()`.

jionlp is imported lazily (it prints a banner, which is swallowed), its table is loaded once, and
every lookup is cached. `recognize_location` is never called (slow and memory-hungry).
"""
from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from functools import lru_cache

from extractors.divisions import jionlp_module

from extractors.metadata.found import Found
from extractors.ruleset import load_ruleset
from schemas.labels import AdminLevel

# Characters a division name ends with; names are looked up only where one of them occurs.
_SUFFIX_CHARS = frozenset("省区市州县旗盟")
_MAX_NAME = 16


@dataclass(frozen=True, slots=True)
class Place:
    jurisdiction: str
    province: str | None
    prefecture: str | None
    level: AdminLevel


def _jionlp():
    return jionlp_module()


@lru_cache(maxsize=1)
def division_names() -> frozenset[str]:
    """Every province/prefecture/county name of the table, full names and suffixed aliases
    (昌吉回族自治州 is also written 昌吉州; 木垒哈萨克自治县 also 木垒县)."""
    table = _jionlp().china_location_loader(detail=False)
    names: set[str] = set()

    def add(full: str, aliases, suffixes: str) -> None:
        names.add(full)
        for a in ([aliases] if isinstance(aliases, str) else aliases or []):
            if a and a[-1] in _SUFFIX_CHARS and len(a) >= 2:
                names.add(a)
            elif a and len(a) >= 2:
                for suf in suffixes:  # the everyday short form: alias + generic suffix
                    if full.endswith("自治州" if suf == "州" else "自治县" if suf == "县" else "自治旗"):
                        names.add(a + suf)

    for prov, pv in table.items():
        add(prov, pv.get("_alias"), "")
        for city, cv in pv.items():
            if city.startswith("_"):
                continue
            add(city, cv.get("_alias"), "州")
            for county, kv in cv.items():
                if county.startswith("_"):
                    continue
                add(county, kv.get("_alias") if isinstance(kv, dict) else None, "县旗")
    return frozenset(n for n in names if len(n) >= 2)


def find_divisions(text: str, start: int = 0, end: int | None = None) -> list[Found]:
    """Division names in text[start:end], longest at each end position, non-overlapping, in order.
    Meant for short strings (a title, an issuer): it tries every length up to 16 at each suffix."""
    end = len(text) if end is None else end
    names = division_names()
    hits: list[Found] = []
    for i in range(start, end):
        if text[i] not in _SUFFIX_CHARS:
            continue
        for n in range(min(_MAX_NAME, i + 1 - start), 1, -1):
            cand = text[i + 1 - n:i + 1]
            if cand in names:
                hits.append(Found(cand, i + 1 - n, i + 1, "division"))
                break
    out: list[Found] = []
    for h in hits:  # drop a hit inside the previous one (…自治州 then 州)
        if out and h.start < out[-1].end:
            if h.end - h.start > out[-1].end - out[-1].start:
                out[-1] = h
            continue
        out.append(h)
    return out


@lru_cache(maxsize=4096)
def resolve(name: str) -> Place | None:
    """Place for a division name or a chain of them (重庆市綦江区); None if the table has no
    unambiguous entry (朝阳区 alone exists in two provinces)."""
    with contextlib.redirect_stdout(io.StringIO()):
        loc = _jionlp().parse_location(name)
    prov, city, county = loc.get("province"), loc.get("city"), loc.get("county")
    if county:
        if not prov:
            return None
        return Place(county, prov, city if city and city != prov else None, AdminLevel.COUNTY)
    if city and city != prov:
        return Place(city, prov, None, AdminLevel.PREFECTURE) if prov else None
    if prov:
        return Place(prov, prov, None, AdminLevel.PROVINCE)
    return None


def chain_at(text: str, hits: list[Found], i: int) -> tuple[str, int, int]:
    """The run of adjacent division names starting with hits[i] (重庆市 + 綦江区)."""
    s, e, j = hits[i].start, hits[i].end, i
    while j + 1 < len(hits) and hits[j + 1].start == e:
        j += 1
        e = hits[j].end
    return text[s:e], s, e


def locate(text: str, start: int = 0, end: int | None = None) -> tuple[Place, int, int] | None:
    """The first resolvable division (chain) in text[start:end], with the span of its lowest name."""
    hits = find_divisions(text, start, end)
    i = 0
    while i < len(hits):
        chain, s, e = chain_at(text, hits, i)
        place = resolve(chain)
        if place:
            last = max((h for h in hits if s <= h.start < e), key=lambda h: h.start)
            return place, last.start, last.end
        i += 1
    return None


def starts_with_division(name: str) -> bool:
    """Whether a body's name begins with a division name (甘州区水务局, 某省人民政府)."""
    hits = find_divisions(name, 0, min(len(name), _MAX_NAME + 1))
    return bool(hits) and hits[0].start == 0 or name.startswith("中共") and starts_with_division(name[2:])


def is_national_body(name: str) -> bool:
    return bool(load_ruleset("metadata").rule("national_body").compiled.match(name))


def is_national_title(title: str) -> bool:
    return bool(load_ruleset("metadata").rule("national_title").compiled.match(title))


NATIONAL = Place("全国", None, None, AdminLevel.NATIONAL)


def scope_level(text: str, start: int = 0, end: int | None = None) -> Found | None:
    """The administrative level a plan speaks for from an unambiguous scope word (全省 → province,
    全县 → county …), for a plan that names no division. The first such word from `start` wins."""
    end = len(text) if end is None else end
    best: Found | None = None
    for rule in load_ruleset("metadata").with_label("scope_level"):
        m = rule.compiled.search(text, start, end)
        if m and (best is None or m.start() < best.start):
            best = Found(AdminLevel(rule.value["level"]), m.start(), m.end(), rule.id)
    return best
