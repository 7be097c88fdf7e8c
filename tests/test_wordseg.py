"""The sharded jieba dictionary cuts and tags exactly as jieba itself does with the report vocabulary."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor import lexicon, wordseg

PHRASES = [
    "规上工业总产值7071万元",
    "城镇和农村居民人均可支配收入分别增长4.3%、5.5%",
    "完成27家企业排污许可注册登记",
    "全面落实统一部署，千家万户两手抓",
    "摸排上报企业各类人才缺口",
    "为企业和个人减税降费",
    "GDP增长5.2%，PM2.5浓度下降",
    "abc 12.5 x\r\n1a2b ＡＢ１２ a+b#c&d._e",
    "",
    " ",
    "拾起一二三次产业",
]
# characters of report text, so that random strings meet real words, numerals, Latin and punctuation
ALPHABET = "规上工业总产值增长完成企业投资城镇农村居民人均可支配收入分别一二三十百千万亿元个家人次第年月" \
           "统一部署落实减税降费两手抓0123456789.%abcAB ，。、\n"


@pytest.fixture(scope="module")
def real_jieba():
    """jieba's own tokenizer and POS tagger, with the report vocabulary added as jieba.add_word does."""
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    for row in lexicon.table("report_vocabulary.txt"):
        tok.add_word(row[0], None, row[1] if len(row) > 1 else None)
    return tok, pseg.POSTokenizer(tok)


@pytest.fixture(params=["shards", "jieba-rs", "no rjieba installed"])
def route(request, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Every way to the route: jieba's code over the shards (a process's first characters), jieba-rs, and
    the shards again where rjieba cannot be imported."""
    monkeypatch.setattr(wordseg, "_RUST_AFTER", 10**15 if request.param == "shards" else -1)
    if request.param == "no rjieba installed":
        monkeypatch.setitem(sys.modules, "rjieba", None)  # import rjieba raises ImportError
        wordseg._router.cache_clear()
    yield request.param
    wordseg._router.cache_clear()


def _same(real_jieba, text: str) -> None:
    tok, pos = real_jieba
    assert wordseg.pos_tags(text) == tuple((p.word, p.flag) for p in pos.cut(text, HMM=False))
    assert wordseg.cut(text) == tok.lcut(text)


@pytest.mark.parametrize("text", PHRASES)
def test_same_cut_as_jieba(real_jieba, route: str, text: str) -> None:
    _same(real_jieba, text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=ALPHABET, max_size=30))
def test_same_cut_as_jieba_on_random_text(real_jieba, route: str, text: str) -> None:
    _same(real_jieba, text)


def test_both_routes_agree_on_report_sentences(shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every clause of three real reports (national, provincial, the seed) cut both ways."""
    names = sorted((shared / "corpus" / "text").glob("*.txt"))
    clauses = [c for f in (names[0], names[len(names) // 2], names[-1])
               for c in re.split(r"[。；\n]", f.read_text(encoding="utf-8")) if c]
    cuts = {}
    for way, after in (("shards", 10**15), ("jieba-rs", -1)):
        monkeypatch.setattr(wordseg, "_RUST_AFTER", after)
        cuts[way] = [wordseg.pos_tags(c) for c in clauses]
    assert len(clauses) > 500 and cuts["shards"] == cuts["jieba-rs"]


def test_vocabulary_words_stay_whole() -> None:
    assert wordseg.pos_tags("规上工业总产值") == (("规上工业总产值", "n"),)


def test_cache_built_in_a_fresh_dir_then_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVNUM_CACHE_DIR", str(tmp_path))
    built = wordseg._Dictionary()
    files = list(tmp_path.glob("jieba-*.shards"))
    assert len(files) == 1
    reread = wordseg._Dictionary()  # opens the file the first one wrote
    for d in (built, reread):
        d.ensure("规上工业总产值增长")
        assert d.freq["规上工业总产值"] > 0 and d.tags["增长"] == "v"
        assert d.tok.total == wordseg._dictionary().tok.total
    assert "江苏" not in reread.freq  # 江 is not met yet: its shard is not loaded
    reread.ensure("江")
    assert "江苏" in reread.freq


def test_corrupt_cache_rebuilt_old_ones_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVNUM_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(wordseg, "_cache_key", lambda jieba: "k")
    for i in range(10):  # caches of other vocabularies, older
        old = tmp_path / f"jieba-old{i}.shards"
        old.write_bytes(b"x")
        os.utime(old, (1_000_000 + i, 1_000_000 + i))
    (tmp_path / "jieba-k.shards").write_bytes(b"garbage")
    d = wordseg._Dictionary()
    d.ensure("增长")
    assert d.tags["增长"] == "v"
    assert (tmp_path / "jieba-k.shards").read_bytes().startswith(wordseg._FORMAT)
    kept = sorted(f.name for f in tmp_path.glob("jieba-*.shards"))
    assert kept == ["jieba-k.shards"] + [f"jieba-old{i}.shards" for i in range(3, 10)]


def test_unwritable_cache_loads_everything_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("GOVNUM_CACHE_DIR", str(blocker))
    d = wordseg._Dictionary()
    assert "长江" in d.freq and d.tags["增长"] == "v"


def test_jieba_rs_is_loaded_without_rjiebas_default_instance() -> None:
    """rjieba's package builds a default Jieba (0.1 s, 80 MB) on import; the router is built without it."""
    code = ("import sys; from extractor import wordseg; r = wordseg._router(); "
            "print(r.tag('规上工业总产值增长', False), 'rjieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1]).stdout
    assert out.strip() == "[('规上工业总产值', 'n'), ('增长', 'v')] False"
