"""发文字号: the issuing number of a document, 代字〔年份〕序号号.

Brackets around the year vary in practice ((2021), [2021], ［2021］, 【2021】, 〔2021〕); every
spelling is normalised to the standard 〔2021〕 (GB/T 9704). The document's own number stands on a
line of its own in the header; a number in parentheses right after a 《》 title belongs to that
cited document instead (see citations.py).
"""
from __future__ import annotations

import regex

from extractors.metadata.found import Found
from extractors.ruleset import load_ruleset


def normalise(m: regex.Match) -> str:
    """代字〔年份〕序号号 from a match of a DOC_NUMBER fragment."""
    return f"{m.group('prefix')}〔{m.group('year')}〕{int(m.group('serial'))}号"


def find_doc_number(text: str, start: int = 0, end: int | None = None) -> Found | None:
    """The first 发文字号 standing alone on a line of text[start:end]."""
    rule = load_ruleset("metadata").rule("doc_number_line")
    m = rule.compiled.search(text, start, len(text) if end is None else end)
    if not m:
        return None
    return Found(normalise(m), m.start("prefix"), m.end(), rule.id)


def doc_number_at(text: str, pos: int) -> Found | None:
    """A parenthesised 发文字号 starting at text[pos] (whitespace allowed before it), else None."""
    rule = load_ruleset("metadata").rule("doc_number_after_citation")
    m = rule.compiled.match(text, pos)
    if not m:
        return None
    return Found(normalise(m), m.start("prefix"), m.end("serial") + 1, rule.id)


_YEAR = regex.compile(r"〔(\d{4})〕")


def issue_year(number: Found) -> Found | None:
    """The year a document was issued, from its 发文字号's 〔年份〕 (the number's span as provenance)."""
    m = _YEAR.search(number.value)
    return Found(int(m.group(1)), number.start, number.end, "doc_number_year") if m else None
