"""Score exported documents against gold files, as ../gold/FORMAT.md's "Scoring" section says.

- tasks match on their quote (first 16 non-whitespace characters after the item number);
- lead / support units match by name after whitespace removal, per matched task (units of an
  unmatched task count as missed or spurious); a name that writes the jurisdiction out (昌吉市水利局)
  matches the gold name with the level prefix (市水利局);
- deadlines match on (kind, date) per matched task; targets on (value, value_max, unit in its base
  unit, year) per document, and the comparator is scored on matched pairs;
- table rows match on their quote, and their units and deadline_text per matched row;
- metadata fields compare exactly (strings after whitespace removal); cited documents as a set.
Every field is reported as precision, recall and F1 over the whole corpus; every mismatch is kept.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import regex

META_FIELDS = ("title", "jurisdiction", "province", "admin_level", "issuer", "doc_number", "date",
               "status", "base_year")
_WS = regex.compile(r"\s+")
_WIDTH = str.maketrans("()（）:：,，", "（）（）：：，，")


def squash(s) -> str:
    return _WS.sub("", str(s)) if s is not None else ""


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def miss(self, n: int = 1) -> None:
        self.fn += n

    def spurious(self, n: int = 1) -> None:
        self.fp += n

    def add(self, pred: Counter, gold: Counter) -> tuple[list, list]:
        tp = sum((pred & gold).values())
        self.tp += tp
        spurious, missed = list((pred - gold).elements()), list((gold - pred).elements())
        self.fp += len(spurious)
        self.fn += len(missed)
        return spurious, missed


@dataclass
class EvalReport:
    fields: dict[str, Tally] = field(default_factory=dict)
    mismatches: list[dict] = field(default_factory=list)

    def tally(self, name: str) -> Tally:
        return self.fields.setdefault(name, Tally())

    def note(self, file: str, fld: str, where, spurious, missed) -> None:
        if spurious or missed:
            self.mismatches.append({"file": file, "field": fld, "where": where,
                                    "spurious": spurious, "missed": missed})

    def table(self) -> str:
        lines = [f"{'field':<22}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}"]
        for name, t in self.fields.items():
            lines.append(f"{name:<22}{t.precision:7.3f}{t.recall:7.3f}{t.f1:7.3f}{t.tp:6d}{t.fp:6d}{t.fn:6d}")
        return "\n".join(lines)


def unit_key(name: str, jurisdiction: str | None) -> str:
    name = squash(name)
    if jurisdiction and len(jurisdiction) >= 2 and name.startswith(jurisdiction) and len(name) > len(jurisdiction):
        name = jurisdiction[-1] + name[len(jurisdiction):]   # 昌吉市水利局 -> 市水利局
    return name


def quote_key(q: str) -> str:
    return squash(q)[:16].translate(_WIDTH)


def _base_unit(value, unit):
    try:
        from extractors.measure_units import to_base
    except ImportError:  # before the target extractor exists, compare units as written
        return value, unit
    try:
        v, u = to_base(value, unit)
        return float(v), u
    except Exception:
        return value, unit


def _target_key(t: dict):
    value, unit = _base_unit(t.get("value"), t.get("unit") or "")
    vmax = t.get("value_max")
    if vmax is not None:
        vmax, _ = _base_unit(vmax, t.get("unit") or "")
    r = lambda x: None if x is None else round(float(x), 6)
    return (r(value), r(vmax), unit, t.get("year"))


def score(pairs: list[tuple[dict, dict]]) -> EvalReport:
    """pairs: (predicted export, gold) per document."""
    rep = EvalReport()
    for name in ("metadata", "cited_documents", "tasks", "lead", "support", "deadlines", "targets",
                 "target_comparator", "table_rows", "table_row_lead", "table_row_support", "table_row_deadline"):
        rep.tally(name)
    for pred, gold in pairs:
        f = gold["file"]
        jur = gold.get("jurisdiction")
        # metadata
        for k in META_FIELDS:
            g, p = gold.get(k), pred.get(k)
            gs, ps = squash(g), squash(p)
            t = rep.tally("metadata")
            if gs and ps == gs:
                t.tp += 1
            else:
                if ps:
                    t.fp += 1
                if gs:
                    t.fn += 1
                if gs != ps:
                    rep.note(f, f"metadata.{k}", k, [p] if ps else [], [g] if gs else [])
        sp, mi = rep.tally("cited_documents").add(
            Counter(quote_key(c) + squash(c)[16:] for c in set(map(squash, pred.get("cited_documents", [])))),
            Counter(quote_key(c) + squash(c)[16:] for c in set(map(squash, gold.get("cited_documents", [])))))
        rep.note(f, "cited_documents", None, sp, mi)
        _score_items(rep, f, jur, pred.get("tasks", []), gold.get("tasks", []), "tasks", "lead", "support")
        _score_items(rep, f, jur, pred.get("table_rows", []), gold.get("table_rows", []), "table_rows",
                     "table_row_lead", "table_row_support")
        # targets, per document
        pt = Counter(_target_key(t) for t in pred.get("targets", []))
        gt = Counter(_target_key(t) for t in gold.get("targets", []))
        sp, mi = rep.tally("targets").add(pt, gt)
        rep.note(f, "targets", None, sp, mi)
        gold_cmp = {}
        for t in gold.get("targets", []):
            gold_cmp.setdefault(_target_key(t), []).append(t.get("comparator"))
        for t in pred.get("targets", []):
            options = gold_cmp.get(_target_key(t))
            if options:
                want = options.pop(0)
                tally = rep.tally("target_comparator")
                if t.get("comparator") == want:
                    tally.tp += 1
                else:
                    tally.fp += 1
                    tally.fn += 1
                    rep.note(f, "target_comparator", t.get("text"), [t.get("comparator")], [want])
    return rep


def _score_items(rep, f, jur, preds, golds, kind, lead_name, support_name):
    by_quote = {}
    for p in preds:
        by_quote.setdefault(quote_key(p.get("quote", "")), []).append(p)
    matched = []
    missed_items = []
    for g in golds:
        cands = by_quote.get(quote_key(g["quote"]))
        if cands:
            matched.append((cands.pop(0), g))
        else:
            missed_items.append(g)
    spurious_items = [p for ps in by_quote.values() for p in ps]
    t = rep.tally(kind)
    t.tp += len(matched)
    t.fp += len(spurious_items)
    t.fn += len(missed_items)
    rep.note(f, kind, None, [p.get("quote") for p in spurious_items], [g["quote"] for g in missed_items])
    units = lambda item, role: Counter(unit_key(u["name"], jur) for u in item.get(role, []))
    for p, g in matched:
        where = g.get("path") or g.get("row")
        for role, name in (("lead", lead_name), ("support", support_name)):
            sp, mi = rep.tally(name).add(units(p, role), units(g, role))
            rep.note(f, name, where, sp, mi)
        if kind == "tasks":
            dk = lambda item: Counter((d.get("kind"), d.get("date")) for d in item.get("deadlines", []))
            sp, mi = rep.tally("deadlines").add(dk(p), dk(g))
            rep.note(f, "deadlines", where, sp, mi)
        else:
            pd, gd = squash(p.get("deadline_text")), squash(g.get("deadline_text"))
            tally = rep.tally("table_row_deadline")
            if pd == gd:
                tally.tp += 1 if gd else 0
            else:
                tally.fp += 1 if pd else 0
                tally.fn += 1 if gd else 0
                rep.note(f, "table_row_deadline", where, [pd] if pd else [], [gd] if gd else [])
    # units and deadlines of unmatched items count as missed / spurious
    for items, missed in ((missed_items, True), (spurious_items, False)):
        for it in items:
            counts = {lead_name: len(it.get("lead", [])), support_name: len(it.get("support", []))}
            if kind == "tasks":
                counts["deadlines"] = len(it.get("deadlines", []))
            else:
                counts["table_row_deadline"] = int(bool(it.get("deadline_text")))
            for name, n in counts.items():
                (rep.tally(name).miss if missed else rep.tally(name).spurious)(n)


def pair_with_gold(store, golds: list[dict]) -> tuple[list[tuple[dict, dict]], list[str]]:
    """(predicted export, gold) pairs for gold documents, each matched to the stored document with
    the same file name, else the same stem (a .docx/.pdf version of a .txt gold); gold files with no
    stored document are paired with an empty prediction and named in the second list."""
    from pathlib import PurePath

    from pipeline.export import document_export

    by_name = dict(store.db.execute("select file_name, doc_id from documents").fetchall())
    by_stem = {PurePath(name).stem: doc_id for name, doc_id in by_name.items()}
    pairs, missing = [], []
    for gold in golds:
        doc_id = by_name.get(gold["file"]) or by_stem.get(PurePath(gold["file"]).stem)
        if doc_id is None:
            missing.append(gold["file"])
            pairs.append(({"file": gold["file"]}, gold))
            continue
        pred = document_export(store, doc_id).model_dump(mode="json")
        pred["file"] = gold["file"]
        pairs.append((pred, gold))
    return pairs, missing
