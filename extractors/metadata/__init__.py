"""Pure extractors for a document's header fields, one concept per module.

Each function takes normalised text (and, where needed, what another extractor found) and returns
`Found(value, start, end, rule)` records with offsets into that text; pipeline/metadata.py assembles
them into a schemas.metadata.DocMeta.
"""
from extractors.metadata.base_year import find_base_year
from extractors.metadata.citations import find_citations
from extractors.metadata.dates import find_dates, find_signing_date
from extractors.metadata.doc_number import doc_number_at, find_doc_number, issue_year
from extractors.metadata.found import Found
from extractors.metadata.issuer import find_issuer, find_signatures
from extractors.metadata.jurisdiction import NATIONAL, Place, locate, resolve
from extractors.metadata.status import find_status
from extractors.metadata.title import Heading, find_heading, find_title

__all__ = [
    "Found", "Heading", "Place", "NATIONAL",
    "find_base_year", "find_citations", "find_dates", "find_signing_date", "doc_number_at",
    "find_doc_number", "find_issuer", "find_signatures", "locate", "resolve", "find_status",
    "find_heading", "find_title", "issue_year",
]
