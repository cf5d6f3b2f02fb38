"""The one result type of the metadata extractors: a value with the text range it came from."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Found:
    """`value` read from text[start:end]; `rule` names the YAML rule (or heuristic) that found it."""

    value: Any
    start: int
    end: int
    rule: str = ""
