"""Whole-pipeline speed of govnum beside its peers: throughput, start-up, peak memory, scaling, profile.

Usage: .venv/bin/python bench/speed.py [FOLDER] [--runs N] [--profile] [--peers/--no-peers]
                                       [--scaling/--no-scaling] [--json]

FOLDER defaults to ../shared/corpus/text (relative to the repo root). Every measurement runs in its own
subprocess, so start-up is a cold process's, and peak RSS (ru_maxrss) is the extraction process's alone:
* start-up: fresh processes time `import extractor`, `import extractor.pipeline` and the first
  `extract()` of a tiny text (lexicons, compiled patterns, jieba's dictionary); median of N;
* throughput: one long-lived worker per engine (govnum and each installed peer) loads the texts and
  warms up; the parent then asks them in turn for one timed pass over all texts (govnum, peer, peer,
  ..., govnum, ...), N rounds, and prints medians. Wall time is the headline; CPU time is printed too
  because the machine is shared and wall time carries other people's load;
* scaling: the corpus concatenated into one text, then x2 and x4; time of each doubling (about 2 if
  nothing is quadratic in document length);
* --profile: cProfile (CPU time) of one govnum pass, top functions by tottime and by cumulative time.
Peers (`pip install -e '.[bench]'`) get whole documents, as govnum does, with their models built once:
JioNLP `ner.extract_money`; Recognizers-Text Chinese number, percentage, currency and dimension models;
cn2an `transform(text, "cn2an")`. A peer that is not installed is skipped and said so.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

# A child measuring another source tree (--baseline) is told so by this variable.
ROOT = Path(os.environ.get("GOVNUM_BENCH_ROOT") or Path(__file__).resolve().parents[1])
DEFAULT_FOLDER = ROOT.parent / "shared" / "corpus" / "text"
PEERS = ("jionlp", "recognizers", "cn2an")
TINY = "2023年全市地区生产总值达到1.5万亿元，比上年增长5.2%。"
SCALES = (1, 2, 4)
# Number-dense text, as statistical bulletins are: 9 figures and 3 relations (two growths, one structure).
DENSE = ("全市地区生产总值1.5万亿元，比上年增长5.2%。其中，第二产业增加值5800亿元，第三产业增加值8000亿元，"
         "三次产业结构为8.0:38.7:53.3。全年粮食产量85.3万吨，增长2.0%。\n")
DENSE_SIZES = (200_000, 400_000, 800_000)
LONG_BYTES = 5_000_000
Json = dict[str, Any]


# ---------------------------------------------------------------- child side (one engine per process)


def load_texts(folder: Path) -> list[str]:
    """The folder's *.txt, decoded as govnum decodes them (so every engine sees the same strings)."""
    sys.path.insert(0, str(ROOT))
    from extractor.load import read_text

    return [read_text(p).removeprefix("\ufeff") for p in sorted(folder.glob("*.txt"))]


def make_runner(name: str) -> Callable[[str], int]:
    """One engine as `text -> number of items found` (0 when the engine returns text, not items)."""
    if name == "govnum":
        sys.path.insert(0, str(ROOT))
        from extractor import extract

        return lambda text: len(extract(text).quantities)
    if name == "jionlp":
        import jionlp

        return lambda text: len(jionlp.ner.extract_money(text))
    if name == "recognizers":
        from recognizers_number import Culture, NumberRecognizer
        from recognizers_number_with_unit import NumberWithUnitRecognizer

        numbers = NumberRecognizer(Culture.Chinese)
        units = NumberWithUnitRecognizer(Culture.Chinese)
        models = (
            numbers.get_number_model(),
            numbers.get_percentage_model(),
            units.get_currency_model(),
            units.get_dimension_model(),
        )
        return lambda text: sum(len(m.parse(text)) for m in models)
    if name == "cn2an":
        import warnings

        import cn2an

        warnings.filterwarnings("ignore", module="cn2an")  # it warns on every odd numeral it meets
        return lambda text: (cn2an.transform(text, "cn2an"), 0)[1]
    raise ValueError(f"unknown engine {name!r}")


def rss_mb() -> float:
    """Peak resident set size of this process (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_pass(run: Callable[[str], int], texts: list[str]) -> Json:
    wall, cpu = time.perf_counter(), time.process_time()
    items = sum(run(t) for t in texts)
    return {"seconds": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "items": items}


def private_channel() -> TextIO:
    """stdout for the parent only: peers print banners on import, so fd 1 is pointed at stderr."""
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return channel


def say(channel: TextIO, obj: Json) -> None:
    channel.write(json.dumps(obj) + "\n")
    channel.flush()


def child_worker(name: str, folder: Path) -> None:
    """Serve timed passes on request: `run`, `rss`, `quit` on stdin; one JSON line back per request."""
    channel = private_channel()
    try:
        texts = load_texts(folder)
        run = make_runner(name)
        start = time.perf_counter()
        run(TINY)
        warm = time.perf_counter() - start
    except Exception as exc:  # a peer that will not load is reported and skipped, not fatal
        say(channel, {"error": f"{type(exc).__name__}: {exc}"})
        return
    say(channel, {"docs": len(texts), "chars": sum(map(len, texts)), "warmup": warm})
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "run":
            say(channel, timed_pass(run, texts))
        elif cmd == "rss":
            say(channel, {"rss_mb": rss_mb()})
        else:
            break


def child_startup() -> None:
    """Cold start: the interpreter is up; time the imports and the first extract (lexicons, jieba)."""
    channel = private_channel()
    sys.path.insert(0, str(ROOT))
    clock = [(time.perf_counter(), time.process_time())]
    import extractor

    clock.append((time.perf_counter(), time.process_time()))
    import extractor.pipeline  # noqa: F401

    clock.append((time.perf_counter(), time.process_time()))
    extractor.extract(TINY)
    clock.append((time.perf_counter(), time.process_time()))
    out: Json = {"rss_mb": rss_mb()}
    for k, name in enumerate(("import", "import_pipeline", "first_extract")):
        out[name] = clock[k + 1][0] - clock[k][0]
        out[name + "_cpu"] = clock[k + 1][1] - clock[k][1]
    say(channel, out)


def child_scaling(folder: Path, runs: int) -> None:
    """The corpus as one text, x1, x2, x4: median seconds per size."""
    channel = private_channel()
    run = make_runner("govnum")
    run(TINY)
    one = "\n\n".join(load_texts(folder))
    rows = []
    for k in SCALES:
        text = "\n\n".join([one] * k)
        passes = [timed_pass(run, [text]) for _ in range(runs)]
        rows.append(
            {
                "factor": k,
                "chars": len(text),
                "seconds": statistics.median(p["seconds"] for p in passes),
                "cpu": statistics.median(p["cpu"] for p in passes),
                "items": passes[0]["items"],
            }
        )
    say(channel, {"sizes": rows, "rss_mb": rss_mb()})


def child_dense(size: int) -> None:
    """The dense paragraph repeated to `size` characters, in a fresh process: time, quantities, peak RSS."""
    channel = private_channel()
    sys.path.insert(0, str(ROOT))
    from extractor import extract

    extract(TINY)
    text = "统计公报\n" + DENSE * (size // len(DENSE))
    wall, cpu = time.perf_counter(), time.process_time()
    report = extract(text)
    out = {"chars": len(text), "seconds": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
           "items": len(report.quantities), "relations": len(report.relations)}
    del report
    out["rss_mb"] = rss_mb()
    say(channel, out)


def child_profile(folder: Path, top: int) -> None:
    """cProfile of one govnum pass after warm-up; top rows by tottime and by cumulative time."""
    channel = private_channel()
    texts = load_texts(folder)
    run = make_runner("govnum")
    run(TINY)
    prof = cProfile.Profile(time.process_time)  # CPU time: on a shared machine wall time is mostly waiting
    prof.enable()
    for t in texts:
        run(t)
    prof.disable()
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in raw.values())
    rows = [
        {
            "function": f"{_short(file)}:{line}({func})",
            "ncalls": nc,
            "tottime": tt,
            "cumtime": ct,
        }
        for (file, line, func), (_cc, nc, tt, ct, _callers) in raw.items()
    ]
    say(
        channel,
        {
            "total": total,
            "by_tottime": sorted(rows, key=lambda r: -r["tottime"])[:top],
            "by_cumtime": sorted(rows, key=lambda r: -r["cumtime"])[:top],
        },
    )


def _short(file: str) -> str:
    """Repo-relative for our modules, package-relative for site-packages, as-is for builtins."""
    for base in ("site-packages" + os.sep, str(ROOT) + os.sep):
        if base in file:
            return file.split(base, 1)[1]
    return file


# ---------------------------------------------------------------- parent side


class Child:
    """A measuring subprocess speaking one JSON line per request; its stderr is kept for errors."""

    def __init__(self, *args: str, root: Path | None = None) -> None:
        self.err = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
        env = {**os.environ, "GOVNUM_BENCH_ROOT": str(root)} if root else None
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), *args],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.err,
            text=True,
            encoding="utf-8",
        )

    def read(self) -> Json:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait()
            self.err.seek(0)
            tail = self.err.read()[-2000:]
            return {"error": f"exit {self.proc.returncode}: {tail.strip()}"}
        return json.loads(line)

    def ask(self, cmd: str) -> Json:
        assert self.proc.stdin is not None
        self.proc.stdin.write(cmd + "\n")
        self.proc.stdin.flush()
        return self.read()

    def close(self) -> None:
        if self.proc.poll() is None and self.proc.stdin is not None:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
        self.proc.wait()
        self.err.close()


def one_shot(*args: str, root: Path | None = None) -> Json:
    wall = time.perf_counter()
    child = Child(*args, root=root)
    out = child.read()
    out.setdefault("process_wall", time.perf_counter() - wall)
    child.close()
    return out


def measure_startup(runs: int, root: Path | None = None) -> Json:
    one_shot("--child-startup", root=root)  # untimed: a first run on a machine builds caches (jieba's shards)
    samples = [one_shot("--child-startup", root=root) for _ in range(runs)]
    bad = [s["error"] for s in samples if "error" in s]
    if bad:
        return {"error": bad[0]}
    med = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
    med["total"] = med["import"] + med["import_pipeline"] + med["first_extract"]
    med["total_cpu"] = med["import_cpu"] + med["import_pipeline_cpu"] + med["first_extract_cpu"]
    return med


def measure_throughput(folder: Path, runs: int, peers: bool, baseline: Path | None = None) -> Json:
    names = ("govnum", *(("baseline",) if baseline else ()), *(PEERS if peers else ()))
    workers: dict[str, Child] = {}
    result: Json = {"engines": {}, "skipped": {}}
    for name in names:
        if name == "baseline":
            child = Child("--child-worker", "govnum", str(folder), root=baseline)
        else:
            child = Child("--child-worker", name, str(folder))
        ready = child.read()
        if "error" in ready:
            child.close()
            if name == "govnum":
                raise SystemExit(f"govnum worker failed: {ready['error']}")
            result["skipped"][name] = ready["error"]
            continue
        workers[name] = child
        result["docs"], result["chars"] = ready["docs"], ready["chars"]
        result["engines"][name] = {"warmup": ready["warmup"], "passes": []}
    try:
        for _ in range(runs):  # alternate: govnum, peer, peer, ..., then again
            for name, child in workers.items():
                p = child.ask("run")
                if "error" in p:
                    raise SystemExit(f"{name} failed: {p['error']}")
                result["engines"][name]["passes"].append(p)
        result["rss_mb"] = workers["govnum"].ask("rss")["rss_mb"]
        for name in workers:
            if name != "govnum":
                result["engines"][name]["rss_mb"] = workers[name].ask("rss")["rss_mb"]
    finally:
        for child in workers.values():
            child.close()
    for eng in result["engines"].values():
        eng["seconds"] = statistics.median(p["seconds"] for p in eng["passes"])
        eng["cpu"] = statistics.median(p["cpu"] for p in eng["passes"])
        eng["items"] = eng["passes"][0]["items"]
        eng["chars_per_s"] = result["chars"] / eng["seconds"]
        eng["chars_per_cpu_s"] = result["chars"] / eng["cpu"]
    gov = result["engines"]["govnum"]
    gov["docs_per_s"] = result["docs"] / gov["seconds"]
    gov["quantities_per_s"] = gov["items"] / gov["seconds"]
    for name, eng in result["engines"].items():
        if name != "govnum":
            eng["ratio"] = gov["chars_per_s"] / eng["chars_per_s"]
            eng["ratio_cpu"] = gov["chars_per_cpu_s"] / eng["chars_per_cpu_s"]
    return result


def measure_scaling(folder: Path, runs: int) -> Json:
    out = one_shot("--child-scaling", str(folder), str(runs))
    if "error" in out:
        return out
    sizes = out["sizes"]
    for prev, cur in zip(sizes, sizes[1:], strict=False):
        cur["ratio"] = cur["seconds"] / prev["seconds"]
        cur["ratio_cpu"] = cur["cpu"] / prev["cpu"]
    return out


def measure_dense(runs: int, root: Path | None = None) -> Json:
    """Each size in fresh processes (so peak RSS is that size's); median time of `runs`."""
    rows = []
    for size in DENSE_SIZES:
        samples = [one_shot("--child-dense", "-", str(size), root=root) for _ in range(runs)]
        bad = [s["error"] for s in samples if "error" in s]
        if bad:
            return {"error": bad[0]}
        row = {k: statistics.median(s[k] for s in samples) for k in ("chars", "seconds", "cpu", "rss_mb")}
        row["items"], row["relations"] = samples[0]["items"], samples[0]["relations"]
        row["spread"] = [min(s["seconds"] for s in samples), max(s["seconds"] for s in samples)]
        row["quantities_per_s"] = row["items"] / row["seconds"]
        row["quantities_per_cpu_s"] = row["items"] / row["cpu"]
        rows.append(row)
    for prev, cur in zip(rows, rows[1:], strict=False):
        cur["ratio"] = cur["seconds"] / prev["seconds"]
        cur["ratio_cpu"] = cur["cpu"] / prev["cpu"]
    return {"sizes": rows}


def measure_long(folder: Path) -> Json:
    """`govnum extract` of one 5 MB line (the corpus, line breaks removed, repeated): wall, CPU, peak RSS."""
    one = "".join(t.replace("\r", "").replace("\n", "") for t in load_texts(folder))
    text = one * (LONG_BYTES // len(one.encode("utf-8")) + 1)
    text = text.encode("utf-8")[:LONG_BYTES].decode("utf-8", "ignore")
    code = "import sys; sys.argv[0] = 'govnum'; from extractor.cli import main; main()"
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "long.txt", Path(tmp) / "long.jsonl"
        src.write_text(text, encoding="utf-8")
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", code, "extract", str(src), "-o", str(out)],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        if status != 0:
            return {"error": f"exit {status}: {err.strip()[-500:]}"}
        items = out.read_text(encoding="utf-8").count('"kind":')
    return {"bytes": len(text.encode("utf-8")), "chars": len(text), "seconds": wall,
            "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024, "items": items}


def measure_batch(folder: Path, runs: int, workers: tuple[int, ...] = (1, 2), root: Path = ROOT) -> Json:
    """`govnum batch --workers N` end to end (fresh output each time), alternating N; median wall."""
    code = "import sys; sys.argv[0] = 'govnum'; from extractor.cli import main; main()"
    walls: dict[int, list[float]] = {n: [] for n in workers}
    cpus: dict[int, list[float]] = {n: [] for n in workers}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(runs):
            for n in workers:
                out = Path(tmp) / f"run{r}-w{n}.jsonl"
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, "-c", code, "batch", str(folder), "-o", str(out), "--workers", str(n)],
                    cwd=root,
                    capture_output=True,
                    text=True,
                )
                walls[n].append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpus[n].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
                if done.returncode != 0:
                    return {"error": f"--workers {n}: exit {done.returncode}: {done.stderr.strip()[-500:]}"}
    rows = {
        str(n): {"seconds": statistics.median(walls[n]), "cpu": statistics.median(cpus[n]),
                 "spread": [min(walls[n]), max(walls[n])]} for n in workers
    }
    base = rows[str(workers[0])]["seconds"]
    for n, row in rows.items():
        row["speedup"] = base / row["seconds"]
        # paired: run r of --workers 1 against run r of --workers N (same minute, same neighbours' load)
        row["paired"] = sorted(a / b for a, b in zip(walls[workers[0]], walls[int(n)], strict=True))
    return {"workers": rows, "cpus": os.cpu_count(), "loadavg": os.getloadavg()}


# ---------------------------------------------------------------- report


def _section(res: Json, key: str, title: str) -> Json | None:
    """A measured section of the results, or None when it was not run or failed (the failure printed)."""
    part = res.get(key)
    if part is not None and "error" in part:
        print(f"{title}: failed: {part['error']}")
        return None
    return part


def print_report(res: Json) -> None:
    if res.get("baseline"):
        print(f"baseline (same run, same machine): {res['baseline']}")
    for key, title in (("startup", "start-up"), ("startup_baseline", "start-up, baseline")):
        st = _section(res, key, title)
        if st is None:
            continue
        print(
            f"{title} (median of {res['runs']} fresh processes): import extractor {st['import']:.3f}s, "
            f"import extractor.pipeline {st['import_pipeline']:.3f}s, "
            f"first extract {st['first_extract']:.3f}s, "
            f"total {st['total']:.3f}s (CPU {st['total_cpu']:.3f}s; "
            f"process wall incl. interpreter {st['process_wall']:.3f}s; peak RSS {st['rss_mb']:.0f} MB)"
        )
    tp = res["throughput"]
    gov = tp["engines"]["govnum"]
    print(f"corpus: {res['folder']}: {tp['docs']} documents, {tp['chars']:,} characters")
    print(f"throughput, median of {res['runs']} passes per engine, engines alternating:")
    print(
        f"govnum: {gov['seconds']:.2f}s = {gov['chars_per_s']:,.0f} chars/s, {gov['docs_per_s']:.1f} docs/s, "
        f"{gov['quantities_per_s']:,.0f} quantities/s ({gov['items']:,} quantities); "
        f"CPU {gov['cpu']:.2f}s = {gov['chars_per_cpu_s']:,.0f} chars/CPU-s; peak RSS {tp['rss_mb']:.0f} MB"
    )
    for name, eng in tp["engines"].items():
        if name == "govnum":
            continue
        items = f", {eng['items']:,} items" if eng["items"] else ""
        print(
            f"{name}: {eng['seconds']:.2f}s = {eng['chars_per_s']:,.0f} chars/s{items}; "
            f"govnum/{name} = {eng['ratio']:.2f}x (CPU-time ratio {eng['ratio_cpu']:.2f}x); "
            f"peak RSS {eng['rss_mb']:.0f} MB"
        )
    for name, why in tp["skipped"].items():
        print(f"{name}: skipped ({why.splitlines()[-1] if why else 'failed'})")
    sc = res.get("scaling")
    if sc is not None:
        if "error" in sc:
            print(f"scaling: failed: {sc['error']}")
        else:
            parts = []
            for row in sc["sizes"]:
                ratio = f" (x{row['ratio']:.2f} wall, x{row['ratio_cpu']:.2f} CPU)" if "ratio" in row else ""
                parts.append(f"x{row['factor']} {row['chars']:,} chars {row['seconds']:.2f}s{ratio}")
            head = f"median of {res['runs']}, peak RSS {sc['rss_mb']:.0f} MB"
            print(f"scaling (one concatenated text, {head}):")
            print("  " + "; ".join(parts))
    for key, title in (("dense", "number-dense text"), ("dense_baseline", "number-dense text, baseline")):
        dn = _section(res, key, title)
        if dn is None:
            continue
        print(f"{title} (9 figures, 3 relations per {len(DENSE)} chars; fresh process per size, "
              f"median of {res['runs']}):")
        for row in dn["sizes"]:
            ratio = f", x{row['ratio']:.2f} wall x{row['ratio_cpu']:.2f} CPU" if "ratio" in row else ""
            print(f"  {row['chars']:,} chars: {row['seconds']:.2f}s (spread {row['spread'][0]:.2f}-"
                  f"{row['spread'][1]:.2f}s; CPU {row['cpu']:.2f}s{ratio}), {row['items']:,} quantities = "
                  f"{row['quantities_per_s']:,.0f}/s ({row['quantities_per_cpu_s']:,.0f}/CPU-s), "
                  f"peak RSS {row['rss_mb']:.0f} MB")
    lg = res.get("long")
    if lg is not None:
        if "error" in lg:
            print(f"long line: failed: {lg['error']}")
        else:
            print(f"one-line document ({lg['bytes']:,} bytes, {lg['chars']:,} chars), "
                  f"`govnum extract FILE -o OUT`: {lg['seconds']:.1f}s wall, {lg['cpu']:.1f}s CPU, "
                  f"{lg['items']:,} quantities, "
                  f"peak RSS {lg['rss_mb']:.0f} MB")
    for key, title in (("batch", "govnum batch"), ("batch_baseline", "govnum batch, baseline")):
        bt = _section(res, key, title)
        if bt is None:
            continue
        load = ", ".join(f"{x:.1f}" for x in bt["loadavg"])
        print(f"{title}, median of {res['runs']} (CPUs {bt['cpus']}, load average after {load}):")
        for n, row in bt["workers"].items():
            paired = ", ".join(f"{x:.2f}" for x in row["paired"])
            print(
                f"  --workers {n}: {row['seconds']:.2f}s wall (spread {row['spread'][0]:.2f}-"
                f"{row['spread'][1]:.2f}s), {row['cpu']:.2f}s CPU (all processes), "
                f"speed-up {row['speedup']:.2f}x (paired runs: {paired})"
            )
    prof = res.get("profile")
    if prof is not None:
        if "error" in prof:
            print(f"profile: failed: {prof['error']}")
            return
        for key, title in (("by_tottime", "tottime"), ("by_cumtime", "cumulative")):
            print(f"\nprofile, top {len(prof[key])} by {title} (profiled total {prof['total']:.2f}s):")
            print(f"{'ncalls':>10} {'tottime':>8} {'share':>6} {'cumtime':>8}  function")
            for r in prof[key]:
                share = r["tottime"] / prof["total"] * 100
                cols = f"{r['ncalls']:>10} {r['tottime']:>8.3f} {share:>5.1f}% {r['cumtime']:>8.3f}"
                print(f"{cols}  {r['function']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    ap.add_argument("--runs", type=int, default=3, help="passes per engine and fresh start-ups (median)")
    ap.add_argument("--profile", action="store_true", help="cProfile one govnum pass")
    ap.add_argument("--top", type=int, default=20, help="rows per profile table")
    ap.add_argument("--peers", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--scaling", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument(
        "--batch",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="time `govnum batch --workers 1` and `--workers 2` on the folder",
    )
    ap.add_argument("--dense", action=argparse.BooleanOptionalAction, default=True,
                    help="number-dense text at 200k/400k/800k characters")
    ap.add_argument("--long", action=argparse.BooleanOptionalAction, default=True,
                    help="peak RSS and time of `govnum extract` on a 5 MB one-line file")
    ap.add_argument("--baseline", type=Path, metavar="TREE",
                    help="another govnum source tree (a checkout of main) measured in the same run")
    ap.add_argument("--json", action="store_true", help="one JSON object instead of text")
    # internal: the measuring subprocesses
    ap.add_argument("--child-worker", metavar="ENGINE", help=argparse.SUPPRESS)
    ap.add_argument("--child-startup", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--child-scaling", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--child-profile", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--child-dense", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("child_arg", nargs="?", help=argparse.SUPPRESS)
    args = ap.parse_args()
    folder: Path = args.folder.resolve()
    if args.child_worker:
        return child_worker(args.child_worker, folder)
    if args.child_startup:
        return child_startup()
    if args.child_scaling:
        return child_scaling(folder, int(args.child_arg))
    if args.child_profile:
        return child_profile(folder, int(args.child_arg))
    if args.child_dense:
        return child_dense(int(args.child_arg))
    if not any(folder.glob("*.txt")):
        raise SystemExit(f"no *.txt in {folder}")

    res: Json = {"folder": str(folder), "runs": args.runs}
    base: Path | None = args.baseline.resolve() if args.baseline else None
    res["startup"] = measure_startup(args.runs)
    if base:
        res["baseline"] = str(base)
        res["startup_baseline"] = measure_startup(args.runs, base)
    res["throughput"] = measure_throughput(folder, args.runs, args.peers, base)
    if args.scaling:
        res["scaling"] = measure_scaling(folder, args.runs)
    if args.dense:
        res["dense"] = measure_dense(args.runs)
        if base:
            res["dense_baseline"] = measure_dense(args.runs, base)
    if args.long:
        res["long"] = measure_long(folder)
    if args.batch:
        res["batch"] = measure_batch(folder, args.runs)
        if base:
            res["batch_baseline"] = measure_batch(folder, args.runs, root=base)
    if args.profile:
        res["profile"] = one_shot("--child-profile", str(folder), str(args.top))
    if args.json:
        print(json.dumps(res, indent=2))
    else:
        print_report(res)


if __name__ == "__main__":
    main()
