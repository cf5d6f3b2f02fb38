"""Integer row ids: how every extracted row is keyed.

Each document gets a small number, `documents.doc_key`, when its file is found to be new; the id
of each of its rows in a table is doc_key × ROWS_PER_DOCUMENT + the row's position among the
document's rows of that table (section 12 of document 3 is 30000012). So:

- ids are known before anything is written: the rows of a document are built whole, in a worker
  process under `ingest --jobs`, with every foreign key already in place;
- a document's rows in each table are one contiguous range of the integer primary key, which is
  SQLite's rowid: no separate index to keep, and rows stored in document order.

Text ids ("<64-hex doc_id>:s12") made every row carry 70-byte keys in its table and in two or
three indexes: writing the same plans took 4.8 ms a plan against 3.4 ms with integer keys, and
the database was 392 against 231 KB a plan (200 plans, the storage rows alone, measured).

doc_keys are reserved in blocks from a counter in `pipeline_state` (Store.reserve_doc_key), in a
transaction of their own, so two ingests writing one database never take the same number. A file
that fails after its number was reserved leaves a gap; numbers are never reused.
"""
from __future__ import annotations

from pipeline.errors import Errors, IngestError

ROWS_PER_DOCUMENT = 10_000_000


def id_base(doc_key: int) -> int:
    """The id of a document's first row in every table."""
    if doc_key < 1:
        raise ValueError(f"doc_key must be positive, not {doc_key}")
    return doc_key * ROWS_PER_DOCUMENT


def check_count(table: str, n: int) -> None:
    """Fail the file (E012) if `n` rows of one document do not fit in its id range."""
    if n >= ROWS_PER_DOCUMENT:
        raise IngestError(Errors.E012, count=n, table=table, limit=ROWS_PER_DOCUMENT - 1)


def doc_key_of(row_id: int) -> int:
    return row_id // ROWS_PER_DOCUMENT


def position_of(row_id: int) -> int:
    return row_id % ROWS_PER_DOCUMENT
