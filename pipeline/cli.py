"""The `zhengce` command line: thin verbs over pipeline.ingest, pipeline.export and the store."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from pipeline.ingest import FileResult, IngestReport, collect_paths, ingest_paths
from pipeline.store import Store

DEFAULT_DB = Path("output/zhengce.db")

app = typer.Typer(
    help="zhengce (政策): turn Chinese local-government policy plans into a queryable SQLite database.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DbOption = Annotated[Path, typer.Option("--db", help="SQLite database file (created if missing).")]


def _summary(report: IngestReport) -> str:
    counts = {k: len(report.by_outcome(k)) for k in ("ingested", "replaced", "unchanged", "failed")}
    total_bytes = sum(r.size_bytes for r in report.results if r.outcome in ("ingested", "replaced"))
    lines = [
        f"{len(report.results)} files in {report.seconds:.2f} s: "
        f"{counts['ingested']} ingested, {counts['replaced']} replaced, "
        f"{counts['unchanged']} unchanged, {counts['failed']} failed"
        + (f" ({total_bytes / 1e6:.2f} MB processed)" if total_bytes else "")
    ]
    if report.skipped_hidden:
        lines.append(f"skipped {len(report.skipped_hidden)} hidden files (names starting with '.')")
    for r in report.failed:
        lines.append(f"FAILED {r.path}: {r.error}")
    return "\n".join(lines)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders (searched recursively) to ingest.")],
    db: DbOption = DEFAULT_DB,
    progress: Annotated[bool, typer.Option(help="Show a progress bar (only ever on a terminal).")] = True,
    corrections: Annotated[Path | None, typer.Option(
        "--corrections", help="Unit corrections (TSV: alias, canonical name or NOT_A_UNIT, optional "
        "jurisdiction), applied on every ingest; default: corrections.tsv in the working directory, if present.")] = None,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", min=1, help="Extract in this many worker processes while one process writes (same "
        "database as a serial run). Pays off from a few dozen plans: each worker takes seconds to start.")] = 1,
) -> None:
    """Ingest plans into the database: one transaction per document, bad files reported and skipped.

    Unit mentions are then resolved to canonical units (see the README's corrections section).
    Exits with status 1 if any file failed.
    """
    if corrections is None and Path("corrections.tsv").is_file():
        corrections = Path("corrections.tsv")
    if corrections is not None and not corrections.is_file():
        typer.echo(f"no corrections file at {corrections}", err=True)
        raise typer.Exit(code=2)
    if corrections is not None:
        from pipeline.canonical import CorrectionsError, load_corrections

        try:
            load_corrections(corrections)  # a malformed line stops the run before anything is written
        except CorrectionsError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(code=2)
    store = Store.open(db)
    try:
        if progress and sys.stderr.isatty():
            from rich.progress import Progress

            files, _, _ = collect_paths(paths)
            with Progress(transient=True) as bar:
                task = bar.add_task("ingesting", total=len(files))

                def advance(result: FileResult) -> None:
                    bar.update(task, advance=1, description=result.path.name[:40])

                report = ingest_paths(paths, store, on_file=advance, corrections=corrections, jobs=jobs)
        else:
            report = ingest_paths(paths, store, corrections=corrections, jobs=jobs)
    finally:
        store.close()
    typer.echo(_summary(report))
    if report.canonical is not None:
        c = report.canonical
        typer.echo(f"{c.mentions} unit mentions → {c.units} canonical units" + (" (unchanged)" if c.skipped else "")
                   + (f" ({c.corrected} corrected, {c.not_units} not units; corrections: {corrections})" if corrections else ""))
        for unused in c.corrections_unused:
            typer.echo(f"correction matched no mention: {unused.alias}", err=True)
    typer.echo(f"database: {db}")
    if not report.ok:
        raise typer.Exit(code=1)


class ExportFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


@app.command()
def export(
    db: DbOption = DEFAULT_DB,
    format: Annotated[ExportFormat, typer.Option("--format", help="Export format.")] = ExportFormat.json,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("output/export"),
) -> None:
    """Export every document: json writes OUT/<source file stem>.json with FORMAT.md's keys;
    jsonl and csv write OUT/tasks.jsonl or OUT/tasks.csv, one row per task for tracking systems
    (stable ids, canonical units; CSV in UTF-8 with BOM for Excel). Schemas: schemas/json/.
    """
    if not db.exists():
        typer.echo(f"no database at {db}; run `zhengce ingest` first", err=True)
        raise typer.Exit(code=2)
    from pipeline.export import export_json

    store = Store.open(db)
    try:
        if format == ExportFormat.json:
            written = export_json(store, out)
        else:
            from pipeline.export_tasks import export_tasks

            written = [export_tasks(store, out, format.value)]
    finally:
        store.close()
    typer.echo(f"wrote {len(written)} files to {out}")


@app.command("eval")
def eval_(
    gold: Annotated[Path, typer.Option("--gold", help="Folder of gold JSON files (FORMAT.md).")],
    db: DbOption = DEFAULT_DB,
    mismatches: Annotated[Path, typer.Option("--mismatches", help="Where to write every mismatch (JSON).")] = Path(
        "output/eval_mismatches.json"),
) -> None:
    """Score the database against gold files: precision, recall and F1 per field.

    Documents are paired with gold files by source file name (else by stem, so a .docx or .pdf
    version scores against the .txt's gold); a gold file whose document is not in the database
    counts as entirely missed.
    """
    import json

    from pipeline.evaluate import pair_with_gold, score

    if not db.exists():
        typer.echo(f"no database at {db}; run `zhengce ingest` first", err=True)
        raise typer.Exit(code=2)
    golds = [g for g in (json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold.glob("*.json"))
                         if not p.name.startswith(".")) if "file" in g]   # entity files carry no "file"
    if not golds:
        typer.echo(f"no gold files in {gold}", err=True)
        raise typer.Exit(code=2)
    store = Store.open(db)
    try:
        pairs, missing = pair_with_gold(store, golds)
    finally:
        store.close()
    for name in missing:
        typer.echo(f"not in the database: {name}", err=True)
    report = score(pairs)
    typer.echo(f"{len(pairs)} documents scored")
    typer.echo(report.table())
    mismatches.parent.mkdir(parents=True, exist_ok=True)
    mismatches.write_text(json.dumps(report.mismatches, ensure_ascii=False, indent=1), encoding="utf-8")
    typer.echo(f"{len(report.mismatches)} mismatches written to {mismatches}")


# Commands defined in their own modules register themselves on `app` when imported.
import pipeline.cli_compare  # noqa: E402,F401  compare …, diff
import pipeline.cli_browse  # noqa: E402,F401  serve, search, report



def main() -> None:
    """The console script: the app, with a database this version cannot use reported in one line
    (every verb opens the database, so this is said here once)."""
    from pipeline.errors import DatabaseLayoutError

    try:
        app()
    except DatabaseLayoutError as exc:
        typer.echo(str(exc), err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
