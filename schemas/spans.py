"""Provenance: where in the source a record came from."""
from pydantic import BaseModel, ConfigDict, Field, model_validator


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

    @model_validator(mode="after")
    def _ordered(self) -> "CharSpan":
        if self.end < self.start or self.orig_end < self.orig_start:
            raise ValueError(f"span end before start: {self}")
        return self
