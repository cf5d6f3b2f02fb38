"""Tables on a PDF page, as grids of cell texts for table_text.flatten_table.

Ruled tables: the cells pdfplumber's TableFinder builds from the page's drawn edges; a cell covered
by a merged neighbour is told merged-down from spanned-across by its geometry.

Unruled tables (columns laid out without drawn lines): lines are cut where a wide gap separates
their glyphs. A table is a run of consecutive lines sharing at least one vertical channel that no
glyph of any of its lines crosses, with at least three lines cut at that channel. Body text never
qualifies: a paragraph line fills the measure, and a lone gap (第一条　…, 联系人：… 电话：…) does
not line up over three lines. What counts as a wide gap: 1.5 characters, or 0.9 of one when no space
glyph fills it (a table cell is placed by position; typed spaces are a writer's spacing, and a
single ideographic space after 第一条 or a heading number must not make a column). A line with
its first column empty, no further from the line above than the tightest line pitch of the run,
continues the row above (a cell wrapped onto a second line). Lines whose first piece is a bare
list label (1.  （一）  ①, set off by a tab in Word's automatic numbering) are a list, not a table.
"""
from __future__ import annotations

import regex

from pipeline.readers.pdf_page import Char, Line, PageContent, TableBlock, group_lines, line_text, ruled_tables
from pipeline.readers.table_text import MERGED_DOWN

LATIN_END = regex.compile(r"[A-Za-z0-9%.,]$")
LATIN_START = regex.compile(r"^[A-Za-z0-9(]")
_WIDE_GAP = 1.5           # in characters: a column gap whatever fills it
_BARE_GAP = 0.9           # in characters: a column gap when no space glyph fills it
_MIN_CUT_LINES = 3        # lines cut at the channel(s) before a run is a table
_ROW_GAP = 2.0            # in characters: more white space above a line ends the run
# A list label alone in the first piece of a line: Word's automatic numbering sets the label off
# from the text by a tab, so a list of short items lines up like a two-column table.
_LIST_LABEL = regex.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,3}[.．、]|[①-⑳]"
    r"|第[一二三四五六七八九十百\d]+[章节条部分款项]|[•·●○■□◆◇▪\-—])$")


# -- ruled ---------------------------------------------------------------------------------------
def _join_cell_lines(lines: list[list[Char]], right: float) -> str:
    """A cell's lines joined as in a paragraph: without a space, unless the line stopped short of
    the cell's right edge (the cell wrapped at a space between two unit names, or the author broke
    the line) or a Latin word/number was split."""
    lines = [ln for ln in lines if any(not c.space for c in ln)]
    if not lines:
        return ""
    out = ""
    for i, ln in enumerate(lines):
        text = line_text(ln)
        if i:
            last = next(c for c in reversed(lines[i - 1]) if not c.space)
            size = last.x1 - last.x0 or 8
            short = last.x1 < right - 0.8 * size   # CJK wraps anywhere: a full line is short by less than a glyph
            latin = LATIN_END.search(out) and LATIN_START.match(text)
            out += " " if short or latin else ""
        out += text
    return out.strip()


def _cell_text(chars: list[Char], bbox) -> str:
    x0, top, x1, bottom = bbox
    inside = [c for c in chars if x0 <= (c.x0 + c.x1) / 2 <= x1 and top <= (c.top + c.bottom) / 2 <= bottom]
    if not inside:
        return ""
    pad = min(c.x0 for c in inside if not c.space) - x0 if any(not c.space for c in inside) else 0
    return _join_cell_lines(group_lines(inside), x1 - pad)


def _table_grid(table, chars: list[Char]) -> list[list[str | None]]:
    rows = table.rows
    grid: list[list[str | None]] = []
    for r, row in enumerate(rows):
        boxes = [c for c in row.cells if c is not None]
        row_top = min(b[1] for b in boxes) if boxes else None
        row_bottom = max(b[3] for b in boxes) if boxes else None
        # only this row's band of characters is searched cell by cell
        band = [c for c in chars if boxes and row_top <= (c.top + c.bottom) / 2 <= row_bottom]
        out: list[str | None] = []
        for c, bbox in enumerate(row.cells):
            if bbox is not None:
                out.append(_cell_text(band, bbox))
                continue
            # None: covered by a merged cell. Merged down if the nearest cell above in this column
            # reaches below this row's top; otherwise covered by a span from the left.
            vertical = False
            for up in range(r - 1, -1, -1):
                cell = rows[up].cells[c] if c < len(rows[up].cells) else None
                if cell is not None:
                    vertical = row_top is not None and cell[3] > row_top + 1
                    break
            out.append(MERGED_DOWN if vertical else "")
        grid.append(out)
    return grid


def ruled_table_blocks(content: PageContent, number: int) -> tuple[list[TableBlock], list[Char]]:
    """The page's ruled tables, and the characters outside them (the body)."""
    tables = ruled_tables(content)
    if not tables:
        return [], content.chars
    boxes = [t.bbox for t in tables]
    inside: list[list[Char]] = [[] for _ in tables]
    body: list[Char] = []
    for c in content.chars:
        cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
        for k, b in enumerate(boxes):
            if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]:
                inside[k].append(c)
                break
        else:
            body.append(c)
    blocks = []
    for t, chars in zip(tables, inside):
        grid = _table_grid(t, chars)
        if any(any(c for c in row) for row in grid):
            blocks.append(TableBlock(grid, t.bbox[1], t.bbox[3], number, t.bbox[2]))
    return blocks, body


# -- unruled -------------------------------------------------------------------------------------
def _segments(line: Line) -> list[tuple[float, float]]:
    """x-extents of the pieces of a line separated by column gaps."""
    segs: list[list[float]] = []
    spaced = False
    for c in line.chars:
        if c.space:
            spaced = True
            continue
        if segs:
            gap = c.x0 - segs[-1][1]
            if gap >= _WIDE_GAP * line.size or (gap >= _BARE_GAP * line.size and not spaced):
                segs.append([c.x0, c.x1])
            elif c.x1 > segs[-1][1]:
                segs[-1][1] = c.x1
        else:
            segs.append([c.x0, c.x1])
        spaced = False
    return [(a, b) for a, b in segs]


def _free(segs: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """White space of a line: its column gaps; a line of one piece leaves only its two sides."""
    inner = [(a[1], b[0]) for a, b in zip(segs, segs[1:])]
    return [(float("-inf"), segs[0][0])] + inner + [(segs[-1][1], float("inf"))]


def _intersect(a: list[tuple[float, float]], b: list[tuple[float, float]], min_width: float) -> list[tuple[float, float]]:
    out = []
    for x0, x1 in a:
        for y0, y1 in b:
            lo, hi = max(x0, y0), min(x1, y1)
            if hi - lo >= min_width:
                out.append((lo, hi))
    return out


def _channels(segs_list: list[list[tuple[float, float]]], min_width: float) -> list[tuple[float, float]]:
    """Vertical channels crossed by no line's glyphs, strictly inside the run's extent."""
    free = [(float("-inf"), float("inf"))]
    for segs in segs_list:
        free = _intersect(free, _free(segs), min_width)
    left = min(s[0][0] for s in segs_list)
    right = max(s[-1][1] for s in segs_list)
    return [(a, b) for a, b in free if a > left and b < right]


def _grid(run: list[Line], segs_list, channels) -> list[list[str]]:
    ncols = len(channels) + 1
    bounds = [c[0] for c in channels] + [max(s[-1][1] for s in segs_list)]   # right edge of each column
    pitches = [b.top - a.top for a, b in zip(run, run[1:])]
    tight = min(pitches) if pitches else 0.0
    rows: list[list[list[list[Char]]]] = []   # row -> column -> lines of chars
    for k, (line, segs) in enumerate(zip(run, segs_list)):
        cols: list[list[Char]] = [[] for _ in range(ncols)]
        for c in line.chars:
            col = sum(1 for ch in channels if (c.x0 + c.x1) / 2 > ch[1] - 0.01)
            cols[min(col, ncols - 1)].append(c)
        first_empty = not any(not c.space for c in cols[0])
        if rows and first_empty and pitches[k - 1] <= 1.1 * tight:
            for j, chars in enumerate(cols):
                if any(not c.space for c in chars):
                    rows[-1][j].append(chars)
        else:
            rows.append([[chars] if any(not c.space for c in chars) else [] for chars in cols])
    return [[_join_cell_lines(cell, bounds[j]) for j, cell in enumerate(row)] for row in rows]


def _is_list(run: list[Line], segs_list) -> bool:
    """Every line cut in two pieces or more starts with a bare list label: a list, not a table."""
    for line, segs in zip(run, segs_list):
        if len(segs) < 2:
            continue
        first = "".join(c.text for c in line.chars if not c.space and c.x1 <= segs[0][1] + 0.01)
        if not _LIST_LABEL.match(first):
            return False
    return True


def unruled_tables(blocks: list, number: int) -> list:
    """The page's blocks (in reading order) with column-aligned runs of lines made into tables."""
    out: list = []
    i, n = 0, len(blocks)
    segs_of = {id(b): _segments(b) for b in blocks if isinstance(b, Line)}
    while i < n:
        b = blocks[i]
        if not isinstance(b, Line) or len(segs_of[id(b)]) < 2:
            out.append(b)
            i += 1
            continue
        min_width = _BARE_GAP * b.size
        segs = segs_of[id(b)]
        run, channels = [b], [(x[1], y[0]) for x, y in zip(segs, segs[1:])]
        j = i + 1
        while j < n and isinstance(blocks[j], Line):
            nxt = blocks[j]
            if nxt.top - run[-1].bottom > _ROW_GAP * max(nxt.size, run[-1].size):
                break
            narrowed = _intersect(channels, _free(segs_of[id(nxt)]), min_width)
            if not narrowed:
                break
            run.append(nxt)
            channels = narrowed
            j += 1
        # a line after the table that starts in its first column (a heading, the next paragraph)
        # and is not cut is not a row
        while len(run) > 1 and len(segs_of[id(run[-1])]) == 1 and run[-1].x0 < channels[0][0]:
            run.pop()
        segs_list = [segs_of[id(ln)] for ln in run]
        if sum(1 for s in segs_list if len(s) >= 2) < _MIN_CUT_LINES or _is_list(run, segs_list):
            out.append(b)
            i += 1
            continue
        channels = _channels(segs_list, min_width)
        if not channels:
            out.append(b)
            i += 1
            continue
        grid = _grid(run, segs_list, channels)
        out.append(TableBlock(grid, run[0].top, run[-1].bottom, number, max(ln.x1 for ln in run)))
        i += len(run)
    return out
