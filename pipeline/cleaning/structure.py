"""Line-structure repairs: cells and paragraphs broken by conversion, and runs of blank lines.

Tables come in two flattened layouts, both tab-based: one row per line with tab-separated cells,
or one cell per line with each cell line led by a tab. In the second layout a cell's own line
breaks (and blank lines) survive: "\\t市农业\\n农村局". A run of non-tab lines after a tab-led line
is such a continuation when the next non-blank line after the run is again a tab-led cell; it is
then joined to the cell with nothing. Everywhere else, a body line that stops mid-sentence is
joined to the next line unless that line opens a heading, a unit line, a date or a footer.
Chinese has no spaces between words, so a join deletes the line break and adds nothing.
"""
from __future__ import annotations

import bisect
import re

import regex

from pipeline.cleaning import Edit
from pipeline.cleaning import lines as L

# a chain longer than this after a tab-led line is body text, not one cell's continuation
MAX_CELL_LINES = 8
# a lone short line right under the table's last cell is that cell's tail ("\t持续\n推进")
MAX_TAIL_CHARS = 8

_CELL_THEN_TEXT = regex.compile(r"(?m)^\t[^\n]*\n(?=\n*[^\t\n])")
_NEXT_LINE = regex.compile(r"\n*([^\n]*)")
# the standard `re` engine walks this pattern (plain ASCII classes and line anchors, read the same
# way by both engines) about twice as fast as `regex`; it is run over every line of every text
_BODY_PAIR = re.compile(r"(?m)^([^\t\n]+)\n(\n*)(?=([^\t\n]+)$)")
_BLANK_RUN = regex.compile(r"\n{4,}")


def table_cell_edits(text: str) -> tuple[list[Edit], set[int]]:
    """Join cell continuations in tab-led (one cell per line) tables.

    Returns the edits and the start offsets of every line examined as a possible continuation:
    the paragraph repair leaves those lines alone, whatever was decided here, so that a second
    run of clean() sees the same lines and makes the same decisions."""
    edits: list[Edit] = []
    claimed: set[int] = set()
    n = len(text)
    for m in _CELL_THEN_TEXT.finditer(text):
        cell_end = m.end() - 1            # the \n that ends the cell line
        chain: list[tuple[int, int]] = []  # (start, end) of continuation lines
        pos = m.end()
        joinable = False
        blank_before_first = False
        while pos < n:
            lm = _NEXT_LINE.match(text, pos)
            start, end = lm.start(1), lm.end(1)
            if start >= n:
                break
            if not chain and start > pos:
                blank_before_first = True
            line = lm.group(1)
            if line.startswith("\t"):
                joinable = True
                break
            if "\t" in line or L.ends_table(line) or len(chain) == MAX_CELL_LINES:
                break
            chain.append((start, end))
            pos = end + 1
        if not chain:
            continue
        claimed.update(s for s, _ in chain)
        if not joinable:
            tail_s, tail_e = chain[0]
            tail = text[tail_s:tail_e]
            if not (len(chain) == 1 and not blank_before_first and len(tail) <= MAX_TAIL_CHARS
                    and L.is_title_like(tail)):
                continue
        prev_end = cell_end
        for s, e in chain:
            edits.append(Edit(prev_end, s, "", "cell_linebreak"))
            prev_end = e
    return edits, claimed


def paragraph_edits(text: str, claimed: set[int]) -> list[Edit]:
    """Join a body line that stops mid-sentence to the next non-blank line, across blank lines."""
    edits: list[Edit] = []
    logical_start = -1   # start of the logical line that the last join extended
    joined_to = -1       # start of the line that the last join appended
    for m in _BODY_PAIR.finditer(text):
        p_start, p_end = m.start(1), m.end(1)
        n_start = m.end()
        if p_start in claimed or n_start in claimed:
            continue
        p_line = m.group(1)
        continued = p_start == joined_to
        lstart = logical_start if continued else p_start
        logical = text[lstart:p_end] if continued else p_line
        if L.is_closed(p_line, logical):
            continue
        # a title, heading or signature line is never glued to what follows; a logical line
        # that already grew by a join was checked when it was still one line
        if not continued and L.is_title_like(p_line) and not L.open_round_bracket(p_line):
            continue
        if L.is_layout(p_line):
            continue
        n_line = m.group(3)
        if L.is_heading_start(n_line) or L.is_date_or_footer(n_line) or L.is_layout(n_line):
            continue
        if not L.unbalanced_open(logical):
            # outside a bracket, a unit line or a short heading-like line starts a new block
            if L.is_label_line(n_line):
                continue
            if L.is_title_like(n_line) and not L.unbalanced_close(n_line):
                continue
        edits.append(Edit(p_end, n_start, "", "join_broken_paragraph"))
        logical_start, joined_to = lstart, n_start
    return edits


def blank_run_edits(text: str, keep_out: list[Edit]) -> list[Edit]:
    """Collapse runs of 3+ blank lines to one blank line, outside ranges already being deleted."""
    spans = sorted((e.start, e.end) for e in keep_out)
    edits: list[Edit] = []
    starts = [s for s, _ in spans]
    for m in _BLANK_RUN.finditer(text):
        i = bisect.bisect_left(starts, m.end()) - 1
        if i >= 0 and spans[i][1] > m.start():
            continue  # a join already deletes this run
        # delete the first newlines, keep the last two (one blank line): the kept characters
        # stay the ones nearest the text that follows
        edits.append(Edit(m.start(), m.end() - 2, "", "collapse_blank_lines"))
    return edits


def structure_edits(text: str) -> list[Edit]:
    cells, claimed = table_cell_edits(text)
    paras = paragraph_edits(text, claimed)
    joins = cells + paras
    return joins + blank_run_edits(text, joins)
