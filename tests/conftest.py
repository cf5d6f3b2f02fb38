import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLD = Path(__file__).resolve().parent / "gold"


def gold_files() -> list[Path]:
    return sorted(GOLD.glob("0*.json"))


def load_gold(stem: str) -> dict:
    return json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture
def tmp_db(tmp_path) -> Path:
    return tmp_path / "out" / "test.db"


@pytest.fixture(scope="session")
def ingested_corpus(tmp_path_factory):
    """The sample corpus ingested once into a database shared by read-only tests."""
    from pipeline.ingest import ingest_paths
    from pipeline.store import Store

    db_path = tmp_path_factory.mktemp("corpus") / "corpus.db"
    store = Store.open(db_path)
    report = ingest_paths([CORPUS], store)
    assert report.ok, [r.error for r in report.failed]
    yield store
    store.close()
