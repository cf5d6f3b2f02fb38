"""SQLite storage through sqlite-utils: one transaction per document.

A document is identified by the SHA-256 of its bytes. Writing a document whose hash is already
stored changes nothing; writing a new version of a path that is already stored replaces the old
version (its rows in every table) inside the same transaction, so a reader never sees half a
document and an interrupted write leaves the previous state intact.
"""
from __future__ import annotations

import enum
import operator
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import sqlite_utils

from pipeline import search  # [search] Chinese full-text index over tasks (issue 6)
from pipeline import views  # derived keys of each document's targets and tasks (issue 4)
from pipeline.db_schema import ALL_TABLES, DOCUMENTS, TableSpec
from pipeline.errors import DatabaseLayoutError
from pipeline.rows import document_rows
from pipeline.row_ids import id_base
from pipeline.state import ensure_state_table, get_state
from schemas import SCHEMA_VERSION
from schemas.document import Document


@lru_cache(maxsize=None)
def _getter(cols: tuple[str, ...]):
    get = operator.itemgetter(*cols)
    return (lambda row: (get(row),)) if len(cols) == 1 else get


@dataclass(frozen=True)
class PreparedDocument:
    """Everything written for one document, as plain tuples: what a worker process of
    `ingest --jobs` sends to the single writer. Tuples in the tables' column order unpickle in
    half the time of the row dicts they are made from (0.75 against 1.4 ms a plan, measured), and
    the writer is the one process that cannot be multiplied."""
    doc_id: str
    doc_key: int                                    # every row id is in its range (row_ids.py)
    path: str
    rows: dict[str, list[tuple]]                    # table name -> rows, columns as in db_schema
    derived: tuple[list[tuple], list[tuple]]        # target_keys, task_sectors (pipeline/views.py)
    search_rows: list[tuple]                        # tasks_search (pipeline/search.py)

    def rekeyed(self, doc_key: int) -> "PreparedDocument":
        """The same rows in another doc_key's id range. Rare (a concurrent writer took the key),
        so plain Python over every id column."""
        shift = id_base(doc_key) - id_base(self.doc_key)

        def moved(batch: list[tuple], columns: tuple[int, ...]) -> list[tuple]:
            return [tuple(v + shift if i in columns and v is not None else v for i, v in enumerate(row))
                    for row in batch]

        rows = {name: moved(batch, _id_columns(name)) for name, batch in self.rows.items() if name != "documents"}
        at = list(DOCUMENTS.columns).index("doc_key")
        rows["documents"] = [row[:at] + (doc_key,) + row[at + 1:] for row in self.rows["documents"]]
        keys, sectors = self.derived
        return PreparedDocument(self.doc_id, doc_key, self.path, rows, (moved(keys, (0,)), moved(sectors, (0,))),
                                moved(self.search_rows, (0,)))


@lru_cache(maxsize=None)
def _id_columns(table: str) -> tuple[int, ...]:
    """Positions of a table's row-id columns: its own key and every key of another extracted row."""
    spec = next(t for t in ALL_TABLES if t.name == table)
    refs = {col for col, target, _ in spec.foreign_keys if target != "documents"}
    return tuple(i for i, col in enumerate(spec.columns) if col == spec.pk or col in refs)


def prepare_document(doc: Document, doc_key: int) -> PreparedDocument:
    """The rows of one document for every table, its row ids in `doc_key`'s range
    (Store.reserve_doc_key). A pure function of the document and its key."""
    rows = document_rows(doc, doc_key)
    # rows.py gives every column of its table, so a C-level itemgetter builds the tuples; a row
    # missing a column is a bug in rows.py and fails here with the column's name.
    tables = {spec.name: list(map(_getter(tuple(spec.columns)), rows[spec.name]))
              for spec in ALL_TABLES if rows.get(spec.name)}
    return PreparedDocument(
        doc_id=doc.doc_id, doc_key=doc_key, path=doc.source.path, rows=tables, derived=views.derived_rows(rows),
        search_rows=search.search_rows(rows["documents"][0], rows.get("tasks", [])))


class WriteOutcome(enum.StrEnum):
    INSERTED = "ingested"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"


def check_layout(conn: sqlite3.Connection) -> None:
    """Raise DatabaseLayoutError for a database of schema 1, which keyed its rows by text ids
    ("<doc_id>:s12"): rows with integer ids written beside them would not join, and readers of the
    ids (report, serve) would misread them. Said by name rather than leaving a mixed database."""
    columns = {r[1] for r in conn.execute("pragma table_info(documents)")}
    if columns and "doc_key" not in columns:
        name = conn.execute("pragma database_list").fetchone()[2] or ":memory:"
        raise DatabaseLayoutError(name, "schema 1: text row ids", SCHEMA_VERSION)


# Called between table writes with the name of the table just written; tests use it to
# simulate a crash in the middle of a document's write.
FaultHook = Callable[[str], None]


_NEXT_DOC_KEY = "next_doc_key"  # pipeline_state: the lowest doc_key never written


class Store:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self.db.execute("PRAGMA foreign_keys = ON")
        self.ensure_schema()
        self._next_key: int | None = None  # the next doc_key this Store hands out

    @classmethod
    def open(cls, path: str | Path) -> "Store":
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        db = sqlite_utils.Database(str(path)) if str(path) != ":memory:" else sqlite_utils.Database(memory=True)
        check_layout(db.conn)  # before any pragma below writes to the file
        if str(path) != ":memory:":
            # WAL: readers (export, serve) never block a running ingest. synchronous=NORMAL is the
            # setting SQLite recommends with WAL: a commit is still atomic and survives a crash of
            # the process; only a power cut may lose the last commits, never half of one. FULL
            # spent an fsync per document, a third of the ingest time when measured.
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            # With NORMAL, the fsyncs happen at checkpoints, which SQLite runs every 1,000 pages
            # (~4 MB) by default: every few documents of an ingest. A 64 MB WAL checkpoints about
            # 15 times less often (write time 4.1 s -> 3.7 s for 5 MB of plans, measured);
            # journal_size_limit truncates the file back after each checkpoint.
            db.execute("PRAGMA wal_autocheckpoint = 16384")
            db.execute("PRAGMA journal_size_limit = 67108864")
        return cls(db)

    def close(self) -> None:
        self.index_pending()
        self.db.close()

    def ensure_schema(self) -> None:
        check_layout(self.db.conn)
        with self.db.atomic():
            ensure_state_table(self.db)
            for spec in ALL_TABLES:
                self._create(spec)
            search.ensure_search_schema(self.db)  # [search]
            views.ensure_derived_tables(self.db)

    def _create(self, spec: TableSpec) -> None:
        table = self.db.table(spec.name)
        if not table.exists():
            table.create(
                {name: typ for name, (typ, _) in spec.columns.items()},
                pk=spec.pk,
                foreign_keys=list(spec.foreign_keys),
                not_null=set(spec.not_null),
            )
        for cols in spec.indexes:
            table.create_index(list(cols), if_not_exists=True)
        for cols in spec.unique_indexes:
            table.create_index(list(cols), unique=True, if_not_exists=True)
        for col in spec.sparse_indexes:
            # sqlite-utils' create_index has no WHERE; same name as a full index, so a database
            # that has the full one keeps it.
            self.db.execute(f"create index if not exists [idx_{spec.name}_{col}] on [{spec.name}] ([{col}]) "
                            f"where [{col}] is not null")

    # -- queries -------------------------------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        return bool(self.db.execute("select 1 from documents where doc_id = ?", [doc_id]).fetchone())

    def doc_id_for_path(self, path: str) -> str | None:
        row = self.db.execute("select doc_id from documents where path = ?", [path]).fetchone()
        return row[0] if row else None

    def document_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("select doc_id from documents order by file_name")]

    def count(self, table: str, doc_id: str | None = None) -> int:
        if doc_id is None:
            return self.db.table(table).count
        return self.db.execute(f"select count(*) from [{table}] where doc_id = ?", [doc_id]).fetchone()[0]

    # -- writes --------------------------------------------------------------------------------
    def reserve_doc_key(self) -> int:
        """The doc_key for the next new document (pipeline/row_ids.py), handed out before its rows
        are built. Only memory changes: a file that then fails, or a run that writes nothing,
        leaves the database as it was. The key becomes the document's when write_prepared stores
        it, which moves a document to a fresh key if another process wrote one with the same key
        in the meantime."""
        if self._next_key is None:
            self._next_key = self._lowest_free_key()
        key, self._next_key = self._next_key, self._next_key + 1
        return key

    def _lowest_free_key(self) -> int:
        # The counter says which keys were ever written, so a deleted document's key (and a
        # bookmarked row id in its range) is never given to another document.
        stored = get_state(self.db, _NEXT_DOC_KEY)
        highest = self.db.execute("select coalesce(max(doc_key), 0) from documents").fetchone()[0]
        return max(int(stored or 1), highest + 1)

    def write_document(self, doc: Document, fault_hook: FaultHook | None = None) -> WriteOutcome:
        """Write one document atomically; see the module docstring for identity rules."""
        if self.has_document(doc.doc_id):
            return WriteOutcome.UNCHANGED
        return self.write_prepared(prepare_document(doc, self.reserve_doc_key()), fault_hook)

    def write_prepared(self, prepared: "PreparedDocument", fault_hook: FaultHook | None = None) -> WriteOutcome:
        """Write the rows prepare_document made for one document, atomically."""
        if self.has_document(prepared.doc_id):
            return WriteOutcome.UNCHANGED
        with self.db.atomic():
            if self.db.execute("select 1 from documents where doc_key = ?", [prepared.doc_key]).fetchone():
                # Another process ingesting into this database wrote a document with this key after
                # this one was handed out; the write lock is held from here, so a fresh key stays free.
                self._next_key = max(self._next_key or 0, self._lowest_free_key())
                prepared = prepared.rekeyed(self.reserve_doc_key())
            rows = prepared.rows
            old = self.doc_id_for_path(prepared.path)
            if old is not None:
                self._delete_rows(old)
            for spec in ALL_TABLES:
                batch = rows.get(spec.name, [])
                if batch:
                    self._insert(spec, batch)
                if fault_hook is not None:
                    fault_hook(spec.name)
            views.insert_derived(self.db, *prepared.derived)
            search.write_rows(self.db, prepared.doc_id, prepared.search_rows)  # [search]
            self.db.execute("insert into pipeline_state (key, value) values (?, ?) on conflict (key) do update "
                            "set value = max(cast(value as integer), excluded.value)",
                            [_NEXT_DOC_KEY, prepared.doc_key + 1])
        return WriteOutcome.REPLACED if old is not None else WriteOutcome.INSERTED

    def index_pending(self) -> int:
        """Put the tasks written since the last call into the full-text index, in one transaction.
        The ingest calls it once per batch (see search.index_pending for why not per document)."""
        with self.db.atomic():
            return search.index_pending(self.db)  # [search]

    def _insert(self, spec: TableSpec, batch: list[tuple]) -> None:
        # The tables already exist with declared types, so sqlite-utils' per-value type sniffing in
        # insert_all (half of all ingest time when measured) buys nothing here: one prepared
        # statement per table, executemany inside the document's transaction. Rows go in document
        # order, parents first, which the sections' self-referencing foreign key requires.
        cols = list(spec.columns)
        sql = f"insert into [{spec.name}] ({', '.join(f'[{c}]' for c in cols)}) values ({', '.join('?' * len(cols))})"
        self.db.conn.executemany(sql, batch)

    def delete_document(self, doc_id: str) -> None:
        with self.db.atomic():
            self._delete_rows(doc_id)

    def _delete_rows(self, doc_id: str) -> None:
        search.unindex_document(self.db, doc_id)  # [search]
        views.delete_document_derived(self.db, doc_id)
        # Children first; sections point at each other, so clear the self-reference before deleting.
        for spec in reversed(ALL_TABLES):
            if spec.name == "documents":
                continue
            if spec.name == "sections":
                self.db.execute("update sections set parent_id = null where doc_id = ?", [doc_id])
            self.db.execute(f"delete from [{spec.name}] where doc_id = ?", [doc_id])
        self.db.execute("delete from documents where doc_id = ?", [doc_id])
