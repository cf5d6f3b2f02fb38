"""One PDF page through pypdfium2: its characters with positions, lines, drawn edges and images.

Why pypdfium2 and not pdfplumber's page objects: pdfminer interprets every page in Python, which
took ~90% of the reading time (15 pages/s); PDFium does it in C. pdfplumber is kept for what it is
good at, finding ruled tables in a set of drawn edges (its TableFinder), fed here with the edges
PDFium reports, so no page is parsed twice.

Coordinates follow pdfplumber's conventions (points, origin top-left, `top` < `bottom`), in the frame
where the page's text reads left to right: a page whose text is drawn turned by 90° (a landscape
table placed on a portrait page) is turned back, and characters at another angle than most of the
page's (a diagonal watermark, a vertical side note) are left out of the text.
"""
from __future__ import annotations

import ctypes
import math
from types import SimpleNamespace

import pypdfium2.raw as R

_SPACE_GAP = 3.0          # pdfplumber's x_tolerance: a wider gap between glyphs reads as a space
_LINE_TOLERANCE = 3.0     # glyphs whose baselines differ by less are on the same line
_TEXT, _PATH, _IMAGE, _FORM = (R.FPDF_PAGEOBJ_TEXT, R.FPDF_PAGEOBJ_PATH, R.FPDF_PAGEOBJ_IMAGE,
                               R.FPDF_PAGEOBJ_FORM)


class Char:
    __slots__ = ("text", "x0", "x1", "top", "bottom", "index", "space")

    def __init__(self, text, x0, x1, top, bottom, index, space):
        self.text, self.x0, self.x1, self.top, self.bottom = text, x0, x1, top, bottom
        self.index, self.space = index, space


class Line:
    __slots__ = ("text", "x0", "x1", "top", "bottom", "page", "size", "chars")

    def __init__(self, text, x0, x1, top, bottom, page, size, chars):
        self.text, self.x0, self.x1, self.top, self.bottom, self.page = text, x0, x1, top, bottom, page
        self.size, self.chars = size, chars


class TableBlock:
    __slots__ = ("grid", "top", "bottom", "page", "ncols", "row_pages", "x1")

    def __init__(self, grid, top, bottom, page, x1):
        self.grid, self.top, self.bottom, self.page, self.x1 = grid, top, bottom, page, x1
        self.ncols = max(len(r) for r in grid)


class PageContent:
    """What the reader needs of a page: characters (body and table), edges, image count, size."""
    __slots__ = ("chars", "bad", "edges", "images", "width", "height")

    def __init__(self, chars, bad, edges, images, width, height):
        self.chars, self.bad, self.edges, self.images = chars, bad, edges, images
        self.width, self.height = width, height


def _frame(quarter: int, left: float, bottom: float, right: float, top: float):
    """A function mapping a PDF box (l, b, r, t) to (x0, x1, top, bottom) in the frame where text at
    `quarter` x 90° counter-clockwise reads left to right; and that frame's width and height."""
    if quarter == 0:
        return (lambda l, b, r, t: (l - left, r - left, top - t, top - b)), right - left, top - bottom
    if quarter == 1:   # text runs up the page: its top is towards smaller x
        return (lambda l, b, r, t: (b - bottom, t - bottom, l - left, r - left)), top - bottom, right - left
    if quarter == 2:
        return (lambda l, b, r, t: (right - r, right - l, b - bottom, t - bottom)), right - left, top - bottom
    return (lambda l, b, r, t: (top - t, top - b, right - r, right - l)), top - bottom, right - left


def read_page(page, textpage) -> PageContent:
    """Characters of the page's main orientation (with the count of glyphs that have no Unicode
    mapping: PDFium then passes the raw code off as text), its edges and image count."""
    raw = textpage.raw
    n = R.FPDFText_CountChars(raw)
    text = textpage.get_text_range(0, n) if n else ""
    if len(text) != n:   # a character outside the BMP takes two UTF-16 units: map one by one
        text = "".join(chr(R.FPDFText_GetUnicode(raw, i) or 0xFFFD) for i in range(n))
    left, bottom, right, top = page.get_bbox()
    segments, images, upright = _graphics(page.raw)
    box = R.FS_RECTF()
    pbox = ctypes.byref(box)
    get_box, get_angle = R.FPDFText_GetLooseCharBox, R.FPDFText_GetCharAngle
    map_error, generated = R.FPDFText_HasUnicodeMapError, R.FPDFText_IsGenerated
    chars: list[Char] = []
    bad = 0
    if upright:   # the common page: every text object upright, no angle to ask glyph by glyph
        for i, ch in enumerate(text):
            if ch == "\r" or ch == "\n":
                continue
            space = ch.isspace()
            if space:
                if generated(raw, i) == 1:   # PDFium's own guess at a word gap: we measure gaps
                    continue
            elif map_error(raw, i) == 1:     # the raw code is not text: count it, leave it out
                bad += 1
                continue
            get_box(raw, i, pbox)
            chars.append(Char(ch, box.left - left, box.right - left, top - box.top, top - box.bottom, i, space))
        main = 0
    else:
        main, chars, bad = _turned_chars(raw, text, (left, bottom, right, top))
    to_frame, width, height = _frame(main, left, bottom, right, top)
    edges: list[dict] = []
    for p0, p1 in segments:
        _add_edge(edges, p0, p1, to_frame)
    return PageContent(chars, bad, edges, images, width, height)


def _turned_chars(raw, text: str, bbox) -> tuple[int, list[Char], int]:
    """(main orientation, its characters, unmapped count) of a page with text at several angles."""
    box = R.FS_RECTF()
    pbox = ctypes.byref(box)
    half_pi = math.pi / 2
    found = []
    quarters = [0, 0, 0, 0]
    for i, ch in enumerate(text):
        if ch == "\r" or ch == "\n":
            continue
        space = ch.isspace()
        if space and R.FPDFText_IsGenerated(raw, i) == 1:
            continue
        a = R.FPDFText_GetCharAngle(raw, i)
        q = round(a / half_pi) if a >= 0 else 0
        # PDFium measures clockwise; keep only angles that are a multiple of 90° (± 2°)
        if abs(a - q * half_pi) > 0.035:
            q = -1
        else:
            q = (4 - q) % 4
            if not space:
                quarters[q] += 1
        R.FPDFText_GetLooseCharBox(raw, i, pbox)
        found.append((ch, box.left, box.bottom, box.right, box.top, i, space, q,
                      not space and R.FPDFText_HasUnicodeMapError(raw, i) == 1))
    main = max(range(4), key=quarters.__getitem__)
    to_frame = _frame(main, *bbox)[0]
    chars, bad = [], 0
    for ch, l, b, r, t, i, space, q, unmapped in found:
        if q != main:
            continue
        if unmapped:
            bad += 1
            continue
        x0, x1, ctop, cbottom = to_frame(l, b, r, t)
        chars.append(Char(ch, x0, x1, ctop, cbottom, i, space))
    return main, chars, bad


def _graphics(raw_page) -> tuple[list[tuple], int, bool]:
    """Straight segments of drawn paths in page space, number of images, and whether every text
    object is upright."""
    segments: list[tuple] = []
    images = 0
    upright = True
    m = R.FS_MATRIX()
    pm = ctypes.byref(m)
    x, y = ctypes.c_float(), ctypes.c_float()
    px, py = ctypes.byref(x), ctypes.byref(y)

    def walk(count, get, outer):
        nonlocal images, upright
        for k in range(count):
            obj = get(k)
            kind = R.FPDFPageObj_GetType(obj)
            if kind == _IMAGE:
                images += 1
                continue
            if kind not in (_TEXT, _PATH, _FORM) or not R.FPDFPageObj_GetMatrix(obj, pm):
                continue
            mat = _compose(outer, (m.a, m.b, m.c, m.d, m.e, m.f))
            a, b, c, d, e, f = mat
            if kind == _TEXT:
                if upright and not (abs(b) < 1e-3 and abs(c) < 1e-3 and a > 0 and d > 0):
                    upright = False
                continue
            if kind == _FORM:
                walk(R.FPDFFormObj_CountObjects(obj), lambda j, o=obj: R.FPDFFormObj_GetObject(o, j), mat)
                continue
            start = prev = None
            for s in range(R.FPDFPath_CountSegments(obj)):
                seg = R.FPDFPath_GetPathSegment(obj, s)
                R.FPDFPathSegment_GetPoint(seg, px, py)
                pt = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
                kind_s = R.FPDFPathSegment_GetType(seg)
                if kind_s == R.FPDF_SEGMENT_MOVETO:
                    start = prev = pt
                    continue
                if kind_s == R.FPDF_SEGMENT_LINETO and prev is not None:
                    segments.append((prev, pt))
                prev = pt
                if R.FPDFPathSegment_GetClose(seg) and start is not None:
                    segments.append((prev, start))
                    prev = start

    walk(R.FPDFPage_CountObjects(raw_page), lambda j: R.FPDFPage_GetObject(raw_page, j), None)
    return segments, images, upright


def _compose(outer, inner):
    """The matrix of `inner` (an object inside a form XObject) in page space."""
    if outer is None:
        return inner
    a1, b1, c1, d1, e1, f1 = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


def _add_edge(edges: list, p0, p1, to_frame) -> None:
    (xa, ya), (xb, yb) = p0, p1
    if abs(ya - yb) > 0.5 and abs(xa - xb) > 0.5:
        return   # a slanted stroke is no table rule
    x0, x1, top, bottom = to_frame(min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb))
    if bottom - top <= 0.5:
        orientation, top, bottom = "h", (top + bottom) / 2, (top + bottom) / 2
    else:
        orientation, x0, x1 = "v", (x0 + x1) / 2, (x0 + x1) / 2
    edges.append({"object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                  "width": x1 - x0, "height": bottom - top, "orientation": orientation})


def ruled_tables(content: PageContent) -> list:
    """pdfplumber's tables (cells bounded by drawn edges) of at least two rows and two columns."""
    if len(content.edges) < 4:
        return []
    from pdfplumber.table import TableFinder

    page = SimpleNamespace(edges=content.edges, bbox=(0, 0, content.width, content.height))
    return [t for t in TableFinder(page).tables if len(t.rows) >= 2 and len(t.rows[0].cells) >= 2]


def group_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters into lines (same baseline within a tolerance), each sorted left to right."""
    lines: list[list[Char]] = []
    for c in sorted(chars, key=lambda c: (c.bottom, c.x0)):
        if lines and c.bottom - lines[-1][0].bottom <= _LINE_TOLERANCE:
            lines[-1].append(c)
        else:
            lines.append([c])
    for ln in lines:
        ln.sort(key=lambda c: c.x0)
    return lines


def line_text(chars: list[Char]) -> str:
    """A line's text: glyphs in order, one space where a space glyph or a gap wider than a few
    points separates them (as pdfplumber's word extraction does), none between adjacent glyphs."""
    out: list[str] = []
    prev = None
    gap = False
    for c in chars:
        if c.space:
            gap = True
            continue
        if prev is not None and (gap or c.x0 - prev.x1 > _SPACE_GAP):
            out.append(" ")
        out.append(c.text)
        prev, gap = c, False
    return "".join(out)


def font_size(textpage, index: int) -> float:
    """The size a glyph is printed at: the font size scaled by its text matrix (PDFium reports the
    unscaled Tf operand, often 1 in PDFs that size text through the matrix)."""
    raw = textpage.raw
    size = R.FPDFText_GetFontSize(raw, index)
    m = R.FS_MATRIX()
    if R.FPDFText_GetMatrix(raw, index, ctypes.byref(m)):
        size *= math.hypot(m.c, m.d) or 1.0
    return size
