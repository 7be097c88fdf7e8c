"""Peer benchmark: the test cases of cn2an, JioNLP and Recognizers-Text, run through govnum.

Usage: .venv/bin/python bench/peers.py [--shared ../shared] [--verbose] [--suite PREFIX]

Two columns per suite:
* `engine`  — the numeral engine alone (extractor.numerals.parse_number / read_number) on the peer's
  number text (the case input for cn2an/JioNLP; each expected result's `Text` for Recognizers-Text);
* `extract` — the whole detector, `extractor.extract(input)`, compared with the peer's results.

Comparison rules (see bench/PEER_DIFFERENCES.md for why):
* values are compared as Decimals; fractions (our `fraction`/kind ratio) are rounded half-even to 4
  places on both sides, as SPEC §2 rounds them;
* JioNLP writes every amount with two decimals, so scalar amounts are compared at 0.01;
* JioNLP fuzzy amounts `[low, high]` (3000多 → [3000, 4000]) agree with our lower bound and
  approx `at_least` (SPEC §2 writes 30多万 as 300000 at_least); ranges agree when (value, value_max)
  equal (low, high);
* Recognizers-Text: the multiset of values our `extract()` returns on the input equals the multiset
  of `Resolution.value`s (ranges contribute value and value_max); for PercentModel only percent-like
  quantities count (%, 个百分点: the value; ‰: value/10; ratios: value×100), and the peer's value is
  the number before `%`;
* `no-wrong` (extract rows of Recognizers-Text): the share of cases where every value extract()
  returns is among the peer's values — the detector may find fewer numbers (SPEC excludes bare
  numbers, dates, ordinals) but states nothing the peer contradicts;
* cn2an error lists must raise NumeralError. `error_strict` is reported both as the literal list and
  merged the way cn2an's test merges it (+ error_normal + the normal keys), in strict mode.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor import extract  # noqa: E402
from extractor.numerals import NumeralError, Reading, parse_number, read_number  # noqa: E402

Q4 = Decimal("0.0001")


def q4(v: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 80
        return v.quantize(Q4, rounding=ROUND_HALF_EVEN)


def dec(v: object) -> Decimal | None:
    if v is None:
        return None
    try:
        return Decimal(str(v).rstrip("%"))
    except InvalidOperation:
        return None


@dataclass
class Result:
    suite: str
    column: str
    cases: int = 0
    agree: int = 0
    misses: list[str] = field(default_factory=list)
    subset: int | None = None  # extract(): cases whose values are all among the peer's (nothing wrong)

    def add(self, ok: bool, note: str, subset: bool | None = None) -> None:
        self.cases += 1
        if ok:
            self.agree += 1
        else:
            self.misses.append(note)
        if subset is not None:
            self.subset = (self.subset or 0) + int(subset)

    @property
    def pct(self) -> str:
        return f"{100 * self.agree / self.cases:.1f}%" if self.cases else "-"


def load(shared: Path, name: str) -> list[dict]:
    return [json.loads(line) for line in (shared / "peers" / name).read_text("utf-8").splitlines() if line]


# --------------------------------------------------------------------------- extract() helper

_EXTRACT_CACHE: dict[str, list] = {}


def quantities(text: str) -> list:
    if text not in _EXTRACT_CACHE:
        # A lone line without a sentence mark is a document title to the header stage (right for
        # reports), so each peer phrase gets a closing 。 after it; offsets are unchanged.
        doc = text if text.rstrip().endswith(("。", "！", "？", "；")) else text + "。"
        try:
            _EXTRACT_CACHE[text] = list(extract(doc, doc_id="text").quantities)
        except Exception as exc:  # noqa: BLE001 - a crash is a disagreement, reported with its message
            _EXTRACT_CACHE[text] = [exc]
    return _EXTRACT_CACHE[text]


def crashed(qs: list) -> str | None:
    return f"extract() raised {qs[0]!r}" if qs and isinstance(qs[0], Exception) else None


def q_values(qs: list, keep: Callable[[object], Decimal | None]) -> Counter:
    out: Counter = Counter()
    for q in qs:
        v = keep(q)
        if v is not None:
            out[q4(v)] += 1
            if q.value_max is not None and keep is _all_values:
                out[q4(Decimal(q.value_max))] += 1
    return out


def _all_values(q: object) -> Decimal | None:
    return Decimal(q.value)  # type: ignore[attr-defined]


def _percent_values(q: object) -> Decimal | None:
    unit, kind, v = q.unit, q.kind, Decimal(q.value)  # type: ignore[attr-defined]
    if unit in ("%", "个百分点") or (kind == "percent" and unit != "‰"):
        return v
    if unit == "‰":
        return v / 10
    if kind == "ratio":
        return v * 100
    return None


def fmt(c: Counter) -> str:
    return "[" + ", ".join(str(v.normalize()) for v in sorted(c.elements())) + "]"


# --------------------------------------------------------------------------- cn2an


def run_cn2an(shared: Path) -> list[Result]:
    rows = load(shared, "cn2an.jsonl")
    by: dict[str, list[dict]] = {}
    for r in rows:
        by.setdefault(r["suite"], []).append(r)
    out: list[Result] = []

    def values(suite: str, strict: bool, label: str) -> None:
        res = Result(label, "engine")
        for r in by.get(suite, []):
            try:
                got = parse_number(r["input"], strict=strict)
                ok = got == Decimal(str(r["expect"]))
                res.add(ok, f"{r['input']!r}: expected {r['expect']}, got {got}")
            except NumeralError as exc:
                res.add(False, f"{r['input']!r}: expected {r['expect']}, raised {exc}")
        out.append(res)

    def raises(inputs: Iterable[str], strict: bool, label: str) -> None:
        res = Result(label, "engine")
        for text in inputs:
            try:
                got = parse_number(text, strict=strict)
                res.add(False, f"{text!r}: expected NumeralError, got {got}")
            except NumeralError:
                res.add(True, "")
        out.append(res)

    values("cn2an.strict", True, "cn2an.strict (strict=True)")
    values("cn2an.strict", False, "cn2an.strict (default mode)")
    values("cn2an.normal", False, "cn2an.normal")
    values("cn2an.smart", False, "cn2an.smart")
    values("cn2an.direct", False, "cn2an.direct (value only)")
    lit = [r["input"] for r in by.get("cn2an.error_strict", [])]
    err_normal = [r["input"] for r in by.get("cn2an.error_normal", [])]
    normal_keys = [r["input"] for r in by.get("cn2an.normal", [])]
    err_smart = [r["input"] for r in by.get("cn2an.error_smart", [])]
    smart_keys = [r["input"] for r in by.get("cn2an.smart", [])]
    raises(lit, True, "cn2an.error_strict literal (strict=True)")
    raises(lit + err_normal + normal_keys, True, "cn2an.error_strict merged (strict=True)")
    raises(err_normal, False, "cn2an.error_normal literal (default mode)")
    raises(err_normal + err_smart + smart_keys, False, "cn2an.error_normal merged (default mode)")
    raises(err_smart, False, "cn2an.error_smart (default mode)")

    # transform suites: sentences; compare the Arabic numbers of the Arabic side with extract() values
    for suite in ("cn2an.transform_strict", "cn2an.transform_smart", "cn2an.transform_direct_cn2an"):
        res = Result(suite + " (extract)", "extract")
        for r in by.get(suite, []):
            arabic_side = r["input"] if suite == "cn2an.transform_strict" else r["expect"]
            cn_side = r["expect"] if suite == "cn2an.transform_strict" else r["input"]
            want = Counter(q4(Decimal(m)) for m in re.findall(r"-?\d+(?:\.\d+)?", arabic_side))
            qs = quantities(cn_side)
            err = crashed(qs)
            got = Counter() if err else q_values(qs, _all_values)
            res.add(not err and got == want, f"{cn_side!r}: peer {fmt(want)}, extract {err or fmt(got)}")
        out.append(res)
    return out


# --------------------------------------------------------------------------- JioNLP

_CURRENCY = re.compile(r"人民币|新台币|台币|港币|港元|美元|日元|日币|欧元|泰铢|卢布|韩元|澳元|钱")
_TRAILING_YUAN = re.compile(r"[元块](?![0-9０-９零〇一二三四五六七八九壹贰叁肆伍陆柒捌玖角毛分整正])")
_DEFINITION = {"accurate": None, "blur": "about", "blur+": "at_least", "blur-": "at_most"}


def money_core(text: str) -> str:
    """The number of a JioNLP money string: currency names dropped; 元/块 kept before 角/分/整."""
    return _TRAILING_YUAN.sub("", _CURRENCY.sub("", text)).strip()


def money_agrees(num: object, value: Decimal, value_max: Decimal | None, approx: str | None) -> bool:
    if isinstance(num, list):
        low, high = Decimal(num[0]), Decimal(num[1])
        if value_max is not None:
            return (value, value_max) == (low, high)
        return value == low and approx == "at_least"
    # JioNLP prints every amount with two decimals (434.344 -> "434.34"): compare at that precision
    cents = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    return cents == Decimal(str(num)) and value_max is None


def run_jionlp(shared: Path) -> list[Result]:
    rows = load(shared, "jionlp.jsonl")
    eng = Result("jionlp.parse_money", "engine")
    eng_def = Result("jionlp.parse_money approx", "engine")
    ext = Result("jionlp.parse_money", "extract")
    spans = Result("jionlp.extract_money (spans)", "extract")
    for r in rows:
        if r["suite"] == "jionlp.parse_money":
            num = r["expect"]["num"]
            core = money_core(r["input"])
            try:
                rd: Reading = read_number(core)
                ok = money_agrees(num, rd.value, rd.value_max, rd.approx)
                eng.add(ok, f"{r['input']!r} -> {core!r}: expected {num}, got {rd}")
                want_approx = _DEFINITION.get(r["expect"]["definition"])
                if isinstance(num, list):
                    good = rd.approx in ("about", "at_least") or rd.value_max is not None
                else:
                    good = rd.approx == want_approx
                eng_def.add(good, f"{r['input']!r}: {r['expect']['definition']}, approx {rd.approx}")
            except NumeralError as exc:
                eng.add(False, f"{r['input']!r} -> {core!r}: expected {num}, raised {exc}")
                eng_def.add(False, f"{r['input']!r}: raised {exc}")
            qs = quantities(r["input"])
            err = crashed(qs)
            ok = not err and any(money_agrees(num, Decimal(q.value), dec(q.value_max), q.approx) for q in qs)
            got = err or [(q.text, q.value, q.value_max, q.approx, q.kind) for q in qs]
            ext.add(ok, f"{r['input']!r}: expected {num}, extract {got}")
        elif r["suite"] == "jionlp.extract_money":
            want = sorted((e["offset"][0], e["offset"][1]) for e in r["expect"])
            qs = quantities(r["input"])
            err = crashed(qs)
            money = [] if err else [q for q in qs if q.kind == "money"]
            got = sorted((q.start, q.end) for q in money)
            matched = len(want) == len(got) and all(
                a < d and c < b for (a, b), (c, d) in zip(want, got, strict=True))
            spans.add(not err and matched,
                      f"{r['input'][:50]!r}: peer {[e['text'] for e in r['expect']]}, "
                      f"extract {err or [q.text for q in money]}")
    return [eng, eng_def, ext, spans]


# --------------------------------------------------------------------------- Recognizers-Text

_PCT_SUFFIX = re.compile(r"(个|個)?\s*百\s*分\s*(点|點)$")


def rt_engine_value(text: str, type_name: str) -> Decimal:
    """Our reading of one Recognizers-Text result text, in the peer's terms (percent as number)."""
    t = text
    if type_name == "percentage" and _PCT_SUFFIX.search(t):
        return read_number(_PCT_SUFFIX.sub("", t)).value
    rd = read_number(t)
    if rd.fraction:
        return rd.value * 100 if type_name == "percentage" else rd.value
    if rd.unit_hint == "‰":
        return rd.value / 10
    return rd.value


def run_recognizers(shared: Path) -> list[Result]:
    rows = load(shared, "recognizers_text.jsonl")
    out: dict[tuple[str, str], Result] = {}

    def res(suite: str, col: str) -> Result:
        return out.setdefault((suite, col), Result(suite, col))

    for r in rows:
        suite = r["suite"]
        if not r["supported"]:
            continue
        expect = r["expect"]
        # engine: each expected Text (number-like models only)
        if suite in ("recognizers.NumberModel", "recognizers.PercentModel"):
            for e in expect:
                want = dec((e.get("Resolution") or {}).get("value"))
                if want is None:
                    continue
                try:
                    got = rt_engine_value(e["Text"], e["TypeName"])
                    ok = q4(got) == q4(want)
                    res(suite, "engine").add(ok, f"{e['Text']!r}: peer {want}, got {got}")
                except NumeralError as exc:
                    res(suite, "engine").add(False, f"{e['Text']!r}: peer {want}, raised {exc}")
        if suite in ("recognizers.NumberRangeModel", "recognizers.NumberRangeModelExperimentalMode"):
            continue
        keep = _percent_values if suite == "recognizers.PercentModel" else _all_values
        want_c = Counter()
        for e in expect:
            v = dec((e.get("Resolution") or {}).get("value"))
            if v is not None:
                want_c[q4(v)] += 1
        qs = quantities(r["input"])
        err = crashed(qs)
        got_c = Counter() if err else q_values(qs, keep)
        res(suite, "extract").add(not err and got_c == want_c,
                                  f"{r['input'][:60]!r}: peer {fmt(want_c)}, extract {err or fmt(got_c)}",
                                  subset=not err and not (got_c - want_c))
    return list(out.values())


# --------------------------------------------------------------------------- main

TARGETS = {
    "cn2an.strict (strict=True)": "100%", "cn2an.smart": "100%",
    "cn2an.error_strict literal (strict=True)": "100%", "cn2an.error_strict merged (strict=True)": "100%",
    "jionlp.parse_money": ">=95%", "recognizers.NumberModel": ">=90%", "recognizers.PercentModel": ">=95%",
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--verbose", action="store_true", help="list every disagreement")
    ap.add_argument("--suite", default="", help="only suites whose name starts with this")
    args = ap.parse_args(argv)
    if not (args.shared / "peers").is_dir():
        print(f"no peer data under {args.shared / 'peers'}", file=sys.stderr)
        return 2
    results: list[Result] = []
    for runner, prefix in ((run_cn2an, "cn2an"), (run_jionlp, "jionlp"), (run_recognizers, "recognizers")):
        if args.suite and not (prefix.startswith(args.suite) or args.suite.startswith(prefix)):
            continue
        results.extend(r for r in runner(args.shared) if r.suite.startswith(args.suite))
    width = max(len(r.suite) for r in results) + 2
    print(f"{'suite':<{width}}{'column':<9}{'agree':>7}{'cases':>7}{'rate':>8}{'no-wrong':>10}  target")
    for r in results:
        target = TARGETS.get(r.suite, "") if r.column in ("engine", "extract") else ""
        if r.suite.startswith("recognizers.") and r.column == "engine":
            target = ""
        if r.suite == "jionlp.parse_money" and r.column == "extract":
            target = ""
        sub = f"{100 * r.subset / r.cases:.1f}%" if r.subset is not None and r.cases else "-"
        print(f"{r.suite:<{width}}{r.column:<9}{r.agree:>7}{r.cases:>7}{r.pct:>8}{sub:>10}  {target}")
    if args.verbose:
        for r in results:
            if r.misses:
                print(f"\n## {r.suite} [{r.column}]: {len(r.misses)} disagreements")
                for m in r.misses:
                    print("  -", m)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
