"""Document metadata (FORMAT.md's header fields), each value with the span it came from."""
import datetime as dt

from pydantic import BaseModel, Field

from schemas.labels import AdminLevel
from schemas.spans import CharSpan


class Citation(BaseModel):
    """A document the plan invokes by its title in 《》."""

    title: str = Field(description="title without 《》, line breaks and stray spaces removed")
    doc_number: str | None = Field(default=None, description="发文字号 given beside the title, if any")
    span: CharSpan


class DocMeta(BaseModel):
    title: str | None = Field(description="the plan's own title, without 《》 and 关于印发…的通知")
    jurisdiction: str | None = Field(description="the government whose plan it is (甘州区, 全国)")
    province: str | None
    prefecture: str | None = Field(default=None, description="prefecture-level city above a county, if any")
    admin_level: AdminLevel | None
    issuer: str | None = Field(description="issuing body from the header or the signature")
    doc_number: str | None = Field(description="发文字号, normalised to 代字〔年份〕序号号")
    date: dt.date | None = Field(description="成文日期")
    status: str | None = Field(description="征求意见稿 / 讨论稿 / 送审稿 …; None for a final text")
    base_year: int | None = Field(description="the year relative dates (年底前, 6月底) refer to")
    cited_documents: list[Citation] = []
    spans: dict[str, CharSpan] = Field(
        default_factory=dict, description="provenance of each scalar field, keyed by field name")
