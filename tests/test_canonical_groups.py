"""The canonical pass reads mentions in groups (one per scope, name and type) and writes their links
in SQL; the result must be what reading every mention one by one, in the order they were written,
gives. The reference below is that plain reading (the pass before grouping, condensed)."""
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from extractors.canonical_units import Place, resolve_names
from extractors.unit_types import unit_type as type_of_name
from pipeline.canonical import _apply, load_corrections, resolve_units, unit_id
from pipeline.ingest import ingest_paths
from pipeline.store import Store

INVENTED = Path(__file__).resolve().parent / "data" / "invented"


def reference_pass(db, corrections: Path | None):
    fixes, used = load_corrections(corrections), set()
    places = {d: Place(j, lvl, prov, pref) for d, j, lvl, prov, pref in db.execute(
        "select doc_id, jurisdiction, admin_level, province, prefecture from documents")}
    links = []
    for mention_id, doc_id, name, mtype in db.execute(
            "select mention_id, doc_id, name, unit_type from unit_mentions order by mention_id"):
        place = places[doc_id]
        found = resolve_names(name, place)
        kept = []
        for u in found:
            written = name if len(found) == 1 else u.canonical_name
            fixed = _apply(u, written, place, fixes, used)
            if fixed is not None:
                kept.append((fixed, written))
        plan = place.jurisdiction or doc_id
        for pos, (u, written) in enumerate(kept):
            links.append((mention_id, pos, u, written, mtype if len(kept) == 1 else type_of_name(u.canonical_name), plan))
    named = {(u.belongs_to, u.function): u for _, _, u, _, _, _ in links
             if not u.from_stem and u.belongs_to and u.function and not u.is_collective}
    links = [(m, p, named.get((u.belongs_to, u.function), u) if u.from_stem else u, w, t, j)
             for m, p, u, w, t, j in links]
    units, types, aliases, rows = {}, defaultdict(Counter), {}, []
    for mention_id, pos, u, written, typ, plan in links:
        scope = None if u.qualified else plan
        uid = unit_id(u.canonical_name if scope is None else f"{u.canonical_name}@{scope}")
        if uid not in units:
            units[uid] = [uid, u.canonical_name, u.belongs_to, scope, u.level, None, int(u.is_collective), u.how, 0]
            aliases[(uid, u.canonical_name)] = "canonical"
            for a in u.aliases:
                aliases.setdefault((uid, a), "dictionary")
        units[uid][8] += 1
        if typ:
            types[uid][typ] += 1
        if (uid, written) not in aliases or aliases[(uid, written)] == "dictionary":
            aliases[(uid, written)] = "correction" if u.how == "correction" else "seen"
        rows.append((mention_id, pos, uid))
    for uid, rec in units.items():
        rec[5] = types[uid].most_common(1)[0][0] if types[uid] else type_of_name(rec[1])
    per_mention = defaultdict(list)
    for m, _, uid in rows:
        per_mention[m].append(uid)
    unit_of = {m: (uids[0] if len(uids) == 1 else None) for m, uids in per_mention.items()}
    return ([tuple(r) for r in units.values()], [(u, a, s) for (u, a), s in aliases.items()], rows, unit_of)


def stored(db):
    mentions = db.execute("select mention_id, unit_id from unit_mentions order by mention_id").fetchall()
    return (db.execute("select unit_id, canonical_name, jurisdiction, scope, level, unit_type, is_collective, how, "
                       "n_mentions from units order by rowid").fetchall(),
            db.execute("select unit_id, alias, source from unit_aliases order by rowid").fetchall(),
            db.execute("select mention_id, position, unit_id from mention_units order by mention_id, position").fetchall(),
            {m: u for m, u in mentions if u is not None})


@pytest.fixture(scope="module")
def mixed_store(tmp_path_factory, corpus_dir):
    """The samples, the invented plans of other places, and one sample twice (a second scope of the
    same place in no jurisdiction is not needed: every plan here resolves one)."""
    folder = tmp_path_factory.mktemp("mixed")
    store = Store.open(folder / "mixed.db")
    ingest_paths([corpus_dir, INVENTED], store)
    yield store
    store.close()


@pytest.mark.parametrize("fixes", [None, "区水务局\t某某水务机构\n其他所有成员单位\tNOT_A_UNIT\n县水务局\tNOT_A_UNIT\t固阳县\n"])
def test_grouped_pass_equals_reading_mention_by_mention(mixed_store, tmp_path, fixes):
    path = None
    if fixes:
        path = tmp_path / "fixes.tsv"
        path.write_text(fixes, encoding="utf-8")
    db = mixed_store.db
    resolve_units(db, path)
    units, aliases, links, unit_of = reference_pass(db, path)
    got_units, got_aliases, got_links, got_unit_of = stored(db)
    assert len(links) > 1000
    assert got_links == links
    assert got_unit_of == {m: u for m, u in unit_of.items() if u is not None}
    assert got_units == units
    assert got_aliases == aliases


def test_order_rules_follow_the_mentions_not_the_groups(tmp_path):
    """Mentions made up to exercise what depends on order and counts: a list stem takes the body of its
    function named by the LATEST mention (县发展和改革局 is named first and last, 县发改委 in between), and a
    unit's type is the one most of its mentions give (水利 once, first; 其他 twice)."""
    store = Store.open(tmp_path / "made.db")
    db = store.db
    place = ("固阳县", "county", "内蒙古自治区", "包头市")
    for key in (1, 2):
        db.execute("insert into documents (doc_id, doc_key, path, file_name, text, original_text, jurisdiction, "
                   "admin_level, province, prefecture) values (?, ?, ?, ?, '', '', ?, ?, ?, ?)",
                   [f"{key:064x}", key, f"/p{key}.txt", f"p{key}.txt", *place])
    mentions = [(1, "县发展和改革局", "发展改革"), (1, "县水务局", "水利"), (1, "县发改委", "发展改革"),
                (2, "发改、工信等部门", "其他"), (2, "县水务局", "其他"), (2, "县水务局", "其他"),
                (2, "县发展和改革局", "发展改革")]
    for i, (key, name, typ) in enumerate(mentions):
        db.execute("insert into unit_mentions (mention_id, doc_id, position, role, name, unit_type) "
                   "values (?, ?, 0, 'lead', ?, ?)", [key * 10_000_000 + i, f"{key:064x}", name, typ])
    resolve_units(db)
    units, aliases, links, unit_of = reference_pass(db, None)
    got = stored(db)
    assert got == (units, aliases, links, {m: u for m, u in unit_of.items() if u is not None})
    by_name = {r[1]: r for r in got[0]}
    assert by_name["固阳县水务局"][5] == "其他"
    stem_units = [u for m, _, u in got[2] if m == 20_000_003]       # 发改、工信等部门
    assert unit_id("固阳县发展和改革局") in stem_units and unit_id("固阳县发展和改革委员会") not in stem_units
    store.close()


def test_the_pass_leaves_no_scratch_tables(mixed_store):
    resolve_units(mixed_store.db)
    assert mixed_store.db.execute("select name from sqlite_temp_master where type = 'table'").fetchall() == []
