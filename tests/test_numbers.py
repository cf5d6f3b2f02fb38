from decimal import Decimal

import pytest

from extractors.numbers import NumberError, is_chinese_numeral, parse_number


@pytest.mark.parametrize("written, value", [
    ("0.5", "0.5"), ("1,200", "1200"), ("12", "12"), ("0.5118", "0.5118"), ("１２", "12"),
    ("一", "1"), ("两", "2"), ("十", "10"), ("十五", "15"), ("二十", "20"), ("一百零五", "105"),
    ("三千五百", "3500"), ("一万", "10000"), ("三万五千", "35000"), ("一亿两千万", "120000000"),
    ("二〇二五", "2025"), ("两百", "200"),
])
def test_parse_number(written, value):
    assert parse_number(written) == Decimal(value)


@pytest.mark.parametrize("written", ["", "abc", "一体化", "1.2.3"])
def test_parse_number_rejects(written):
    with pytest.raises(NumberError):
        parse_number(written)


@pytest.mark.parametrize("written, expected", [("三千", True), ("二〇二五", True), ("3", False), ("一批", False)])
def test_is_chinese_numeral(written, expected):
    assert is_chinese_numeral(written) is expected
