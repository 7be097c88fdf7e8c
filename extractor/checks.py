"""Consistency checks of relations (SPEC §3), in exact Decimal interval arithmetic.

Policy (the precision rule and how looser readings are reported):
- Every printed number is the interval of its last printed digit (`extractor.precision`);
  a check is `inconsistent` only when no values inside the printed intervals make it hold.
- `warning` when it holds only under a looser reading: truncation instead of rounding, a
  `其中` list whose parts fall short of the total (the list may be partial), real (constant
  price) growth of GDP or value added compared with nominal figures, or when an approximate
  figure (约, 超, 近, 多…) is involved and the check fails: such figures are read as one-sided
  or ±10% intervals, and a failure they are part of is reported but never called inconsistent.
- Relations that cannot fail (a growth rate with no stated base, a money amount and its share
  of an unstated target) are reported `consistent` with the implied value in `derived` and
  `compared=False`, and the message says that nothing was stated to compare with.
- Repeats (the same metric and period stated twice with different values) are `warning`:
  metric attribution is heuristic, so two differing values may measure different things.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, localcontext

import regex

from schemas import Finding, Quantity, Relation

from .document import Document, as_document
from .precision import _CTX, INF, Interval, _printed_number, fmt, interval, ulp
from .relations import cues, is_decline, is_real_growth

HUNDRED = Decimal(100)
_SCALES = {"万亿": 10 ** 12, "亿": 10 ** 8, "千万": 10 ** 7, "万": 10 ** 4}
_SCALE_WORD = regex.compile(r"[\d０-９][多余]?(万亿|亿|千万|万)")
_ANNUAL = regex.compile(r"年均|平均每年|每年平均|每年")
_DIGIT = regex.compile(r"[0-9０-９]")
_YEAR = regex.compile(r"((?:19|20)\d{2})年")
_OTHERS = regex.compile(r"(?:其他|其它|其余)")  # the last part of a list naming the rest
_RANK_CONTEXT = regex.compile(r"第|排名|排位|位次|名次|排序")
_LIST_STOP = regex.compile(r"[，,；;、。：:]")  # where the name of a list's last part starts


def _is_rank(text: str, q: Quantity) -> bool:
    """Ranks count down as they improve; `369位` after 排名 is one even without 第."""
    if q.kind == "rank":
        return True
    return q.unit in ("名", "位") and bool(_RANK_CONTEXT.search(text[max(0, q.start - 15):q.start + 1]))


def _unit_suffix(q: Quantity) -> str:
    if q.unit and q.unit not in ("%", "‰", "个百分点") and q.text.endswith(q.unit):
        return q.unit
    return ""


def label(q: Quantity) -> str:
    """The printed number without its unit (percents keep their sign): `7071万元` -> `7071万`.

    Numbers written in Chinese numerals are shown in digits (`七十二个` -> `72`) so that the
    arithmetic reads at a glance.
    """
    if not _DIGIT.search(q.text):
        value = Decimal(q.value)
        simplified = q.text.replace("萬", "万").replace("億", "亿")
        for word in ("万亿", "亿", "万"):
            if word in simplified and value >= _SCALES[word] and (word != "万" or value % 1000 == 0):
                return f"{fmt(value / _SCALES[word], 4)}{word}"
        return fmt(value, 4) + ("%" if q.unit == "%" else "")
    suffix = _unit_suffix(q)
    return q.text[: len(q.text) - len(suffix)] if suffix else q.text


def _scale(q: Quantity) -> tuple[Decimal, str]:
    """The scale a quantity is printed in (`万` -> 10000) and its word, to show results alike."""
    m = _SCALE_WORD.search(label(q))
    if m:
        return Decimal(_SCALES[m.group(1)]), m.group(1)
    printed = _printed_number(q.text)  # a table figure under a unit line: `1262.3` with 单位：亿元
    if q.kind in ("money", "measure", "count") and printed is not None and printed[0] \
            and abs(Decimal(q.value)) != printed[0]:
        return abs(Decimal(q.value)) / printed[0], ""
    return Decimal(1), ""


def _show(v: Decimal, like: Quantity, extra: int = 0) -> str:
    k, word = _scale(like)
    step = ulp(like)
    places = max(0, -(step / k).normalize().as_tuple().exponent) + extra if step else extra  # type: ignore[operator]
    with localcontext(_CTX):
        return f"{fmt(v / k, places)}{word}"


def _pct_places(p: Quantity, extra: int = 1) -> int:
    digits = p.text.split(".")
    return (len("".join(ch for ch in digits[1] if ch.isdigit())) if len(digits) > 1 else 0) + extra


class _Base:
    """What every check needs: the text, the quantities by id, and how a finding is made."""

    def __init__(self, text: str, quantities: list[Quantity]) -> None:
        self.text = text
        self.q = {q.id: q for q in quantities}

    def finding(self, rel: Relation, status: str, message: str, qs: list[Quantity],
                derived: dict[str, Decimal] | None = None, compared: bool = True) -> Finding:
        """`compared=False` for a value derived where nothing stated could contradict it."""
        if status == "inconsistent" and any(q.approx for q in qs):
            status, message = "warning", message + " (approximate figures)"
        return Finding(check=rel.type, status=status, quantities=list(rel.quantities),  # type: ignore[arg-type]
                       message=message, relation=rel.id,
                       derived={k: fmt(v, 4) for k, v in (derived or {}).items()}, compared=compared)

    def roles(self, rel: Relation) -> dict[str, list[Quantity]]:
        out: dict[str, list[Quantity]] = {}
        for qid, role in zip(rel.quantities, rel.roles, strict=False):
            out.setdefault(role, []).append(self.q[qid])
        return out

class _Lists(_Base):
    """A whole and its parts: sum, part_of, structure; and a metric restated (repeat)."""

    def sum(self, rel: Relation) -> Finding | None:
        r = self.roles(rel)
        total, parts = r["total"][0], r.get("part", [])
        if len(parts) < 2:
            return None
        s = interval(parts[0])
        exact = Decimal(parts[0].value)
        for p in parts[1:]:
            s = s + interval(p)
            exact += Decimal(p.value)
        t = interval(total)
        expr = " + ".join(label(p) for p in parts)
        like = parts[0] if len({_scale(p)[1] for p in parts}) == 1 else total
        shown = f"{expr} = {_show(exact, like, 2)}"
        qs = [total, *parts]
        if s.overlaps(t):
            return self.finding(rel, "consistent", f"{shown} ✓" if exact == Decimal(total.value)
                                else f"{shown} ≈ {label(total)} ✓ (within printed precision)", qs)
        if not s.at_most(t):
            return self.finding(rel, "inconsistent", f"{shown} > {label(total)} ✗ (parts exceed the total)",
                                qs, {"parts_sum": exact})
        # `A、B，共计 T` and `其中 A…；其他 B` claim the list is complete
        lead = self.text[max(0, parts[-1].start - 20):parts[-1].start]
        others = _OTHERS.match(_LIST_STOP.split(lead)[-1].strip())
        if total.start > parts[-1].start or others:
            note = " (the list ends with 其他: it is complete)" if others else ""
            return self.finding(rel, "inconsistent", f"{shown} ≠ {label(total)} ✗{note}", qs,
                                {"parts_sum": exact})
        return self.finding(rel, "warning", f"{shown} < {label(total)} (the list may be partial)", qs,
                            {"parts_sum": exact, "unlisted": Decimal(total.value) - exact})

    def part_of(self, rel: Relation) -> Finding | None:
        r = self.roles(rel)
        part, whole = r["part"][0], r["whole"][0]
        qs = [part, whole]
        if interval(part).at_most(interval(whole)):
            return self.finding(rel, "consistent", f"{label(part)} ≤ {label(whole)} ✓", qs)
        return self.finding(rel, "inconsistent",
                            f"{label(part)} > {label(whole)} ✗ (a part exceeds its whole)", qs)

    def structure(self, rel: Relation) -> Finding | None:
        parts = self.roles(rel).get("part", [])
        exact = Decimal(parts[0].value)
        for p in parts[1:]:
            exact += Decimal(p.value)
        if abs(exact - HUNDRED) > 5:
            return None  # not shares of one whole (e.g. a 1:1 ratio): no intervals needed
        total = interval(parts[0])
        for p in parts[1:]:
            total = total + interval(p)
        sep = " + "
        shown = f"{sep.join(label(p).rstrip('%') for p in parts)} = {fmt(exact, 4)}"
        if total.contains(HUNDRED):
            return self.finding(rel, "consistent", f"{shown} ✓ (100 within printed precision)", parts,
                                {"sum": exact})
        status = "inconsistent" if parts[0].kind == "ratio" else "warning"
        note = "" if status == "inconsistent" else " (the shares listed may not cover the whole)"
        return self.finding(rel, status, f"{shown} ≠ 100 ✗{note}", parts, {"sum": exact})

    def repeat(self, rel: Relation) -> Finding | None:
        r = self.roles(rel)
        a, b = r["first"][0], r["second"][0]
        if interval(a).overlaps(interval(b)):
            return self.finding(rel, "consistent", f"{label(a)} = {label(b)} ✓ ({a.metric})", [a, b])
        return self.finding(rel, "warning", f"{a.metric}: {label(a)} here, {label(b)} there", [a, b])


class _Rates(_Base):
    """A value against a percent of something: completion (of a target), growth (over a base), share."""

    def completion(self, rel: Relation) -> Finding | None:
        r = self.roles(rel)
        value, pct = r["value"][0], r["percent"][0]
        if r.get("target"):
            return self._completion_of_target(rel, value, r["target"][0], pct)
        qs = [value, pct]
        p_round, p_trunc = interval(pct), interval(pct, truncated=True)
        v = Decimal(value.value)
        if Decimal(pct.value) <= 0:
            return None
        places = _pct_places(pct)
        with localcontext(_CTX):
            implied = v * HUNDRED / Decimal(pct.value)
        countable = value.kind == "count" and value.approx is None and ulp(value) == 0 and p_round.lo > 0
        if not countable:
            return self.finding(rel, "consistent",
                                f"{label(value)} / {label(pct)} = {_show(implied, value, 2)} "
                                "(implied target; none stated to compare)", qs, {"implied_target": implied},
                                compared=False)
        hundred_v = Interval.point(v * HUNDRED)
        ns = (hundred_v / p_round).integers()
        if ns:
            n = ns[0]
            with localcontext(_CTX):
                got = v * HUNDRED / n
            return self.finding(rel, "consistent",
                                f"{label(value)}/{n} = {fmt(got, places)}% → {label(pct)} ✓ "
                                "(whole-number target)", qs, {"implied_target": n})
        nt = (hundred_v / p_trunc).integers()
        near = (hundred_v / Interval.point(Decimal(pct.value)))
        if nt:
            n = nt[0]
            with localcontext(_CTX):
                got = v * HUNDRED / n
            return self.finding(rel, "warning",
                                f"{label(value)}/{n} = {fmt(got, places)}% ≠ {label(pct)} "
                                "(only under truncation; no whole-number target rounds to it)",
                                qs, {"implied_target": n})
        lo = near.lo.to_integral_value(rounding="ROUND_FLOOR")
        tries = ", ".join(f"{label(value)}/{n} = {fmt(v * HUNDRED / n, places)}%"
                          for n in (lo, lo + 1) if n >= 1)
        return self.finding(rel, "inconsistent",
                            f"no whole-number target gives {label(pct)}: {tries} ✗", qs,
                            {"implied_target": implied})

    def _completion_of_target(self, rel: Relation, value: Quantity, target: Quantity,
                              pct: Quantity) -> Finding | None:
        """`工业投资120亿元，年度目标为200亿元，完成年度目标的52.3%`: value / target against the percent."""
        if Decimal(target.value) == 0:
            return None
        return self._ratio_finding(rel, value, target, pct, [value, target, pct], "completion")

    def _ratio_finding(self, rel: Relation, part: Quantity, whole: Quantity, pct: Quantity,
                       qs: list[Quantity], key: str) -> Finding:
        """part / whole × 100 against a printed percent: rounded, else truncated (a warning), else wrong."""
        ratio = (interval(part) / interval(whole)).scale(HUNDRED)
        with localcontext(_CTX):
            got = Decimal(part.value) / Decimal(whole.value) * HUNDRED
        shown = f"{label(part)}/{label(whole)} = {fmt(got, _pct_places(pct))}%"
        if ratio.overlaps(interval(pct)):
            return self.finding(rel, "consistent", f"{shown} → {label(pct)} ✓", qs, {key: got})
        if ratio.overlaps(interval(pct, truncated=True)):
            return self.finding(rel, "warning", f"{shown} ≠ {label(pct)} (only under truncation)", qs,
                                {key: got})
        return self.finding(rel, "inconsistent", f"{shown} ≠ {label(pct)} ✗", qs, {key: got})

    def share(self, rel: Relation) -> Finding | None:
        r = self.roles(rel)
        part, whole, pct = r["part"][0], r["whole"][0], r["percent"][0]
        if Decimal(whole.value) == 0:
            return None
        return self._ratio_finding(rel, part, whole, pct, [part, whole, pct], "share")

    def growth(self, rel: Relation) -> Finding | None:
        r = self.roles(rel)
        value, rate = r["value"][0], r["rate"][0]
        base = r.get("base", [None])[0]
        sign = Decimal(-1) if is_decline(self.text, rate) and Decimal(rate.value) > 0 else Decimal(1)
        rv = Decimal(rate.value) * sign
        if rv <= -HUNDRED:
            return None
        with localcontext(_CTX):
            implied = Decimal(value.value) / (1 + rv / HUNDRED)
        rate_txt = f"{'+' if rv >= 0 else '−'} {fmt(abs(rv), 4)}%"
        shown = f"{label(value)} / (1 {rate_txt}) = {_show(implied, value, 2)}"
        qs = [value, rate] + ([base] if base else [])
        delta = r.get("delta", [None])[0]
        if base is None and delta is None:
            return self.finding(rel, "consistent", f"{shown} (implied base; none stated to compare)", qs,
                                {"implied_base": implied}, compared=False)
        # 1 + the rate, as an interval: only a stated base or increase is compared with it
        factor = interval(rate).scale(sign / HUNDRED) + Interval.point(Decimal(1))
        if delta is not None:
            return self._growth_with_increase(rel, value, base, delta, rate, factor, shown, implied)
        if (interval(value) / factor).overlaps(interval(base)):
            return self.finding(rel, "consistent", f"{shown} ≈ {label(base)} ✓", qs,
                                {"implied_base": implied})
        if is_real_growth(self.text, qs):
            return self.finding(rel, "warning", f"{shown} ≠ {label(base)} (real growth at comparable prices; "
                                "nominal figures need not agree)", qs, {"implied_base": implied})
        return self.finding(rel, "inconsistent", f"{shown} ≠ {label(base)} ✗", qs, {"implied_base": implied})

    def _growth_with_increase(self, rel: Relation, value: Quantity, base: Quantity | None, delta: Quantity,
                              rate: Quantity, factor: Interval, shown: str, implied: Decimal) -> Finding:
        """`达到13697.5亿元，较…的9323.1亿元增加4374.4亿元，增长33.6%`: the increase is the exact difference
        of two nominal levels (inconsistent when it is not, even for GDP); the rate is checked against
        increase / base (only a warning when it is a real rate at comparable prices)."""
        qs = [value, rate] + ([base] if base else []) + [delta]
        d_sign = Decimal(-1) if is_decline(self.text, delta) else Decimal(1)
        from_delta = interval(value) - interval(delta).scale(d_sign)
        with localcontext(_CTX):
            b = Decimal(value.value) - d_sign * Decimal(delta.value)
            nominal = d_sign * Decimal(delta.value) / b * HUNDRED if b else Decimal(0)
        derived = {"implied_base": implied, "base": b, "rate_from_increase": nominal}
        op = "−" if d_sign > 0 else "+"
        if base is not None and not from_delta.overlaps(interval(base)):
            with localcontext(_CTX):
                diff = Decimal(value.value) - Decimal(base.value)
            return self.finding(rel, "inconsistent",
                                f"{label(value)} − {label(base)} = {_show(abs(diff), value, 2)} ≠ "
                                f"{label(delta)} ✗ (the stated {'increase' if d_sign > 0 else 'decrease'} is "
                                "not the difference of the two levels)", qs, derived | {"difference": diff})
        sub = f"{label(value)} {op} {label(delta)} = {_show(b, value, 2)}"
        if base is not None:
            sub += f" = {label(base)}"
        rate_txt = f"{label(delta)} / {_show(b, value, 2)} = {fmt(nominal, _pct_places(rate))}%"
        if (interval(value) / factor).overlaps(from_delta):
            return self.finding(rel, "consistent", f"{sub}; {rate_txt} → {label(rate)} ✓", qs, derived)
        head = f"{sub}; {rate_txt} ≠ {label(rate)}"
        if is_real_growth(self.text, qs):
            return self.finding(rel, "warning", f"{head} (a real growth rate at comparable prices; "
                                f"nominal figures need not agree; {shown})", qs, derived)
        return self.finding(rel, "inconsistent",
                            f"{head} ✗ (the increase and the rate disagree; {shown})", qs, derived)

class _Changes(_Base):
    """From → to with a stated difference, rate or direction; ranks; yearly averages."""

    def change(self, rel: Relation) -> Finding | None:
        r = self.roles(rel)
        frm, to, delta = (r.get(k, [None])[0] for k in ("from", "to", "delta"))
        if to is None:
            return None
        if frm is None and delta is not None:
            return self._change_implied_from(rel, to, delta)
        if frm is None:
            return None
        qs = [q for q in (frm, to, delta) if q]
        between = self.text[frm.end:to.start]
        m = cues().change_gap.match(between)
        verb = m.group("verb") if m else ""
        up = not verb.startswith(cues().down_words) if verb else None
        f_iv, t_iv = interval(frm), interval(to)
        diff = t_iv - f_iv
        with localcontext(_CTX):
            exact = Decimal(to.value) - Decimal(frm.value)
        real = is_real_growth(self.text, qs)
        if delta is None:
            if up is None:
                return None
            # a better rank is a smaller number: 从第13位升至第5位
            rising = (not up) if _is_rank(self.text, frm) else up
            ok = diff.overlaps(Interval(Decimal(0), INF) if rising else Interval(-INF, Decimal(0)))
            pts = "个百分点" if to.unit == "%" else ""
            finer = frm if ulp(frm) < ulp(to) else to
            sign = "+" if exact >= 0 else "−"
            arrow = f"{label(frm)} → {label(to)} ({sign}{_show(abs(exact), finer)}{pts})"
            if ok:
                return self.finding(rel, "consistent", f"{arrow}: {verb} ✓", qs, {"delta": exact})
            return self.finding(rel, "inconsistent", f"{arrow} but the text says {verb} ✗", qs,
                                {"delta": exact})
        d_sign = Decimal(-1) if (is_decline(self.text, delta) or up is False) else Decimal(1)
        d_iv = interval(delta).scale(d_sign)
        dv = Decimal(delta.value) * d_sign
        if _ANNUAL.search(self.text[to.end:delta.start]):
            return self._change_annual(rel, frm, to, delta, d_iv, qs, real)
        if delta.unit == "%" and frm.unit != "%":
            rate_iv = (diff / f_iv).scale(HUNDRED)
            with localcontext(_CTX):
                got = exact / Decimal(frm.value) * HUNDRED if Decimal(frm.value) else Decimal(0)
            shown = f"({label(to)} − {label(frm)}) / {label(frm)} = {fmt(got, _pct_places(delta))}%"
            if rate_iv.overlaps(d_iv):
                return self.finding(rel, "consistent", f"{shown} → {label(delta)} ✓", qs, {"rate": got})
            status = "warning" if real else "inconsistent"
            return self.finding(rel, status, f"{shown} ≠ {'−' if dv < 0 else ''}{label(delta)} ✗", qs,
                                {"rate": got})
        shown = f"{label(to)} − {label(frm)} = {_show(exact, delta if delta.unit != '%' else to)}"
        if diff.overlaps(d_iv):
            return self.finding(rel, "consistent", f"{shown} ✓", qs, {"delta": exact})
        return self.finding(rel, "inconsistent", f"{shown} ≠ {'−' if dv < 0 else ''}{label(delta)} ✗", qs,
                            {"delta": exact})

    def _change_annual(self, rel: Relation, frm: Quantity, to: Quantity, delta: Quantity, d_iv: Interval,
                       qs: list[Quantity], real: bool) -> Finding | None:
        """年均增长 r% / 平均每年增加 d between two stated years: compound or linear per year."""
        years_from = _YEAR.findall(self.text[max(0, frm.start - 12):frm.start])
        years_to = _YEAR.findall(self.text[frm.end:to.start])
        if not years_from or not years_to:
            return None  # the span of years is not stated next to the figures
        n = int(years_to[-1]) - int(years_from[-1])
        if n <= 0 or Decimal(frm.value) <= 0:
            return None
        span = f"{years_from[-1]}→{years_to[-1]}, {n} years"
        with localcontext(_CTX):
            if delta.unit == "%" and frm.unit != "%":
                ratio = interval(to) / interval(frm)
                if ratio.lo <= 0:
                    return None
                cagr = Interval(((ratio.lo.ln() / n).exp() - 1) * HUNDRED,
                                ((ratio.hi.ln() / n).exp() - 1) * HUNDRED if ratio.hi.is_finite() else INF)
                got = ((Decimal(to.value) / Decimal(frm.value)).ln() / n).exp() * HUNDRED - HUNDRED
                shown = (f"({label(to)} / {label(frm)})^(1/{n}) − 1 = "
                         f"{fmt(got, _pct_places(delta))}% ({span})")
                if cagr.overlaps(d_iv):
                    return self.finding(rel, "consistent", f"{shown} → {label(delta)} ✓", qs,
                                        {"annual_rate": got})
                return self.finding(rel, "warning" if real else "inconsistent",
                                    f"{shown} ≠ {label(delta)} ✗", qs, {"annual_rate": got})
            per_year = (interval(to) - interval(frm)).scale(Decimal(1) / n)
            got = (Decimal(to.value) - Decimal(frm.value)) / n
        shown = f"({label(to)} − {label(frm)}) / {n} = {_show(got, delta, 1)} ({span})"
        if per_year.overlaps(d_iv):
            return self.finding(rel, "consistent", f"{shown} → {label(delta)} ✓", qs, {"annual_delta": got})
        return self.finding(rel, "inconsistent", f"{shown} ≠ {label(delta)} ✗", qs, {"annual_delta": got})

    def _change_implied_from(self, rel: Relation, to: Quantity, delta: Quantity) -> Finding | None:
        qs = [to, delta]
        down = is_decline(self.text, delta)
        if to.kind == "rank":
            # rank numbers fall as a position improves: 第16名，提高了12位 -> was 第28名
            with localcontext(_CTX):
                prior = Decimal(to.value) + (-Decimal(delta.value) if down else Decimal(delta.value))
            shown = f"{to.text} {'−' if down else '+'} {delta.text} = 第{fmt(prior, 0)}名"
            if prior >= 1:
                return self.finding(rel, "consistent", f"implied prior rank: {shown} ✓", qs,
                                    {"prior_rank": prior})
            return self.finding(rel, "inconsistent", f"implied prior rank {shown} is impossible ✗", qs,
                                {"prior_rank": prior})
        with localcontext(_CTX):
            prior = Decimal(to.value) + (Decimal(delta.value) if down else -Decimal(delta.value))
        return self.finding(rel, "consistent",
                            f"{label(to)} {'+' if down else '−'} {label(delta)} = {fmt(prior, 4)}"
                            f"{'%' if to.unit == '%' else ''} (implied earlier value; none stated)",
                            qs, {"implied_from": prior}, compared=False)

class _Checker(_Lists, _Rates, _Changes):
    """One method per relation type (named as the type), each giving its finding or None."""


def run_checks(doc: Document | str, quantities: list[Quantity], relations: list[Relation]) -> list[Finding]:
    """One finding per relation that could be checked (or whose implied value follows)."""
    checker = _Checker(as_document(doc).text, quantities)
    out: list[Finding] = []
    for rel in relations:
        fn: Callable[[Relation], Finding | None] | None = getattr(checker, rel.type, None)
        if fn is None or any(qid not in checker.q for qid in rel.quantities):
            continue
        f = fn(rel)
        if f is not None:
            out.append(f)
    return out
