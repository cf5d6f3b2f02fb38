"""Legacy Word .doc and WPS .wps plans, converted to .docx by LibreOffice, then read as .docx.

The binary formats have no maintained pure-Python reader that keeps numbering and tables; LibreOffice
converts them faithfully (list labels survive as Word numbering). When `soffice` is absent the file
fails with E024, which says what to install; the batch goes on.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.errors import Errors, IngestError
from pipeline.readers.base import ReaderOutput, register_reader
from pipeline.readers.docx import docx_to_text

TIMEOUT_S = 120


def soffice_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(path: Path, data: bytes, binary: str) -> bytes:
    suffix = path.suffix.lower()
    with tempfile.TemporaryDirectory(prefix="zhengce-legacy-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        # A private profile: a user's running LibreOffice (or a parallel conversion) holds a lock
        # on the default one and the headless call would silently do nothing.
        profile = Path(tmp, "profile").as_uri()
        cmd = [binary, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx",
               "--outdir", tmp, str(src)]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S,
                                  env={**os.environ, "HOME": tmp})
        except subprocess.TimeoutExpired as exc:
            raise IngestError(Errors.E025, suffix=suffix, detail=f"timed out after {TIMEOUT_S}s") from exc
        except OSError as exc:
            raise IngestError(Errors.E025, suffix=suffix, detail=str(exc)) from exc
        out = Path(tmp) / "input.docx"
        if proc.returncode != 0 or not out.exists():
            detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()[-300:]
            raise IngestError(Errors.E025, suffix=suffix, detail=detail or f"exit code {proc.returncode}")
        return out.read_bytes()


@register_reader((".doc", ".wps"), "application/msword")
def read_legacy(path: Path, data: bytes) -> ReaderOutput:
    binary = soffice_binary()
    if binary is None:
        raise IngestError(Errors.E024)
    return docx_to_text(convert_to_docx(path, data, binary))
