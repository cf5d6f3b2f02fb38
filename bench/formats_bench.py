"""Benchmark the structured-format readers (run by hand, not in CI): PDF pages/s and .docx plans/s
per core, reading only (decode to text), over the committed fixtures.

    python bench/formats_bench.py [--rounds 5]
Targets (issue 5): >= 20 PDF pages/s and >= 50 .docx plans/s per core.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.readers.docx import docx_to_text  # noqa: E402
from pipeline.readers.pdf import pdf_to_text  # noqa: E402

FIX = ROOT / "tests" / "fixtures" / "formats"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    pdfs = [p.read_bytes() for p in sorted(FIX.glob("0*.pdf"))]
    docs = [p.read_bytes() for p in sorted(FIX.glob("0*.docx"))]
    pdf_to_text(pdfs[0]), docx_to_text(docs[0])   # imports and caches outside the timing
    t0, pages = time.perf_counter(), 0
    for _ in range(args.rounds):
        for data in pdfs:
            pages += len(pdf_to_text(data).page_starts)
    pdf_s = time.perf_counter() - t0
    t0, n = time.perf_counter(), 0
    for _ in range(args.rounds):
        for data in docs:
            docx_to_text(data)
            n += 1
    docx_s = time.perf_counter() - t0
    print(f"PDF : {pages} pages in {pdf_s:.2f}s = {pages / pdf_s:.1f} pages/s (target >= 20)")
    print(f"DOCX: {n} plans in {docx_s:.2f}s = {n / docx_s:.1f} plans/s (target >= 50)")


if __name__ == "__main__":
    main()
