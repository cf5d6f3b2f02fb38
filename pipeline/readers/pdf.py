"""PDF plans -> plain text in the .txt conventions, with the page table for provenance.

PDFium (pypdfium2, pdf_page) gives each page's characters with positions and its drawn edges;
pdf_tables finds the tables among them. From them:
- running headers, footers and page numbers are removed: lines in the top/bottom band of a page
  that are a page number (— 3 —, 第3页, 3/12) or that repeat, digits aside, on most pages;
- body lines are re-joined into paragraphs, across line and page breaks: a line continues the
  paragraph unless it is indented, the line before stopped short of the right edge (a heading, a
  paragraph end), or a blank gap separates them. Chinese lines join without a space; Latin words
  and numbers split by a line break get one;
- tables, ruled or laid out in unruled columns, become tab-separated rows (table_text); a table
  that continues at the top of the next page with the same columns is the same table, and its
  repeated header row is dropped; vertically merged cells are told from horizontally spanned
  ones by their geometry;
- unreadable text is never passed on as text: a page whose glyphs have no Unicode mapping
  (PDFium then reports the raw code), or come out as U+FFFD, private-use or characters no Chinese
  plan uses (the signature of a CJK font without a ToUnicode map) is reported by number. If such
  pages are a minority they are left out with W020 (the rest of the plan is still worth
  extracting, and the warning names the pages to check by hand); if they are the majority the
  file fails with E022. A page with images and no text is a scan: all pages so -> E021 (OCR
  needed); some -> W022.
"""
from __future__ import annotations

import logging
from pathlib import Path
from statistics import median

import pypdfium2.raw as R
import regex

from pipeline.errors import Errors, IngestError, Warnings
from pipeline.readers.base import ReaderOutput, register_reader
from pipeline.readers.pdf_page import Char, Line, PageContent, TableBlock, font_size, group_lines, line_text, read_page
from pipeline.readers.pdf_tables import LATIN_END as _LATIN_END
from pipeline.readers.pdf_tables import LATIN_START as _LATIN_START
from pipeline.readers.pdf_tables import ruled_table_blocks, unruled_tables
from pipeline.readers.table_text import flatten_table

log = logging.getLogger(__name__)

# Glyphs that mean "the font had no usable Unicode map" (besides those PDFium flags as unmapped):
# (cid:NN), control characters, U+FFFD, private use, and blocks a Chinese government plan never
# prints (CJK Extension A, Yi, Hangul syllables) but that a wrong CID->Unicode guess lands in.
_GARBLE = regex.compile(r"\(cid:\d+\)|[\x00-\x08\x0e-\x1f\ufffd\p{Co}\u3400-\u4dbf\ua000-\ua4cf\uac00-\ud7af]")
_GARBLED_PAGE_SHARE = 0.08        # of a page's glyphs; real text has none of these
_PAGE_NUMBER = regex.compile(
    r"^\s*(?:[-—–－]+\s*\d{1,4}\s*[-—–－]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|[-—–－]?\s*\d{1,4}\s*[-—–－]?|page\s*\d+(?:\s*of\s*\d+)?)\s*$", regex.I)
_DIGITS = regex.compile(r"\d+")
_BAND = 0.09                      # top/bottom share of the page where running heads live
_LEAD_TOKEN = regex.compile(r"^[A-Za-z0-9.\-—–~/%:]+")
_SENTENCE_END = regex.compile(r'(?:[。；！？：;!?:][”’"]?|[）)])\s*$')
# A line that starts with a heading or list label after a finished sentence starts a paragraph,
# even when the sentence happened to fill its line (one-line paragraphs have no indent to show it).
_LABEL_START = regex.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,3}[.．、](?!\d)"
    r"|[①-⑳]|第[一二三四五六七八九十百\d]+[章节条部分]|附件|附表)")


def _make_line(chars: list[Char], number: int, textpage) -> Line | None:
    ink = [c for c in chars if not c.space]
    if not ink:
        return None
    # the printed size of a few glyphs (first, middle, last) stands for the line's height
    size = max(font_size(textpage, ink[k].index) for k in {0, len(ink) // 2, len(ink) - 1})
    bottom = max(c.bottom for c in ink)
    top = bottom - size if size > 0 else min(c.top for c in ink)
    return Line(line_text(chars), ink[0].x0, max(c.x1 for c in ink), top, bottom, number, bottom - top, chars)


def _page_blocks(content: PageContent, number: int, textpage) -> tuple[list, int, int]:
    """(lines and ruled tables of one page in reading order, glyph count, garbled glyph count)."""
    blocks, body = ruled_table_blocks(content, number)
    for chars in group_lines(body):
        line = _make_line(chars, number, textpage)
        if line is not None:
            blocks.append(line)
    blocks.sort(key=lambda b: b.top)
    text = "".join(c.text for c in content.chars if not c.space)
    return blocks, len(text) + content.bad, content.bad + len(_GARBLE.findall(text))


def _running_lines(pages: list[list], heights: list[float]) -> set[int]:
    """ids of lines that are running headers/footers or page numbers."""
    drop: set[int] = set()
    band_texts: dict[str, int] = {}
    candidates = []
    for blocks, height in zip(pages, heights):
        lines = [b for b in blocks if isinstance(b, Line)]
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


def _layout_metrics(lines: list[Line], table_rights: list[float]) -> tuple[float, float, float, float]:
    """(left margin, right edge, character width, line pitch) of the body text. Tables span the
    measure too: their right edges count, so a plan whose long lines are all in tables still has
    a right edge its short lines (title, headings) stop short of."""
    if not lines:
        return 0.0, 0.0, 10.0, 20.0
    heights = [ln.bottom - ln.top for ln in lines]
    cw = median(heights) or 10.0
    lefts: dict[int, int] = {}
    for ln in lines:
        lefts[round(ln.x0)] = lefts.get(round(ln.x0), 0) + 1
    left = min(x for x, k in lefts.items() if k >= max(2, len(lines) // 20)) if len(lines) > 3 else min(lefts)
    rights = sorted([ln.x1 for ln in lines] + table_rights)
    right = rights[int(len(rights) * 0.9)] if len(rights) > 3 else rights[-1]
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:]) if a.page == b.page and 0 < b.top - a.top < 4 * cw]
    pitch = median(pitches) if pitches else cw * 1.6
    return float(left), float(right), cw, pitch


def _assemble(pages: list[list], n_pages: int) -> tuple[str, tuple[int, ...]]:
    lines = [b for blocks in pages for b in blocks if isinstance(b, Line)]
    left, right, cw, pitch = _layout_metrics(
        lines, [b.x1 for blocks in pages for b in blocks if isinstance(b, TableBlock)])
    out: list[str] = []       # pieces of the output text
    pos = 0
    page_start: dict[int, int] = {}
    prev = None               # previous Line or TableBlock
    open_table: TableBlock | None = None

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
            if isinstance(b, TableBlock):
                if isinstance(prev, Line):
                    emit("\n", prev.page)
                if (open_table is not None and isinstance(prev, TableBlock) and b.page == prev.page + 1
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
            if isinstance(prev, Line):
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
    if isinstance(prev, Line):
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


def _open(data: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == R.FPDF_ERR_PASSWORD:
            raise IngestError(Errors.E020, detail="a password is needed to open it") from exc
        if code == R.FPDF_ERR_SECURITY:
            raise IngestError(Errors.E020, detail="its security handler is not supported") from exc
        raise IngestError(Errors.E026, detail=str(exc)) from exc


def pdf_to_text(data: bytes) -> ReaderOutput:
    pdf = _open(data)
    warnings: list[str] = []
    try:
        n_pages = len(pdf)
        pages, heights, garbled, imaged = [], [], [], []
        for k in range(n_pages):
            number = k + 1
            page = textpage = None
            try:
                page = pdf[k]
                textpage = page.get_textpage()
                content = read_page(page, textpage)
                blocks, glyphs, bad = _page_blocks(content, number, textpage)
            except IngestError:
                raise
            except Exception as exc:   # one damaged page must not hide which page it was
                raise IngestError(Errors.E026, detail=f"page {number}: {type(exc).__name__}: {exc}") from exc
            finally:
                if textpage is not None:
                    textpage.close()
                if page is not None:
                    page.close()
            if glyphs == 0:
                if content.images:
                    imaged.append(number)
                blocks = []
            elif bad > max(2, _GARBLED_PAGE_SHARE * glyphs):
                garbled.append(number)
                blocks = []
            elif bad:
                warnings.append(Warnings.W021.format(count=bad, pages=number))
                for b in blocks:
                    if isinstance(b, Line):
                        b.text = _GARBLE.sub("", b.text)
                        b.chars = [c for c in b.chars if not _GARBLE.match(c.text)]
                    else:
                        b.grid = [[_GARBLE.sub("", c) if c else c for c in row] for row in b.grid]
            pages.append(blocks)
            heights.append(content.height)
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
    pages = [unruled_tables([b for b in blocks if id(b) not in drop], number)
             for number, blocks in enumerate(pages, 1)]
    text, page_starts = _assemble(pages, n_pages)
    if not text.strip():
        raise IngestError(Errors.E021, pages=n_pages)
    return ReaderOutput(text=text, encoding=None, warnings=tuple(warnings), page_starts=page_starts)


@register_reader((".pdf",), "application/pdf")
def read_pdf(path: Path, data: bytes) -> ReaderOutput:
    return pdf_to_text(data)
