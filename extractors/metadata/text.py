"""Small text helpers shared by the metadata extractors (whitespace, lines)."""
from __future__ import annotations

import regex

# Whitespace that an extraction leaves inside a heading or a 《》 title. It is kept only between two
# ASCII letters/digits ("GB/T 24789"), where it separates words; elsewhere ("2023—2025 年",
# "《昌吉市\n节水…》") it is an artefact and is removed.
_INNER_WS = regex.compile(r"(?<![A-Za-z0-9])[\s\u3000\xa0]+|[\s\u3000\xa0]+(?![A-Za-z0-9])")


def squeeze(s: str) -> str:
    """Remove extraction whitespace from a title, keeping spaces between two ASCII words."""
    return _INNER_WS.sub("", s.strip())


def lines(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of every line of text[start:end], line breaks excluded."""
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    pos = start
    while pos <= end:
        nl = text.find("\n", pos, end)
        if nl < 0:
            out.append((pos, end))
            break
        out.append((pos, nl))
        pos = nl + 1
    return out


def stripped(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """The span without leading/trailing whitespace (empty span kept at its start)."""
    s, e = span
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e
