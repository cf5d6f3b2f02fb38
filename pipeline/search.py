"""Chinese full-text search over tasks, in plain SQLite FTS5 (no compiled tokenizer).

SQLite's default tokenizer reads a run of Chinese characters as one token, so MATCH '节水' finds
nothing inside 推进农业节水; the trigram tokenizer needs three characters. Instead each task gets a
row in the shadow table `tasks_search` with two tokenised forms of its text, both indexed by the
FTS5 table `tasks_search_fts`:

- `chars`: one token per letter or digit (Chinese characters, Latin letters and digits alike),
  every run of punctuation or space written as the break token BREAK. A phrase of characters then
  matches exactly where the text contains the query as a substring, never across punctuation. This is
  what `search()` and the Datasette search box use: 节水, 漏损, 再生水, 河长制 find every task that
  contains them, including words jieba's dictionary lacks (it cuts 漏损 into 漏/损 and 再生水 into
  再生/水) and words inside longer ones (节水 in 节水型).
- `segmented`: the text cut into words by jieba (search mode, which also emits the dictionary words
  inside long words). It serves word search (`words=True`: 节水 then skips 调节水量, where jieba reads
  调节/水量), Datasette's raw search mode (`segmented:节水`), and plain `datasette` or
  `sqlite-utils search` sessions that know nothing about the `chars` column. Words alone are not
  the default because they miss a substring wherever the surrounding text shifts jieba's cut:
  matching the precise-mode words of a query against the precise-mode words of the tasks missed
  792 of the 5,407 substring hits of the sample corpus's 800 most frequent words (measured).

The segmenter is rjieba (jieba-rs): the same dictionary and, with the HMM off, the same cut as
jieba's search mode (checked equal on the sample tasks), at ~16-20 MB/s against jieba's 0.7-0.9 MB/s.
Indexing runs inside every ingest, whose budget is 5 MB/s per core; with jieba the cut alone
would take 1.2 s per MB of task text. The HMM is off in both because its guesses for unknown words depend
on the context, so the same word could be cut differently in two tasks.

`query_expression()` turns what a user types into an FTS5 expression: whitespace separates terms
that must all occur; "double quotes" keep a phrase with spaces together. It is registered as a SQL
function by `zhengce serve` so the Datasette search box gets the same reading as the CLI.
"""
from __future__ import annotations

import functools
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from typing import Any

import rjieba

SEARCH_TABLE = "tasks_search"
FTS_TABLE = "tasks_search_fts"
# A private-use character: FTS5's unicode61 tokenizer keeps it as a token (category Co), and no
# query term the user types is made of it, so a character phrase can never match across it.
BREAK = "\ue000"

SEARCH_COLUMNS: dict[str, tuple[str, str]] = {
    "search_id": ("INTEGER PRIMARY KEY", "row number; the FTS index's rowid"),
    "task_id": ("INTEGER NOT NULL REFERENCES tasks(task_id) ON DELETE CASCADE", "the task"),
    "doc_id": ("TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE", "the document"),
    "jurisdiction": ("TEXT", "the government whose plan it is (copied from documents)"),
    "province": ("TEXT", "province-level division (copied from documents)"),
    "path_text": ("TEXT", "the task's numbering labels joined with ' / '"),
    "title": ("TEXT", "the task's lead phrase"),
    "text": ("TEXT", "the task text as stored in tasks.text"),
    "segmented": ("TEXT", "the text cut into words by jieba (search mode, HMM off), space-separated"),
    "chars": ("TEXT", "the text as one token per character, punctuation as a break token; for substring search"),
}
SEARCH_DESCRIPTION = ("Shadow table for Chinese full-text search over tasks: each task's text cut into "
                      "characters and jieba words, indexed by tasks_search_fts.")

_NON_WORD = re.compile(r"[\W_]+")  # a run of anything but letters and digits (str.isalnum)
_QUOTED = re.compile(r'"([^"]*)"?|(\S+)')


# What a token is made of: letters and digits for FTS5 (the `chars` column) and, for jieba, the
# characters it keeps inside a Latin or numeric run (2.5%, COD-5).
_TOKEN_CHARS = re.compile(r"[^\W_]|[+#&._%\-]")


@functools.cache
def _fold_table() -> tuple[dict[int, str], frozenset[str]]:
    """The NFKC form of every character whose form holds a token character (full-width Ａ１．％,
    ㎡, ①), and the set of those characters. Built on first use in 0.1 s."""
    table = {}
    for cp in range(0x30000):
        if 0xD800 <= cp < 0xE000:  # surrogates are not characters
            continue
        ch = chr(cp)
        folded = unicodedata.normalize("NFKC", ch)
        if folded != ch and _TOKEN_CHARS.search(folded):
            table[cp] = folded
    # A set, not a regex character class: `re` tested 4,630 scattered characters one by one
    # (2.9 s for 5,000 task texts, measured); set.isdisjoint walks the text in C.
    return table, frozenset(map(chr, table))


def fold(text: str) -> str:
    """Characters that NFKC turns into letters, digits or jieba's in-number marks replaced by that
    form (full-width Ａ１ → A1, ２．５％ → 2.5%, ㎡ → m2, ① → 1); all else, full-width punctuation
    included, kept.

    The text and every query go through this same function, so they agree. Punctuation is left
    alone because neither index keeps it (a run of it is one BREAK in `chars`, and FTS5 drops it
    from `segmented`), and leaving it means most task texts need no change at all: one set test
    instead of unicodedata.normalize over every character (1.02 s for 3.5 M characters, measured).
    """
    table, foldable = _fold_table()
    return text if foldable.isdisjoint(text) else text.translate(table)


def _conn(db: Any) -> sqlite3.Connection:
    """Accept a sqlite_utils.Database (what Store holds) or a plain sqlite3 connection."""
    return getattr(db, "conn", db)


# -- tokenising ------------------------------------------------------------------------------
def char_string(text: str) -> str:
    """The `chars` column: one token per letter or digit, each run of punctuation or space one BREAK,
    space-separated.

    FTS5's unicode61 tokenizer keeps exactly the categories L*, N* and Co as token characters, the
    letters and digits str.isalnum() accepts, so each token here stays one token there. Built with
    two C-level passes (a substitution, a join) rather than a loop over characters.
    """
    return _char_string(fold(text))


def _char_string(normalised: str) -> str:
    return " ".join(_NON_WORD.sub(BREAK, normalised))


def char_tokens(text: str) -> list[str]:
    return char_string(text).split(" ") if text else []


def word_string(text: str) -> str:
    """The `segmented` column: jieba search-mode words, space-separated. Punctuation stays for the
    reader; FTS5 drops it when indexing."""
    return _word_string(fold(text))


def _word_string(normalised: str) -> str:
    # jieba emits runs of whitespace as tokens; joining and re-splitting drops them in C rather
    # than testing each of ~120 words per task in a Python generator.
    return " ".join(" ".join(rjieba.cut_for_search(normalised, False)).split())


def _query_words(text: str) -> list[str]:
    # The query is cut in precise mode: search mode would add the sub-words of a long word and the
    # phrase would then expect them at consecutive positions.
    return [w for w in rjieba.cut(fold(text), False) if not _is_separator(w)]


def _is_separator(token: str) -> bool:
    return not any(ch.isalnum() for ch in token)


def query_terms(query: str) -> list[str]:
    """The terms that must all occur: whitespace-separated, or "quoted" with spaces inside."""
    terms = []
    for quoted, bare in _QUOTED.findall(query):
        term = (quoted if quoted else bare).strip()
        if term and not _is_separator(term):
            terms.append(term)
    return terms


def _strip_breaks(tokens: list[str]) -> list[str]:
    # Punctuation inside a term must match punctuation in the text; at its ends it means nothing.
    while tokens and tokens[0] == BREAK:
        tokens = tokens[1:]
    while tokens and tokens[-1] == BREAK:
        tokens = tokens[:-1]
    return tokens


def _phrase(tokens: list[str]) -> str:
    return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"'


def query_expression(query: str, words: bool = False) -> str:
    """An FTS5 MATCH expression for `tasks_search_fts`: every term as a phrase, all required.

    Substring mode (default) matches each term's characters in a row in `chars`; word mode matches
    its jieba words in a row in `segmented`. A query without any searchable character gives an
    expression that matches nothing (FTS5 rejects an empty MATCH).
    """
    phrases = []
    for term in query_terms(query):
        tokens = _query_words(term) if words else _strip_breaks(char_tokens(term))
        if tokens:
            phrases.append(_phrase(tokens))
    if not phrases:
        return f'"{BREAK}{BREAK}"'  # a single token no text contains
    column = "segmented" if words else "chars"
    return f"{column} : ({' AND '.join(phrases)})"


# -- schema and index maintenance --------------------------------------------------------------
def ensure_search_schema(db: Any) -> None:
    """Create the shadow table, its FTS index and the delete trigger that keeps them in step, and
    index any rows a previous run left unindexed (see index_pending).

    Rows reach the index from index_pending, not from an insert trigger: FTS5 flushes its pending
    terms at every savepoint, and a trigger runs each row in one, so a trigger wrote one tiny index
    segment per task (and merged them): five times the cost of the same rows inserted directly
    (1.0 s against 0.21 s for 4,917 tasks, measured). The delete trigger stays because rows also
    leave through the tasks' ON DELETE CASCADE, and the index must lose them too; it removes a row
    from the index only if the row is in it (FTS5 keeps one `_docsize` row per indexed rowid).

    A database written before search existed gets its documents indexed here, once.
    """
    conn = _conn(db)
    existed = conn.execute("select 1 from sqlite_master where name = ?", [SEARCH_TABLE]).fetchone()
    if existed:
        # Databases written before the index was fed directly have an insert trigger that would
        # now index every row twice; those written before the index was fed per batch have a delete
        # trigger that would remove rows the index never held.
        conn.execute(f"DROP TRIGGER IF EXISTS [{SEARCH_TABLE}_ai]")
        trigger = conn.execute("select sql from sqlite_master where name = ?", [f"{SEARCH_TABLE}_ad"]).fetchone()
        if trigger and trigger[0] != _DELETE_TRIGGER:
            conn.execute(f"DROP TRIGGER [{SEARCH_TABLE}_ad]")
            conn.execute(_DELETE_TRIGGER)
        index_pending(conn)
        return
    cols = ",\n  ".join(f"[{name}] {ddl}" for name, (ddl, _) in SEARCH_COLUMNS.items())
    # Statement by statement: executescript would commit the caller's open transaction.
    for statement in (
        f"CREATE TABLE [{SEARCH_TABLE}] (\n  {cols}\n)",
        f"CREATE INDEX [idx_{SEARCH_TABLE}_task_id] ON [{SEARCH_TABLE}] ([task_id])",
        f"CREATE INDEX [idx_{SEARCH_TABLE}_doc_id] ON [{SEARCH_TABLE}] ([doc_id])",
        f"CREATE VIRTUAL TABLE [{FTS_TABLE}] USING FTS5 ("
        f"[segmented], [chars], content=[{SEARCH_TABLE}], content_rowid=[search_id])",
        # Each index_pending call adds an index segment; merging 8 at a time instead of FTS5's
        # default 4 cut the index's share of an ingest by a third (2.49 s -> 1.71 s for 829
        # documents, when it was fed per document), with queries as fast (3.1 ms for a common
        # term, measured).
        f"INSERT INTO [{FTS_TABLE}] ([{FTS_TABLE}], rank) VALUES ('automerge', 8)",
        _DELETE_TRIGGER,
    ):
        conn.execute(statement)
    for (doc_id,) in conn.execute("select doc_id from documents").fetchall():
        index_document(conn, doc_id)
    index_pending(conn)


# The FTS5 'delete' command must be given exactly the values that were indexed, and only for a row
# that was indexed: deleting a row the index never held corrupts it. Rows written since the last
# index_pending are not in the index yet, and FTS5's _docsize table has a row for each rowid it holds.
_DELETE_TRIGGER = (
    f"CREATE TRIGGER [{SEARCH_TABLE}_ad] AFTER DELETE ON [{SEARCH_TABLE}] "
    f"WHEN EXISTS (SELECT 1 FROM [{FTS_TABLE}_docsize] WHERE id = old.search_id) BEGIN "
    f"INSERT INTO [{FTS_TABLE}] ([{FTS_TABLE}], rowid, segmented, chars) "
    f"VALUES ('delete', old.search_id, old.segmented, old.chars); END"
)


def index_document(db: Any, doc_id: str) -> int:
    """Write the shadow rows of one stored document's tasks (replacing any earlier entries), for a
    database written before search existed. Runs inside the caller's transaction and does not
    commit; the FTS index takes them at the next index_pending. Returns the number of tasks."""
    conn = _conn(db)
    tasks = conn.execute(
        "select t.task_id, t.doc_id, d.jurisdiction, d.province, t.path_text, t.title, t.text "
        "from tasks t join documents d on d.doc_id = t.doc_id where t.doc_id = ? order by t.task_index",
        [doc_id]).fetchall()
    rows = [(*t, *_index_forms(t[6] or "")) for t in tasks]
    write_rows(conn, doc_id, rows)
    return len(rows)


def search_rows(document: dict, tasks: list[dict]) -> list[tuple]:
    """The shadow rows of one document's tasks, from its `documents` row and `tasks` rows (as
    pipeline/rows.py makes them), in task order. A pure function: under `ingest --jobs` the words
    and characters are cut in the worker process."""
    j, prov = document.get("jurisdiction"), document.get("province")
    return [(t["task_id"], t["doc_id"], j, prov, t["path_text"], t["title"], t["text"],
             *_index_forms(t["text"] or "")) for t in sorted(tasks, key=lambda t: t["task_index"])]


def write_rows(db: Any, doc_id: str, rows: list[tuple]) -> None:
    """Replace one document's shadow rows with `rows` (made by search_rows). No commit."""
    conn = _conn(db)
    unindex_document(conn, doc_id)
    if rows:
        conn.executemany(
            f"insert into [{SEARCH_TABLE}] (task_id, doc_id, jurisdiction, province, path_text, title, text, "
            "segmented, chars) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def index_pending(db: Any) -> int:
    """Add to the FTS index every shadow row it does not hold yet; returns how many. Runs inside the
    caller's transaction, if one is open.

    The ingest calls this once per batch rather than once per document: FTS5 writes an index
    segment at every commit, and one segment per document cost 3.5-4.2 ms a plan where one
    statement for the batch's 4,917 tasks took 1.3-1.4 ms a plan (209 plans, measured). Each
    document's rows, words and characters included, still land in its own transaction; only their
    place in the index waits for the end of the batch, and a run that dies before then leaves rows
    that the next opening of the database (Store.open, zhengce serve) indexes.
    """
    conn = _conn(db)
    if not has_pending(conn):
        return 0  # a read only: opening or closing a database that is not writable still works
    # An anti-join rather than "rowid above the last one indexed": the shadow table may reuse the
    # rowid of a row that was deleted.
    cur = conn.execute(
        f"insert into [{FTS_TABLE}] (rowid, segmented, chars) select s.search_id, s.segmented, s.chars "
        f"from [{SEARCH_TABLE}] s where not exists "
        f"(select 1 from [{FTS_TABLE}_docsize] z where z.id = s.search_id) order by s.search_id")
    return cur.rowcount


def has_pending(db: Any) -> bool:
    """Whether some shadow rows are not in the FTS index yet (a batch that did not finish)."""
    return bool(_conn(db).execute(
        f"select 1 from [{SEARCH_TABLE}] s where not exists "
        f"(select 1 from [{FTS_TABLE}_docsize] z where z.id = s.search_id) limit 1").fetchone())


def _index_forms(text: str) -> tuple[str, str]:
    """(segmented, chars) of one task text, normalised once for both."""
    normalised = fold(text)
    return _word_string(normalised), _char_string(normalised)


def unindex_document(db: Any, doc_id: str) -> None:
    """Remove one document's entries (the delete trigger clears the FTS index). No commit."""
    _conn(db).execute(f"delete from [{SEARCH_TABLE}] where doc_id = ?", [doc_id])


# -- querying ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SearchHit:
    task_id: int
    doc_id: str
    jurisdiction: str | None
    path_text: str | None
    title: str | None
    text: str
    rank: float

    def snippet(self, query: str, width: int = 24) -> str:
        """The text around the first occurrence of the first term, the term in 【】."""
        flat = re.sub(r"\s+", " ", self.text)
        for term in query_terms(query):
            i = flat.find(term)
            if i >= 0:
                head = ("…" if i > width else "") + flat[max(0, i - width):i]
                tail = flat[i + len(term):i + len(term) + width] + ("…" if i + len(term) + width < len(flat) else "")
                return f"{head}【{term}】{tail}"
        return flat[:2 * width] + ("…" if len(flat) > 2 * width else "")


def search(db: Any, query: str, jurisdiction: str | None = None, limit: int | None = 50,
           words: bool = False) -> list[SearchHit]:
    """Tasks containing every term of `query`, best first (FTS5 bm25), optionally in one jurisdiction.

    `limit=None` returns every hit.
    """
    conn = _conn(db)
    # Rank and cut inside the FTS query, then fetch only the rows kept: joining every hit before
    # sorting cost twice as much on a common word.
    params: list[Any] = [query_expression(query, words=words)]
    join = ""
    if jurisdiction:
        # A join by primary key per hit; an `in (subquery)` on the FTS rowid was scanned per row.
        join = f"join [{SEARCH_TABLE}] j on j.search_id = f.rowid and j.jurisdiction = ? "
        params.insert(0, jurisdiction)
    params.append(-1 if limit is None else limit)
    sql = (f"with hits as (select f.rowid as id, f.rank as rank from [{FTS_TABLE}] f {join}"
           f"where [{FTS_TABLE}] match ? order by f.rank limit ?) "
           f"select s.task_id, s.doc_id, s.jurisdiction, s.path_text, s.title, s.text, hits.rank "
           f"from hits join [{SEARCH_TABLE}] s on s.search_id = hits.id order by hits.rank, s.search_id")
    return [SearchHit(*row) for row in conn.execute(sql, params)]
