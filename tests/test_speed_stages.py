"""Fast paths added to the extraction stages give what the plain code gave."""
import random

import pytest
import regex

from extractors.whitespace import no_whitespace
from extractors.unit_names import split_unit_list, split_unit_names
from pipeline.clean import clean
from pipeline.provenance import SpanMaker

_WS = regex.compile(r"\s+")
# every character regex's \s or str.isspace() calls whitespace, the four that only str.isspace()
# calls so, and ordinary text around them
_ALPHABET = ([chr(c) for c in range(0x21)] + [chr(c) for c in (0x7f, 0x85, 0xa0, 0x1680, 0x180e, 0x200b,
                                                               0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff)]
             + [chr(c) for c in range(0x2000, 0x200b)] + list("县水务局、和及与（）()牵头 ab12"))


def test_no_whitespace_is_the_regex_substitution():
    rng = random.Random(7)
    for _ in range(20000):
        s = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 14)))
        assert no_whitespace(s) == _WS.sub("", s), repr(s)


@pytest.mark.parametrize("text", [
    "县发改委、工信局、水务局按照职责分工负责",
    "各县区人民政府 张掖经开区管委会 市工信局",
    "市农业\n农村局、市住房和城乡建设局及各乡镇（街道）",
    "各县（市、区）人民政府，市自然资源和规划局与市生态环境局",
    "县水务局牵头，县财政局配合",
    "考核实施细则",
    "",
    "  \n ",
    "县水务局\x1c县财政局",
])
def test_split_unit_names_shifted_is_split_unit_list(text):
    offset = 17
    units, rejects = split_unit_names(text)
    lst = split_unit_list(text, offset=offset)
    assert [(u.start + offset, u.end + offset, u.raw, u.name) for u in units] == \
           [(u.start, u.end, u.raw, u.name) for u in lst.units]
    assert [(r.start + offset, r.end + offset, r.raw, r.code) for r in rejects] == \
           [(r.start, r.end, r.raw, r.code) for r in lst.rejects]


def test_span_maker_refuses_what_to_orig_refuses():
    ct = clean("第一行\r\n第二行\n")
    maker = SpanMaker(ct)
    for start, end in ((0, len(ct.text) + 1), (-1, 2), (3, 2)):
        with pytest.raises(IndexError) as plain:
            ct.to_orig(start, end)
        with pytest.raises(IndexError) as fast:
            maker(start, end)
        assert str(fast.value) == str(plain.value)
