"""Tables rebuilt from their flattened text.

Conversion from Word/PDF leaves tables in two tab-based layouts:
  (a) one row per line, cells separated by tabs ("序号\t工作任务\t责任单位\t备注");
  (b) one cell per line, each cell line led by a tab; a row is as many cells as the header has
      (blank lines between rows, and in raw text also inside cells, carry no structure we trust).
Header rows are recognised by their words (序号, 牵头单位 … in extractors/data/rules/tables.yaml);
repeated headers (one per printed page) are dropped. Rows get the label a reader cites them by:
the table's own 序号; else the group label + position (（二）-2); else item.sub-row (1.2).

Like the segmenter, this stage reads only the normalised text, a `to_span` callable and the
section tree (to know which appendix holds a table).
"""
from __future__ import annotations

import logging
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import regex

from extractors.headings import classify_line, heading_rules
from extractors.ruleset import RuleSet, load_ruleset
from schemas.document import Section, Table
from schemas.labels import LabelStyle, SectionKind
from schemas.spans import CharSpan

log = logging.getLogger(__name__)

ToSpan = Callable[[int, int], CharSpan]
RULESET = "tables"
_GROUP_STYLES = (LabelStyle.CN_COMMA, LabelStyle.CN_PAREN, LabelStyle.ORDINAL)
_ITEM_STYLES = (LabelStyle.ARABIC_DOT, LabelStyle.ARABIC_PAREN, LabelStyle.CIRCLED)
_FRAGMENT_MAX = 12  # a cell piece after a blank line is a word or two ("要求"), not a paragraph
_SENTENCE_END = ("。", "！", "？", "；")


def _nows(s: str) -> str:
    return "".join(s.split())


def _repeats(texts: Sequence[str], header: list[str]) -> bool:
    """The row repeats the header (a header printed again on a new page). Same as comparing
    [_nows(t) for t in texts] with header, but stops at the first cell that differs."""
    return len(texts) == len(header) and all(_nows(t) == h for t, h in zip(texts, header))


@dataclass
class _Cell:
    """A cell as pieces of lines: [(start, end)] ranges of text, joined without line breaks."""

    pieces: list[tuple[int, int]] = field(default_factory=list)

    def text(self, text: str) -> str:
        if len(self.pieces) == 1:  # most cells are one piece: skip the generator and join
            s, e = self.pieces[0]
            return text[s:e].strip()
        return "".join(text[s:e].strip() for s, e in self.pieces)

    def bounds(self, text: str) -> tuple[int, int] | None:
        """The range of the cell's non-blank content, or None for an empty cell."""
        if len(self.pieces) == 1:  # the common case, without the list of pieces below
            s, e = self.pieces[0]
            seg = text[s:e]
            content = seg.strip()
            if not content:
                return None
            s += len(seg) - len(seg.lstrip())
            return s, s + len(content)
        non_empty = [(s, e) for s, e in self.pieces if text[s:e].strip()]
        if not non_empty:
            return None
        s0, e0 = non_empty[0]
        s1, e1 = non_empty[-1]
        seg0, seg1 = text[s0:e0], text[s1:e1]
        return s0 + len(seg0) - len(seg0.lstrip()), e1 - (len(seg1) - len(seg1.rstrip()))


@dataclass
class _Block:
    """Consecutive table lines (blank lines and cell fragments between them included)."""

    lines: list[tuple[int, int, str]] = field(default_factory=list)  # table lines and fragments

    @property
    def start(self) -> int:
        return self.lines[0][0]

    @property
    def end(self) -> int:
        return self.lines[-1][1]

    def one_cell_per_line(self) -> bool:
        tab_lines = [ln for _, _, ln in self.lines if "\t" in ln]
        single = sum(1 for ln in tab_lines if ln.startswith("\t") and ln.count("\t") == 1)
        return single * 5 >= len(tab_lines) * 3


def _blocks(text: str) -> list[_Block]:
    """Find runs of tab lines. A non-tab line between two table lines is a cell fragment cut off
    by a line break (raw text); any other non-tab line ends the block."""
    first_tab = text.find("\t")
    if first_tab < 0:
        return []
    # the lines above the first tab line can neither open nor continue a block, and tables sit
    # mostly in appendices at the end: start at that line instead of walking the whole body
    pos = text.rfind("\n", 0, first_tab) + 1
    lines = []
    for line in text[pos:].split("\n"):
        lines.append((pos, pos + len(line), line))
        pos += len(line) + 1
    blocks: list[_Block] = []
    current: _Block | None = None
    adjacent = False  # the previous line belongs to the block (no blank line between)
    for i, (s, e, line) in enumerate(lines):
        if "\t" in line:
            if current is None:
                current = _Block()
                blocks.append(current)
            current.lines.append((s, e, line))
            adjacent = True
        elif not line.strip():
            adjacent = False
        elif current is not None and _is_fragment(lines, i, adjacent):
            current.lines.append((s, e, line))
            adjacent = True
        else:
            current, adjacent = None, False
    return blocks


def _is_fragment(lines: list[tuple[int, int, str]], i: int, adjacent: bool) -> bool:
    """A cell cut by line breaks in raw text: lines glued to the table line above ("\t总量\n强度"),
    or a short piece after a blank line ("\t节点\n\n要求"), with the table resuming after them."""
    piece = lines[i][2].strip()
    prev = lines[i - 1][2] if i else ""
    if adjacent and prev.startswith("\t") and prev.count("\t") == 1 and len(piece) <= _FRAGMENT_MAX \
            and not piece.endswith(_SENTENCE_END):
        return True  # the last word of a cell, even where the table ends right after it
    if not adjacent and len(piece) > _FRAGMENT_MAX:
        return False
    j = i + 1
    while j < len(lines) and lines[j][2].strip() and "\t" not in lines[j][2]:
        j += 1  # the rest of a run of glued lines
    while j < len(lines) and not lines[j][2].strip():
        j += 1
    return j < len(lines) and "\t" in lines[j][2]


def _rows_per_line(block: _Block) -> list[list[_Cell]]:
    """Layout (a): every tab line is a row; a fragment line continues the row's last cell."""
    rows: list[list[_Cell]] = []
    for s, _e, line in block.lines:
        if "\t" not in line:
            if rows:
                rows[-1][-1].pieces.append((s, s + len(line)))
            continue
        row, pos = [], s
        for part in line.split("\t"):
            row.append(_Cell([(pos, pos + len(part))]))
            pos += len(part) + 1
        rows.append(row)
    return rows


def _cells_per_line(block: _Block) -> list[_Cell]:
    """Layout (b): every tab-led line is a cell; a fragment line continues the cell above."""
    cells: list[_Cell] = []
    for s, e, line in block.lines:
        if line.startswith("\t"):
            cells.append(_Cell([(s + 1, e)]))
        elif cells:
            cells[-1].pieces.append((s, e))
    return cells


class _Reader:
    def __init__(self, text: str, rules: RuleSet):
        self.text = text
        self.rules = rules
        self.header = rules.rule("header_cell").compiled

    def is_header_text(self, cell_text: str) -> bool:
        return bool(self.header.match(_nows(cell_text)))

    def is_header_row(self, texts: Sequence[str], following: Sequence[str] | None) -> bool:
        filled = [t for t in texts if t.strip()]
        if len(filled) >= 2 and all(self.is_header_text(t) for t in filled):
            return True
        # a row of names over a row of figures (表1: county names, then quotas)
        if (len(filled) >= 2 and following is not None and len(filled) == len(texts)
                and not any(ch.isdigit() for t in filled for ch in t)
                and all(len(_nows(t)) <= 10 for t in filled)
                and any(ch.isdigit() for t in following for ch in t)):
            return True
        return False

    def split_rows(self, block: _Block) -> tuple[list[list[_Cell]], bool]:
        """Rows of the block (header first when there is one), and whether row 0 is a header."""
        text = self.text
        if block.one_cell_per_line():
            cells = _cells_per_line(block)
            n_head = 0
            while n_head < len(cells) and self.is_header_text(cells[n_head].text(text)):
                n_head += 1
            if n_head < 2:
                log.warning("W-TABLE-NOHEADER: one-cell-per-line table at %d without header; rows split at blank lines", block.start)
                return self._rows_at_blank_lines(block), False
            rows = [cells[i:i + n_head] for i in range(0, len(cells), n_head)]
            if len(cells) % n_head:
                log.warning("W-TABLE-RAGGED: table at %d has %d cells, not a multiple of %d columns",
                            block.start, len(cells), n_head)
            return rows, True
        rows = _rows_per_line(block)
        # only the first two rows are read here (find_tables reads every cell's text afterwards)
        has_header = bool(rows) and self.is_header_row(
            [c.text(text) for c in rows[0]], [c.text(text) for c in rows[1]] if len(rows) > 1 else None)
        return rows, has_header

    def _rows_at_blank_lines(self, block: _Block) -> list[list[_Cell]]:
        rows: list[list[_Cell]] = [[]]
        prev_blank = False
        for s, e, line in block.lines:
            if not line.strip():
                prev_blank = True
                continue
            if line.startswith("\t"):
                if prev_blank and rows[-1]:
                    rows.append([])
                rows[-1].append(_Cell([(s + 1, e)]))
            elif rows[-1]:
                rows[-1][-1].pieces.append((s, e))
            prev_blank = False
        return [r for r in rows if r]


# -- tables laid out without tabs ---------------------------------------------------------------
# (c) a Markdown pipe table: "| 序号 | 工作任务 | 责任单位 |", a "| --- | --- |" rule under the header;
# (d) a space-aligned table (pdftotext -layout): cells separated by runs of two or more spaces.
# Both need a header row of column words naming a task or unit column, and rows of consistent
# width; cells are ranges of the text itself, so every span maps back to the source.
_PIPE_ROW = regex.compile(r"(?m)^[ ]*\|[^\n]*\|[ ]*$")
_PIPE_RULE = regex.compile(r"^[ ]*\|(?:[ ]*:?-{3,}:?[ ]*\|)+[ ]*$")
_GAP = regex.compile(r"[ ]{2,}")
_MIN_ALIGNED_COLS = 3


def _pipe_cells(s: int, line: str) -> list[_Cell]:
    bars = [i for i, ch in enumerate(line) if ch == "|"]
    return [_Cell([(s + a + 1, s + b)]) for a, b in zip(bars, bars[1:])]


def _gap_cells(s: int, line: str) -> list[tuple[int, int]]:
    """(start, end) of the runs of text between column gaps, relative to the line."""
    out, pos = [], 0
    for g in _GAP.finditer(line):
        if g.start() > pos:
            out.append((pos, g.start()))
        pos = g.end()
    if pos < len(line.rstrip()):
        out.append((pos, len(line.rstrip())))
    return out


def _width(s: str) -> int:
    """Display width: CJK and full-width characters take two columns in a monospaced layout."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _names_work(reader: "_Reader", texts: Sequence[str]) -> bool:
    """A header row of column words, one of which names the task or the responsible units."""
    header = [_nows(t) for t in texts]
    if not all(header) or not all(reader.is_header_text(h) for h in header):
        return False
    roles = column_roles(header, reader.rules)
    return "task" in roles or "lead" in roles


def _lines_from(text: str, pos: int):
    """(start, end, line) of every line from the line holding `pos` on."""
    s = text.rfind("\n", 0, pos) + 1
    n = len(text)
    while s <= n:
        e = text.find("\n", s)
        e = n if e < 0 else e
        yield s, e, text[s:e]
        if e == n:
            return
        s = e + 1


def _pipe_tables(text: str, reader: "_Reader") -> list[tuple[_Block, list[list[_Cell]]]]:
    out: list[tuple[_Block, list[list[_Cell]]]] = []
    pos = 0
    while True:
        m = _PIPE_ROW.search(text, pos)
        if m is None:
            return out
        block, rows = _Block(), []
        end = m.start()
        for s, e, line in _lines_from(text, m.start()):
            if not _PIPE_ROW.fullmatch(line):
                break
            block.lines.append((s, e, line))
            end = e
            if not _PIPE_RULE.match(line):
                rows.append(_pipe_cells(s, line))
        pos = end + 1
        if len(rows) < 2 or not _names_work(reader, [c.text(text) for c in rows[0]]):
            log.debug("W-TABLE-PIPE: pipe lines at %d without a header of column words; not a table", m.start())
            continue
        width = len(rows[0])
        if any(len(r) != width for r in rows):
            log.warning("W-TABLE-RAGGED: pipe table at %d has rows of other widths than its %d columns",
                        block.start, width)
        out.append((block, rows))


def _aligned_row(line: str, s: int, starts: list[int]) -> list[_Cell] | None:
    """The cells of a space-aligned line under a header whose columns start at display columns
    `starts`: one cell per column, a missing cell empty. None where the line is not such a row."""
    runs = _gap_cells(s, line)
    if len(runs) < 2 or len(runs) > len(starts):
        return None
    cols: list[int]
    if len(runs) == len(starts):
        cols = list(range(len(starts)))
    else:   # a row with empty cells: each run goes under the header column it starts beneath
        cols = []
        for a, _b in runs:
            at = _width(line[:a])
            col = max((i for i, st in enumerate(starts) if st <= at + 1), default=0)
            if cols and col <= cols[-1]:
                return None
            cols.append(col)
    row = [_Cell([]) for _ in starts]
    for (a, b), col in zip(runs, cols):
        row[col] = _Cell([(s + a, s + b)])
    return row


def _space_tables(text: str, reader: "_Reader") -> list[tuple[_Block, list[list[_Cell]]]]:
    out: list[tuple[_Block, list[list[_Cell]]]] = []
    pos = 0
    n = len(text)
    while True:
        g = text.find("  ", pos)   # a column gap: cheaper than a line pattern over the whole text
        if g < 0:
            return out
        hs = text.rfind("\n", 0, g) + 1
        he = text.find("\n", g)
        he = n if he < 0 else he
        pos = he + 1
        line = text[hs:he]
        if "\t" in line:
            continue   # a tab table's line: read by the tab layouts
        runs = _gap_cells(hs, line)
        if len(runs) < _MIN_ALIGNED_COLS or not _names_work(reader, [line[a:b] for a, b in runs]):
            continue
        starts = [_width(line[:a]) for a, _b in runs]
        block = _Block([(hs, he, line)])
        rows = [[_Cell([(hs + a, hs + b)]) for a, b in runs]]
        lines = _lines_from(text, he + 1) if he < n else iter(())
        for s, e, ln in lines:
            if not ln.strip():
                continue   # blank lines between rows carry no structure
            row = _aligned_row(ln, s, starts)
            if row is None:
                break
            rows.append(row)
            block.lines.append((s, e, ln))
        if len(rows) < 2:
            continue
        pos = block.end + 1
        out.append((block, rows))


def aligned_tables(text: str, reader: "_Reader") -> list[tuple[_Block, list[list[_Cell]]]]:
    """Pipe and space-aligned tables, each as its block and its rows (header first)."""
    found = []
    if "|" in text:
        found += _pipe_tables(text, reader)
    if "  " in text:
        found += _space_tables(text, reader)
    return found


def column_roles(columns: Sequence[str], rules: RuleSet | None = None) -> dict[str, int]:
    """Which column holds what: {"seq": 0, "task": 3, "lead": 5, "support": 6, "deadline": 4}.
    Columns are header texts with whitespace removed; roles without a column are absent."""
    rules = rules or load_ruleset(RULESET)
    roles: dict[str, tuple[int, int]] = {}
    column_rules = rules.with_label("column")
    # a rule with `beside` (责任单位 beside 牵头单位) applies only after the others, where the role
    # it gives has no column and the role it stands beside has one in another column
    for rule in sorted(column_rules, key=lambda r: "beside" in r.value):
        role, rank = rule.value["role"], rule.value.get("rank", 0)
        beside = rule.value.get("beside")
        if beside is not None and (role in roles or beside not in roles):
            continue
        for i, col in enumerate(columns):
            if beside is not None and i == roles[beside][1]:
                continue
            if rule.compiled.search(col) and (role not in roles or rank < roles[role][0]):
                roles[role] = (rank, i)
                break
    return {role: i for role, (_rank, i) in roles.items()}


def _row_labels(seq_texts: list[str], has_content: list[bool]) -> tuple[list[str | None], list[str | None]]:
    """Labels and groups of data rows from their 序号 cells (see module doc)."""
    rules = heading_rules()
    labels: list[str | None] = [None] * len(seq_texts)
    groups: list[str | None] = [None] * len(seq_texts)
    group: str | None = None
    anchor: tuple[str, str, list[int]] | None = None  # (kind, label, rows)
    anchors: list[tuple[str, str, list[int]]] = []
    for i, raw in enumerate(seq_texts):
        cell = raw.strip()
        m = classify_line(cell, rules) if cell else None
        if cell.isdigit():
            anchor = ("item", str(int(cell)), [i])
            anchors.append(anchor)
        elif m is not None and m.style in _ITEM_STYLES and m.label:
            anchor = ("item", m.label, [i])
            anchors.append(anchor)
        elif m is not None and m.style in _GROUP_STYLES and m.label:
            group = m.label
            if has_content[i]:  # the group's first row: 序号 （二） beside a task
                anchor = ("group", group, [i])
                anchors.append(anchor)
            else:                # a group row of its own: "一、夯实工作基础\t\t\t"
                labels[i] = group
                anchor = ("group", group, [])
                anchors.append(anchor)
        elif not cell and anchor is not None:
            anchor[2].append(i)
        elif cell:
            labels[i] = cell  # a 序号 we cannot read (合计, 备注…): cited as written
        groups[i] = group
    for kind, label, rows in anchors:
        if kind == "group":
            for k, r in enumerate(rows, 1):
                labels[r] = f"{label}-{k}"
        elif len(rows) == 1:
            labels[rows[0]] = label
        else:
            for k, r in enumerate(rows, 1):
                labels[r] = f"{label}.{k}"
    return labels, groups


def _containing_section(sections: Sequence[Section], starts: list[int], pos: int) -> Section | None:
    """The deepest section holding `pos`: sections are in document (pre-)order, so it is the last
    one that starts at or before `pos` and has not ended yet."""
    i = bisect_right(starts, pos) - 1
    while i >= 0:
        s = sections[i]
        if pos < s.span.end or s.index == 0:
            return s
        i -= 1
    return None


def _caption(text: str, start: int) -> tuple[str | None, int]:
    """The non-blank line above a table, and its start."""
    end = start - 1
    while end > 0:
        s = text.rfind("\n", 0, end) + 1
        line = text[s:end]
        if line.strip():
            return (None, -1) if "\t" in line else (line.strip(), s)
        end = s - 1
    return None, -1


def find_tables(text: str, to_span: ToSpan, sections: Sequence[Section]) -> list[Table]:
    """Every table of the document, in order."""
    rules = load_ruleset(RULESET)
    reader = _Reader(text, rules)
    caption_rule = rules.rule("caption").compiled
    by_index = {s.index: s for s in sections}
    starts = [s.span.start for s in sections]
    tables: list[Table] = []
    found = [(b.start, b.end, *reader.split_rows(b)) for b in _blocks(text)]
    found += [(b.start, b.end, rows, True) for b, rows in aligned_tables(text, reader)]
    found.sort(key=lambda f: f[0])
    for block_start, block_end, rows, has_header in found:
        if not rows:
            continue
        texts = [[c.text(text) for c in r] for r in rows]
        header = [_nows(t) for t in texts[0]] if has_header else []
        keep = [0] if has_header else []
        keep += [i for i in range(1 if has_header else 0, len(rows))
                 if not (has_header and _repeats(texts[i], header))]
        n_cols = max(len(r) for r in rows)
        roles = column_roles(header, rules)
        data = keep[1:] if has_header else keep
        seq_col = roles.get("seq")
        if seq_col is not None:
            seq_texts = [texts[i][seq_col] if seq_col < len(texts[i]) else "" for i in data]
            content = [any(t.strip() for j, t in enumerate(texts[i]) if j != seq_col) for i in data]
            labels, groups = _row_labels(seq_texts, content)
        else:
            labels, groups = [None] * len(data), [None] * len(data)
        # Rows and cells are passed to Table() as plain dicts (every field given, so the models'
        # fields_set is the same): pydantic-core validates them in one call, ~3x faster than a
        # model_construct() per cell, whose per-field Python loop was most of this stage's time
        # on cell-heavy tables. The spans inside are CharSpan instances and are kept as they are.
        out_rows: list[dict] = []
        cells: list[dict] = []
        for r_out, r_in in enumerate(keep):
            is_header = has_header and r_out == 0
            bounds = [c.bounds(text) for c in rows[r_in]]
            filled = [b for b in bounds if b]
            first = filled[0][0] if filled else rows[r_in][0].pieces[0][0]
            last = filled[-1][1] if filled else first
            k = r_out - (1 if has_header else 0)
            out_rows.append({"row": r_out, "label": None if is_header else labels[k],
                             "group": None if is_header else groups[k], "is_header": is_header,
                             "span": to_span(first, last)})
            row_texts = texts[r_in]
            for col in range(n_cols):
                b = bounds[col] if col < len(bounds) else None
                cells.append({"row": r_out, "col": col, "text": row_texts[col] if col < len(row_texts) else "",
                              "is_header": is_header, "span": to_span(*b) if b else None})
        caption, cap_start = _caption(text, block_start)
        section = _containing_section(sections, starts, block_start)
        label = _appendix_label(section, by_index)
        cap = caption_rule.match(caption) if caption else None
        if label is None and cap:
            label = _nows(cap.group("label"))
        end = block_start + len(text[block_start:block_end].rstrip())
        tables.append(Table(index=len(tables), section=section.index if section else 0, label=label,
                            caption=caption, columns=header, n_rows=len(out_rows), n_cols=n_cols,
                            rows=out_rows, cells=cells, span=to_span(block_start, end)))
    return tables


def _appendix_label(section: Section | None, by_index: dict[int, Section]) -> str | None:
    while section is not None:
        if section.kind is SectionKind.APPENDIX:
            return section.label
        section = by_index.get(section.parent) if section.parent is not None else None
    return None
