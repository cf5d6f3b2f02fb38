"""Drafting status of the text: 征求意见稿, 讨论稿, 送审稿, 草案 … (None for a final text).

Only a mark in the header counts: in parentheses (under the title or at its end), or the bare word
alone on a header line (征求意见稿 above the title); the same words in running text (广泛征求意见)
describe a process, not this text. （试行）/（暂行） are NOT statuses: they
mark a final, provisional regulation, are part of its official title, and so stay in the title.
Variant spellings are mapped to one value by the rule's `value` table (公开征求意见稿 → 征求意见稿).
"""
from __future__ import annotations

from extractors.metadata.found import Found
from extractors.ruleset import load_ruleset


def find_status(text: str, start: int = 0, end: int | None = None) -> Found | None:
    """The first status mark in text[start:end] (the header zone), normalised."""
    end = len(text) if end is None else end
    found = None
    for rule_id in ("status_paren", "status_line"):
        rule = load_ruleset("metadata").rule(rule_id)
        m = rule.compiled.search(text, start, end)
        if m and (found is None or m.start("word") < found[1].start("word")):
            found = (rule, m)
    if found is None:
        return None
    rule, m = found
    word = m.group("word")
    return Found(rule.value.get(word, word), m.start("word") if rule.id == "status_line" else m.start(),
                 m.end("word") if rule.id == "status_line" else m.end(), rule.id)
