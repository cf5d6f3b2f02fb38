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


Reader = Callable[[Path, bytes], tuple[str, str | None, tuple[str, ...]]]  # -> (text, encoding, warnings)

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
    from pipeline.readers import txt  # noqa: F401


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
    text, encoding, warnings = reader(path, data)
    source = SourceInfo(
        path=str(path.resolve()),
        file_name=path.name,
        stem=path.stem,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        media_type=media_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream",
        encoding=encoding,
    )
    return RawDocument(source=source, text=text, warnings=warnings)
