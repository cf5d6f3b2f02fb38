"""The plan's own title: the short heading lines at the top, joined across line breaks.

Title lines are the short lines before the first body line (a line with sentence punctuation, an
addressee ending in ：, or a numbered heading). Blank lines between them are allowed: a heading that
wraps over two or three lines is joined, with the extraction whitespace removed but the heading's
own period （2023-2025年） kept. Lines that only precede a heading (附件1, a red-head 文件 line, a
发文字号, 特急) are skipped, and a status mark (（征求意见稿）) ends the heading and is not part of it.

When the heading is a 印发 notice (…关于印发《X》的通知), the title is X, and its span points at the
plan's own title line where the plan repeats it after the notice's signature (else at X inside the
notice). The notice's issuer (the part before 关于) is returned too. A 关于…的实施意见 heading is the
document's own title and is kept whole: it is the document itself, not a wrapper around another one.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from extractors.metadata.found import Found
from extractors.metadata.text import lines, squeeze, stripped
from extractors.ruleset import load_ruleset

_MAX_LINE = 60        # a title line longer than this is running text that lacks punctuation
_MAX_LINES = 4        # headings wrap over at most a few lines


@dataclass(frozen=True, slots=True)
class Heading:
    title: Found | None            # the plan's own title (value: str)
    header_end: int                # start of the first body line: the header zone is text[:header_end]
    notice_issuer: Found | None    # the issuer named in a 印发 notice heading
    wrapper: Found | None          # the whole notice heading, whose 《X》 is the plan itself


def _matches(label: str, s: str) -> bool:
    return any(r.compiled.search(s) for r in load_ruleset("metadata").with_label(label))


def _is_doc_number(s: str) -> bool:
    return bool(load_ruleset("metadata").rule("doc_number_line").compiled.fullmatch(s))


def _is_status(s: str) -> bool:
    """A line that is only a status mark, in parentheses or bare (征求意见稿 above the title)."""
    rules = load_ruleset("metadata")
    if rules.rule("status_line").compiled.fullmatch(s):
        return True
    m = rules.rule("status_paren").compiled.search(s)
    return bool(m) and not squeeze(s[:m.start()] + s[m.end():])


def _is_date(s: str) -> bool:
    return _matches("date", s)


def _join(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """The squeezed join of the lines, and for each kept character its offset in text."""
    chars: list[str] = []
    offs: list[int] = []
    for s, e in spans:
        for i in range(s, e):
            chars.append(text[i])
            offs.append(i)
    raw = "".join(chars)
    keep = squeeze(raw)
    # map squeezed characters back: squeeze only deletes characters, so walk both strings
    out_offs, j = [], 0
    for ch in keep:
        while raw[j] != ch:
            j += 1
        out_offs.append(offs[j])
        j += 1
    return keep, out_offs


def _strip_status(title: str) -> str:
    rule = load_ruleset("metadata").rule("status_paren")
    return rule.compiled.sub("", title).strip()


def _repeat_pattern(title: str) -> regex.Pattern:
    return regex.compile(r"(?m)^[\s\u3000]*" + r"[\s\u3000]*".join(regex.escape(c) for c in title) + r"[\s\u3000]*$")


# what may stand around and between the characters of a repeated title (whitespace to `regex`)
_BLANKS = regex.compile(r"[\s\u3000]*")
_BLANKS_BEFORE = regex.compile(r"(?r)[\s\u3000]*")


def _repeat_of(text: str, title: str, start: int) -> tuple[int, int] | None:
    """Where the plan repeats its title on a line of its own after `start` (line breaks allowed):
    the first match of _repeat_pattern(title), stripped.

    The pattern differs with every title, and compiling it cost 1.4 ms a plan (regex parses in
    Python; its cache only helps a batch that repeats a title). The loop below finds the same
    span: each occurrence of the title's first character, in order, whose line holds only
    blanks before it, that goes on into the rest of the title with blanks allowed between the
    characters and is followed by blanks to the end of a line. A title holding whitespace
    itself (between two ASCII words) still goes through the pattern."""
    if not title:
        return None
    if any(c.isspace() for c in title):
        m = _repeat_pattern(title).search(text, start)
        return stripped(text, m.span()) if m else None
    n = len(text)
    q = text.find(title[0], start)
    while q >= 0:
        end = q + 1
        for c in title[1:]:
            if end < n and text[end] != c:   # c is no blank: the blanks before it are skipped
                end = _BLANKS.match(text, end).end()
            if end >= n or text[end] != c:
                break
            end += 1
        else:
            # the pattern's ^: the last line start among the blanks before q (-1: none)
            blanks_from = _BLANKS_BEFORE.match(text, 0, q).start()
            newline = text.rfind("\n", blanks_from, q)
            line_start = newline + 1 if newline >= 0 else (0 if blanks_from == 0 else -1)
            # its $: a line break (or the end of the text) among the blanks after the title
            tail = _BLANKS.match(text, end).end()
            if line_start >= start and (tail == n or "\n" in text[end:tail]):
                return q, end
        q = text.find(title[0], q + 1)
    return None


def find_heading(text: str, scan_limit: int = 4000) -> Heading:
    """The title block at the top of text (only the first `scan_limit` characters are read)."""
    block: list[tuple[int, int]] = []
    header_end = 0
    limit = min(len(text), scan_limit)
    for span in lines(text, 0, limit):
        s, e = stripped(text, span)
        line = text[s:e]
        if not line:
            continue
        if not block and (_matches("header_skip", line) or _is_doc_number(line)):
            continue
        if _is_status(line) or (block and (_is_date(line) or _is_doc_number(line))):
            header_end = span[1]
            if block:
                break
            continue
        if len(line) > _MAX_LINE or _matches("body_line", line) or len(block) >= _MAX_LINES:
            header_end = span[0]
            break
        block.append((s, e))
        header_end = span[1]
    if not block:
        return Heading(None, header_end, None, None)

    joined, offs = _join(text, block)
    for rule in load_ruleset("metadata").with_label("wrapper"):
        m = rule.compiled.search(joined)
        if not m:
            continue
        inner = _strip_status(squeeze(m.group("title")))
        issuer = None
        if m.group("issuer"):
            issuer = Found(m.group("issuer"), offs[m.start("issuer")], offs[m.end("issuer") - 1] + 1, rule.id)
        wrapper = Found(joined, block[0][0], block[-1][1], rule.id)
        own = _repeat_of(text, inner, block[-1][1])
        if own:
            title = Found(inner, own[0], own[1], rule.id)
        else:
            title = Found(inner, offs[m.start("title")], offs[m.end("title") - 1] + 1, rule.id)
        return Heading(title, header_end, issuer, wrapper)

    value = _strip_status(joined)
    return Heading(Found(value, block[0][0], block[-1][1], "heading_lines"), header_end, None, None)


def find_title(text: str) -> Found | None:
    return find_heading(text).title
