"""Provenance: where in the source a record came from."""
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

_FIELDS = ("start", "end", "orig_start", "orig_end", "page", "block")
_FIELDS_SET = frozenset(_FIELDS)
_new = object.__new__
# The setters of BaseModel's four slots, bound once: calling a slot's descriptor directly skips
# the attribute lookup object.__setattr__ makes on every call (checked_by_caller below).
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


class CharSpan(BaseModel):
    """A half-open character range [start, end) in a document's normalised text,
    with the range it maps to in the original (decoded) source text."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    orig_start: int = Field(ge=0)
    orig_end: int = Field(ge=0)
    page: int | None = Field(default=None, description="1-based page number, for paged sources (PDF)")
    block: int | None = Field(default=None, description="0-based paragraph/block index in the source, for structured sources (.docx)")

    def model_post_init(self, context: Any) -> None:
        # The ordering check runs when a span is validated into being. As a model_post_init and
        # not a model_validator(mode="after"), it is not run again each time an existing (frozen,
        # hence still ordered) span is passed into a record: an after-validator was, a Python
        # call per span per record (~500 a plan). Errors are the same ValidationError.
        if self.end < self.start or self.orig_end < self.orig_start:
            raise ValueError(f"span end before start: {self}")

    @classmethod
    def checked_by_caller(cls, start: int, end: int, orig_start: int, orig_end: int,
                          page: int | None, block: int | None) -> "CharSpan":
        """The span CharSpan(start=…, …, block=…) builds, for a caller that has already ensured
        what validation checks: ints, 0 <= start <= end and 0 <= orig_start <= orig_end (the
        span factory, pipeline/provenance.py, reads them from the cleaner's monotonic offset map).

        It is what model_construct() does without its generic per-field loop: every field set,
        no extra, no private state. A plan builds ~500 spans; on pydantic 2.14 this measured
        0.9 µs per span against 1.8 µs validated (model_construct: 2.8 µs). The slots are set
        through their descriptors' bound setters and each span gets its own fields set copied
        from a prebuilt one (set(frozenset) does not rehash the names): 1.9 -> 1.4 µs a span,
        interleaved runs on the same machine, ~485 spans a plan.
        tests/test_speed_spans.py checks that both ways build equal, equally-behaved models."""
        span = _new(cls)
        _set_dict(span, {"start": start, "end": end, "orig_start": orig_start, "orig_end": orig_end,
                         "page": page, "block": block})
        _set_fields_set(span, set(_FIELDS_SET))
        _set_extra(span, None)
        _set_private(span, None)
        return span
