"""What ingestion produces for one source file: its text, section tree and tables."""
from pydantic import BaseModel, Field

from schemas.labels import LabelStyle, SectionKind
from schemas.metadata import DocMeta
from schemas.spans import CharSpan
from schemas.task import Target, Task, TaskRow


class SourceInfo(BaseModel):
    """The file a document was read from. A document is identified by the hash of its bytes."""

    path: str = Field(description="path as given on the command line, resolved")
    file_name: str
    stem: str = Field(description="file name without suffix; names the JSON export")
    sha256: str = Field(description="hex SHA-256 of the file's bytes: the document id")
    size_bytes: int
    media_type: str = Field(description="text/plain, application/pdf, …")
    encoding: str | None = Field(default=None, description="detected text encoding, for text files")


class Section(BaseModel):
    """One node of the section tree. The root (index 0) spans the whole text."""

    index: int = Field(ge=0, description="position in document order; the root is 0")
    parent: int | None = Field(description="index of the parent section; None for the root")
    depth: int = Field(ge=0, description="distance from the root")
    kind: SectionKind
    label: str | None = Field(description="numbering label as a reader cites it: 二, （一）, 1, （1）, ①, 附件2")
    label_style: LabelStyle
    path: list[str] = Field(description="labels from the top section down to this one")
    title: str | None = Field(description="heading text, or an item's lead phrase up to its first 。")
    text: str = Field(description="normalised text of the section, heading line and all descendants included")
    span: CharSpan = Field(description="the whole section, descendants included")
    title_span: CharSpan | None = None


class TableCell(BaseModel):
    row: int = Field(ge=0, description="0-based row index; header rows come first")
    col: int = Field(ge=0)
    text: str = Field(description="cell text with in-cell line breaks removed")
    is_header: bool = False
    span: CharSpan | None = Field(description="None for a cell that is empty in the source")


class TableRow(BaseModel):
    row: int = Field(ge=0)
    label: str | None = Field(description="the table's own 序号, else group label + position (（一）-2), else item.sub (1.2)")
    group: str | None = Field(default=None, description="group label (（二）, 一、…) that the row falls under, if any")
    is_header: bool = False
    span: CharSpan


class Table(BaseModel):
    index: int = Field(ge=0, description="position among the document's tables")
    section: int = Field(description="index of the section that holds the table")
    label: str | None = Field(description="the appendix or table label: 附件2, 表1")
    caption: str | None = Field(description="the title line above the table")
    columns: list[str] = Field(description="header cell texts, whitespace removed")
    n_rows: int
    n_cols: int
    rows: list[TableRow]
    cells: list[TableCell]
    span: CharSpan


class Problem(BaseModel):
    """A coded warning raised while reading a document (see pipeline/errors.py)."""

    code: str
    message: str
    span: CharSpan | None = None


class Document(BaseModel):
    """Everything ingestion knows about one source file."""

    doc_id: str = Field(description="= source.sha256")
    source: SourceInfo
    original_text: str = Field(description="the decoded source text, untouched")
    text: str = Field(description="the normalised text that every span points into")
    meta: DocMeta
    sections: list[Section]
    tables: list[Table]
    tasks: list[Task] = []
    targets: list[Target] = []
    task_rows: list[TaskRow] = []
    problems: list[Problem] = []
