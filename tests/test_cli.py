"""The command line: every verb has help; a batch goes on past a bad file and exits non-zero."""
import json
import shutil

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()


def commands():
    import typer.main

    return sorted(typer.main.get_command(app).commands)


def test_there_are_commands():
    assert {"ingest", "export", "eval"} <= set(commands())


@pytest.mark.parametrize("name", commands())
def test_every_command_has_help(name):
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output
    import typer.main

    assert typer.main.get_command(app).commands[name].help, f"{name} has no help text"


def test_batch_with_corrupt_file_ingests_the_rest(tmp_path, corpus_dir):
    batch = tmp_path / "batch"
    (batch / "sub").mkdir(parents=True)
    shutil.copy(corpus_dir / "000_d18375a228b56b19.txt", batch)
    shutil.copy(corpus_dir / "004_c0d36fa321cfe27d.txt", batch / "sub")
    (batch / "broken.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe\x00" * 50)
    (batch / "empty.txt").write_bytes(b"")
    (batch / "scan.xlsx").write_bytes(b"PK\x03\x04")
    db = tmp_path / "cli.db"
    result = runner.invoke(app, ["ingest", str(batch), "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert "2 ingested" in result.output and "3 failed" in result.output
    assert "broken.txt" in result.output and "binary content" in result.output
    assert "empty.txt" in result.output and "empty file" in result.output
    assert "scan.xlsx" in result.output and "unsupported file type" in result.output
    import sqlite_utils

    names = sorted(r["file_name"] for r in sqlite_utils.Database(db)["documents"].rows)
    assert names == ["000_d18375a228b56b19.txt", "004_c0d36fa321cfe27d.txt"]


def test_ingest_then_export_json(tmp_path, corpus_dir):
    db = tmp_path / "e.db"
    result = runner.invoke(app, ["ingest", str(corpus_dir), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "5 ingested" in result.output
    again = runner.invoke(app, ["ingest", str(corpus_dir), "--db", str(db)])
    assert again.exit_code == 0 and "5 unchanged" in again.output
    out = tmp_path / "json"
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.glob("*.json"))
    assert files == [p.stem + ".json" for p in sorted(corpus_dir.glob("*.txt"))]
    gold_keys = set(json.loads((corpus_dir.parent / "tests/gold/003_9823cad0ae2b82be.json").read_text()))
    exported = json.loads((out / "003_9823cad0ae2b82be.json").read_text(encoding="utf-8"))
    assert gold_keys - {"notes"} <= set(exported)
    assert exported["doc_number"] == "昌市政办发〔2021〕14号"


def test_export_without_database_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["export", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "no database" in result.output


def test_eval_prints_scores_and_writes_mismatches(tmp_path, corpus_dir):
    db = tmp_path / "ev.db"
    assert runner.invoke(app, ["ingest", str(corpus_dir / "002_7ead9b338588c065.txt"), "--db", str(db)]).exit_code == 0
    mm = tmp_path / "mm.json"
    result = runner.invoke(app, ["eval", "--gold", str(corpus_dir.parent / "tests/gold"), "--db", str(db),
                                 "--mismatches", str(mm)])
    assert result.exit_code == 0, result.output
    lines = {ln.split()[0]: ln.split() for ln in result.output.splitlines() if ln and ln.split()[0] in (
        "tasks", "lead", "targets")}
    # only 002 is in the database: the other four gold files are entirely missed, so recall is partial
    assert set(lines) == {"tasks", "lead", "targets"}
    tasks_tp = int(lines["tasks"][4])
    assert tasks_tp == 26
    assert "not in the database: 000_d18375a228b56b19.txt" in result.output
    missed = json.loads(mm.read_text(encoding="utf-8"))
    assert any(m["file"] == "003_9823cad0ae2b82be.txt" and m["field"] == "tasks" for m in missed)
