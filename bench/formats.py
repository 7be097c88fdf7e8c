"""Published formats: dev-gold scores and speed per format, from files rendered at run time.

    .venv/bin/python bench/formats.py [--repeat N] [--out DIR]

Renders the dev-gold documents (../shared/gold, texts cut to their slice) and the table document
(corpus/gold/synthetic-bulletin-tables.json) to HTML (UTF-8 and GB2312), DOCX and PDF
(tests/fixtures/render.py), reads each back, maps the predictions to the plain text and scores them.
Prints P/R per format, whether every quantity's text is its document's text[start:end], PDF pages
checked against where the renderer drew each figure, and time per character relative to plain text.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fixtures.formats_eval import FORMATS, evaluate, render  # noqa: E402

from extractor.evaluate import gold_text, load_gold, totals  # noqa: E402
from extractor.pipeline import extract  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="timing runs per file (the best counts)")
    ap.add_argument("--out", type=Path, help="keep the rendered files here")
    args = ap.parse_args()
    golds = [g for g in load_gold([ROOT.parent / "shared" / "gold", ROOT / "corpus" / "gold"])
             if g[1]["doc_id"] in ("national-2019-s1", "prov2026-guangdong-s1", "seed-lipu-2020h1",
                                   "synthetic-bulletin-tables")]
    out = args.out or Path(tempfile.mkdtemp(prefix="govnum-formats-"))
    extract("2020年完成投资1.2亿元，同比增长10%。")  # load the lexicons before timing anything
    rows = {f: [] for f in FORMATS}
    speed: dict[str, list[tuple[float, int]]] = {f: [] for f in FORMATS}
    for path, gold in golds:
        text = gold_text(path, gold, [ROOT.parent, ROOT])
        for fmt in FORMATS:
            file, pages = render(text, fmt, out, gold["doc_id"])
            best = None
            for _ in range(max(1, args.repeat)):
                r = evaluate(gold, text, file, fmt, pages)
                best = r if best is None or r.seconds < best.seconds else best
            rows[fmt].append(best)
            speed[fmt].append((best.seconds, len(text)))
    base = sum(s for s, _ in speed["text"]) / sum(n for _, n in speed["text"])
    print(f"{'format':12} {'P':>6} {'R':>6} {'fp':>3} {'offsets':>8} {'pages':>9} {'µs/char':>8} "
          f"{'×text':>6}")
    for fmt in FORMATS:
        t = totals([r.score for r in rows[fmt]])
        per = sum(s for s, _ in speed[fmt]) / sum(n for _, n in speed[fmt])
        ok = all(r.offsets_ok for r in rows[fmt])
        checked = sum(r.pages_checked for r in rows[fmt])
        wrong = sum(len(r.pages_wrong) for r in rows[fmt])
        pages = f"{checked - wrong}/{checked}" if fmt == "pdf" else "-"
        print(f"{fmt:12} {t.precision:6.3f} {t.recall:6.3f} {t.fp:3d} {str(ok):>8} {pages:>9} "
              f"{per * 1e6:8.1f} {per / base:6.2f}")
        for r in rows[fmt]:
            for w in r.pages_wrong[:5]:
                print(f"   page wrong: {r.score.doc_id}: {w}")
            for m in r.score.misses[:5]:
                print(f"   miss: {r.score.doc_id}: {m}")
            for m in r.score.spurious[:5]:
                print(f"   extra: {r.score.doc_id}: {m}")
    pdf_chars = sum(n for _, n in speed["pdf"])
    pdf_secs = sum(s for s, _ in speed["pdf"])
    print(f"PDF throughput: {pdf_chars / pdf_secs:,.0f} characters/s ({pdf_secs:.2f} s for {pdf_chars} "
          "characters, reading and extraction)")
    print(f"files in {out}")


if __name__ == "__main__":
    main()
