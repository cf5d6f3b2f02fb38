"""Small facts a database keeps about itself (table `pipeline_state`).

A derived pass (canonical units, derived keys) records a fingerprint of its inputs here and is
skipped while the fingerprint is unchanged; the store keeps its doc_key counter here
(pipeline/row_ids.py).
"""
from __future__ import annotations

import hashlib
from importlib import resources
from typing import Iterable

_CREATE = "create table if not exists pipeline_state (key text primary key, value text)"


def ensure_state_table(db) -> None:
    db.execute(_CREATE)


def get_state(db, key: str) -> str | None:
    db.execute(_CREATE)
    row = db.execute("select value from pipeline_state where key = ?", [key]).fetchone()
    return row[0] if row else None


def set_state(db, key: str, value: str) -> None:
    """Record a value (inside the caller's transaction, if one is open)."""
    db.execute(_CREATE)
    db.execute("insert or replace into pipeline_state (key, value) values (?, ?)", [key, value])


def data_fingerprint(parts: Iterable[str], h=None) -> str:
    """SHA-1 over files of the extractors' package data (paths relative to extractors/data),
    continuing `h` when given."""
    h = h or hashlib.sha1()
    folder = resources.files("extractors") / "data"
    for part in parts:
        h.update((folder / part).read_bytes())
    return h.hexdigest()
