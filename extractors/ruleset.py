"""Load rule files (extractors/data/rules/*.yaml) into validated, compiled RuleSets.

A rule file holds optional local `fragments` and a list of `rules`; each rule has an `id`, a
`label`, a `pattern` built from fragments ({NAME}), an optional `value` (free data the extractor
reads), `examples` that must match and `counter_examples` that must not. Everything is checked
when the file is loaded, like dateparser's language validator: a bad rule fails loudly with the
file, the rule id and the reason, never at match time.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from typing import Any

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from extractors.fragments import FRAGMENTS

_FRAGMENT_REF = regex.compile(r"\{([A-Z][A-Z0-9_]*)\}")


class RuleSetError(ValueError):
    """A rule file is malformed: names the file, the rule and the reason."""

    def __init__(self, file: str, rule_id: str | None, reason: str):
        self.file, self.rule_id, self.reason = file, rule_id, reason
        where = f"{file}" + (f" rule {rule_id!r}" if rule_id else "")
        super().__init__(f"{where}: {reason}")


class Example(BaseModel):
    text: str
    match: str | None = Field(default=None, description="expected matched text (group 0), if given")


class Rule(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    id: str
    label: str
    pattern: str
    value: Any = None
    examples: list[Example] = []
    counter_examples: list[str] = []
    compiled: Any = None  # regex.Pattern, set by the loader

    @field_validator("examples", mode="before")
    @classmethod
    def _examples(cls, v):
        return [{"text": e} if isinstance(e, str) else e for e in (v or [])]

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        return self.compiled.finditer(text, pos, len(text) if endpos is None else endpos)

    def search(self, text: str, pos: int = 0):
        return self.compiled.search(text, pos)


class RuleSet(BaseModel):
    name: str
    description: str = ""
    rules: list[Rule]

    def with_label(self, label: str) -> list[Rule]:
        return [r for r in self.rules if r.label == label]

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


# Group syntax that may stand inside an alternation of several rules' patterns: non-capturing,
# lookaround and named groups. Anything else (an inline flag, which `regex` may apply to the whole
# pattern, a conditional) and numbered or named back-references could mean something else there.
_JOINABLE = regex.compile(r"\(\?(?!:|=|!|<=|<!|P<)|\\[1-9]|\(\?P=|\\g<")


def any_of(rules: list[Rule]) -> regex.Pattern | None:
    """One pattern that matches wherever one of `rules` matches: their patterns as one alternation.
    It answers "does none of them match?" in one search, before the rules are tried in order (the
    common answer for exclusion lists). None where the patterns cannot safely be joined."""
    if len(rules) < 2 or any(_JOINABLE.search(r.compiled.pattern) or r.compiled.flags & regex.VERSION1
                             for r in rules):
        return None
    return regex.compile("|".join(f"(?:{r.compiled.pattern})" for r in rules))


def expand_fragments(pattern: str, fragments: dict[str, str], file: str, rule_id: str | None) -> str:
    """Replace {NAME} references recursively; unknown names are an error."""
    for _ in range(10):
        def sub(m: regex.Match) -> str:
            name = m.group(1)
            if name not in fragments:
                raise RuleSetError(file, rule_id, f"unknown fragment {{{name}}}")
            return fragments[name]

        new = _FRAGMENT_REF.sub(sub, pattern)
        if new == pattern:
            return new
        pattern = new
    raise RuleSetError(file, rule_id, "fragment references nest too deeply (cycle?)")


def compile_rules(name: str, data: dict, file: str) -> RuleSet:
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleSetError(file, None, "expected a mapping with a 'rules' list")
    fragments = dict(FRAGMENTS)
    for key, frag in (data.get("fragments") or {}).items():
        if not _FRAGMENT_REF.fullmatch("{" + key + "}"):
            raise RuleSetError(file, None, f"fragment name {key!r} must be CAPITALS")
        fragments[key] = expand_fragments(str(frag), fragments, file, None)
    rules, seen = [], set()
    for raw in data["rules"]:
        rid = raw.get("id") if isinstance(raw, dict) else None
        try:
            rule = Rule.model_validate(raw)
        except Exception as exc:  # pydantic's message says which key is wrong
            raise RuleSetError(file, rid, f"malformed rule: {exc}") from exc
        if rule.id in seen:
            raise RuleSetError(file, rule.id, "duplicate rule id")
        seen.add(rule.id)
        source = expand_fragments(rule.pattern, fragments, file, rule.id)
        try:
            rule.compiled = regex.compile(source, regex.VERSION1 if "(?V1)" in source else 0)
        except regex.error as exc:
            raise RuleSetError(file, rule.id, f"pattern does not compile: {exc}") from exc
        for ex in rule.examples:
            found = [m.group(0) for m in rule.compiled.finditer(ex.text)]
            if not found:
                raise RuleSetError(file, rule.id, f"example does not match: {ex.text!r}")
            if ex.match is not None and ex.match not in found:
                raise RuleSetError(file, rule.id, f"example {ex.text!r} matched {found}, expected {ex.match!r}")
        for cex in rule.counter_examples:
            m = rule.compiled.search(cex)
            if m:
                raise RuleSetError(file, rule.id, f"counter-example matches: {cex!r} ({m.group(0)!r})")
        rules.append(rule)
    return RuleSet(name=name, description=str(data.get("description", "")), rules=rules)


@lru_cache(maxsize=None)
def load_ruleset(name: str) -> RuleSet:
    """Load extractors/data/rules/<name>.yaml, validated and compiled (cached)."""
    file = f"rules/{name}.yaml"
    path = resources.files("extractors") / "data" / file
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RuleSetError(file, None, "no such rule file") from exc
    except yaml.YAMLError as exc:
        raise RuleSetError(file, None, f"invalid YAML: {exc}") from exc
    return compile_rules(name, data, file)


@lru_cache(maxsize=None)
def load_tsv(name: str) -> tuple[dict[str, str], ...]:
    """Load extractors/data/dicts/<name>.tsv as rows (header line names the columns; # comments)."""
    path = resources.files("extractors") / "data" / "dicts" / f"{name}.tsv"
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    return tuple(csv.DictReader(lines, delimiter="\t"))


def rule_files() -> list[str]:
    """Names of every rule file shipped with the package."""
    folder = resources.files("extractors") / "data" / "rules"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))
