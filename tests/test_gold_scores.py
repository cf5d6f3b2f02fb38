"""Extraction scored against the sample gold files, with floors that may only ever rise.

The issue's floors are 0.95 (tasks, lead, support, deadlines) and 0.90 (targets, table rows); the
floors below are what the pipeline measured when they were set, rounded down. Raise them as the
pipeline improves; never lower one to pass.
"""
import json

import pytest

from conftest import gold_files
from pipeline.evaluate import pair_with_gold, score

FLOORS = {
    "metadata": 0.99,
    "cited_documents": 0.99,
    "tasks": 0.99,
    "lead": 0.99,
    "support": 0.99,
    "deadlines": 0.99,
    "targets": 0.98,            # 0.992 measured: one gold year that contradicts DECISIONS.md (see note)
    "target_comparator": 0.99,
    "table_rows": 0.99,
    "table_row_lead": 0.99,
    "table_row_support": 0.99,
    "table_row_deadline": 0.99,
}


@pytest.fixture(scope="module")
def report(ingested_corpus):
    pairs, missing = pair_with_gold(ingested_corpus, [json.loads(gf.read_text(encoding="utf-8")) for gf in gold_files()])
    assert not missing
    rep = score(pairs)
    print("\n" + rep.table())
    return rep


@pytest.mark.parametrize("field, floor", sorted(FLOORS.items()))
def test_field_f1_floor(report, field, floor):
    tally = report.fields[field]
    assert tally.f1 >= floor, (field, tally, [m for m in report.mismatches if m["field"].startswith(field)][:5])


def test_every_gold_task_path_is_a_section_with_its_parent_chain(ingested_corpus):
    """Issue 2: every gold task path exists as a section whose ancestors carry the path's prefixes."""
    store = ingested_corpus
    for gf in gold_files():
        gold = json.loads(gf.read_text(encoding="utf-8"))
        doc_id = store.db.execute("select doc_id from documents where file_name = ?", [gold["file"]]).fetchone()[0]
        sections = {r[0]: (json.loads(r[1]), r[2]) for r in store.db.execute(
            "select section_id, path, parent_id from sections where doc_id = ?", [doc_id])}
        by_path = {tuple(p): sid for sid, (p, _) in sections.items()}
        for task in gold["tasks"]:
            path = tuple(task["path"])
            assert path in by_path, (gold["file"], path)
            sid = by_path[path]
            for depth in range(len(path) - 1, 0, -1):
                parent = sections[sid][1]
                while parent is not None and sections[parent][0] == sections[sid][0]:
                    parent = sections[parent][1]   # unlabelled ancestors add no label
                assert parent is not None and tuple(sections[parent][0]) == path[:depth], (gold["file"], path)
                sid = parent


def test_every_extracted_span_points_at_its_text(ingested_corpus):
    """Provenance: spans of units, deadlines and targets cover the text they report."""
    store = ingested_corpus
    texts = dict(store.db.execute("select doc_id, text from documents").fetchall())
    origs = dict(store.db.execute("select doc_id, original_text from documents").fetchall())
    checked = 0
    for table, column in (("unit_mentions", "raw"), ("deadlines", "text"), ("targets", "text"), ("citations", "title")):
        for doc_id, value, s, e, os_, oe in store.db.execute(
                f"select doc_id, {column}, char_start, char_end, orig_start, orig_end from {table}"):
            assert s is not None and os_ is not None, (table, value)
            norm = "".join(texts[doc_id][s:e].split())
            orig = "".join(origs[doc_id][os_:oe].split())
            squashed = "".join(value.split())
            if table == "citations":   # the span covers 《title》
                assert squashed in norm, (table, value, norm)
            else:
                assert norm == squashed or squashed in norm, (table, value, norm)
            assert orig, (table, value)
            checked += 1
    assert checked > 800
