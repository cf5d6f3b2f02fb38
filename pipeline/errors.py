"""Coded errors and warnings, in one place (like spaCy's errors.py).

E-codes stop a file (it is reported by name and the batch goes on); W-codes are warnings kept with
the document. The message templates are the only wording users see.
"""
from enum import Enum


class _Coded(str, Enum):
    def format(self, **kw) -> str:  # type: ignore[override]
        """The user-facing message: "[E001] …" with the template's fields filled in."""
        return f"[{self.name}] " + self.value.format(**kw)


class Errors(_Coded):
    E001 = "unsupported file type {suffix!r}: zhengce reads .txt, .docx, .pdf, .html (and .doc/.wps through LibreOffice)"
    E002 = "cannot decode text: not valid UTF-8, UTF-16 or GB18030 ({detail})"
    E003 = "empty file: no text to ingest"
    E004 = "file not found or unreadable: {detail}"
    E005 = "the text holds no readable content after cleaning (only whitespace or control characters)"
    E006 = "binary content in a text file ({detail})"
    # E020+: structured formats (.docx, .pdf, .doc/.wps, .html)
    E020 = "encrypted PDF: open it with its password and save an unprotected copy ({detail})"
    E021 = "no text layer: OCR needed (the PDF's {pages} page(s) are images only, e.g. a scan)"
    E022 = "pages {pages}: text is CID-garbled (font without ToUnicode map); too much of the document is unreadable to ingest"
    E023 = "corrupt .docx (not a zip/OOXML Word document): {detail}"
    E024 = "LibreOffice (soffice) not installed: install it to read .doc/.wps (e.g. apt-get install libreoffice-writer)"
    E025 = "conversion of {suffix} through LibreOffice failed: {detail}"
    E026 = "corrupt or unreadable PDF: {detail}"
    E027 = "no article body found in the HTML page (only navigation, scripts or empty markup)"
    E010 = "database write failed, document rolled back: {detail}"
    E011 = ("the extraction worker process died on this file ({detail}), tried alone in a new worker: "
            "a crash in a native library or the memory limit")
    E012 = "the plan has {count:,} rows in table {table}, more than the {limit:,} one document's id range holds"
    E013 = ("the database {path} was written by an earlier zhengce ({detail}); this version writes schema "
            "{current}: ingest the plans into a new database file")


class Warnings(_Coded):
    W001 = "encoding detected as {encoding} (confidence {confidence:.2f}); check the text if it looks wrong"
    W002 = "no title found"
    W003 = "no jurisdiction resolved from title or issuer"
    W020 = "pages {pages}: text is CID-garbled (font without ToUnicode map); those pages were left out, check the original"
    W021 = "{count} unreadable glyph(s) ((cid:NN) or U+FFFD) removed from otherwise readable pages {pages}"
    W022 = "PDF page(s) {pages} carry no text (images only); they were left out"


class DatabaseLayoutError(Exception):
    """A database this version cannot read or write (E013); str(err) is the user-facing message."""

    def __init__(self, path: str, detail: str, current: int):
        super().__init__(Errors.E013.format(path=path, detail=detail, current=current))


class IngestError(Exception):
    """A file cannot be ingested. `code` is the E-code; str(err) is the user-facing message."""

    def __init__(self, code: Errors, **kw):
        self.code = code.name
        super().__init__(code.format(**kw))
