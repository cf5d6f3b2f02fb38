from decimal import Decimal

import pytest

from extractors import measure_units
from extractors.ruleset import load_tsv


@pytest.mark.parametrize("value, unit, base_value, base_unit", [
    ("78", "%", "78", "%"), ("78", "％", "78", "%"), ("5", "‰", "0.5", "%"),
    ("2", "个百分点", "2", "个百分点"),
    ("2.2", "亿立方米", "220000000", "m3"), ("400", "万立方米", "4000000", "m3"),
    ("30", "万m3", "300000", "m3"), ("30", "万m³", "300000", "m3"), ("5000", "m3", "5000", "m3"),
    ("1", "万方", "10000", "m3"), ("3", "亿方", "300000000", "m3"), ("200", "立方米", "200", "m3"),
    ("200", "方", "200", "m3"),
    ("3.72", "万亩", "37200", "亩"), ("500", "亩", "500", "亩"), ("2", "公顷", "30", "亩"),
    ("345", "立方米/亩", "345", "m3/亩"), ("365", "方/亩", "365", "m3/亩"),
    ("100", "L/人·d", "100", "L/人·d"), ("100", "升/人·日", "100", "L/人·d"),
    ("4000", "万立方米/年", "40000000", "m3/年"),
    ("12", "km", "12", "km"), ("12", "公里", "12", "km"), ("3", "万吨", "30000", "t"),
    ("2", "个", "2", "个"), ("7", "家", "7", "家"), ("1", "座", "1", "座"), ("1", "户", "1", "户"),
    ("2", "场次", "2", "场次"), ("0.7", "", "0.7", ""),
    ("8", "万公里", "80000", "km"), ("0.8", "万个", "8000", "个"), ("20", "辆", "20", "辆"),
    ("3000", "路", "3000", "路"), ("5", "件", "5", "件"), ("50", "亿斤", "2500000", "t"),
    ("2", "万株", "20000", "株"), ("80", "岁", "80", "岁"),
])
def test_to_base(value, unit, base_value, base_unit):
    assert measure_units.to_base(Decimal(value), unit) == (Decimal(base_value), base_unit)


def test_base_value_has_no_exponent():
    assert str(measure_units.to_base(Decimal("1"), "万亩")[0]) == "10000"


@pytest.mark.parametrize("text, pos, unit", [
    ("10.15万亩（新建", 5, "万亩"), ("4000万立方米/年再生水", 4, "万立方米/年"), ("2个百分点", 1, "个百分点"),
    ("30万m3、25万m3", 2, "万m3"), ("5 mm", 2, None), ("3年", 1, None), ("2级", 1, None),
])
def test_match_unit_longest(text, pos, unit):
    found = measure_units.match_unit(text, pos)
    assert (found[0] if found else None) == unit


def test_unknown_unit_raises():
    with pytest.raises(measure_units.UnitError):
        measure_units.to_base(1, "furlong")


def test_table_has_no_duplicate_units_and_known_kinds():
    rows = load_tsv("measure_units")
    names = [r["unit"] for r in rows]
    assert len(names) == len(set(names))
    assert all(r["kind"] and Decimal(r["factor"]) > 0 for r in rows)
    assert measure_units.units()  # loading checks duplicates too
