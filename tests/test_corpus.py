"""The whole shared corpus and the dev gold (skipped when ../shared is absent)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from extractor import extract
from extractor.evaluate import gold_text, load_gold, score_document, totals
from extractor.load import read_text


def test_every_document_extracts_with_exact_offsets(shared: Path) -> None:
    files = sorted((shared / "corpus" / "text").glob("*.txt"))
    assert len(files) >= 80
    total = 0
    for f in files:
        text = read_text(f)
        report = extract(text, doc_id=f.stem)
        for q in report.quantities:
            assert text[q.start:q.end] == q.text, (f.name, q)
        total += len(report.quantities)
    assert total > 10000


def test_dev_gold_scores(shared: Path) -> None:
    scores = []
    for path, gold in load_gold([shared / "gold"]):
        text = gold_text(path, gold, [shared.parent])
        scores.append(score_document(gold, extract(text, doc_id=gold["doc_id"]).model_dump(mode="json")))
    t = totals(scores)
    assert t.precision >= 0.97 and t.recall >= 0.97 and t.metric_acc >= 0.90, t.line()


def test_eval_agrees_with_the_team_scorer(shared: Path, tmp_path: Path) -> None:
    pred = tmp_path / "pred.jsonl"
    with pred.open("w", encoding="utf-8") as out:
        for path, gold in load_gold([shared / "gold"]):
            text = gold_text(path, gold, [shared.parent])
            out.write(extract(text, doc_id=gold["doc_id"]).model_dump_json() + "\n")
    ours = subprocess.run([str(Path(sys.executable).parent / "govnum"), "eval", str(shared / "gold"),
                           "--pred", str(pred)], capture_output=True, text=True, check=True).stdout.strip()
    theirs = subprocess.run([sys.executable, str(shared / "tools" / "score.py"), str(shared / "gold"),
                             "--pred", str(pred)], capture_output=True, text=True, check=True).stdout.strip()
    assert ours.splitlines()[-1] == theirs.splitlines()[-1]


@pytest.mark.parametrize("name", ["seed-lipu-2020h1"])
def test_bundled_sample_is_the_seed(shared: Path, name: str) -> None:
    repo = Path(__file__).resolve().parent.parent
    bundled = (repo / "corpus" / "lipu-2020h1.txt").read_bytes()
    assert bundled == (shared / "corpus" / "text" / f"{name}.txt").read_bytes()
