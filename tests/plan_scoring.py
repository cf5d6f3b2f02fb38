"""Ingest a folder of plans into a fresh database and score them against the gold files beside them
(the invented and held-out sets share this; tests/test_gold_scores.py scores the samples)."""
import json
from pathlib import Path

from pipeline.evaluate import pair_with_gold, score


def gold_files(folder: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def score_folder(folder: Path, db_path: Path):
    from pipeline.ingest import ingest_paths
    from pipeline.store import Store

    store = Store.open(db_path)
    try:
        rep = ingest_paths(sorted(folder.glob("*.txt")), store)
        assert rep.ok, [r.error for r in rep.failed]
        pairs, missing = pair_with_gold(store, gold_files(folder))
        assert not missing, missing
    finally:
        store.close()
    result = score(pairs)
    print("\n" + result.table())
    return result


def assert_floor(result, field: str, floor: float) -> None:
    tally = result.fields[field]
    misses = [m for m in result.mismatches if m["field"] == field][:8]
    assert tally.f1 >= floor, (field, round(tally.f1, 3), misses)
