"""Gold annotations (../shared/gold) as Quantity records, for testing relations and checks
independently of the quantity detector."""

from __future__ import annotations

import json
from pathlib import Path

from schemas import Quantity

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD = SHARED / "gold"
TEXTS = SHARED / "corpus" / "text"

# gold relation keys -> (role, is_list)
ROLE_KEYS = {"total": "total", "parts": "part", "part": "part", "whole": "whole", "value": "value",
             "rate": "rate", "base": "base", "percent": "percent", "from": "from", "to": "to",
             "delta": "delta", "first": "first", "second": "second", "target": "target"}


def gold_doc(name: str) -> tuple[str, list[Quantity], list[dict]]:
    """(document text, gold mentions as Quantity records with ids q{n}, gold relations)."""
    gold = json.loads((GOLD / f"{name}.json").read_text("utf-8"))
    text = (TEXTS / Path(gold["source"]).name).read_text("utf-8").removeprefix("\ufeff")
    if gold.get("slice"):
        a, b = gold["slice"]
        text = text[a:b]
    qs = [Quantity(id=f"q{m['n']}", start=m["start"], end=m["end"], text=m["text"], value=m["value"],
                   value_max=m.get("value_max"), unit=m["unit"], kind=m["kind"], approx=m.get("approx"),
                   metric=m.get("metric"), period=m.get("period")) for m in gold["mentions"]]
    for q in qs:
        assert text[q.start:q.end] == q.text, q
    return text, qs, gold["relations"]


def gold_roles(rel: dict) -> dict[str, str]:
    """{qid: role} of a gold relation."""
    out: dict[str, str] = {}
    for key, role in ROLE_KEYS.items():
        v = rel.get(key)
        if v is None:
            continue
        for n in v if isinstance(v, list) else [v]:
            out[f"q{n}"] = role
    return out
