"""Words and their POS tags from jieba's dictionary: a process's first characters by jieba's own code
over a dictionary loaded one first character at a time, the rest by jieba-rs.

jieba loads its whole dictionary on first use: a `marshal.load` of ~500k prefix entries, and (at the
import of `jieba.posseg`) a parse of dict.txt for the tags — about 1 CPU-second together, 2.5 s of wall
time on a busy machine, paid by every process even for one sentence. The stages only ask about short
windows and phrases, and jieba's DAG only looks up fragments that start at a character of the text. So
the dictionary as the stages use it (jieba's words, frequencies, total and tags, plus the report
vocabulary in data/report_vocabulary.txt) is written once to a cache file sharded by first character;
a cut first loads the shards of the characters it has not met yet into the plain dicts that jieba's own
DAG and route code read. The cut is jieba's, on the same numbers: the segmentation is identical.

That keeps a short text's start-up short. Past its first 2,000 characters a process cuts with jieba-rs
(rjieba: jieba's dictionary and route in Rust, ~0.15 s to load): the same words and tags as jieba's
dictionary-only cut (tests/test_wordseg.py compares both ways with jieba.posseg) at a fifth of the CPU.
jieba's HMM cut (`cut`, for a few short phrases) stays jieba's own: jieba-rs's HMM differs on some text.

The cache is built on first use (a few seconds, once) under $GOVNUM_CACHE_DIR, else
$XDG_CACHE_HOME/govnum or ~/.cache/govnum, named by a hash of everything it is built from (so a new jieba
or a vocabulary edit builds a new one). Nothing is downloaded. Where no cache can be written, the whole
dictionary is loaded in memory, as jieba does.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.machinery
import importlib.util
import marshal
import mmap
import os
import re
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from . import lexicon

_FORMAT = b"govnum-jieba-shards-1\n"
Tags = tuple[tuple[str, str], ...]

# jieba.posseg's splitting of a text into blocks, for its cut without the HMM (see pos_tags)
_HAN = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._]+)")
_SKIP = re.compile(r"(\r\n|\s)")
_NUM = re.compile(r"[\.0-9]+")
_ENG = re.compile("[a-zA-Z0-9]+")
_ENGS = re.compile("[a-zA-Z0-9]+$")
_LATIN = re.compile("[a-zA-Z0-9]")


def _import_jieba() -> Any:
    """jieba, quiet. Its _compat module imports pkg_resources only to open its own data files (0.1-0.3 s
    of start-up and a deprecation warning); it falls back to a plain open() when that import fails."""
    import logging

    if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
        try:
            import jieba
        finally:
            del sys.modules["pkg_resources"]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def cache_dir() -> Path:
    if os.environ.get("GOVNUM_CACHE_DIR"):
        return Path(os.environ["GOVNUM_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "govnum"


def _vocabulary() -> list[list[str]]:
    return lexicon.table("report_vocabulary.txt")


def _cache_key(jieba: Any) -> str:
    """Everything the shards are built from: jieba's version and dictionary (the one it ships, whichever
    environment it is installed in), the report vocabulary, the marshal format and this file format."""
    size = (Path(jieba.__file__).parent / "dict.txt").stat().st_size
    parts = [jieba.__version__, str(size), repr(_vocabulary()), str(marshal.version), sys.version.split()[0],
             _FORMAT.decode()]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:20]


_KEEP = 8  # caches of other vocabularies or jieba versions kept beside a new one


def _prune(folder: Path) -> None:
    """Remove all but the newest few caches (a process still reading an old one keeps its mapping)."""
    old = sorted(folder.glob("jieba-*.shards"), key=lambda f: f.stat().st_mtime, reverse=True)[_KEEP:]
    for f in old:
        f.unlink(missing_ok=True)


def _build(jieba: Any) -> tuple[dict[str, int], int, dict[str, str]]:
    """jieba's dictionary with the report vocabulary added, as jieba.add_word would leave it."""
    tok = jieba.Tokenizer()
    tok.initialize()
    for row in _vocabulary():
        tok.add_word(row[0], None, row[1] if len(row) > 1 else None)
    tags: dict[str, str] = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as f:  # as jieba.posseg reads it
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    tags.update(tok.user_word_tag_tab)
    return tok.FREQ, tok.total, tags


def _write(path: Path, freq: dict[str, int], total: int, tags: dict[str, str]) -> None:
    """One marshalled (freqs, tags) pair per first character, an index of them, written atomically."""
    shards: dict[str, tuple[dict[str, int], dict[str, str]]] = {}
    for word, f in freq.items():
        shards.setdefault(word[0], ({}, {}))[0][word] = f
    for word, t in tags.items():
        if word:
            shards.setdefault(word[0], ({}, {}))[1][word] = t
    blobs = {c: marshal.dumps(s) for c, s in shards.items()}
    index: dict[str, tuple[int, int]] = {}
    pos = 0
    for c, b in blobs.items():
        index[c] = (pos, pos + len(b))
        pos += len(b)
    head = marshal.dumps((total, index))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(_FORMAT + len(head).to_bytes(8, "little") + head)
            for b in blobs.values():
                out.write(b)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):
        _prune(path.parent)


class _Dictionary:
    """jieba's Tokenizer with FREQ and the tag table filled shard by shard as characters are met."""

    def __init__(self) -> None:
        jieba = _import_jieba()
        self.tok = jieba.Tokenizer()
        self.freq: dict[str, int] = self.tok.FREQ
        self.tags: dict[str, str] = {}
        self._seen: set[str] = set()
        self._index: dict[str, tuple[int, int]] = {}
        self._data: Any = b""
        path = cache_dir() / f"jieba-{_cache_key(jieba)}.shards"
        if not self._open(path):
            freq, total, tags = _build(jieba)
            try:
                _write(path, freq, total, tags)
            except OSError:  # no writable cache: the whole dictionary in memory, as jieba has it
                self.freq.update(freq)
                self.tags.update(tags)
                self.tok.total = total
                self._seen = None  # type: ignore[assignment]
            else:
                if not self._open(path):
                    raise RuntimeError(f"cannot read the jieba cache {path} just written")
        self.tok.initialized = True

    def _open(self, path: Path) -> bool:
        try:
            with open(path, "rb") as f:
                data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            return False
        n = len(_FORMAT)
        try:
            if data[:n] != _FORMAT:
                return False
            size = int.from_bytes(data[n:n + 8], "little")
            total, index = marshal.loads(data[n + 8:n + 8 + size])
        except (EOFError, ValueError, TypeError):
            return False
        base = n + 8 + size
        self._index = {c: (base + a, base + b) for c, (a, b) in index.items()}
        self._data = data
        self.tok.total = total
        return True

    def ensure(self, text: str) -> None:
        """Load the shards of the characters of `text` not met before."""
        if self._seen is None:
            return
        new = set(text).difference(self._seen)
        if not new:
            return
        for c in new:
            span = self._index.get(c)
            if span is not None:
                freq, tags = marshal.loads(self._data[span[0]:span[1]])
                self.freq.update(freq)
                self.tags.update(tags)
        self._seen.update(new)


@cache
def _dictionary() -> _Dictionary:
    return _Dictionary()


@cache
def _router() -> Any:
    """jieba-rs (rjieba): jieba's DAG and route in Rust, over the same dict.txt, with the report vocabulary
    added at the frequencies jieba gave it (its total grows as jieba's does, so routes are the same).
    None where rjieba has no wheel to install: jieba's own code on the shards gives the same cut."""
    try:
        jieba_rs = _jieba_rs_class()
    except ImportError:
        return None
    d = _dictionary()
    router = jieba_rs()
    for row in _vocabulary():
        d.ensure(row[0])
        router.add_word(row[0], d.freq[row[0]], d.tags.get(row[0]))
    return router


def _jieba_rs_class() -> Any:
    """rjieba's `Jieba`, from its extension module alone: the package's __init__ builds a default Jieba
    at import (0.1 s and a second 80 MB dictionary) that govnum never uses. The package's own import
    where its layout is not the one expected."""
    spec = importlib.util.find_spec("rjieba") if sys.modules.get("rjieba", False) is not None else None
    if spec is None or not spec.submodule_search_locations:
        import rjieba  # raises ImportError when it is not installed

        return rjieba.Jieba
    try:
        folder = Path(next(iter(spec.submodule_search_locations)))
        path = str(next(p for p in folder.iterdir() if p.name.startswith("rjieba.")
                        and p.name.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))))
        loader = importlib.machinery.ExtensionFileLoader("rjieba.rjieba", path)
        module = importlib.util.module_from_spec(importlib.util.spec_from_file_location(
            "rjieba.rjieba", path, loader=loader))  # type: ignore[arg-type]
        loader.exec_module(module)
        return module.Jieba
    except (OSError, StopIteration, ImportError, AttributeError):
        import rjieba

        return rjieba.Jieba


# jieba-rs loads its whole dictionary at once (~0.1-0.2 s, 80 MB), while the shards load as characters
# are met (~0.2 ms a shard, ~2,000 shards for a long report). A process cuts its first characters on
# the shards, so a short text starts fast, and switches to jieba-rs after this many.
_RUST_AFTER = 2_000


class _Route:
    chars = 0


def load_all() -> None:
    """Load jieba-rs now (a parent process before it forks workers that share it)."""
    _router()
    _Route.chars = _RUST_AFTER


def cut(text: str) -> list[str]:
    """jieba.lcut(text): words by dictionary and, for unknown runs, jieba's HMM."""
    d = _dictionary()
    d.ensure(text)
    return d.tok.lcut(text)


def pos_tags(sentence: str) -> Tags:
    """(word, POS tag) pairs as jieba.posseg.cut(sentence, HMM=False) gives them. jieba.posseg itself is
    not imported: its import reads the whole tag table (dict.txt) and its HMM tables, which this cut
    never uses. A block of Chinese (and Latin) is cut on jieba's route, by jieba's own code over the
    shards or by jieba-rs (the same words and tags); the text between blocks as jieba.posseg does."""
    _Route.chars += len(sentence)
    tagged = _rust_tagged if _Route.chars > _RUST_AFTER and _router() is not None else _shard_tagged
    out: list[tuple[str, str]] = []
    for blk in _HAN.split(sentence):
        if not blk:
            continue
        if _HAN.match(blk):
            words = tagged(blk)
            out.extend(_eng_joined(words) if _LATIN.search(blk) else [(w, t) for w, t, _ in words])
            continue
        for part in _SKIP.split(blk):
            if _SKIP.match(part):
                out.append((part, "x"))
                continue
            for ch in part:
                if _NUM.match(ch):
                    out.append((ch, "m"))
                elif _ENG.match(part):  # sic: jieba tests the whole part here
                    out.append((ch, "eng"))
                else:
                    out.append((ch, "x"))
    return tuple(out)


_Word = tuple[str, str, bool]  # a word on the route, its dictionary tag ('x' if none), in the dictionary?


def _shard_tagged(blk: str) -> list[_Word]:
    """jieba's best route over the block's DAG, by its own code on the loaded shards."""
    d = _dictionary()
    d.ensure(blk)
    dag = d.tok.get_DAG(blk)
    route: dict[int, tuple[float, int]] = {}
    d.tok.calc(blk, dag, route)
    x, n, out = 0, len(blk), []
    while x < n:
        y = route[x][1] + 1
        w = blk[x:y]
        out.append((w, d.tags.get(w, "x"), bool(d.freq.get(w))))
        x = y
    return out


def _rust_tagged(blk: str) -> list[_Word]:
    """jieba-rs's route. Its tag of a word outside the dictionary is a guess (jieba's is 'x'; such a
    word is a single character or a run of Latin letters and digits), and the report vocabulary's
    retagging of a dictionary word (新建 v, not ns) is not in it: read here."""
    router, retag = _router(), _retagged()
    out = []
    for w, t in router.tag(blk, False):
        known = _known_char(w) if len(w) == 1 else not w.isascii() or router.has_word(w)
        out.append((w, retag.get(w, t) or "x", True) if known else (w, "x", False))
    return out


@cache  # characters: a few thousand
def _known_char(c: str) -> bool:
    return bool(_router().has_word(c))


@cache
def _retagged() -> dict[str, str]:
    return {row[0]: row[1] for row in _vocabulary() if len(row) > 1}


def _eng_joined(words: list[_Word]) -> list[tuple[str, str]]:
    """As jieba.posseg: single Latin letters and digits on the route join into one 'eng' word (jieba-rs
    has joined them already); other words keep their tag."""
    out: list[tuple[str, str]] = []
    buf = ""
    for w, tag, known in words:
        if _ENGS.match(w) and not (len(w) > 1 and known):
            buf += w
            continue
        if buf:
            out.append((buf, "eng"))
            buf = ""
        out.append((w, tag))
    if buf:
        out.append((buf, "eng"))
    return out
