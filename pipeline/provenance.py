"""Span factory: normalised-text offsets -> CharSpan with source offsets, page and block.

Stages receive one of these as `to_span` and never see the cleaner's offset map or the reader's
page table: provenance is assembled in one place.
"""
from __future__ import annotations

from bisect import bisect_right

from pipeline.clean import CleanText
from schemas.spans import CharSpan


class SpanMaker:
    def __init__(self, clean: CleanText, page_starts: tuple[int, ...] = (), block_starts: tuple[int, ...] = ()):
        self.clean = clean
        self.page_starts = page_starts
        self.block_starts = block_starts
        # what __call__ reads on every span, looked up once (see there)
        self._offsets = clean.offsets
        self._length = len(clean.text)
        self._plain = not (page_starts or block_starts)   # plain text: neither pages nor blocks

    def page_of(self, orig_offset: int) -> int | None:
        return bisect_right(self.page_starts, orig_offset) or 1 if self.page_starts else None

    def block_of(self, orig_offset: int) -> int | None:
        return max(bisect_right(self.block_starts, orig_offset) - 1, 0) if self.block_starts else None

    def __call__(self, start: int, end: int) -> CharSpan:
        # to_orig raises on a range outside the text; inside it, the offset map is strictly
        # increasing, so the source range is ordered too: every check CharSpan's validation makes
        # is already made, and the span is built without it (half the cost of a span; a plan
        # builds ~500 of them, in nearly every stage).
        # The lines below are CleanText.to_orig inlined (same check, same error, same offsets):
        # the method call and its attribute lookups were a quarter of a span's cost.
        length = self._length
        if not 0 <= start <= end <= length:
            raise IndexError(f"span [{start}, {end}) outside text of length {length}")
        offsets = self._offsets
        o_start = offsets[start]
        o_end = o_start if start == end else offsets[end - 1] + 1
        if self._plain:
            return _checked_span(start, end, o_start, o_end, None, None)
        return _checked_span(start, end, o_start, o_end, self.page_of(o_start), self.block_of(o_start))


_checked_span = CharSpan.checked_by_caller
