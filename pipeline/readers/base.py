"""Dispatch a file to the reader for its type; every reader returns a RawDocument."""
from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pipeline.errors import Errors, IngestError
from schemas.document import SourceInfo


@dataclass(frozen=True)
class RawDocument:
    source: SourceInfo
    text: str                                   # decoded source text, untouched
    warnings: tuple[str, ...] = field(default=())
    # Offsets in `text` where each page (PDF) or block/paragraph (.docx) starts, ascending: spans
    # look their page and block up here. Empty for plain text.
    page_starts: tuple[int, ...] = field(default=())
    block_starts: tuple[int, ...] = field(default=())


@dataclass(frozen=True)
class ReaderOutput:
    """What a structured-format reader returns: the plan as plain text in the .txt conventions (one
    paragraph per line, tables as tab-separated rows) plus where its pages/blocks start in it."""
    text: str
    encoding: str | None = None
    warnings: tuple[str, ...] = ()
    page_starts: tuple[int, ...] = ()
    block_starts: tuple[int, ...] = ()


# A reader returns a ReaderOutput, or (text, encoding, warnings) for plain text.
Reader = Callable[[Path, bytes], "ReaderOutput | tuple[str, str | None, tuple[str, ...]]"]

_READERS: dict[str, tuple[str, Reader]] = {}


def register_reader(suffixes: tuple[str, ...], media_type: str):
    def deco(fn: Reader) -> Reader:
        for s in suffixes:
            _READERS[s] = (media_type, fn)
        return fn
    return deco


def supported_suffixes() -> list[str]:
    _load_readers()
    return sorted(_READERS)


def _load_readers() -> None:
    # Readers register themselves on import; importing here keeps base free of format details.
    from pipeline.readers import docx, html, legacy, pdf, txt  # noqa: F401


def read_file(path: Path, data: bytes | None = None) -> RawDocument:
    """Read one file (or its bytes, when the caller already has them). Raises IngestError, with
    the reason, for anything that cannot be ingested."""
    _load_readers()
    suffix = path.suffix.lower()
    if suffix not in _READERS:
        raise IngestError(Errors.E001, suffix=suffix or path.name)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise IngestError(Errors.E004, detail=str(exc)) from exc
    if not data.strip():
        raise IngestError(Errors.E003)
    media_type, reader = _READERS[suffix]
    out = reader(path, data)
    if not isinstance(out, ReaderOutput):
        out = ReaderOutput(*out)
    source = SourceInfo(
        path=str(path.resolve()),
        file_name=path.name,
        stem=path.stem,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        media_type=media_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream",
        encoding=out.encoding,
    )
    return RawDocument(source=source, text=out.text, warnings=out.warnings,
                       page_starts=out.page_starts, block_starts=out.block_starts)
