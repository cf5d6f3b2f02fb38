"""Readers: path -> RawDocument (decoded text plus source info). No extraction happens here."""
from pipeline.readers.base import RawDocument, read_file, supported_suffixes

__all__ = ["RawDocument", "read_file", "supported_suffixes"]
