"""Canonical units: a database pass over every unit mention, run after each ingest.

Each mention (unit_mentions) is read in its plan's jurisdiction by extractors.canonical_units and
linked to one canonical unit, or several when it names a list (区公、检、法), or none when a
researcher's corrections file says it is not a unit. The pass rebuilds, from scratch each time:
- `units`: one row per canonical unit (jurisdiction-qualified name, level, type, collective or not);
- `unit_aliases`: every name the unit was seen under, its dictionary abbreviations, corrections;
- `mention_units`: mention → unit links (the truth for lists); `unit_mentions.unit_id` holds the
  unit when a mention names exactly one (null for a list or NOT_A_UNIT).
Rebuilding from scratch is what makes an edited corrections file take effect on the next
`zhengce ingest`, even when every document is unchanged.

Corrections file (TSV, UTF-8; # comments; an optional header line `alias  canonical  jurisdiction`):
    alias <TAB> canonical name or NOT_A_UNIT [<TAB> jurisdiction]
`alias` is matched against the name as written in the plan and against the computed canonical
name; with a jurisdiction, only in that jurisdiction's plans. The canonical name is used verbatim.
"""
from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from extractors.canonical_units import NOT_A_UNIT, CanonicalUnit, Place, resolve_mention, resolve_names
from extractors.unit_types import unit_type as type_of_name
from pipeline.state import data_fingerprint, get_state, set_state


class CorrectionsError(ValueError):
    """A corrections file line is malformed (names the file and line)."""


@dataclass(frozen=True)
class Correction:
    alias: str
    canonical: str                 # a canonical name, or NOT_A_UNIT
    jurisdiction: str | None = None


@dataclass
class ResolveReport:
    mentions: int = 0
    units: int = 0
    linked: int = 0                # mentions linked to at least one unit
    not_units: int = 0             # mentions a correction declared NOT_A_UNIT
    corrected: int = 0             # mention-unit links changed by a correction
    seconds: float = 0.0
    corrections_unused: list[Correction] = field(default_factory=list)
    skipped: bool = False          # nothing the pass reads had changed since the last one


def inputs_fingerprint(db, corrections: Path | None) -> str:
    """What the pass's result depends on: the stored documents, the corrections file and the
    dictionaries. Equal fingerprints give equal results, so the pass can be skipped."""
    h = hashlib.sha1()
    for (doc_id,) in db.execute("select doc_id from documents order by doc_id"):
        h.update(doc_id.encode())
    h.update(Path(corrections).read_bytes() if corrections else b"-")
    return data_fingerprint(("dicts/agency_aliases.tsv", "dicts/agency_stems.tsv", "rules/collective_units.yaml"), h)


def resolve_units_if_changed(db, corrections: Path | None = None) -> ResolveReport:
    """resolve_units, unless its inputs are those of the last pass (an unchanged re-ingest)."""
    db = getattr(db, "db", db)
    fingerprint = inputs_fingerprint(db, corrections)
    if get_state(db, "canonical_inputs") == fingerprint and db["units"].exists():
        return ResolveReport(mentions=db["unit_mentions"].count, units=db["units"].count, skipped=True)
    report = resolve_units(db, corrections)
    with db.atomic():
        set_state(db, "canonical_inputs", fingerprint)
    return report


def load_corrections(path: Path | None) -> list[Correction]:
    if path is None:
        return []
    out = []
    for no, line in enumerate(Path(path).read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if no == 1 and cols[0].lower() == "alias":
            continue
        if len(cols) < 2 or not cols[0] or not cols[1] or len(cols) > 3:
            raise CorrectionsError(f"{path}:{no}: expected 'alias<TAB>canonical or {NOT_A_UNIT}[<TAB>jurisdiction]'")
        out.append(Correction("".join(cols[0].split()), cols[1], (cols[2] or None) if len(cols) == 3 else None))
    return out


UNIT_COLUMNS = {
    "unit_id": str, "canonical_name": str, "jurisdiction": str, "scope": str, "level": str,
    "unit_type": str, "is_collective": int, "how": str, "n_mentions": int,
}


def ensure_unit_tables(db: sqlite_utils.Database) -> None:
    """Create units, unit_aliases, mention_units and unit_mentions.unit_id if missing."""
    if not db["units"].exists():
        db["units"].create(UNIT_COLUMNS, pk="unit_id")
        db["units"].create_index(["canonical_name"], if_not_exists=True)
        db["units"].create_index(["jurisdiction"], if_not_exists=True)
    if not db["unit_aliases"].exists():
        db["unit_aliases"].create({"unit_id": str, "alias": str, "source": str}, pk=("unit_id", "alias"))
        db["unit_aliases"].create_index(["alias"], if_not_exists=True)
    if not db["mention_units"].exists():
        db["mention_units"].create({"mention_id": int, "position": int, "unit_id": str}, pk=("mention_id", "position"))
        db["mention_units"].create_index(["unit_id"], if_not_exists=True)
    if db["unit_mentions"].exists() and "unit_id" not in db["unit_mentions"].columns_dict:
        db["unit_mentions"].add_column("unit_id", str)


def unit_id(key: str) -> str:
    """Stable id of a unit: the same canonical name gives the same id in every database."""
    return "u" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _apply(u: CanonicalUnit, written: str, place: Place, corrections: list[Correction], used: set[int]) -> CanonicalUnit | None:
    """The unit after corrections: replaced, unchanged, or None for NOT_A_UNIT."""
    for i, c in enumerate(corrections):
        if c.jurisdiction and c.jurisdiction != place.jurisdiction:
            continue
        if c.alias not in (written, u.canonical_name):
            continue
        used.add(i)
        if c.canonical == NOT_A_UNIT:
            return None
        # Level and place come from reading the given name in the plan's jurisdiction.
        read = resolve_mention(c.canonical, place)
        return CanonicalUnit(c.canonical, read.level, read.belongs_to, read.is_collective,
                             True, "correction", read.function)
    return u


# Scratch tables of one pass, on the pass's connection only.
_TEMP_TABLES = ("_mention_scope", "_mention_group", "_group_link", "_new_link")


def resolve_units(db, corrections: Path | None = None) -> ResolveReport:
    """Rebuild units, unit_aliases, mention_units and unit_mentions.unit_id from all mentions."""
    db = getattr(db, "db", db)  # a pipeline.store.Store or a sqlite_utils.Database
    start = time.perf_counter()
    ensure_unit_tables(db)
    fixes = load_corrections(corrections)
    used: set[int] = set()
    report = ResolveReport()
    with db.atomic():
        for table in _TEMP_TABLES:  # left by a pass of this connection that failed half-way
            db.execute(f"drop table if exists temp.[{table}]")
        groups = _mention_groups(db)
        report.mentions = sum(g.count for g in groups)
        units, aliases, group_links = _resolve_groups(groups, fixes, used, report)
        for table in ("units", "unit_aliases"):
            db.execute(f"delete from [{table}]")
        # executemany: sqlite-utils' insert_all sniffs types per value, which dominated this pass.
        cols = list(next(iter(units.values()), {}))
        if cols:
            db.conn.executemany(f"insert into units ({', '.join(cols)}) values ({', '.join('?' * len(cols))})",
                                [tuple(r[c] for c in cols) for r in units.values()])
        db.conn.executemany("insert into unit_aliases (unit_id, alias, source) values (?, ?, ?)",
                            [(u, a, s) for (u, a), s in aliases.items()])
        _write_links(db, group_links)
        for table in _TEMP_TABLES:
            db.execute(f"drop table if exists temp.[{table}]")
    report.units = len(units)
    report.corrections_unused = [c for i, c in enumerate(fixes) if i not in used]
    report.seconds = time.perf_counter() - start
    return report


@dataclass(frozen=True)
class _Group:
    """The mentions of one name with one type in plans of one scope: they resolve alike."""
    gid: int
    scope_no: int
    place: Place
    place_no: int          # equal places share a number (the reading cache's key)
    plan: str              # the plan jurisdiction that scopes an unqualified name (doc_id without one)
    name: str
    unit_type: str | None
    first: int             # mention_id of its first and last mention: the order a pass over
    last: int              # mentions one by one would meet them in
    count: int


def _mention_groups(db) -> list[_Group]:
    """Every (scope, name, type) the mentions hold, in the order of their first mention.

    A database names the same few hundred units in the same places over and over (91,755 mentions,
    5 places, 104 units in the 10 MB bench): grouping them in SQL leaves Python one reading per
    group instead of a loop over every mention."""
    interned: dict[Place, int] = {}
    scopes: dict[tuple[int, str], int] = {}    # (place number, plan) -> scope number
    doc_scope, scope_of = [], []
    for doc_id, j, lvl, prov, pref in db.execute(
            "select doc_id, jurisdiction, admin_level, province, prefecture from documents"):
        place = Place(j, lvl, prov, pref)
        key = (interned.setdefault(place, len(interned)), j or doc_id)
        if key not in scopes:
            scopes[key] = len(scopes)
            scope_of.append(key)
        doc_scope.append((doc_id, scopes[key]))
    db.execute("create temp table _mention_scope (doc_id text primary key, scope_no integer)")
    db.conn.executemany("insert into temp._mention_scope values (?, ?)", doc_scope)
    # Every mention belongs to a stored document (foreign key), so the join leaves none out.
    rows = db.execute("""
        select s.scope_no, m.name, m.unit_type, min(m.mention_id), max(m.mention_id), count(*)
        from unit_mentions m join temp._mention_scope s on s.doc_id = m.doc_id
        group by s.scope_no, m.name, m.unit_type order by min(m.mention_id)""").fetchall()
    places = list(interned)
    groups = [_Group(gid, scope_no, places[scope_of[scope_no][0]], *scope_of[scope_no], name, mtype, first, last, n)
              for gid, (scope_no, name, mtype, first, last, n) in enumerate(rows)]
    db.execute("create temp table _mention_group (scope_no integer, name text, unit_type text, gid integer)")
    db.conn.executemany("insert into temp._mention_group values (?, ?, ?, ?)",
                        [(g.scope_no, g.name, g.unit_type, g.gid) for g in groups])
    db.execute("create index temp._mention_group_key on _mention_group (scope_no, name, unit_type)")
    return groups


def _resolve_groups(groups: list[_Group], fixes: list[Correction], used: set[int], report: ResolveReport):
    """(units, aliases, links of each group) from the groups in first-mention order. Each group stands
    for its mentions: its counts weigh as many, and the order rules ("first seen", "last wins") follow
    the order of the mentions themselves."""
    readings: dict[tuple[str, int], tuple[list[tuple[CanonicalUnit, str]], int, bool]] = {}

    def read(name: str, place: Place) -> tuple[list[tuple[CanonicalUnit, str]], int, bool]:
        """(units kept with the name each was seen under, corrections applied, all declared not units)."""
        found = resolve_names(name, place)
        single = len(found) == 1
        kept, corrected = [], 0
        for u in found:
            written = name if single else u.canonical_name
            fixed = _apply(u, written, place, fixes, used)
            corrected += fixed is not u
            if fixed is not None:
                kept.append((fixed, written))
        return kept, corrected, bool(found) and not kept

    # (group, position, unit, name it was seen under, type)
    links: list[tuple[_Group, int, CanonicalUnit, str, str | None]] = []
    for g in groups:
        key = (g.name, g.place_no)
        reading = readings.get(key)
        if reading is None:
            reading = readings[key] = read(g.name, g.place)
        kept, corrected, not_unit = reading
        report.corrected += corrected * g.count
        report.not_units += not_unit * g.count
        if len(kept) == 1:
            u, written = kept[0]
            links.append((g, 0, u, written, g.unit_type))
        else:
            for pos, (u, written) in enumerate(kept):
                links.append((g, pos, u, written, type_of_name(u.canonical_name)))
        report.linked += g.count if kept else 0

    # A list stem (发改 in 发改、工信等部门) means the body of that function the jurisdiction does name
    # (固阳县发展和改革委员会), when one is named anywhere; its dictionary default only otherwise. Where
    # several are named, the one of the latest mention wins.
    named = {(u.belongs_to, u.function): u for _, _, u, _, _ in sorted(links, key=lambda link: link[0].last)
             if not u.from_stem and u.belongs_to and u.function and not u.is_collective}
    links = [(g, p, named.get((u.belongs_to, u.function), u) if u.from_stem else u, w, t)
             for g, p, u, w, t in links]

    units: dict[str, dict] = {}
    types: dict[str, Counter] = defaultdict(Counter)
    aliases: dict[tuple[str, str], str] = {}
    ids: dict[tuple[str, str | None], str] = {}
    group_links: list[tuple[int, int, str]] = []
    for g, pos, u, written, typ in links:
        # A name that does not identify its unit outside its plan (区水务局 in a prefecture's plan,
        # 交通实业公司) is one unit per plan jurisdiction: its scope.
        scope = None if u.qualified else g.plan
        uid = ids.get((u.canonical_name, scope))
        if uid is None:
            uid = ids[(u.canonical_name, scope)] = unit_id(
                u.canonical_name if scope is None else f"{u.canonical_name}@{scope}")
        rec = units.get(uid)
        if rec is None:
            rec = units[uid] = {
                "unit_id": uid, "canonical_name": u.canonical_name, "jurisdiction": u.belongs_to, "scope": scope,
                "level": u.level, "unit_type": None, "is_collective": int(u.is_collective), "how": u.how,
                "n_mentions": 0,
            }
            aliases[(uid, u.canonical_name)] = "canonical"
            for a in u.aliases:
                aliases.setdefault((uid, a), "dictionary")
        rec["n_mentions"] += g.count
        if typ:
            types[uid][typ] += g.count
        if (uid, written) not in aliases or aliases[(uid, written)] == "dictionary":
            aliases[(uid, written)] = "correction" if u.how == "correction" else "seen"
        group_links.append((g.gid, pos, uid))
    for uid, rec in units.items():
        rec["unit_type"] = types[uid].most_common(1)[0][0] if types[uid] else type_of_name(rec["canonical_name"])
    return units, aliases, group_links


def _write_links(db, group_links: list[tuple[int, int, str]]) -> None:
    """Make mention_units hold the links of every mention's group, and unit_mentions.unit_id agree.

    The links of the mentions are made in SQL from those of their groups, and only the differences
    are written: after an ingest that added a few plans to a large database most links are
    unchanged, and rewriting all of them (183,719 in the 20 MB bench) was most of the pass.
    """
    db.execute("create temp table _group_link (gid integer, position integer, unit_id text)")
    db.conn.executemany("insert into temp._group_link values (?, ?, ?)", group_links)
    db.execute("""create temp table _new_link as
        select m.mention_id, l.position, l.unit_id from unit_mentions m
        join temp._mention_scope s on s.doc_id = m.doc_id
        join temp._mention_group g on g.scope_no = s.scope_no and g.name = m.name and g.unit_type is m.unit_type
        join temp._group_link l on l.gid = g.gid""")
    db.execute("create index temp._new_link_key on _new_link (mention_id, position)")
    before = db.conn.total_changes
    db.execute("""delete from mention_units where not exists (select 1 from temp._new_link n
        where n.mention_id = mention_units.mention_id and n.position = mention_units.position
        and n.unit_id = mention_units.unit_id)""")
    # In the order the mentions were written: inserting 183,719 links took 0.63 s so, 0.86 s sorted
    # by unit and 1.8 s in a set's order (measured).
    db.execute("""insert into mention_units (mention_id, position, unit_id)
        select n.mention_id, n.position, n.unit_id from temp._new_link n where not exists (
            select 1 from mention_units o where o.mention_id = n.mention_id and o.position = n.position
            and o.unit_id = n.unit_id)
        order by n.mention_id, n.position""")
    if db.conn.total_changes == before:
        return
    # The unit of each mention that names exactly one, else null; rows already right are not rewritten.
    db.execute("""update unit_mentions set unit_id = s.unit_id from (
            select mention_id, case when count(*) = 1 then min(unit_id) end as unit_id
            from temp._new_link group by mention_id) s
        where s.mention_id = unit_mentions.mention_id and unit_mentions.unit_id is not s.unit_id""")
    db.execute("""update unit_mentions set unit_id = null where unit_id is not null and not exists (
        select 1 from temp._new_link n where n.mention_id = unit_mentions.mention_id)""")
