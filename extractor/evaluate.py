"""Scoring against gold annotations exactly as SPEC §5 defines it (the numbers of the team's score.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any


def _dec(x: Any) -> Decimal | None:
    if x is None:
        return None
    try:
        return Decimal(str(x)).normalize()
    except (InvalidOperation, ValueError):
        return None


def lcs_len(a: str, b: str) -> int:
    """Length of the longest common subsequence (metric scoring compares characters in order)."""
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def metric_matches(pred: str | None, gold: str | None) -> bool | None:
    """SPEC §5: ≥ half the gold characters in order, and no longer than twice the gold phrase."""
    if not gold:
        return None
    if not pred:
        return False
    return lcs_len(pred, gold) >= 0.5 * len(gold) and len(pred) <= 2 * len(gold)


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _pred_metric(q: dict[str, Any]) -> str | None:
    m = q.get("metric")
    if isinstance(m, dict):
        m = m.get("name") or m.get("text")
    return m


@dataclass
class DocScore:
    doc_id: str
    gold_required: int = 0
    predicted: int = 0
    tp: int = 0
    span_tp: int = 0
    fp: int = 0
    metric_total: int = 0
    metric_ok: int = 0
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    #: per series field (SPEC §2): [right, scored] over matched mentions whose gold has the field
    fields: dict[str, list[int]] = field(default_factory=dict)


#: The series fields `govnum eval` scores where the gold states them (a gold null is a value too).
SERIES_FIELDS = ("indicator", "aspect", "modality", "period_iso", "area")


def _score_fields(s: DocScore, g: dict[str, Any], q: dict[str, Any]) -> None:
    for name in SERIES_FIELDS:
        if name not in g:
            continue
        tally = s.fields.setdefault(name, [0, 0])
        tally[1] += 1
        if q.get(name) == g[name]:
            tally[0] += 1
        else:
            s.wrong.append(f"{name} {g['text']}: pred {q.get(name)!r} gold {g[name]!r}")


def score_document(gold: dict[str, Any], pred: dict[str, Any] | None) -> DocScore:
    """Match predicted quantities to gold mentions: overlapping span, equal value, value_max and unit."""
    mentions = gold["mentions"]
    quantities = (pred or {}).get("quantities", [])
    s = DocScore(gold["doc_id"], gold_required=sum(bool(m["required"]) for m in mentions),
                 predicted=len(quantities))
    used: set[int] = set()
    for g in mentions:
        cands = [i for i, q in enumerate(quantities) if i not in used and _overlap(q, g)]
        hit = next((i for i in cands
                    if _dec(quantities[i].get("value")) == _dec(g["value"])
                    and _dec(quantities[i].get("value_max")) == _dec(g["value_max"])
                    and (quantities[i].get("unit") or "") == (g["unit"] or "")), None)
        if hit is not None:
            used.add(hit)
            if g["required"]:
                s.tp += 1
                s.span_tp += 1
                _score_fields(s, g, quantities[hit])
                ok = metric_matches(_pred_metric(quantities[hit]), g.get("metric"))
                if ok is not None:
                    s.metric_total += 1
                    s.metric_ok += ok
                    if not ok:
                        s.wrong.append(f"metric {g['text']}: pred {_pred_metric(quantities[hit])!r} "
                                       f"gold {g.get('metric')!r}")
        elif cands:
            used.add(cands[0])
            if g["required"]:
                s.span_tp += 1
                q = quantities[cands[0]]
                s.wrong.append(f"{g['text']}: pred {q.get('value')}{q.get('unit') or ''} "
                               f"gold {g['value']}{g['unit'] or ''}")
        elif g["required"]:
            s.misses.append(g["text"])
    for i, q in enumerate(quantities):
        if i in used or any(_overlap(q, g) for g in mentions):
            continue
        s.fp += 1
        s.spurious.append(str(q.get("text")))
    return s


@dataclass
class Totals:
    docs: int
    precision: float
    recall: float
    f1: float
    span_recall: float
    metric_acc: float
    fp: int
    gold: int
    fields: dict[str, float] = field(default_factory=dict)  # series field -> accuracy, where gold has it
    field_counts: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        extra = "".join(f"  {k} {v:.3f}" for k, v in self.fields.items())
        counted = f", fields scored on {max(self.field_counts.values())}" if self.field_counts else ""
        return (f"docs {self.docs}  P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}  "
                f"span-R {self.span_recall:.3f}  metric {self.metric_acc:.3f}{extra}  "
                f"(gold {self.gold}, fp {self.fp}{counted})")


def totals(scores: list[DocScore]) -> Totals:
    gold = sum(s.gold_required for s in scores)
    tp = sum(s.tp for s in scores)
    span_tp = sum(s.span_tp for s in scores)
    fp = sum(s.fp for s in scores)
    m_total = sum(s.metric_total for s in scores)
    m_ok = sum(s.metric_ok for s in scores)
    denom = tp + fp + (span_tp - tp)
    p = tp / denom if denom else 0.0
    r = tp / gold if gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    right: dict[str, int] = {}
    scored: dict[str, int] = {}
    for s in scores:
        for name, (k, n) in s.fields.items():
            right[name] = right.get(name, 0) + k
            scored[name] = scored.get(name, 0) + n
    fields = {name: right[name] / scored[name] for name in SERIES_FIELDS if scored.get(name)}
    return Totals(len(scores), p, r, f1, span_tp / gold if gold else 0.0, m_ok / m_total if m_total else 0.0,
                  fp, gold, fields, {name: scored[name] for name in fields})


_MENTION_KEYS = ("start", "end", "text", "value", "value_max", "unit", "required")


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); "
                         f"expected {what}") from exc


def _check_gold(path: Path, gold: Any) -> dict[str, Any]:
    """A gold file's object, or a ValueError naming the file and what is missing."""
    if not isinstance(gold, dict) or not isinstance(gold.get("doc_id"), str):
        raise ValueError(f"{path}: not a gold file (a JSON object with doc_id and mentions)")
    mentions = gold.get("mentions")
    if not isinstance(mentions, list):
        raise ValueError(f"{path}: not a gold file: 'mentions' must be a list")
    for i, m in enumerate(mentions):
        missing = [k for k in _MENTION_KEYS if not isinstance(m, dict) or k not in m]
        if missing:
            raise ValueError(f"{path}: mention {i} lacks {', '.join(missing)}")
        if not (isinstance(m["start"], int) and isinstance(m["end"], int)):
            raise ValueError(f"{path}: mention {i}: start and end must be integers")
    return gold


def load_gold(paths: list[Path]) -> list[tuple[Path, dict[str, Any]]]:
    """Gold files from files and folders (every *.json of a folder); a ValueError names a broken one."""
    out = []
    for p in paths:
        files = sorted(p.glob("*.json")) if p.is_dir() else [p]
        for f in files:
            out.append((f, _check_gold(f, _read_json(f, "a gold file"))))
    return out


def load_pred(path: Path) -> dict[str, dict[str, Any]]:
    """Predictions from JSONL (`govnum extract --format jsonl` or `govnum batch -o X.jsonl`), by doc_id;
    a ValueError names the file, the line and the problem."""
    preds: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8-sig", errors="strict") as fh:
        try:
            lines = list(fh)
        except UnicodeDecodeError as exc:
            raise ValueError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    for k, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: line {k}: not valid JSON ({exc.msg} at column {exc.colno})") from exc
        if not isinstance(rec, dict) or not isinstance(rec.get("doc_id"), str):
            raise ValueError(f"{path}: line {k}: not a govnum report (a JSON object with a doc_id)")
        qs = rec.get("quantities", [])
        if not isinstance(qs, list) or not all(
                isinstance(q, dict) and isinstance(q.get("start"), int) and isinstance(q.get("end"), int)
                for q in qs):
            raise ValueError(f"{path}: line {k}: quantities must be objects with integer start and end")
        preds[rec["doc_id"]] = rec
    return preds


def gold_text(gold_file: Path, gold: dict[str, Any], roots: list[Path]) -> str:
    """The annotated text: the gold's `source` resolved against the roots, cut to its `slice`."""
    from .load import read_text

    source = Path(gold["source"])
    candidates = [r / source for r in roots]
    for parent in [gold_file.parent, *gold_file.parent.parents]:
        candidates.append(parent / source)
        if source.parts and source.parts[0] == "shared":
            candidates.append(parent / Path(*source.parts[1:]))
    for c in candidates:
        if c.is_file():
            text = read_text(c)
            if gold.get("slice"):
                a, b = gold["slice"]
                text = text[a:b]
            return text
    raise FileNotFoundError(f"{gold_file}: source {gold['source']} not found (use --root)")
