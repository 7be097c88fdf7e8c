"""Mutation test of the whole pipeline over the dev gold (../shared/gold) and our own (corpus/gold).

For every checkable gold relation, of every type (sum, part_of, change, completion, share, structure,
growth with a stated base or increase), each of its numbers is perturbed in the text, beyond its
printed precision and in the direction that breaks the stated arithmetic (every part of a list raised
above its total, the total lowered below its parts, a completion percent moved to where no
whole-number target reproduces it, a share's percent, part or whole moved); `extract()` must then
report an `inconsistent` finding naming the perturbed quantity. Perturbations inside the printed
precision (full-width digits, a trailing digit inside the rounding of a 万元 amount) must
change no finding. Run with `-s` to see the detection rate.
"""

from __future__ import annotations

import json
import re
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from gold_helper import GOLD, gold_doc

from extractor.pipeline import extract

needs_shared = pytest.mark.skipif(not (GOLD / "seed-lipu-2020h1.json").exists(), reason="../shared is absent")

REAL_GROWTH = re.compile(r"生产总值|增加值|GDP")
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


def _bump(v: Decimal, rel: str = "0.05") -> Decimal:
    """A step well beyond any printed precision: 5 % of v, at least 1 in the last printed digit × 10."""
    step = Decimal(1).scaleb(v.as_tuple().exponent)  # type: ignore[arg-type]
    return max(step * 10, (v * Decimal(rel)).quantize(step, rounding=ROUND_HALF_UP), Decimal(1))


def _breaking_mutations(rel: dict, mentions: dict[int, dict]) -> list[tuple[int, str]]:
    """(mention n, new surface text) that make the relation's arithmetic fail beyond printed precision.

    Every relation type whose arithmetic can be contradicted is covered, and every number of it: each
    part of a list (raised above its total) and the total (lowered below its parts); a percent of a share,
    a completion with a target or a structure moved by points; a stated base, increase or difference.
    Approximate figures (约, 超…) are skipped: a failure they are part of is only ever a warning.
    """
    out: list[tuple[int, str]] = []
    t = rel["type"]
    ids = [n for k, v in rel.items() if k not in ("type", "holds", "note")
           for n in (v if isinstance(v, list) else [v]) if isinstance(n, int)]
    if any(mentions[n].get("approx") or not NUM.search(mentions[n]["text"]) for n in ids):
        return out

    def num(n: int) -> Decimal:
        return _number(mentions[n]["text"])

    def put(n: int, v: Decimal) -> None:
        out.append((n, _with_number(mentions[n]["text"], v)))

    if t == "sum":
        total, ps = num(rel["total"]), [num(n) for n in rel["parts"]]
        bump = _bump(total)
        for n, v in zip(rel["parts"], ps, strict=True):
            put(n, v + (total - sum(ps)) + bump)
        put(rel["total"], sum(ps) - bump)
    elif t == "part_of":
        p, w = num(rel["part"]), num(rel["whole"])
        put(rel["part"], w + _bump(w))
        if p - _bump(p) > 0:
            put(rel["whole"], p - _bump(p))
    elif t == "change" and "from" in rel and "to" in rel:
        f, to = num(rel["from"]), num(rel["to"])
        if "delta" in rel:
            put(rel["delta"], num(rel["delta"]) + _bump(abs(to - f), "0.5"))
        elif f != to:
            put(rel["to"], f + f - to)  # the same step the other way
            put(rel["from"], to + to - f)
    elif t == "completion" and "target" in rel:
        put(rel["percent"], num(rel["percent"]) + 10)
    elif t == "completion" and re.fullmatch(r"\d+[^\d.万亿]*", mentions[rel["value"]]["text"]):
        v, p = int(num(rel["value"])), num(rel["percent"])
        step = Decimal(1).scaleb(p.as_tuple().exponent)  # type: ignore[arg-type]
        # a value change can break it only when some count near v has no target (1/50% never does)
        ks = [k for k in range(1, 200) if not _reproduces(v, p + k * step)]
        put(rel["percent"], p + ks[0] * step)
        ks = [k for k in range(1, 30) if not _reproduces(v + k, p)]
        if ks:
            put(rel["value"], Decimal(v + ks[0]))
    elif t == "share":
        p = num(rel["percent"])
        put(rel["percent"], p + max(Decimal(3), p / 5))
        put(rel["part"], num(rel["part"]) * Decimal("1.2"))
        put(rel["whole"], num(rel["whole"]) * Decimal("1.25"))
    elif t == "structure" and mentions[rel["parts"][0]]["kind"] == "ratio":
        for n in rel["parts"]:
            put(n, num(n) + 2)
    elif t == "growth" and ("base" in rel or "delta" in rel):
        if not REAL_GROWTH.search(mentions[rel["value"]].get("metric") or ""):
            put(rel["rate"], num(rel["rate"]) + 10)  # a real (GDP) rate against nominal levels only warns
        for k in ("base", "delta"):
            if k in rel:
                put(rel[k], num(rel[k]) * Decimal("1.5"))
    return out


def _mutate(text: str, m: dict, new: str) -> tuple[str, int, int]:
    return text[:m["start"]] + new + text[m["end"]:], m["start"], m["start"] + len(new)


def _qid_at(report, start: int, end: int) -> str:
    ids = [q.id for q in report.quantities if q.start < end and start < q.end]
    assert len(ids) == 1, (start, end, ids)
    return ids[0]


OWN_GOLD = Path(__file__).resolve().parents[1] / "corpus" / "gold"
DEV = ["seed-lipu-2020h1", "national-2019-s1", "prov2026-guangdong-s1"]
OWN = sorted(p.stem for p in OWN_GOLD.glob("*.json"))


def _seed(name: str = "seed-lipu-2020h1") -> tuple[str, dict[int, dict], list[dict]]:
    """(text, mentions by n, relations) of a dev gold file (../shared/gold) or one of ours (corpus/gold)."""
    own = OWN_GOLD / f"{name}.json"
    if own.exists():
        gold = json.loads(own.read_text("utf-8"))
        text = (own.parents[2] / gold["source"]).read_text("utf-8").removeprefix("\ufeff")
        return text, {m["n"]: m for m in gold["mentions"]}, gold["relations"]
    text, _, rels = gold_doc(name)
    gold = json.loads((GOLD / f"{name}.json").read_text("utf-8"))
    return text, {m["n"]: m for m in gold["mentions"]}, rels


def _detect(name: str) -> tuple[int, list[str], list[str]]:
    """(breaking mutations tried, the ones missed, a line per mutation)."""
    text, mentions, rels = _seed(name)
    tried, missed, lines = 0, [], []
    for rel in rels:
        if rel.get("holds") not in (True, "warning"):
            continue  # a relation that fails already cannot be broken
        for n, new in _breaking_mutations(rel, mentions):
            mutated, start, end = _mutate(text, mentions[n], new)
            report = extract(mutated)
            qid = _qid_at(report, start, end)
            tried += 1
            hits = [f for f in report.findings if f.status == "inconsistent" and qid in f.quantities]
            lines.append(f"  {rel['type']:10} {mentions[n]['text']:>10} -> {new:<12} "
                         f"{hits[0].message if hits else 'MISSED'}")
            if not hits:
                missed.append(f"{name} {rel['type']}: {mentions[n]['text']} -> {new}")
    return tried, missed, lines


@pytest.mark.parametrize("name", [pytest.param(n, marks=needs_shared) for n in DEV] + OWN)
def test_breaking_mutations_are_detected(name: str) -> None:
    text, _, rels = _seed(name)
    planted = sum(r.get("holds") is False for r in rels)  # errors a gold file plants on purpose
    assert len([f for f in extract(text).findings if f.status == "inconsistent"]) == planted
    tried, missed, lines = _detect(name)
    print("\n".join(lines))
    print(f"\nmutation detection ({name}): {tried - len(missed)}/{tried} breaking mutations detected")
    assert tried >= {"seed-lipu-2020h1": 15, "national-2019-s1": 4}.get(name, 0)
    assert not missed


@needs_shared
def test_every_relation_type_is_mutated() -> None:
    """The gold files together exercise every checkable relation type."""
    types = set()
    for name in DEV + OWN:
        _, mentions, rels = _seed(name)
        types |= {r["type"] for r in rels
                  if r.get("holds") in (True, "warning") and _breaking_mutations(r, mentions)}
    assert types >= {"sum", "part_of", "change", "completion", "share", "structure"}, types


@needs_shared
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


@pytest.mark.parametrize("name", [pytest.param(n, marks=needs_shared) for n in DEV] + OWN)
def test_mutations_inside_printed_precision_change_nothing(name: str) -> None:
    """Every figure of every gold relation rewritten inside its printed precision at once (full-width
    digits; a whole number of 万 or 亿 given a decimal inside its ±0.5): no finding changes status."""
    text, mentions, rels = _seed(name)
    before = sorted(f.status for f in extract(text).findings)
    involved = sorted({n for r in rels for k, v in r.items() if k not in ("type", "holds", "note")
                       for n in (v if isinstance(v, list) else [v]) if isinstance(n, int)},
                      key=lambda n: -mentions[n]["start"])
    mutated = text
    for n in involved:  # from the end, so earlier offsets stay valid
        m = mentions[n]
        new = m["text"].translate(FULLWIDTH)
        if re.fullmatch(r"\d+ ?[万亿][^\d.]*", m["text"]) and not m.get("approx"):
            new = _with_number(m["text"], _number(m["text"]) + Decimal("0.4"))  # inside ±0.5万
        mutated = mutated[:m["start"]] + new + mutated[m["end"]:]
    findings = extract(mutated).findings
    planted = sum(r.get("holds") is False for r in rels)  # errors a gold file plants on purpose
    assert len([f for f in findings if f.status == "inconsistent"]) == planted, [f.message for f in findings]
    assert sorted(f.status for f in findings) == before, [f.message for f in findings]


@needs_shared
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
