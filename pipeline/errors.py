"""Coded errors and warnings, in one place (like spaCy's errors.py).

E-codes stop a file (it is reported by name and the batch goes on); W-codes are warnings kept with
the document. The message templates are the only wording users see.
"""
from enum import Enum


class Errors(str, Enum):
    E001 = "unsupported file type {suffix!r}: zhengce reads .txt plain-text plans (support for .docx/.pdf is planned)"
    E002 = "cannot decode text: not valid UTF-8, UTF-16 or GB18030 ({detail})"
    E003 = "empty file: no text to ingest"
    E004 = "file not found or unreadable: {detail}"
    E005 = "the text holds no readable content after cleaning (only whitespace or control characters)"
    E006 = "binary content in a text file ({detail})"
    E010 = "database write failed, document rolled back: {detail}"

    def format(self, **kw) -> str:  # type: ignore[override]
        return f"[{self.name}] " + self.value.format(**kw)


class Warnings(str, Enum):
    W001 = "encoding detected as {encoding} (confidence {confidence:.2f}); check the text if it looks wrong"
    W002 = "no title found"
    W003 = "no jurisdiction resolved from title or issuer"

    def format(self, **kw) -> str:  # type: ignore[override]
        return f"[{self.name}] " + self.value.format(**kw)


class IngestError(Exception):
    """A file cannot be ingested. `code` is the E-code; str(err) is the user-facing message."""

    def __init__(self, code: Errors, **kw):
        self.code = code.name
        super().__init__(code.format(**kw))
