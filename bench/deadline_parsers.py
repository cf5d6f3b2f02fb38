"""Which time parser is right for deadlines: jionlp or extractors.deadlines? And how fast is ours?

    python bench/deadline_parsers.py [--repeat N]

1. Per expression: every gold deadline text (tests/gold/0*.json) parsed alone by
   jionlp.parse_time(text, time_base=<base year>-01-01) and by find_deadlines(text, base_year);
   each is right when its (kind, date) equals the gold's. Disagreements are printed.
2. Per item: jionlp.ner.extract_time over each gold task's text (sliced as in the tests) against
   find_deadlines, scored like the gold (multiset of (kind, date) per task).
3. Speed: find_deadlines over every line of the five samples, repeated, in MB/s of text (UTF-8),
   and time per expression of both parsers.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import time
from collections import Counter
from pathlib import Path

from extractors.deadlines import find_deadlines

ROOT = Path(__file__).resolve().parents[1]


def _tests_helpers():
    spec = importlib.util.spec_from_file_location("_dl_tests", ROOT / "tests" / "test_deadlines.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _jionlp():
    with contextlib.redirect_stdout(io.StringIO()):  # jionlp prints a banner on import
        import jionlp
    return jionlp


def _base(year: int) -> float:
    return time.mktime((year, 1, 1, 0, 0, 0, 0, 0, -1))


def jio_kind_date(result: dict) -> tuple[str, str | None] | None:
    """Map a jionlp parse to (kind, date) the way FORMAT defines them; None when it has no reading."""
    typ, t = result["type"], result["time"]
    if typ == "time_period":
        return ("ongoing", None)
    if typ not in ("time_point", "time_span"):
        return None  # time_delta (半年) has no date
    start, end = t[0], t[1]
    if end in ("inf", "-inf"):
        return None
    if start == "-inf" or start[:4] == end[:4]:
        return ("by", end[:10])
    return ("range", end[:10])


def per_expression(jio, gold_files, single_year_of):
    rows = []
    for gf in gold_files:
        g = json.loads(gf.read_text(encoding="utf-8"))
        single = single_year_of(g["title"])
        for task in g["tasks"]:
            for d in task["deadlines"]:
                want = (d["kind"], d["date"])
                try:
                    j = jio_kind_date(jio.parse_time(d["text"], time_base=_base(g["base_year"])))
                except Exception:  # jionlp raises ValueError on text it cannot parse
                    j = None
                ours = [(m.kind, m.date) for m in find_deadlines(d["text"], g["base_year"], single_year=single)]
                rows.append((d["text"], want, j, ours[0] if len(ours) == 1 else tuple(ours)))
    return rows


def per_item(jio, helpers):
    j_tp = j_fp = j_fn = o_tp = o_fp = o_fn = 0
    for gf in helpers.GOLD:
        g = json.loads(gf.read_text(encoding="utf-8"))
        doc = (ROOT / "corpus" / g["file"]).read_text(encoding="utf-8")
        single = helpers.is_single_year(g["title"])
        for task in g["tasks"]:
            text = helpers.slice_task(doc, task["quote"])
            gold = Counter((d["kind"], d["date"]) for d in task["deadlines"])
            found = jio.ner.extract_time(text, time_base=_base(g["base_year"]), with_parsing=True)
            jp = Counter(x for x in (jio_kind_date(f["detail"]) for f in found) if x)
            op = Counter((m.kind, m.date) for m in find_deadlines(text, g["base_year"], single_year=single))
            for pred, acc in ((jp, "j"), (op, "o")):
                common = sum((gold & pred).values())
                fp, fn = sum(pred.values()) - common, sum(gold.values()) - common
                if acc == "j":
                    j_tp, j_fp, j_fn = j_tp + common, j_fp + fp, j_fn + fn
                else:
                    o_tp, o_fp, o_fn = o_tp + common, o_fp + fp, o_fn + fn
    return (j_tp, j_fp, j_fn), (o_tp, o_fp, o_fn)


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def speed(repeat: int):
    lines = [ln for f in sorted((ROOT / "corpus").glob("*.txt"))
             for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
    size = sum(len(ln.encode("utf-8")) for ln in lines) * repeat
    find_deadlines("到2025年底", 2025)  # load and compile the rules outside the timing
    t0 = time.perf_counter()
    n = 0
    for _ in range(repeat):
        for ln in lines:
            n += len(find_deadlines(ln, 2023, single_year=True))
    dt = time.perf_counter() - t0
    return size / dt / 1e6, size, dt, n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    helpers = _tests_helpers()
    t0 = time.perf_counter()
    jio = _jionlp()
    print(f"jionlp import: {time.perf_counter() - t0:.2f}s")

    rows = per_expression(jio, helpers.GOLD, helpers.is_single_year)
    j_ok = sum(1 for _, want, j, _ in rows if j == want)
    o_ok = sum(1 for _, want, _, o in rows if o == want)
    print(f"\n1. per expression ({len(rows)} gold deadline texts, parsed alone):")
    print(f"   jionlp.parse_time right: {j_ok}/{len(rows)}   find_deadlines right: {o_ok}/{len(rows)}")
    wrong = Counter((text, want, j) for text, want, j, _ in rows if j != want)
    for (text, want, j), n in wrong.items():
        print(f"   jionlp wrong x{n}: {text!r} gold {want} jionlp {j}")
    for text, want, _, o in rows:
        if o != want:
            print(f"   rules wrong: {text!r} gold {want} rules {o}")

    j, o = per_item(jio, helpers)
    print("\n2. per item (gold task texts, scored on (kind, date)):")
    print("   jionlp.ner.extract_time  tp=%d fp=%d fn=%d  P=%.3f R=%.3f F1=%.3f" % (*j, *prf(*j)))
    print("   find_deadlines           tp=%d fp=%d fn=%d  P=%.3f R=%.3f F1=%.3f" % (*o, *prf(*o)))

    texts = [r[0] for r in rows]
    t0 = time.perf_counter()
    for t in texts:
        try:
            jio.parse_time(t, time_base=_base(2025))
        except Exception:
            pass
    tj = (time.perf_counter() - t0) / len(texts)
    t0 = time.perf_counter()
    for t in texts:
        find_deadlines(t, 2025)
    to = (time.perf_counter() - t0) / len(texts)
    mbs, size, dt, n = speed(args.repeat)
    print(f"\n3. speed: per expression jionlp {tj * 1e6:.0f} µs, rules {to * 1e6:.0f} µs")
    print(f"   find_deadlines over sample lines x{args.repeat}: {size / 1e6:.2f} MB in {dt:.2f}s "
          f"= {mbs:.2f} MB/s ({n} matches)")


if __name__ == "__main__":
    main()
