"""Plain-text plans: detect the encoding (never assume it) and decode.

Order of evidence, strongest first:
1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32);
2. UTF-16 without a BOM, recognised by NUL bytes in every other position (Chinese and ASCII text in
   UTF-16 always has them; no 8-bit encoding of a plan does);
3. strict UTF-8 (multi-byte Chinese text that decodes as UTF-8 by accident is vanishingly rare);
4. strict GB18030 (a superset of GBK and GB2312, the encodings of most Windows-saved Chinese files),
   accepted only if the result reads like Chinese text;
5. charset-normalizer's best guess (Big5, …) under the same plausibility check.
A file that passes none of these is reported as undecodable; nothing is guessed silently.
"""
from __future__ import annotations

import codecs
from pathlib import Path

import regex

from pipeline.errors import Errors, IngestError, Warnings
from pipeline.readers.base import register_reader

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\p{Co}]")
_HAN = regex.compile(r"\p{Han}")


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    # ASCII in UTF-16 puts a NUL beside every character (digits, newlines, punctuation: every plan
    # has them); Han characters whose code point ends in 00 (一 U+4E00) put a few on the other side.
    # Demand a clear one-sided majority.
    if odd_nuls >= max(2, 0.05 * half) and odd_nuls > 4 * even_nuls:
        return "utf-16-le"
    if even_nuls >= max(2, 0.05 * half) and even_nuls > 4 * odd_nuls:
        return "utf-16-be"
    return None


def _plausible(text: str) -> bool:
    """Decoded text looks like a document: few control/private-use characters, some Han."""
    if not text.strip():
        return True
    bad = len(_CONTROL.findall(text))
    return bad <= max(2, len(text) // 1000) and bool(_HAN.search(text))


def decode_text(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """Return (text, encoding, warnings) or raise IngestError E002/E006."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc, ()
            except UnicodeDecodeError as exc:
                raise IngestError(Errors.E002, detail=f"{enc} BOM but invalid {enc}: {exc.reason}") from exc
    enc16 = _utf16_without_bom(data)
    if enc16:
        try:
            return data.decode(enc16), enc16, ()
        except UnicodeDecodeError as exc:
            raise IngestError(Errors.E002, detail=f"looks like UTF-16 but is not: {exc.reason}") from exc
    if b"\x00" in data:
        raise IngestError(Errors.E006, detail=f"{data.count(0)} NUL bytes")
    try:
        text = data.decode("utf-8")
        return text, "utf-8", ()
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if _plausible(text):
            return text, "gb18030", ()
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only for the rare file that is neither

    best = from_bytes(data).best()
    if best is not None and best.encoding not in ("utf_8", "gb18030"):
        text = str(best)
        if _plausible(text):
            conf = 1.0 - float(best.chaos)
            return text, best.encoding, (Warnings.W001.format(encoding=best.encoding, confidence=conf),)
    raise IngestError(Errors.E002, detail="no encoding gives readable Chinese text")


@register_reader((".txt", ".text"), "text/plain")
def read_txt(path: Path, data: bytes) -> tuple[str, str | None, tuple[str, ...]]:
    text, encoding, warnings = decode_text(data)
    # Only control characters make decoded text unusable here; a text without Chinese in it is
    # not binary, and one that cleans to nothing is reported by the clean stage (E005).
    if len(_CONTROL.findall(text)) > max(2, len(text) // 1000):
        raise IngestError(Errors.E006, detail="control characters throughout the decoded text")
    return text, encoding, warnings
