"""Whitespace removal as the extractors need it, fast: every unit name, clause and task text is
squashed before it is compared (~400 calls a plan)."""
from __future__ import annotations

import regex

_WS = regex.compile(r"\s+")


# str.split() drops what str.isspace() calls whitespace: the characters regex's \s matches, and
# the four separators U+001C-U+001F besides (checked over every code point with this regex).
def no_whitespace(s: str) -> str:
    r"""regex.sub(r"\s+", "", s): the string without whitespace, as the `regex` engine reads it.

    The extractors squash every unit name, clause and task text (~400 calls a plan); str.split
    and join do it in a third of the time of a regex substitution (0.15 against 0.45 µs for a
    unit name, 0.23 against 0.9 µs with a line break). A string holding one of U+001C-U+001F,
    whitespace to str.split but not to \s, goes through the regex."""
    if "\x1c" in s or "\x1d" in s or "\x1e" in s or "\x1f" in s:
        return _WS.sub("", s)
    return "".join(s.split())
