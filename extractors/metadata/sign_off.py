"""The sign-off (落款) that closes a plan's body: the issuer's name on a line of its own, the
成文日期 under it, and nothing of the plan after them.

A plan issued as itself (an 实施意见 or 工作要点 signed at its foot, not wrapped in a 印发 notice)
ends with its sign-off right after its last item; without a bound, the last item's text would run
on into it and read the signing date as one of its deadlines. Segmentation ends every open section
where a closing sign-off starts.
"""
from __future__ import annotations

from extractors.metadata.dates import date_after
from extractors.metadata.issuer import find_signatures
from extractors.ruleset import load_ruleset


def closing_sign_offs(text: str, body_start: int, heading_starts: set[int]) -> list[int]:
    """Line starts of the sign-offs after `body_start` that close what comes before them: followed
    by the end of the text, by a heading (附件1, the next part), or by a publication note or footer
    (（此件公开发布）, 抄送：…; YAML `after_sign_off`). A signature followed by more running text or
    table cells is not one."""
    after = load_ruleset("metadata").rule("after_sign_off").compiled
    out = []
    for found, dated in find_signatures(text, after=body_start):
        end = date_after(text, found.end).end if dated else found.end
        nxt = _next_line_start(text, end)
        if nxt is None or nxt in heading_starts or after.match(text, nxt):
            out.append(text.rfind("\n", 0, found.start) + 1)
    return out


def _next_line_start(text: str, pos: int) -> int | None:
    """Start of the first non-blank line after the line that holds `pos`, or None at the end."""
    nl = text.find("\n", pos)
    while nl >= 0:
        start = nl + 1
        nl = text.find("\n", start)
        if text[start:len(text) if nl < 0 else nl].strip():
            return start
    return None
