"""Metadata stage: normalised text -> schemas.metadata.DocMeta, every scalar with its span.

Order matters only where one field informs another: the heading gives the title and the header
zone (where status and 发文字号 are read); the issuer's signature locates the 成文日期; the title,
then the issuer, names the jurisdiction; the date and title fix the base year.
"""
from __future__ import annotations

import logging
from typing import Callable

from extractors.metadata import (NATIONAL, Found, find_base_year, find_citations, find_doc_number,
                                 find_heading, find_issuer, find_signatures, find_signing_date,
                                 find_status, issue_year, locate)
from extractors.metadata.jurisdiction import Place, is_national_body, is_national_title, scope_level
from schemas.metadata import Citation, DocMeta
from schemas.spans import CharSpan

log = logging.getLogger(__name__)

ToSpan = Callable[[int, int], CharSpan]

# How far past the heading the body is searched for a division name when neither title nor
# issuer names one (the opening paragraph usually says 全市/全县 beside the name).
_BODY_LOOKAHEAD = 400


def _jurisdiction(text: str, title: Found | None, issuer: Found | None, header_end: int) -> tuple[Place, int, int] | None:
    """Title first (a plan names its own government there), then the issuer, then national cues,
    then the opening paragraph."""
    if issuer is not None and is_national_body(issuer.value):
        return NATIONAL, issuer.start, issuer.end
    for f in (title, issuer):
        if f is not None:
            hit = locate(text, f.start, f.end)
            if hit:
                return hit
    if title is not None and is_national_title(title.value):
        return NATIONAL, title.start, title.start + 2
    return locate(text, header_end, min(len(text), header_end + _BODY_LOOKAHEAD))


def extract_metadata(text: str, to_span: ToSpan) -> DocMeta:
    heading = find_heading(text)
    title = heading.title
    if title is None:
        log.warning("[W002] no title found")
    status = find_status(text, 0, heading.header_end)
    doc_number = find_doc_number(text, 0, max(heading.header_end, title.end if title else 0))
    signatures = find_signatures(text)
    issuer = find_issuer(text, heading.notice_issuer, signatures)
    signature_ends = [f.end for f, _ in signatures]
    date = find_signing_date(text, signature_ends)
    cited = find_citations(text, title.value if title else None)
    skip = [(c.start, c.value.extent_end) for c in cited] + ([(doc_number.start, doc_number.end)] if doc_number else [])
    base_year = find_base_year(text, title, date, skip, heading.header_end,
                               doc_number_year=issue_year(doc_number) if doc_number else None)
    juris = _jurisdiction(text, title, issuer, heading.header_end)
    if juris is None:
        log.warning("[W003] no jurisdiction resolved from title or issuer")

    spans: dict[str, CharSpan] = {}
    for name, f in (("title", title), ("issuer", issuer), ("doc_number", doc_number), ("date", date),
                    ("status", status), ("base_year", base_year)):
        if f is not None:
            spans[name] = to_span(f.start, f.end)
    place = juris[0] if juris else None
    level = place.level if place else None
    if juris is None:
        # No division named: the plan's scope word still tells its level (全省 …); jurisdiction stays None.
        for lo, hi in ((title.start, title.end) if title else (0, 0), (heading.header_end, heading.header_end + _BODY_LOOKAHEAD)):
            scope = scope_level(text, lo, min(hi, len(text)))
            if scope is not None:
                level = scope.value
                spans["admin_level"] = to_span(scope.start, scope.end)
                break
    if juris:
        jspan = to_span(juris[1], juris[2])
        for name in ("jurisdiction", "province", "prefecture", "admin_level"):
            if name != "province" or place.province:
                spans[name] = jspan
        if not place.prefecture:
            spans.pop("prefecture", None)
    return DocMeta(
        title=title.value if title else None,
        jurisdiction=place.jurisdiction if place else None,
        province=place.province if place else None,
        prefecture=place.prefecture if place else None,
        admin_level=level,
        issuer=issuer.value if issuer else None,
        doc_number=doc_number.value if doc_number else None,
        date=date.value if date else None,
        status=status.value if status else None,
        base_year=base_year.value if base_year else None,
        cited_documents=[Citation(title=c.value.title, doc_number=c.value.doc_number, span=to_span(c.start, c.end))
                         for c in cited],
        spans=spans,
    )
