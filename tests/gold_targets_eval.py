"""Score find_targets + assign_years against the targets of the sample gold files.

Used by tests/test_targets.py and runnable alone (python tests/gold_targets_eval.py) to print
mismatches. The section segmenter and the time-statement finder are written elsewhere, so this
file uses stand-ins: the body runs from the goal heading to the first 附件 line, every line is one
paragraph, and a paragraph's time statements are its YEAR年 mentions (baselines and starts left out).
Table cells without a unit (表1 of sample 001) are left to the stage and are not scored here.
"""
from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import regex

from extractors import measure_units
from extractors.targets import assign_years, find_targets

ROOT = Path(__file__).resolve().parents[1]
GOLD = sorted((ROOT / "tests" / "gold").glob("0*.json"))
_GOAL_HEADING = regex.compile(r"^[ \t]*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)?\S{0,8}目标(?:[：:]|\s*$)", regex.M)
_GOAL_INLINE = regex.compile(r"^.{0,20}目标[：:]", regex.M)
_APPENDIX = regex.compile(r"^[ \t]*附件", regex.M)
_STATEMENT = regex.compile(r"(?<![较比从自与\d])((?:19|20)\d{2})\s*年(?:\s*[-—–至]\s*((?:19|20)\d{2})\s*年)?(?!度|起|开始|以来|已)")


def body(text: str) -> tuple[int, int]:
    starts = [m.start() for m in (_GOAL_HEADING.search(text), _GOAL_INLINE.search(text)) if m]
    end = _APPENDIX.search(text)
    return min(starts) if starts else 0, end.start() if end else len(text)


def statements(paragraph: str) -> list[tuple[int, int]]:
    return [(m.start(), int(m.group(2) or m.group(1))) for m in _STATEMENT.finditer(paragraph)]


def plan_year(gold: dict) -> int | None:
    """Stand-in for the metadata stage: an annual plan (工作要点, 年度) covers its base year."""
    title = gold.get("title") or ""
    return gold["base_year"] if regex.search(r"工作要点|年度", title) else None


def predict(text: str, year: int | None) -> list[dict]:
    start, end = body(text)
    out, pos = [], start
    for line in text[start:end].split("\n"):
        found = find_targets(line)
        for t, y in zip(found, assign_years(found, statements(line), year)):
            out.append({"text": t.text, "indicator": t.indicator, "comparator": t.comparator,
                        "value": t.value, "value_max": t.value_max, "unit": t.unit, "year": y, "offset": pos})
        pos += len(line) + 1
    return out


def key(t: dict, with_year: bool) -> tuple:
    v, base = measure_units.to_base(Decimal(str(t["value"])), t["unit"])
    vmax = measure_units.to_base(Decimal(str(t["value_max"])), t["unit"])[0] if t["value_max"] is not None else None
    return (v, vmax, base) + ((t["year"],) if with_year else ())


def is_table_cell(t: dict) -> bool:
    # gold targets read from a task's own table (a cell value, no words): left to the stage
    return regex.fullmatch(r"[\d.\-–]+", t["text"]) is not None


def score(with_year: bool) -> dict:
    tp = fp = fn = 0
    cmp_ok = cmp_n = 0
    misses, extras = [], []
    for path in GOLD:
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = (ROOT / "corpus" / gold["file"]).read_text(encoding="utf-8")
        golds = [g for g in gold["targets"] if not is_table_cell(g)]
        preds = predict(text, plan_year(gold))
        remaining = Counter(key(p, with_year) for p in preds)
        pred_by_key: dict[tuple, list[dict]] = {}
        for p in preds:
            pred_by_key.setdefault(key(p, with_year), []).append(p)
        for g in golds:
            k = key(g, with_year)
            if remaining[k] > 0:
                remaining[k] -= 1
                tp += 1
                p = pred_by_key[k].pop(0)
                cmp_n += 1
                if p["comparator"] == g["comparator"]:
                    cmp_ok += 1
                else:
                    misses.append((gold["file"], "comparator", g["text"], g["comparator"], p["comparator"]))
            else:
                fn += 1
                misses.append((gold["file"], "missed", g["text"], k))
        for k, n in remaining.items():
            for p in pred_by_key[k][:n] if n > 0 else []:
                fp += 1
                extras.append((gold["file"], "extra", p["text"], k))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1,
            "comparator_accuracy": cmp_ok / cmp_n if cmp_n else 0.0, "mismatches": misses + extras}


if __name__ == "__main__":
    for with_year in (False, True):
        s = score(with_year)
        print(f"with_year={with_year}: P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f} "
              f"tp={s['tp']} fp={s['fp']} fn={s['fn']} comparator={s['comparator_accuracy']:.3f}")
        for m in s["mismatches"]:
            print("   ", m)
