"""The review report without a browser: nesting of overlapping spans, placement checks, the CLI."""
import html
import re

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.row_ids import position_of
from pipeline.report import Item, ReportError, _placement_problem, highlight, load_items, render_report, resolve_document

TEXT = "到2025年，城镇公共供水管网漏损率控制在9%以内。（牵头单位：县水务局）"


def item(id_, kind, start, end, source=""):
    return Item(id_, kind, start, end, source, tip="", label="")


def strip_tags(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def coverage(markup: str) -> dict[str, set[int]]:
    """Which character positions of the text each data-i covers, read back from the markup."""
    covered: dict[str, set[int]] = {}
    stack: list[str] = []
    pos = 0
    for tag, data_i, chunk in re.findall(r'(<span[^>]*?data-i="([^"]+)">|</span>)|([^<]+)', markup):
        if chunk:
            n = len(html.unescape(chunk))
            for i in stack:
                covered.setdefault(i, set()).update(range(pos, pos + n))
            pos += n
        elif tag == "</span>":
            stack.pop()
        else:
            stack.append(data_i)
    return covered


def well_nested(markup: str) -> bool:
    depth = 0
    for tag in re.findall(r"</?span", markup):
        depth += 1 if tag == "<span" else -1
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("items", [
    [item("k0", "task", 0, len(TEXT))],
    [item("k0", "task", 0, len(TEXT)), item("k0-d0", "deadline", 1, 6), item("g0", "target", 7, 25)],
    # a deadline crossing the end of a target: both split, never mis-nested
    [item("g0", "target", 0, 10), item("k0-d0", "deadline", 5, 15)],
    # four targets read from one phrase share a span
    [item(f"g{i}", "target", 7, 25) for i in range(4)],
    [item("k0", "task", 0, 20), item("k1", "task", 10, len(TEXT)), item("k1-u0", "lead", 32, 36)],
])
def test_highlight_keeps_the_text_and_nests_well(items):
    markup = highlight(TEXT, items)
    assert strip_tags(markup) == TEXT
    assert well_nested(markup)
    for it in items:
        # every item has exactly one anchor and fragments covering exactly its characters
        assert markup.count(f'id="i-{it.id}"') == 1
        assert coverage(markup)[it.id] == set(range(it.start, it.end))


def test_highlight_escapes_markup_in_the_text():
    text = "a<b>&c"
    assert strip_tags(highlight(text, [item("k0", "task", 0, 6)])) == text
    assert "<b>" not in highlight(text, [])


@pytest.mark.parametrize("start, end, source, problem", [
    (32, 36, "县水务局", None),
    (32, 36, "县 水务局", None),               # whitespace aside
    (None, None, "县水务局", "no span recorded"),
    (32, 400, "县水务局", "outside the text"),
    (30, 37, "县水务局", None),                # the source inside a wider span
    (0, 4, "县水务局", "not 「县水务局」"),
])
def test_placement_problem(start, end, source, problem):
    got = _placement_problem(TEXT, item("k0-u0", "lead", start, end, source))
    assert got == problem if problem is None else problem in got


def test_sample_plans_place_every_item(ingested_corpus):
    db = ingested_corpus.db
    for (doc_id,) in db.execute("select doc_id from documents"):
        _, items = load_items(db, doc_id)
        assert items and [it.id for it in items if it.problem] == []


def test_unplaced_items_are_listed_not_dropped(ingested_corpus, tmp_path):
    # A copy of the database where one unit's span is broken: the page flags it.
    path = tmp_path / "broken.db"
    ingested_corpus.db.conn.execute(f"vacuum into '{path}'")
    import sqlite3

    conn = sqlite3.connect(path)
    mention_id, doc_id = conn.execute("select mention_id, doc_id from unit_mentions limit 1").fetchone()
    conn.execute("update unit_mentions set char_start = null where mention_id = ?", [mention_id])
    page = render_report(conn, doc_id)
    short = f"u{position_of(mention_id)}"
    assert f'data-i="{short}"' in page or f'data-go="{short}"' in page  # the item is listed
    assert f'id="i-{short}"' not in page                                  # but not placed in the text
    assert "1 not placed" in page and "no span recorded" in page
    conn.close()


def test_resolve_document(ingested_corpus):
    db = ingested_corpus.db
    doc_id, file_name, stem = db.execute("select doc_id, file_name, stem from documents order by file_name").fetchone()
    assert resolve_document(db, stem) == doc_id
    assert resolve_document(db, file_name) == doc_id
    assert resolve_document(db, doc_id[:10]) == doc_id
    assert resolve_document(db, stem[:3]) == doc_id
    with pytest.raises(ReportError, match="matches 5 documents"):
        resolve_document(db, "0")
    with pytest.raises(ReportError, match="no document"):
        resolve_document(db, "nothing-like-this")


def test_report_is_self_contained(ingested_corpus):
    db = ingested_corpus.db
    doc_id = db.execute("select doc_id from documents order by length(text) desc").fetchone()[0]
    page = render_report(db, doc_id)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "@import" not in page and "${" not in page


def test_cli_report_and_search(ingested_corpus, tmp_path):
    db_path = ingested_corpus.db.execute("pragma database_list").fetchone()[2]
    stem = ingested_corpus.db.execute("select stem from documents order by file_name").fetchone()[0]
    runner = CliRunner()
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", stem, "--db", db_path, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    result = runner.invoke(app, ["report", "no-such-plan", "--db", db_path])
    assert result.exit_code == 2
    result = runner.invoke(app, ["search", "漏损", "--db", db_path, "--limit", "50"])
    assert result.exit_code == 0, result.output
    n = ingested_corpus.db.execute("select count(*) from tasks where instr(text, '漏损') > 0").fetchone()[0]
    assert result.output.count("【漏损】") == n and f"{n} tasks" in result.output
