"""Speed of the loading stages (header parsing, normalization) on the corpus and on hostile input.

Usage: .venv/bin/python bench/bench_normalize.py [--hostile]
Reads ../shared/corpus/text (skipped when absent). Prints chars/s; best of 5 runs on the corpus.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from extractor.header import parse_header
from extractor.normalize import normalize

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "text"


def best_of(fn, texts: list[str], runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        for x in texts:
            fn(x)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))] if CORPUS.is_dir() else []
    if texts:
        n = sum(map(len, texts))
        normalize("warm up")
        parse_header("warm up")
        for name, fn in (("normalize", normalize), ("parse_header", parse_header)):
            sec = best_of(fn, texts)
            print(f"{name}: {len(texts)} docs, {n:,} chars, {sec:.3f}s = {n / sec:,.0f} chars/s")
    if "--hostile" in sys.argv:
        rng = random.Random(1)
        alphabet = [chr(c) for c in range(0x20, 0x3000)] + list(" \n\u3000\u200b0123456789万元，．％")
        base = "".join(texts).replace("\n", "") or "全镇实现规上工业总产值7071万元，同比增长10%。"
        cases = {
            "10 MB one line": (base * (10_000_000 // len(base) + 1))[:10_000_000],
            "100,000 digits": "1" * 100_000,
            "10 MB random unicode": "".join(rng.choices(alphabet, k=10_000_000)),
            "10 MB spaced single digits": "1 " * 5_000_000,
            "10 MB digit, space, unit": "3 万 " * 2_500_000,
            "10 MB zero-width": "\u200b" * 10_000_000,
        }
        for name, text in cases.items():
            t = time.perf_counter()
            normalize(text)
            tn = time.perf_counter() - t
            t = time.perf_counter()
            parse_header(text)
            th = time.perf_counter() - t
            print(f"{name}: {len(text):,} chars; normalize {tn:.3f}s ({len(text) / tn:,.0f} chars/s); "
                  f"parse_header {th:.3f}s")


if __name__ == "__main__":
    main()
