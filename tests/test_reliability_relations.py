"""Reliability (issue 14, item 1): relation finding stays linear in document length whatever the punctuation.

A badly punctuated or flattened text is one long sentence (one clause when it has no commas either);
rescanning it from its start for every 其中 or every figure made relation finding quadratic (18.6 s at
50 k characters). Each shape below is timed at 25 k and 50 k characters (process CPU time, the best of
three runs, so that other processes' load counts less); doubling the text must at most about double the
time. Run alone with `pytest -m reliability`.
"""

from __future__ import annotations

import time

import pytest

from extractor import extract

pytestmark = pytest.mark.reliability

# the probe of issue 14: 其中 lists with neither 。 nor a comma, and with commas but no 。 (×3 per doubling
# before); acceptance: 25 k -> 50 k characters at most ×2.2 the time
PROBES = {
    "qizhong_unpunctuated": "各项贷款新增1.91万亿元其中制造业中长期贷款新增1124亿元"
                            "无还本续贷新增2865亿元增长3.5%",
    "qizhong_commas": "各项贷款新增1.91万亿元，其中制造业中长期贷款新增1124亿元，"
                      "无还本续贷新增2865亿元，增长3.5%，",
}
# every other walk of relations.py over a sentence, at 10 k -> 20 k characters, under a coarser bound
SHAPES = {
    "totals_after_parts": "甲类1个、乙类2个，共3个、",
    "semicolon_lists": "共收到5元；其中工商税收到2元",
    "shares_and_completion": "完成投资12亿元占全年目标的52.3%占比15.3%结构为1.1%、2.2%、",
    "already_done": "梳理问题5个已解决3个",
}


def _sized(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def _doubling(unit: str, n: int, runs: int, bound: float, attempts: int = 3) -> float:
    """Best CPU time at 2n over best at n, the two sizes timed in turn; the smallest ratio of a few
    attempts (a load spike can only make one slower: a quadratic walk is ×4 in every attempt)."""
    extract("其中1亿元")  # lexicons and patterns loaded outside the timing
    texts = (_sized(unit, n), _sized(unit, 2 * n))
    ratios = []
    for _ in range(attempts):
        best = [float("inf"), float("inf")]
        for _ in range(runs):
            for k, text in enumerate(texts):
                t0 = time.process_time()
                extract(text)
                best[k] = min(best[k], time.process_time() - t0)
        ratios.append(best[1] / max(best[0], 1e-3))
        if ratios[-1] <= bound:
            break
    return min(ratios)


@pytest.mark.parametrize("shape", sorted(PROBES))
def test_doubling_an_unpunctuated_qizhong_text_at_most_doubles_the_time(shape: str) -> None:
    ratio = _doubling(PROBES[shape], 25_000, runs=3, bound=2.2)
    print(f"{shape}: 25k -> 50k characters: x{ratio:.2f}")
    assert ratio <= 2.2, f"{shape}: doubling the text took x{ratio:.2f} the time"


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_other_unpunctuated_shapes_stay_linear(shape: str) -> None:
    ratio = _doubling(SHAPES[shape], 10_000, runs=3, bound=2.5)
    print(f"{shape}: 10k -> 20k characters: x{ratio:.2f}")
    assert ratio <= 2.5, f"{shape}: doubling the text took x{ratio:.2f} the time (quadratic is x4)"


def test_an_unpunctuated_text_is_still_read() -> None:
    """Linear time must not come from giving up: the relations of a flattened text are still found."""
    report = extract(_sized(PROBES["qizhong_unpunctuated"], 25_000))
    assert sum(r.type in ("sum", "part_of") for r in report.relations) >= 500
    assert sum(r.type == "growth" for r in report.relations) >= 500
