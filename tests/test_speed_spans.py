"""Fast construction paths added for speed build exactly what validated construction builds."""
import copy
import json
import pickle

import pytest
from pydantic import ValidationError

from extractors.ruleset import Rule, any_of
from pipeline.clean import clean
from pipeline.provenance import SpanMaker
from schemas.spans import CharSpan


@pytest.mark.parametrize("fields", [
    (0, 0, 0, 0, None, None),
    (3, 9, 5, 14, None, None),
    (3, 9, 5, 14, 2, 7),
])
def test_checked_span_equals_validated_span(fields):
    start, end, o_start, o_end, page, block = fields
    validated = CharSpan(start=start, end=end, orig_start=o_start, orig_end=o_end, page=page, block=block)
    fast = CharSpan.checked_by_caller(start, end, o_start, o_end, page, block)
    assert fast == validated and validated == fast
    assert hash(fast) == hash(validated)
    assert fast.model_fields_set == validated.model_fields_set
    assert fast.model_dump_json() == validated.model_dump_json()
    assert repr(fast) == repr(validated)
    assert pickle.loads(pickle.dumps(fast)) == validated
    assert copy.deepcopy(fast) == validated and fast.model_copy() == validated


def test_checked_span_is_frozen():
    with pytest.raises(ValidationError):
        CharSpan.checked_by_caller(1, 2, 1, 2, None, None).start = 0


@pytest.mark.parametrize("fields", [
    dict(start=5, end=3, orig_start=0, orig_end=1),
    dict(start=1, end=3, orig_start=4, orig_end=1),
    dict(start=-1, end=3, orig_start=0, orig_end=1),
])
def test_validated_span_still_rejects_disorder(fields):
    with pytest.raises(ValidationError):
        CharSpan(**fields)
    with pytest.raises(ValidationError):
        CharSpan.model_validate_json(json.dumps(fields))


def test_span_maker_builds_the_validated_span():
    ct = clean("第一行　有全角空格\r\n第二行 ,(ABC)\n")
    maker = SpanMaker(ct)
    for start in range(len(ct.text) + 1):
        for end in range(start, len(ct.text) + 1):
            o_start, o_end = ct.to_orig(start, end)
            assert maker(start, end) == CharSpan(start=start, end=end, orig_start=o_start, orig_end=o_end)
    with pytest.raises(IndexError):
        maker(0, len(ct.text) + 1)


def _rule(pattern: str) -> Rule:
    from extractors.ruleset import compile_rules
    return compile_rules("t", {"rules": [{"id": "r", "label": "l", "pattern": pattern}]}, "t.yaml").rules[0]


@pytest.mark.parametrize("patterns, text, matches", [
    (["较⟨", "由⟨"], "较2020年下降⟨15%⟩", False),
    (["下降⟨", "由⟨"], "较2020年下降⟨15%⟩", True),
    (["(?<=年)下降", "^由"], "较2020年下降", True),
    (["^由", "以内$"], "控制在9%以内", True),
])
def test_any_of_matches_where_a_rule_matches(patterns, text, matches):
    rules = [_rule(p) for p in patterns]
    joined = any_of(rules)
    assert joined is not None
    assert (joined.search(text) is not None) == matches == any(r.compiled.search(text) for r in rules)


@pytest.mark.parametrize("pattern", [r"(?i)abc", r"(a)\1", r"(?P<x>a)(?P=x)", r"(?r)a", r"(?V1)a"])
def test_any_of_refuses_patterns_that_cannot_be_joined(pattern):
    assert any_of([_rule("x"), _rule(pattern)]) is None
