"""Cleaning stage: decoded source text (`orig`) -> normalised `text`, with an exact offset map.

Real plans carry conversion debris: \\r\\n, Word bookmarks, mixed-width brackets and digits, PDF
spaces inside numbers, paragraphs and table cells broken across lines. The repairs live in
pipeline/cleaning/ (one module per family, patterns in extractors/data/rules/cleaning.yaml); each
returns edits that delete characters or swap them one-for-one. Because no repair ever inserts a
character, every character of `text` stands on exactly one character of `orig`, and
`offsets[i]` says which: spans found in `text` map back to the exact source characters.

Passes, in order (each sees the previous one's output):
  1. debris and context-free swaps (\\r\\n, U+FEFF, [bookmark: …], ０-９, ％, U+3000 …)
  2. spaces (line ends, indentation, around numbers) and punctuation/bracket widths
  3. line structure (table cells, broken paragraphs, blank-line runs)
  4. widths again: a join can bring a "," or a bracket pair into Chinese context
"""
from __future__ import annotations

import array
import bisect
import logging
from dataclasses import dataclass, field
from typing import Callable

from pipeline.cleaning import Edit
from pipeline.cleaning.chars import debris_and_swaps, spaces, widths
from pipeline.cleaning.structure import structure_edits
from schemas.spans import CharSpan

log = logging.getLogger(__name__)

__all__ = ["Repair", "CleanText", "clean", "describe_repairs"]


@dataclass(frozen=True)
class Repair:
    """A log entry of one repair, for debugging and `explain`."""

    code: str        # e.g. "join_broken_paragraph", "drop_bookmark", "fullwidth_paren", "number_space"
    orig_start: int
    orig_end: int


@dataclass(frozen=True)
class CleanText:
    orig: str                 # the input, untouched
    text: str                 # the normalised text
    offsets: array.array      # len(text)+1 ints; offsets[i] = index in orig of text[i]; offsets[-1] = len(orig)
    repairs: tuple[Repair, ...] = field(default=())

    def to_orig(self, start: int, end: int) -> tuple[int, int]:
        """[start, end) in text -> [o_start, o_end) in orig, covering exactly the source characters
        of the span's first and last characters (and whatever was deleted between them)."""
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"span [{start}, {end}) outside text of length {len(self.text)}")
        if start == end:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1

    def span(self, start: int, end: int, page: int | None = None) -> CharSpan:
        o_start, o_end = self.to_orig(start, end)
        return CharSpan(start=start, end=end, orig_start=o_start, orig_end=o_end, page=page)


# ------------------------------------------------------------------------------ offset map
# The map from the current text to orig is kept as segments: text[starts[k]:starts[k+1]] stands on
# orig[origs[k]:…] one-to-one. Deletions split segments; swaps leave them alone. The offsets array
# is only built once, at the end, by slicing a shared identity array (memcpy speed).

_identity = array.array("l")


def _identity_upto(n: int) -> array.array:
    global _identity
    if len(_identity) < n:
        _identity = array.array("l", range(max(n, 2 * len(_identity))))
    return _identity


class _Map:
    __slots__ = ("starts", "origs", "length")

    def __init__(self, starts: list[int], origs: list[int], length: int):
        self.starts, self.origs, self.length = starts, origs, length

    def __call__(self, i: int) -> int:
        k = bisect.bisect_right(self.starts, i) - 1
        return self.origs[k] + i - self.starts[k]

    def offsets(self, orig_len: int) -> array.array:
        ident = _identity_upto(orig_len + 1)
        if len(self.starts) == 1 and self.origs[0] == 0:
            return ident[: self.length] + array.array("l", [orig_len])
        out = array.array("l")
        bounds = self.starts[1:] + [self.length]
        for s, o, e in zip(self.starts, self.origs, bounds):
            out += ident[o: o + e - s]
        out.append(orig_len)
        return out


def _resolve(edits: list[Edit]) -> list[Edit]:
    """Sort edits; an edit that overlaps an earlier one is a rule conflict and is left out, logged."""
    edits.sort(key=lambda e: (e.start, e.end))
    out: list[Edit] = []
    last = -1
    for e in edits:
        if e.start < last:
            log.warning("W_CLEAN_OVERLAP: %s [%d,%d) overlaps an earlier repair; skipped", e.code, e.start, e.end)
            continue
        if e.replacement and len(e.replacement) != e.end - e.start:
            raise ValueError(f"repair {e.code} would change length at [{e.start},{e.end}): {e.replacement!r}")
        out.append(e)
        last = e.end
    return out


def _apply(text: str, m: _Map, edits: list[Edit]) -> tuple[str, _Map, list[Repair]]:
    chunks: list[str] = []
    new_starts: list[int] = []
    new_origs: list[int] = []
    repairs: list[Repair] = []
    starts, origs, n_segs = m.starts, m.origs, len(m.starts)
    seg = 0
    cur = 0  # length of the new text so far

    def keep(a: int, b: int) -> None:
        # map old text [a, b) into new segments, merging with the previous one when contiguous
        nonlocal seg, cur
        while a < b:
            while seg + 1 < n_segs and starts[seg + 1] <= a:
                seg += 1
            seg_end = starts[seg + 1] if seg + 1 < n_segs else m.length
            c = min(b, seg_end)
            o = origs[seg] + a - starts[seg]
            if new_starts and new_origs[-1] + cur - new_starts[-1] == o:
                pass  # contiguous in orig: extends the last segment
            else:
                new_starts.append(cur)
                new_origs.append(o)
            cur += c - a
            a = c

    pos = 0
    for e in edits:
        repairs.append(Repair(e.code, m(e.start), m(e.end - 1) + 1))
        chunks.append(text[pos:e.start])
        keep(pos, e.start)
        if e.replacement:
            chunks.append(e.replacement)
            keep(e.start, e.end)
        pos = e.end
    chunks.append(text[pos:])
    keep(pos, len(text))
    if not new_starts:
        new_starts, new_origs = [0], [origs[-1] + m.length - starts[-1]]
    return "".join(chunks), _Map(new_starts, new_origs, cur), repairs


_PASSES: tuple[Callable[[str], list[Edit]], ...] = (
    debris_and_swaps,
    lambda t: spaces(t) + widths(t),
    structure_edits,
    widths,
)


def clean(orig: str) -> CleanText:
    """Normalise `orig`; see the module docstring for the repairs and their order."""
    text, m = orig, _Map([0], [0], len(orig))
    repairs: list[Repair] = []
    for run in _PASSES:
        edits = _resolve(run(text))
        if edits:
            text, m, done = _apply(text, m, edits)
            repairs.extend(done)
    repairs.sort(key=lambda r: (r.orig_start, r.orig_end))
    return CleanText(orig=orig, text=text, offsets=m.offsets(len(orig)), repairs=tuple(repairs))


def describe_repairs(ct: CleanText, context: int = 0) -> list[str]:
    """One line per repair: "code @orig_start-orig_end: 'before' -> 'after'".

    `before` is the source range (widened by `context` characters each side); `after` is what
    the cleaned text holds for the same source range."""
    out = []
    offs = ct.offsets
    n = len(ct.text)
    for r in ct.repairs:
        a, b = max(0, r.orig_start - context), min(len(ct.orig), r.orig_end + context)
        i = bisect.bisect_left(offs, a, 0, n)
        j = bisect.bisect_left(offs, b, 0, n)
        before, after = ct.orig[a:b], ct.text[i:j]
        out.append(f"{r.code} @{r.orig_start}-{r.orig_end}: {before!r} -> {after!r}")
    return out
