"""Issuer (发文机关): the body named in the header of a 印发 notice, or in the signature.

A signature is a line holding only the name of a body (YAML `signature_line`: a name ending in an
issuer suffix such as 人民政府办公室, …局, …委员会, 领导小组办公室, not indented by a tab as table cells
are) that begins with a division name or is a national body, so that a unit cell (区水利局) or a
heading is not mistaken for one. It counts when a 成文日期 line follows within two lines, or when
it closes the text (a draft signed at its foot without a date). Precedence: notice header, then the
first dated signature, then a closing signature; else None (the text does not say).
"""
from __future__ import annotations

from extractors.metadata.dates import date_after
from extractors.metadata.found import Found
from extractors.metadata.jurisdiction import is_national_body, starts_with_division
from extractors.ruleset import load_ruleset

_MAX_NAME = 40


def is_issuer_name(name: str) -> bool:
    rule = load_ruleset("metadata").rule("issuer_name")
    return bool(rule.compiled.match(name)) and (starts_with_division(name) or is_national_body(name))


def find_signatures(text: str) -> list[tuple[Found, bool]]:
    """Signature lines of text, each with whether a date line follows it."""
    rule = load_ruleset("metadata").rule("signature_line")
    out = []
    for m in rule.finditer(text):
        name = m.group("name")
        if len(name) > _MAX_NAME or not is_issuer_name(name):
            continue
        dated = date_after(text, m.end()) is not None
        if dated or not text[m.end():].strip():
            out.append((Found(name, m.start("name"), m.end("name"), rule.id), dated))
    return out


def find_issuer(text: str, notice_issuer: Found | None = None,
                signatures: list[tuple[Found, bool]] | None = None) -> Found | None:
    if notice_issuer and is_issuer_name(notice_issuer.value):
        return notice_issuer
    sigs = find_signatures(text) if signatures is None else signatures
    for f, dated in sigs:
        if dated:
            return f
    return sigs[-1][0] if sigs else None
