"""Legacy .doc/.wps plans go through LibreOffice and come out like the .docx they were made from.

LibreOffice is a system package that `scripts/install-system-deps.sh` installs; this test fails
(it does not skip) when `soffice` is missing, so a green run means the conversion really ran.
"""
import json
import shutil
import subprocess
from pathlib import Path

from pipeline.evaluate import pair_with_gold, score
from pipeline.ingest import ingest_paths
from pipeline.readers.legacy import soffice_binary
from pipeline.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "formats"
GOLD = Path(__file__).resolve().parent / "gold"
STEM = "002_7ead9b338588c065"


def test_doc_converted_through_libreoffice_scores_like_the_text(tmp_path):
    binary = soffice_binary()
    assert binary, "LibreOffice (soffice) is not installed: run scripts/install-system-deps.sh"
    # Make a real .doc from the .docx fixture with LibreOffice itself.
    subprocess.run([binary, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(FIXTURES / f"{STEM}.docx")],
                   check=True, capture_output=True, timeout=180)
    doc = tmp_path / f"{STEM}.doc"
    assert doc.is_file()
    store = Store.open(tmp_path / "legacy.db")
    report = ingest_paths([doc], store)
    assert report.ok, report.failed
    pairs, missing = pair_with_gold(store, [json.loads((GOLD / f"{STEM}.json").read_text(encoding="utf-8"))])
    assert not missing
    rep = score(pairs)
    for field in ("tasks", "lead", "support", "deadlines", "table_rows"):
        assert rep.fields[field].f1 >= 0.98, (field, rep.fields[field])
    shutil.rmtree(tmp_path / "lo-profile", ignore_errors=True)
