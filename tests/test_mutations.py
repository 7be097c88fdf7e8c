"""Mutation test of the whole pipeline on the seed report (issue 4).

For every checkable gold relation of `seed-lipu-2020h1` (and the two from→to changes of
`national-2019-s1`, whose direction 提高/降至 can be contradicted) each of its numbers is perturbed in
the text, beyond its printed precision and in the direction that breaks the stated arithmetic
(a part raised above its total, a total lowered below its parts, a completion percent moved
to where no whole-number target reproduces it); `extract()` must then report an
`inconsistent` finding naming the perturbed quantity. Perturbations inside the printed
precision (full-width digits, a trailing digit inside the rounding of a 万元 amount) must
change no finding. Run with `-s` to see the detection rate.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pytest
from gold_helper import GOLD, gold_doc

from extractor.pipeline import extract

pytestmark = pytest.mark.skipif(not (GOLD / "seed-lipu-2020h1.json").exists(), reason="../shared is absent")

NUM = re.compile(r"\d+(?:\.\d+)?")
FULLWIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


def _number(text: str) -> Decimal:
    m = NUM.search(text)
    assert m, text
    return Decimal(m.group())


def _with_number(text: str, new: Decimal) -> str:
    return NUM.sub(format(new, "f"), text, count=1)


def _reproduces(v: int, pct: Decimal) -> bool:
    """Brute force: does some whole target n give `pct` by rounding or truncation?"""
    step = Decimal(1).scaleb(pct.as_tuple().exponent)  # type: ignore[arg-type]
    hi = int(Decimal(v) * 100 / max(pct - step, step)) + 2
    for n in range(1, hi + 1):
        exact = Decimal(v) * 100 / n
        if any(exact.quantize(step, rounding=r) == pct for r in (ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_DOWN)):
            return True
    return False


def _breaking_mutations(rel: dict, mentions: dict[int, dict]) -> list[tuple[int, str]]:
    """(mention n, new surface text) that make the relation's arithmetic fail."""
    out: list[tuple[int, str]] = []
    if rel["type"] == "sum":
        total, parts = mentions[rel["total"]], [mentions[n] for n in rel["parts"]]
        t, ps = _number(total["text"]), [_number(p["text"]) for p in parts]
        bump = max(Decimal(1), (t * Decimal("0.05")).to_integral_value())
        for n, p, v in zip(rel["parts"], parts, ps, strict=True):
            out.append((n, _with_number(p["text"], v + (t - sum(ps)) + bump)))
        out.append((rel["total"], _with_number(total["text"], sum(ps) - bump)))
    elif rel["type"] == "part_of":
        part, whole = mentions[rel["part"]], mentions[rel["whole"]]
        p, w = _number(part["text"]), _number(whole["text"])
        out.append((rel["part"], _with_number(part["text"], w + max(1, math.ceil(w * Decimal("0.05"))))))
        out.append((rel["whole"], _with_number(whole["text"], p - max(1, math.ceil(p * Decimal("0.05"))))))
    elif rel["type"] == "change" and "from" in rel and "to" in rel and "delta" not in rel:
        frm, to = mentions[rel["from"]], mentions[rel["to"]]
        f, t = _number(frm["text"]), _number(to["text"])
        out.append((rel["to"], _with_number(to["text"], f + f - t)))  # the same step the other way
        out.append((rel["from"], _with_number(frm["text"], t + t - f)))
    elif rel["type"] == "completion" and mentions[rel["value"]]["kind"] == "count":
        value, pct = mentions[rel["value"]], mentions[rel["percent"]]
        v, p = int(_number(value["text"])), _number(pct["text"])
        step = Decimal(1).scaleb(p.as_tuple().exponent)  # type: ignore[arg-type]
        # a value change can break it only when some count near v has no target (1/50% never does)
        ks = [k for k in range(1, 200) if not _reproduces(v, p + k * step)]
        out.append((rel["percent"], _with_number(pct["text"], p + ks[0] * step)))
        ks = [k for k in range(1, 30) if not _reproduces(v + k, p)]
        if ks:
            out.append((rel["value"], _with_number(value["text"], Decimal(v + ks[0]))))
    return out


def _mutate(text: str, m: dict, new: str) -> tuple[str, int, int]:
    return text[:m["start"]] + new + text[m["end"]:], m["start"], m["start"] + len(new)


def _qid_at(report, start: int, end: int) -> str:
    ids = [q.id for q in report.quantities if q.start < end and start < q.end]
    assert len(ids) == 1, (start, end, ids)
    return ids[0]


def _seed(name: str = "seed-lipu-2020h1") -> tuple[str, dict[int, dict], list[dict]]:
    import json

    text, _, rels = gold_doc(name)
    gold = json.loads((GOLD / f"{name}.json").read_text("utf-8"))
    return text, {m["n"]: m for m in gold["mentions"]}, rels


@pytest.mark.parametrize("name", ["seed-lipu-2020h1", "national-2019-s1"])
def test_breaking_mutations_are_detected(name: str) -> None:
    text, mentions, rels = _seed(name)
    assert not [f for f in extract(text).findings if f.status == "inconsistent"]
    tried, missed = 0, []
    for rel in rels:
        for n, new in _breaking_mutations(rel, mentions):
            mutated, start, end = _mutate(text, mentions[n], new)
            report = extract(mutated)
            qid = _qid_at(report, start, end)
            tried += 1
            hits = [f for f in report.findings if f.status == "inconsistent" and qid in f.quantities]
            print(f"  {rel['type']:10} {mentions[n]['text']:>10} -> {new:<10} "
                  f"{hits[0].message if hits else 'MISSED'}")
            if not hits:
                missed.append(f"{rel['type']}: {mentions[n]['text']} -> {new}")
    print(f"\nmutation detection ({name}): {tried - len(missed)}/{tried} breaking mutations detected")
    assert tried >= (15 if name.startswith("seed") else 4)
    assert not missed


def test_raising_a_listed_total_only_warns_that_the_list_may_be_partial() -> None:
    text, mentions, rels = _seed()
    (rel,) = [r for r in rels if r["type"] == "sum"]
    total = mentions[rel["total"]]
    mutated, start, end = _mutate(text, total, "4968平方米")
    report = extract(mutated)
    qid = _qid_at(report, start, end)
    (f,) = [f for f in report.findings if f.check == "sum" and qid in f.quantities]
    assert f.status == "warning"
    assert "4108 + 660 = 4768 < 4968" in f.message


def test_mutations_inside_printed_precision_change_nothing() -> None:
    text, mentions, rels = _seed()
    before = {(f.check, f.message.split(" ")[0]): f.status for f in extract(text).findings}
    involved = sorted({n for r in rels for k, v in r.items() if k in ("total", "parts", "part", "whole",
                       "value", "percent") for n in (v if isinstance(v, list) else [v])},
                      key=lambda n: -mentions[n]["start"])
    mutated = text
    for n in involved:  # from the end, so earlier offsets stay valid
        m = mentions[n]
        new = m["text"].translate(FULLWIDTH)
        if m["unit"] == "元" and "万" in m["text"] and "." not in m["text"]:
            new = _with_number(m["text"], _number(m["text"]) + Decimal("0.4"))  # inside ±0.5万
        mutated = mutated[:m["start"]] + new + mutated[m["end"]:]
    findings = extract(mutated).findings
    assert not [f for f in findings if f.status == "inconsistent"], [f.message for f in findings]
    statuses = sorted(f.status for f in findings)
    assert statuses == sorted(before.values())


def test_seed_end_to_end_every_gold_relation_found_with_its_status() -> None:
    """The acceptance of issue 4 through the real detector: gold mentions matched by span."""
    text, mentions, rels = _seed()
    report = extract(text)
    found = {frozenset(zip(r.quantities, r.roles, strict=True)): r.id for r in report.relations}
    status = {f.relation: f.status for f in report.findings}
    want = {True: "consistent", False: "inconsistent", "warning": "warning"}
    from gold_helper import gold_roles

    for rel in rels:
        roles = {_qid_at(report, mentions[int(q[1:])]["start"], mentions[int(q[1:])]["end"]): role
                 for q, role in gold_roles(rel).items()}
        rid = found.get(frozenset(roles.items()))
        assert rid is not None, rel
        assert status[rid] == want[rel["holds"]], rel
