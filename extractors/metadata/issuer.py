"""Issuer (发文机关): the body named in the header of a 印发 notice, or in the signature.

A signature is a line holding only the name of a body (YAML `signature_line`: a name ending in an
issuer suffix such as 人民政府办公室, …局, …委员会, 领导小组办公室, not indented by a tab as table cells
are) that begins with a division name or is a national body, so that a unit cell (区水利局) or a
heading is not mistaken for one. It counts when a 成文日期 line follows within two lines, or when
it closes the text (a draft signed at its foot without a date). Precedence: notice header, then the
first dated signature, then a closing signature; else None (the text does not say).
"""
from __future__ import annotations

from functools import lru_cache

from extractors.metadata.dates import date_after
from extractors.metadata.found import Found
from extractors.metadata.jurisdiction import is_national_body, starts_with_division
from extractors.ruleset import load_ruleset

_MAX_NAME = 40
# every blank the signature_line rule allows around the name (leading: space, U+3000, U+00A0;
# trailing: the same and a tab)
_NAME_BLANKS = " \t\u3000\xa0"


def is_issuer_name(name: str) -> bool:
    rule = load_ruleset("metadata").rule("issuer_name")
    return bool(rule.compiled.match(name)) and (starts_with_division(name) or is_national_body(name))


def _short_line_starts(text: str) -> list[int]:
    """Start offsets of the lines whose text, blanks stripped, is at most _MAX_NAME long.

    A signature_line match covers one whole line (none of its classes takes a line break), and
    its name holds the line's stripped text: a longer line can only give a name that
    find_signatures rejects. Trying the rule at these line starts alone finds the same signatures
    several times faster than scanning the whole text, where the rule's lazy name is retried at
    every character of every long body line."""
    starts = []
    pos = 0
    for line in text.split("\n"):
        if len(line) <= _MAX_NAME or len(line.strip(_NAME_BLANKS)) <= _MAX_NAME:
            starts.append(pos)
        pos += len(line) + 1
    return starts


def find_signatures(text: str, after: int = 0) -> list[tuple[Found, bool]]:
    """Signature lines of text (those starting at or after `after`), each with whether a date line
    follows it."""
    return [(found, dated) for start, found, dated in _signatures(text) if start >= after]


# The metadata stage reads a plan's signatures (issuer, signing date) and segmentation reads them
# again (the sign-off that closes the body): the last text's are kept, so a plan's lines are
# matched once (maxsize=1: the next document replaces them; 0.1 ms a plan).
@lru_cache(maxsize=1)
def _signatures(text: str) -> tuple[tuple[int, Found, bool], ...]:
    """Every signature line of text as (line start, name, dated)."""
    rule = load_ruleset("metadata").rule("signature_line")
    out = []
    for start in _short_line_starts(text):
        m = rule.compiled.match(text, start)  # the rule opens with (?m)^: a match starts a line
        if m is None:
            continue
        name = m.group("name")
        if len(name) > _MAX_NAME or not is_issuer_name(name):
            continue
        dated = date_after(text, m.end()) is not None
        if dated or not text[m.end():].strip():
            out.append((start, Found(name, m.start("name"), m.end("name"), rule.id), dated))
    return tuple(out)


def find_issuer(text: str, notice_issuer: Found | None = None,
                signatures: list[tuple[Found, bool]] | None = None) -> Found | None:
    if notice_issuer and is_issuer_name(notice_issuer.value):
        return notice_issuer
    sigs = find_signatures(text) if signatures is None else signatures
    for f, dated in sigs:
        if dated:
            return f
    return sigs[-1][0] if sigs else None
