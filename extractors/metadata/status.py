"""Drafting status of the text: 征求意见稿, 讨论稿, 送审稿, 草案 … (None for a final text).

Only a mark in parentheses in the header counts (under the title or at its end): the same words in
running text (广泛征求意见) describe a process, not this text. （试行）/（暂行） are NOT statuses: they
mark a final, provisional regulation, are part of its official title, and so stay in the title.
Variant spellings are mapped to one value by the rule's `value` table (公开征求意见稿 → 征求意见稿).
"""
from __future__ import annotations

from extractors.metadata.found import Found
from extractors.ruleset import load_ruleset


def find_status(text: str, start: int = 0, end: int | None = None) -> Found | None:
    """The first status mark in text[start:end] (the header zone), normalised."""
    rule = load_ruleset("metadata").rule("status_paren")
    m = rule.compiled.search(text, start, len(text) if end is None else end)
    if not m:
        return None
    word = m.group("word")
    return Found(rule.value.get(word, word), m.start(), m.end(), rule.id)
