"""Repair families of the cleaning stage (pipeline/clean.py), one module per family.

Every family is a pure function `text -> list[Edit]`. An edit either deletes a range of the text
(replacement "") or swaps it one-for-one for a replacement of the same length, so that each
character of the cleaned text still stands on exactly one character of the source. The stage
applies the edits and keeps the offset map; the families never touch offsets.
"""
from typing import NamedTuple


class Edit(NamedTuple):
    start: int
    end: int
    replacement: str  # "" deletes; otherwise len(replacement) == end - start
    code: str         # repair code, logged as Repair.code


__all__ = ["Edit"]
