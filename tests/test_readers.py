"""Text files are decoded whatever their encoding: detected, never assumed."""
import codecs
import os

import pytest

from pipeline.errors import IngestError
from pipeline.readers import read_file
from pipeline.readers.txt import decode_text

SAMPLE = "县水务局牵头，到2025年底，用水总量控制在2.2亿立方米以内。\n（一）加强组织领导。\n"


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("gb18030", "gb18030"),
    ("gbk", "gb18030"),          # GBK is a subset of GB18030
    ("gb2312", "gb18030"),
    ("utf-16", "utf-16"),        # with BOM
    ("utf-16-le", "utf-16-le"),  # without BOM
    ("utf-16-be", "utf-16-be"),
    ("utf-32", "utf-32"),
])
def test_detects_encoding(encoding, expected):
    text, enc, _ = decode_text(SAMPLE.encode(encoding))
    assert text == SAMPLE
    assert enc == expected


def test_bom_is_not_part_of_text():
    text, _, _ = decode_text(codecs.BOM_UTF8 + SAMPLE.encode())
    assert not text.startswith("\ufeff")


@pytest.mark.parametrize("data, code", [
    (os.urandom(64) + b"\x00\x00" + os.urandom(64), "E006"),     # binary with NUL bytes
    (bytes(range(0x80, 0x100)) * 20, "E002"),                  # bytes no encoding reads as Chinese
    (codecs.BOM_UTF8 + b"\xff\xfe\xfa", "E002"),               # UTF-8 BOM then invalid UTF-8
])
def test_undecodable_is_an_error(data, code):
    with pytest.raises(IngestError) as err:
        decode_text(data)
    assert err.value.code == code


def test_unsupported_type_and_empty_file(tmp_path):
    (tmp_path / "plan.xlsx").write_bytes(b"PK\x03\x04")
    with pytest.raises(IngestError, match="unsupported file type"):
        read_file(tmp_path / "plan.xlsx")
    (tmp_path / "empty.txt").write_bytes(b"  \n\n")
    with pytest.raises(IngestError, match="empty file"):
        read_file(tmp_path / "empty.txt")


def test_source_info(tmp_path, corpus_dir):
    src = corpus_dir / "002_7ead9b338588c065.txt"
    raw = read_file(src)
    assert raw.source.sha256 == __import__("hashlib").sha256(src.read_bytes()).hexdigest()
    assert raw.source.stem == "002_7ead9b338588c065"
    assert raw.source.media_type == "text/plain"
    assert raw.text == src.read_text(encoding="utf-8")
