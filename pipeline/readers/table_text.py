"""Tables from any format flattened to the .txt convention: one row per line, cells joined by tabs.

Readers hand in a grid where a cell merged down from the row above is `MERGED_DOWN` and a cell
covered by a horizontal span is "". A vertically merged cell means its value holds for every row
it spans; for the columns that assign something to a row (units, deadlines: 牵头单位, 责任单位,
完成时限 …) the value is repeated in each row, so each row carries its own units. Other columns
(序号, the task title) stay empty in continuation rows: an empty leading cell is how the tables
stage recognises a row that continues the item above, as in the flattened text of converted plans.
"""
from __future__ import annotations

import regex

MERGED_DOWN = None
# Header words of columns whose merged value applies to each row it spans.
_FILL_DOWN_HEADER = regex.compile(r"单位|部门|责任|牵头|配合|协办|主办|时限|时间|期限|进度|完成")
_CELL_WS = regex.compile(r"[\t\r\n\v\f\u2028\u2029]+")


def clean_cell(text: str) -> str:
    """A cell's text on one line: its line breaks and tabs become single spaces (a tab would start
    a new cell, a line break a new row)."""
    return _CELL_WS.sub(" ", text).strip()


def flatten_table(grid: list[list[str | None]]) -> list[str]:
    if not grid:
        return []
    width = max(len(r) for r in grid)
    header = [(c or "") for c in grid[0]] + [""] * (width - len(grid[0]))
    fill = [bool(_FILL_DOWN_HEADER.search(h)) for h in header]
    lines, above = [], [""] * width
    for row in grid:
        row = list(row) + [""] * (width - len(row))
        cells = []
        for j, cell in enumerate(row):
            if cell is MERGED_DOWN:
                cell = above[j] if fill[j] else ""
            else:
                above[j] = cell
            cells.append(clean_cell(cell))
        lines.append("\t".join(cells))
    return lines
