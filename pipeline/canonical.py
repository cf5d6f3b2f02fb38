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


def resolve_units(db, corrections: Path | None = None) -> ResolveReport:
    """Rebuild units, unit_aliases, mention_units and unit_mentions.unit_id from all mentions."""
    db = getattr(db, "db", db)  # a pipeline.store.Store or a sqlite_utils.Database
    start = time.perf_counter()
    ensure_unit_tables(db)
    fixes = load_corrections(corrections)
    used: set[int] = set()
    report = ResolveReport()
    # Equal places share one object and a small number, so the per-mention cache key below hashes a
    # name and an int rather than a dataclass.
    interned: dict[Place, int] = {}
    places = {}
    for doc_id, j, lvl, prov, pref in db.execute(
            "select doc_id, jurisdiction, admin_level, province, prefecture from documents"):
        place = Place(j, lvl, prov, pref)
        places[doc_id] = (place, interned.setdefault(place, len(interned)))
    mentions = db.execute("select mention_id, doc_id, name, unit_type from unit_mentions").fetchall()
    report.mentions = len(mentions)

    # A database names the same few hundred units in the same few places over and over (183,719
    # mentions, 104 units in the 20 MB bench): each (name, place) is read once per pass.
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

    # (mention, position, unit, name it was seen under, type, the plan's jurisdiction)
    links: list[tuple[int, int, CanonicalUnit, str, str | None, str]] = []
    no_place = (Place(None), -1)
    for mention_id, doc_id, name, mtype in mentions:
        place, place_no = places.get(doc_id, no_place)
        key = (name, place_no)
        reading = readings.get(key)
        if reading is None:
            reading = readings[key] = read(name, place)
        kept, corrected, not_unit = reading
        report.corrected += corrected
        report.not_units += not_unit
        plan = place.jurisdiction or doc_id
        if len(kept) == 1:
            u, written = kept[0]
            links.append((mention_id, 0, u, written, mtype, plan))
        else:
            for pos, (u, written) in enumerate(kept):
                links.append((mention_id, pos, u, written, type_of_name(u.canonical_name), plan))
        report.linked += bool(kept)

    # A list stem (发改 in 发改、工信等部门) means the body of that function the jurisdiction does name
    # (固阳县发展和改革委员会), when one is named anywhere; its dictionary default only otherwise.
    named = {(u.belongs_to, u.function): u for _, _, u, _, _, _ in links
             if not u.from_stem and u.belongs_to and u.function and not u.is_collective}
    links = [(m, p, named.get((u.belongs_to, u.function), u) if u.from_stem else u, w, t, j)
             for m, p, u, w, t, j in links]

    units: dict[str, dict] = {}
    types: dict[str, Counter] = defaultdict(Counter)
    aliases: dict[tuple[str, str], str] = {}
    ids: dict[tuple[str, str | None], str] = {}
    rows = []
    for mention_id, pos, u, written, typ, plan in links:
        # A name that does not identify its unit outside its plan (区水务局 in a prefecture's plan,
        # 交通实业公司) is one unit per plan jurisdiction: its scope.
        scope = None if u.qualified else plan
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
        rec["n_mentions"] += 1
        if typ:
            types[uid][typ] += 1
        if (uid, written) not in aliases or aliases[(uid, written)] == "dictionary":
            aliases[(uid, written)] = "correction" if u.how == "correction" else "seen"
        rows.append((mention_id, pos, uid))
    for uid, rec in units.items():
        rec["unit_type"] = types[uid].most_common(1)[0][0] if types[uid] else type_of_name(rec["canonical_name"])
    with db.atomic():
        for table in ("units", "unit_aliases"):
            db.execute(f"delete from [{table}]")
        # executemany: sqlite-utils' insert_all sniffs types per value, which dominated this pass.
        cols = list(next(iter(units.values()), {}))
        if cols:
            db.conn.executemany(f"insert into units ({', '.join(cols)}) values ({', '.join('?' * len(cols))})",
                                [tuple(r[c] for c in cols) for r in units.values()])
        db.conn.executemany("insert into unit_aliases (unit_id, alias, source) values (?, ?, ?)",
                            [(u, a, s) for (u, a), s in aliases.items()])
        _write_links(db, rows)
    report.units = len(units)
    report.corrections_unused = [c for i, c in enumerate(fixes) if i not in used]
    report.seconds = time.perf_counter() - start
    return report


def _write_links(db, rows: list[tuple[int, int, str]]) -> None:
    """Make mention_units hold exactly `rows` and unit_mentions.unit_id agree with it.

    Only the differences are written: after an ingest that added a few plans to a large database
    most links are unchanged, and rewriting all of them (183,719 in the 20 MB bench) was most of
    the pass.
    """
    old = set(db.execute("select mention_id, position, unit_id from mention_units").fetchall())
    new = set(rows)
    gone = old - new
    # In the order the mentions were read (the order they were written): inserting 183,719 links
    # took 0.63 s so, 0.86 s sorted and 1.8 s in a set's order (measured).
    added = [r for r in rows if r not in old]
    if gone:
        db.conn.executemany("delete from mention_units where mention_id = ? and position = ?",
                            [(m, p) for m, p, _ in gone])
    if added:
        db.conn.executemany("insert into mention_units (mention_id, position, unit_id) values (?, ?, ?)", added)
    if gone or added:
        # One statement in SQLite: the unit of each mention that names exactly one, else null;
        # rows already right are not rewritten.
        single = ("(select case when count(*) = 1 then min(mu.unit_id) end "
                  "from mention_units mu where mu.mention_id = unit_mentions.mention_id)")
        db.execute(f"update unit_mentions set unit_id = {single} where unit_id is not {single}")
