"""SQLite storage through sqlite-utils: one transaction per document.

A document is identified by the SHA-256 of its bytes. Writing a document whose hash is already
stored changes nothing; writing a new version of a path that is already stored replaces the old
version (its rows in every table) inside the same transaction, so a reader never sees half a
document and an interrupted write leaves the previous state intact.
"""
from __future__ import annotations

import enum
import operator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import sqlite_utils

from pipeline import search  # [search] Chinese full-text index over tasks (issue 6)
from pipeline import views  # derived keys of each document's targets and tasks (issue 4)
from pipeline.db_schema import ALL_TABLES, TableSpec
from pipeline.rows import document_rows
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
    path: str
    rows: dict[str, list[tuple]]                    # table name -> rows, columns as in db_schema
    derived: tuple[list[tuple], list[tuple]]        # target_keys, task_sectors (pipeline/views.py)
    search_rows: list[tuple]                        # tasks_search (pipeline/search.py)


def prepare_document(doc: Document) -> PreparedDocument:
    """The rows of one document for every table. A pure function of the document."""
    rows = document_rows(doc)
    # rows.py gives every column of its table, so a C-level itemgetter builds the tuples; a row
    # missing a column is a bug in rows.py and fails here with the column's name.
    tables = {spec.name: list(map(_getter(tuple(spec.columns)), rows[spec.name]))
              for spec in ALL_TABLES if rows.get(spec.name)}
    return PreparedDocument(
        doc_id=doc.doc_id, path=doc.source.path, rows=tables, derived=views.derived_rows(rows),
        search_rows=search.search_rows(rows["documents"][0], rows.get("tasks", [])))


class WriteOutcome(enum.StrEnum):
    INSERTED = "ingested"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"


# Called between table writes with the name of the table just written; tests use it to
# simulate a crash in the middle of a document's write.
FaultHook = Callable[[str], None]


class Store:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self.db.execute("PRAGMA foreign_keys = ON")
        self.ensure_schema()

    @classmethod
    def open(cls, path: str | Path) -> "Store":
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        db = sqlite_utils.Database(str(path)) if str(path) != ":memory:" else sqlite_utils.Database(memory=True)
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
        with self.db.atomic():
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
    def write_document(self, doc: Document, fault_hook: FaultHook | None = None) -> WriteOutcome:
        """Write one document atomically; see the module docstring for identity rules."""
        if self.has_document(doc.doc_id):
            return WriteOutcome.UNCHANGED
        return self.write_prepared(prepare_document(doc), fault_hook)

    def write_prepared(self, prepared: "PreparedDocument", fault_hook: FaultHook | None = None) -> WriteOutcome:
        """Write the rows prepare_document made for one document, atomically."""
        if self.has_document(prepared.doc_id):
            return WriteOutcome.UNCHANGED
        rows = prepared.rows
        with self.db.atomic():
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
