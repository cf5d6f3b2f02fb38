"""PDF plans -> plain text in the .txt conventions, with the page table for provenance.

pdfplumber (pdfminer) gives characters with positions, and finds ruled tables from the drawn lines.
From them:
- running headers, footers and page numbers are removed: lines in the top/bottom band of a page
  that are a page number (— 3 —, 第3页, 3/12) or that repeat, digits aside, on most pages;
- body lines are re-joined into paragraphs, across line and page breaks: a line continues the
  paragraph unless it is indented, the line before stopped short of the right edge (a heading, a
  paragraph end), or a blank gap separates them. Chinese lines join without a space; Latin words
  and numbers split by a line break get one;
- ruled tables become tab-separated rows (table_text); a table that continues at the top of the
  next page with the same columns is the same table, and its repeated header row is dropped;
  vertically merged cells are told from horizontally spanned ones by their geometry;
- unreadable text is never passed on as text: a page whose glyphs come out as (cid:NN), U+FFFD,
  private-use or characters no Chinese plan uses (the signature of a CJK font without a ToUnicode
  map) is reported by number. If such pages are a minority they are left out with W020 (the rest of
  the plan is still worth extracting, and the warning names the pages to check by hand); if they
  are the majority the file fails with E022. A page with images and no text is a scan: all pages
  so -> E021 (OCR needed); some -> W022.
"""
from __future__ import annotations

import io
import logging
from pathlib import Path
from statistics import median

import regex

from pipeline.errors import Errors, IngestError, Warnings
from pipeline.readers.base import ReaderOutput, register_reader
from pipeline.readers.table_text import MERGED_DOWN, flatten_table

log = logging.getLogger(__name__)

# Glyphs that mean "the font had no usable Unicode map": (cid:NN), U+FFFD, private use, and blocks
# a Chinese government plan never prints (CJK Extension A, Yi, Hangul syllables) but that a wrong
# CID->Unicode guess lands in.
_GARBLE = regex.compile(r"\(cid:\d+\)|[\ufffd\p{Co}\u3400-\u4dbf\ua000-\ua4cf\uac00-\ud7af]")
_GARBLED_PAGE_SHARE = 0.08        # of a page's glyphs; real text has none of these
_PAGE_NUMBER = regex.compile(
    r"^\s*(?:[-—–－]+\s*\d{1,4}\s*[-—–－]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|[-—–－]?\s*\d{1,4}\s*[-—–－]?|page\s*\d+(?:\s*of\s*\d+)?)\s*$", regex.I)
_DIGITS = regex.compile(r"\d+")
_BAND = 0.09                      # top/bottom share of the page where running heads live
_LATIN_END = regex.compile(r"[A-Za-z0-9%.,]$")
_LATIN_START = regex.compile(r"^[A-Za-z0-9(]")
_LEAD_TOKEN = regex.compile(r"^[A-Za-z0-9.\-—–~/%:]+")
_SENTENCE_END = regex.compile(r'(?:[。；！？：;!?:][”’"]?|[）)])\s*$')
# A line that starts with a heading or list label after a finished sentence starts a paragraph,
# even when the sentence happened to fill its line (one-line paragraphs have no indent to show it).
_LABEL_START = regex.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,3}[.．、](?!\d)"
    r"|[①-⑳]|第[一二三四五六七八九十百\d]+[章节条部分]|附件|附表)")


class _Line:
    __slots__ = ("text", "x0", "x1", "top", "bottom", "page")

    def __init__(self, text, x0, x1, top, bottom, page):
        self.text, self.x0, self.x1, self.top, self.bottom, self.page = text, x0, x1, top, bottom, page


class _TableBlock:
    __slots__ = ("grid", "top", "bottom", "page", "ncols", "row_pages")

    def __init__(self, grid, top, bottom, page):
        self.grid, self.top, self.bottom, self.page = grid, top, bottom, page
        self.ncols = max(len(r) for r in grid)


def _cell_text(chars: list[dict], bbox) -> str:
    """A cell's text from its characters, lines joined as in a paragraph: without a space, unless
    the line stopped short of the cell's right edge (the cell wrapped at a space between two unit
    names, or the author broke the line) or a Latin word/number was split."""
    x0, top, x1, bottom = bbox
    inside = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
    if not inside:
        return ""
    inside.sort(key=lambda c: (round(c["top"]), c["x0"]))
    lines: list[list[dict]] = []
    for c in inside:
        if lines and abs(c["top"] - lines[-1][0]["top"]) <= 2:
            lines[-1].append(c)
        else:
            lines.append([c])
    pad = min(ln[0]["x0"] for ln in lines) - x0
    out = ""
    for i, ln in enumerate(lines):
        ln.sort(key=lambda c: c["x0"])
        text = "".join(c["text"] for c in ln)
        if i:
            prev = lines[i - 1]
            size = prev[-1]["x1"] - prev[-1]["x0"] or 8
            short = prev[-1]["x1"] < x1 - pad - 0.8 * size   # CJK wraps anywhere: a full line is short by less than a glyph
            latin = _LATIN_END.search(out) and _LATIN_START.match(text)
            out += " " if short or latin else ""
        out += text
    return out.strip()


def _table_grid(table, chars: list[dict]) -> list[list[str | None]]:
    rows = table.rows
    grid: list[list[str | None]] = []
    for r, row in enumerate(rows):
        tops = [c[1] for c in row.cells if c is not None]
        row_top = min(tops) if tops else None
        out: list[str | None] = []
        for c, bbox in enumerate(row.cells):
            if bbox is not None:
                out.append(_cell_text(chars, bbox))
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


def _page_blocks(page, number: int) -> tuple[list, int, int]:
    """(lines and tables of one page in reading order, glyph count, garbled glyph count)."""
    tables = [t for t in page.find_tables() if len(t.rows) >= 2 and len(t.rows[0].cells) >= 2]
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

    body = page.filter(outside) if boxes else page
    blocks: list = []
    for ln in body.extract_text_lines(return_chars=False):
        blocks.append(_Line(ln["text"], ln["x0"], ln["x1"], ln["top"], ln["bottom"], number))
    table_chars = [c for c in page.chars if not outside(c)] if boxes else []
    for t in tables:
        grid = _table_grid(t, table_chars)
        if any(any(c for c in row) for row in grid):
            blocks.append(_TableBlock(grid, t.bbox[1], t.bbox[3], number))
    blocks.sort(key=lambda b: b.top)
    text = "".join(b.text for b in blocks if isinstance(b, _Line))
    text += "".join(c or "" for b in blocks if isinstance(b, _TableBlock) for row in b.grid for c in row)
    glyphs = len(regex.sub(r"\s|\(cid:\d+\)", "", text)) + text.count("(cid:")
    return blocks, glyphs, len(_GARBLE.findall(text))


def _running_lines(pages: list[list], heights: list[float]) -> set[int]:
    """ids of lines that are running headers/footers or page numbers."""
    drop: set[int] = set()
    band_texts: dict[str, int] = {}
    candidates = []
    for blocks, height in zip(pages, heights):
        lines = [b for b in blocks if isinstance(b, _Line)]
        seen = set()
        for ln in lines:
            if ln.top < height * _BAND or ln.bottom > height * (1 - _BAND):
                if _PAGE_NUMBER.match(ln.text):
                    drop.add(id(ln))
                    continue
                key = _DIGITS.sub("#", "".join(ln.text.split()))
                candidates.append((key, ln))
                if key not in seen:
                    seen.add(key)
                    band_texts[key] = band_texts.get(key, 0) + 1
    n = len(pages)
    for key, ln in candidates:
        if n >= 2 and band_texts[key] >= max(2, (n + 1) // 2):
            drop.add(id(ln))
    return drop


def _layout_metrics(lines: list[_Line]) -> tuple[float, float, float, float]:
    """(left margin, right edge, character width, line pitch) of the body text."""
    if not lines:
        return 0.0, 0.0, 10.0, 20.0
    heights = [ln.bottom - ln.top for ln in lines]
    cw = median(heights) or 10.0
    lefts: dict[int, int] = {}
    for ln in lines:
        lefts[round(ln.x0)] = lefts.get(round(ln.x0), 0) + 1
    left = min(x for x, k in lefts.items() if k >= max(2, len(lines) // 20)) if len(lines) > 3 else min(lefts)
    rights = sorted(ln.x1 for ln in lines)
    right = rights[int(len(rights) * 0.9)] if len(rights) > 3 else rights[-1]
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:]) if a.page == b.page and 0 < b.top - a.top < 4 * cw]
    pitch = median(pitches) if pitches else cw * 1.6
    return float(left), float(right), cw, pitch


def _assemble(pages: list[list], n_pages: int) -> tuple[str, tuple[int, ...]]:
    lines = [b for blocks in pages for b in blocks if isinstance(b, _Line)]
    left, right, cw, pitch = _layout_metrics(lines)
    out: list[str] = []       # pieces of the output text
    pos = 0
    page_start: dict[int, int] = {}
    prev = None               # previous _Line or _TableBlock
    open_table: _TableBlock | None = None

    def emit(piece: str, page: int) -> None:
        nonlocal pos
        if page not in page_start:
            page_start[page] = pos
        out.append(piece)
        pos += len(piece)

    def flush_table() -> None:
        nonlocal open_table
        if open_table is not None:
            for row, page in zip(flatten_table(open_table.grid), open_table.row_pages):
                emit(row + "\n", page)
            emit("\n", open_table.row_pages[-1])   # a blank line ends the table, as in converted text
            open_table = None

    for blocks in pages:
        for b in blocks:
            if isinstance(b, _TableBlock):
                if isinstance(prev, _Line):
                    emit("\n", prev.page)
                if (open_table is not None and isinstance(prev, _TableBlock) and b.page == prev.page + 1
                        and b.ncols == open_table.ncols):
                    # the same table continued on the next page; its header printed again is dropped
                    grid = b.grid
                    if [c or "" for c in grid[0]] == [c or "" for c in open_table.grid[0]]:
                        grid = grid[1:]
                    open_table.grid.extend(grid)
                    open_table.row_pages.extend([b.page] * len(grid))
                else:
                    flush_table()
                    open_table = b
                    b.row_pages = [b.page] * len(b.grid)
                prev = b
                continue
            flush_table()
            if isinstance(prev, _Line):
                same_page = prev.page == b.page
                token = _LEAD_TOKEN.match(b.text)
                # a line stops short before a Latin word or number that did not fit (2023-2025年)
                slack = (1.5 + 0.55 * len(token.group())) * cw if token else 1.5 * cw
                new_para = (b.x0 > left + 0.8 * cw
                            or prev.x1 < right - slack
                            or (same_page and b.top - prev.top > 1.7 * pitch)
                            or (_SENTENCE_END.search(prev.text) and _LABEL_START.match(b.text)))
                if new_para:
                    emit("\n", prev.page)
                    emit(b.text, b.page)
                else:
                    sep = " " if _LATIN_END.search(prev.text) and _LATIN_START.match(b.text) else ""
                    emit(sep + b.text, b.page)
            else:
                emit(b.text, b.page)
            prev = b
    flush_table()
    if isinstance(prev, _Line):
        emit("\n", prev.page)
    text = "".join(out)
    if text and not text.endswith("\n"):
        text += "\n"
    # a page that contributed no text starts where the next one does (starts stay ascending)
    starts, nxt = [0] * n_pages, len(text)
    for p in range(n_pages, 0, -1):
        nxt = page_start.get(p, nxt)
        starts[p - 1] = nxt
    return text, tuple(starts)


def _ranges(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def pdf_to_text(data: bytes) -> ReaderOutput:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        n_pages = len(pdf.pages)
    except Exception as exc:   # pdfminer raises many types on damaged files; pdfplumber wraps them
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else (exc.__cause__ or exc)
        if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in repr(inner).lower():
            raise IngestError(Errors.E020, detail=str(inner) or "a password is needed to open it") from exc
        raise IngestError(Errors.E026, detail=f"{type(inner).__name__}: {inner}") from exc
    warnings: list[str] = []
    try:
        pages, heights, garbled, imaged = [], [], [], []
        for page in pdf.pages:
            number = page.page_number
            try:
                blocks, glyphs, bad = _page_blocks(page, number)
            except Exception as exc:   # one damaged page must not hide which page it was
                raise IngestError(Errors.E026, detail=f"page {number}: {type(exc).__name__}: {exc}") from exc
            if glyphs == 0:
                if page.images:
                    imaged.append(number)
                blocks = []
            elif bad > max(2, _GARBLED_PAGE_SHARE * glyphs):
                garbled.append(number)
                blocks = []
            elif bad:
                warnings.append(Warnings.W021.format(count=bad, pages=number))
                for b in blocks:
                    if isinstance(b, _Line):
                        b.text = _GARBLE.sub("", b.text)
                    else:
                        b.grid = [[_GARBLE.sub("", c) if c else c for c in row] for row in b.grid]
            pages.append(blocks)
            heights.append(float(page.height))
            page.flush_cache()
    finally:
        pdf.close()
    readable = n_pages - len(garbled) - len(imaged)
    if garbled and len(garbled) * 2 >= n_pages - len(imaged):
        raise IngestError(Errors.E022, pages=_ranges(garbled))
    if readable <= 0 and imaged:
        raise IngestError(Errors.E021, pages=n_pages)
    if garbled:
        warnings.append(Warnings.W020.format(pages=_ranges(garbled)))
    if imaged:
        warnings.append(Warnings.W022.format(pages=_ranges(imaged)))
    drop = _running_lines(pages, heights)
    pages = [[b for b in blocks if id(b) not in drop] for blocks in pages]
    text, page_starts = _assemble(pages, n_pages)
    if not text.strip():
        raise IngestError(Errors.E021, pages=n_pages)
    return ReaderOutput(text=text, encoding=None, warnings=tuple(warnings), page_starts=page_starts)


@register_reader((".pdf",), "application/pdf")
def read_pdf(path: Path, data: bytes) -> ReaderOutput:
    return pdf_to_text(data)
