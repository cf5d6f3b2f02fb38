"""Benchmark the structured-format readers (run by hand, not in CI): PDF pages/s and .docx plans/s
per core, reading only (decode to text), over the committed fixtures.

    python bench/formats_bench.py [--rounds 5]
Targets (issue 5): >= 20 PDF pages/s and >= 50 .docx plans/s per core.

Both wall-clock and CPU (process) time are reported: on a shared machine the wall-clock figure
drops with other load, the CPU figure is the per-core rate. The PDF fixtures use a CJK font that
is not embedded (reportlab's STSong-Light), which PDFium substitutes with a system font at a cost
of ~10 us per glyph; PDFs with embedded font subsets, the usual case, load several times faster.
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
    w0, c0, pages = time.perf_counter(), time.process_time(), 0
    for _ in range(args.rounds):
        for data in pdfs:
            pages += len(pdf_to_text(data).page_starts)
    pdf_wall, pdf_cpu = time.perf_counter() - w0, time.process_time() - c0
    w0, c0, n = time.perf_counter(), time.process_time(), 0
    for _ in range(args.rounds * 4):    # a plan takes milliseconds: more rounds for a stable figure
        for data in docs:
            docx_to_text(data)
            n += 1
    docx_wall, docx_cpu = time.perf_counter() - w0, time.process_time() - c0
    print(f"PDF : {pages} pages, wall {pdf_wall:.2f}s = {pages / pdf_wall:.1f} pages/s, "
          f"cpu {pdf_cpu:.2f}s = {pages / pdf_cpu:.1f} pages/s per core (target >= 20)")
    print(f"DOCX: {n} plans, wall {docx_wall:.2f}s = {n / docx_wall:.1f} plans/s, "
          f"cpu {docx_cpu:.2f}s = {n / docx_cpu:.1f} plans/s per core (target >= 50)")


if __name__ == "__main__":
    main()
