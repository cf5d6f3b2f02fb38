"""HTML pages saved from government sites -> the article body as plain text (.txt conventions).

stdlib html.parser builds a small element tree (no extra dependency; government pages are simple
and often malformed, which the tolerant parser handles). The article body is the element with
the most non-link Chinese text, descending while one child holds most (≥ 70 %) of it: navigation,
menus and footers are mostly link text or short, so they lose. script/style/nav/header/footer/
aside/form are dropped outright. Block elements (p, div, h1-6, li, br …) end lines; tables become
tab-separated rows (table_text), with rowspan cells merged down and colspan cells padded.
"""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import regex

from pipeline.errors import Errors, IngestError
from pipeline.readers.base import ReaderOutput, register_reader
from pipeline.readers.table_text import MERGED_DOWN, clean_cell, flatten_table
from pipeline.readers.txt import decode_text

_DROP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "select", "iframe",
         "button", "svg", "template", "head"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
          "blockquote", "pre", "dd", "dt", "dl", "center", "main", "body", "tr", "table", "caption"}
_HAN = regex.compile(r"\p{Han}")
_WS = regex.compile(r"[ \t\r\n\f\u00a0]+")
_CHARSET = regex.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", regex.I)


class _El:
    __slots__ = ("tag", "attrs", "children", "parent")

    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.children, self.parent = tag, attrs, [], parent


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _El("root", {}, None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        el = _El(tag, dict(attrs), self.cur)
        self.cur.children.append(el)
        if tag not in _VOID:
            self.cur = el

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(_El(tag, dict(attrs), self.cur))

    def handle_endtag(self, tag):
        el = self.cur
        while el is not None and el.tag != tag:   # tolerate unclosed tags (<p> without </p>)
            el = el.parent
        if el is not None and el.parent is not None:
            self.cur = el.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def _score(el, memo) -> int:
    """Han characters of the element outside links and dropped elements."""
    if isinstance(el, str):
        return len(_HAN.findall(el))
    if el.tag in _DROP or el.tag == "a":
        memo[id(el)] = 0
        return 0
    total = sum(_score(c, memo) for c in el.children)
    memo[id(el)] = total
    return total


def _body(root) -> _El:
    memo: dict[int, int] = {}
    total = _score(root, memo)
    el = root
    while True:
        kids = [c for c in el.children if not isinstance(c, str) and memo.get(id(c), 0)]
        best = max(kids, key=lambda c: memo[id(c)], default=None)
        if best is None or memo[id(best)] < 0.7 * memo[id(el)] or best.tag in ("table", "tr", "p"):
            return el if total else root
        el = best


class _Text:
    def __init__(self):
        self.lines: list[str] = []
        self.buf: list[str] = []

    def end_line(self):
        line = _WS.sub(" ", "".join(self.buf)).strip()
        if line:
            self.lines.append(line)
        self.buf = []

    def walk(self, el):
        for c in el.children:
            if isinstance(c, str):
                self.buf.append(c)
                continue
            if c.tag in _DROP:
                continue
            if c.tag == "br":
                self.end_line()
            elif c.tag == "table":
                self.end_line()
                self.lines.extend(flatten_table(_grid(c)))
                self.lines.append("")
            elif c.tag in _BLOCK:
                self.end_line()
                self.walk(c)
                self.end_line()
            else:
                self.walk(c)


def _cell_text(el) -> str:
    t = _Text()
    t.walk(el)
    t.end_line()
    return clean_cell(" ".join(x for x in t.lines if x))


def _rows(table):
    for c in table.children:
        if isinstance(c, str):
            continue
        if c.tag == "tr":
            yield c
        elif c.tag in ("thead", "tbody", "tfoot"):
            yield from _rows(c)


def _grid(table) -> list[list[str | None]]:
    grid: list[list[str | None]] = []
    pending: dict[int, int] = {}   # column -> rows still covered by a rowspan from above
    for tr in _rows(table):
        row: list[str | None] = []
        col = 0
        cells = [c for c in tr.children if not isinstance(c, str) and c.tag in ("td", "th")]
        for cell in cells:
            while pending.get(col, 0) > 0:
                row.append(MERGED_DOWN)
                pending[col] -= 1
                col += 1
            span = _int(cell.attrs.get("colspan"))
            down = _int(cell.attrs.get("rowspan"))
            row.append(_cell_text(cell))
            for k in range(span):
                if down > 1:
                    pending[col + k] = down - 1
                if k:
                    row.append("")
            col += span
        while pending.get(col, 0) > 0:
            row.append(MERGED_DOWN)
            pending[col] -= 1
            col += 1
        grid.append(row)
    return [r for r in grid if r]


def _int(v) -> int:
    try:
        return max(1, min(int(v), 100))
    except (TypeError, ValueError):
        return 1


def _decode(data: bytes) -> tuple[str, str]:
    m = _CHARSET.search(data[:4096])
    if m:
        enc = m.group(1).decode("ascii").lower()
        enc = "gb18030" if enc in ("gb2312", "gbk") else enc
        try:
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            pass
    text, enc, _ = decode_text(data)
    return text, enc


def html_to_text(data: bytes) -> ReaderOutput:
    source, encoding = _decode(data)
    tree = _Tree()
    tree.feed(source)
    tree.close()
    body = _body(tree.root)
    out = _Text()
    out.walk(body)
    out.end_line()
    text = "\n".join(out.lines).strip("\n") + "\n"
    if not _HAN.search(text):
        raise IngestError(Errors.E027)
    return ReaderOutput(text=text, encoding=encoding)


@register_reader((".html", ".htm", ".shtml"), "text/html")
def read_html(path: Path, data: bytes) -> ReaderOutput:
    return html_to_text(data)
