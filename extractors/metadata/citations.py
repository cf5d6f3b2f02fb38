"""Documents the plan invokes by title in 《》, in order of first appearance, without duplicates.

- A title may wrap over lines; extraction whitespace is removed as in the plan title (squeeze), a
  space between two ASCII words (GB/T 24789) is kept.
- A nested title is kept as written: 《<国家节水行动方案>分工方案》 gives "<国家节水行动方案>分工方案".
- A 发文字号 in parentheses right after the title belongs to it (Citation.doc_number), normalised.
- Two spellings that differ only in character width ((GB/T …) vs （GB/T …）) are one document; the
  first spelling is kept. The plan's own title (named in its 印发 notice) is not a citation.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex

from extractors.metadata.doc_number import doc_number_at
from extractors.metadata.found import Found
from extractors.metadata.text import squeeze

# 《…》 with at most one level of 《》 nested inside; 300 characters bound a runaway unclosed 《.
_CITED = regex.compile(r"《(?P<title>(?:[^《》\n]|\n(?!\s*\n)|《[^《》]{1,200}》){1,300}?)》")


@dataclass(frozen=True, slots=True)
class Cited:
    title: str
    doc_number: str | None
    extent_end: int  # end of the title and of its parenthesised 发文字号, if any


_SPACES = regex.compile(r"\s+")  # compiled once: regex.sub(str, …) pays a cache lookup per call


def identity_key(title: str) -> str:
    """Width- and whitespace-insensitive key: NFKC folds （）［］ and full-width letters/digits."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", title))


def find_citations(text: str, own_title: str | None = None, start: int = 0, end: int | None = None) -> list[Found]:
    """Citations in text[start:end]; each value is a Cited."""
    end = len(text) if end is None else end
    seen = {identity_key(own_title)} if own_title else set()
    out: list[Found] = []
    for m in _CITED.finditer(text, start, end):
        title = squeeze(m.group("title"))
        key = identity_key(title)
        if not title or key in seen:
            continue
        seen.add(key)
        num = doc_number_at(text, m.end())
        cited = Cited(title, num.value if num else None, num.end if num else m.end())
        out.append(Found(cited, m.start(), m.end(), "cited_title"))
    return out
