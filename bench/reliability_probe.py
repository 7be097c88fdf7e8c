"""Issue 14's probes, as a hostile user tried them, against one govnum source tree.

    GOVNUM_TEST_PG_URL=postgresql://… .venv/bin/python bench/reliability_probe.py TREE OUT.json

TREE is a checkout (or `git archive` export) of govnum; it is put first on PYTHONPATH, so the same venv
measures an older tree too. Prints and writes a JSON object: probe -> figure. Takes minutes (5 trials of
two concurrent writers per output kind, a 200 MB collection generated in a temporary folder).
"""

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TREE = Path(sys.argv[1]).resolve()
ENV = {**os.environ, "PYTHONPATH": str(TREE)}
GOV = [sys.executable, "-m", "extractor.cli"]
STALL = [sys.executable, str(Path(__file__).resolve().parents[1] / "tests" / "stall_helper.py")]
PG = os.environ.get("GOVNUM_TEST_PG_URL", "")
res = {}


def doc(i):
    return (
        f"某镇2020年上半年工作总结\n上半年，全镇完成规上工业总产值{7000 + i}万元，同比增长{i % 9 + 1}%；"
        f"新增市场主体{i + 3}家，完成固定资产投资{i + 1}.5亿元，完成全年目标任务的{50 + i}%。\n"
    )


def run(args, timeout=300, cwd=None):
    try:
        return subprocess.run(
            [*GOV, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=ENV,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return None


def ids(out):
    out = str(out)
    if out.startswith("postgresql"):
        import sqlalchemy as sa

        e = sa.create_engine(out.replace("postgresql://", "postgresql+psycopg://"))
        with e.connect() as c:
            return list(c.execute(sa.text("select doc_id from documents")).scalars())
    p = Path(out)
    if not p.exists():
        return []
    if p.suffix == ".sqlite":
        try:
            return [r[0] for r in sqlite3.connect(p).execute("select doc_id from documents")]
        except sqlite3.OperationalError:
            return []
    if p.suffix == ".jsonl":
        return [json.loads(ln)["doc_id"] for ln in p.read_text("utf-8").splitlines() if ln.strip()]
    rows = list(csv.DictReader(p.open(encoding="utf-8-sig", newline="")))
    return [r["doc_id"] for k, r in enumerate(rows) if k == 0 or rows[k - 1]["doc_id"] != r["doc_id"]]


tmp = Path(tempfile.mkdtemp(prefix="probe-"))
ind = tmp / "in"
ind.mkdir()
for i in range(20):
    (ind / f"d{i:02d}.txt").write_text(doc(i), "utf-8")

# 1. a stalled first document, 2 workers, sqlite: documents stored after 20 s; SIGTERM message vs store
(ind.parent / "in1").mkdir()
for i in range(10):
    (ind.parent / "in1" / f"d{i:02d}.txt").write_text(doc(i), "utf-8")
(ind.parent / "in1" / "a-slow.txt").write_text(doc(99), "utf-8")
out = tmp / "stall.sqlite"
p = subprocess.Popen(
    [*STALL, "a-slow", str(tmp / "pid"), "batch", str(tmp / "in1"), "-o", str(out), "--workers", "2"],
    stderr=subprocess.PIPE,
    text=True,
    env=ENV,
)
time.sleep(20)
res["1 stalled first doc: docs stored after 20 s (of 10)"] = len(ids(out))
p.send_signal(signal.SIGTERM)
try:
    _, err = p.communicate(timeout=60)
except subprocess.TimeoutExpired:
    p.kill()
    _, err = p.communicate()
res["1 SIGTERM message"] = err.strip().splitlines()[-1][:160] if err.strip() else ""
res["1 SIGTERM: docs actually stored"] = len(ids(out))
r = subprocess.run(
    [
        *STALL,
        "a-slow",
        str(tmp / "pid"),
        "batch",
        str(tmp / "in1"),
        "-o",
        str(tmp / "t.jsonl"),
        "--workers",
        "2",
        "--timeout",
        "10",
    ],
    capture_output=True,
    text=True,
    env=ENV,
    timeout=300,
)
res["1 --timeout 10 with a stalled doc"] = (
    f"exit {r.returncode}: " + (r.stderr.strip().splitlines() or [""])[-1][:120]
)

# 2. two concurrent writers x kinds x 5 trials
for kind in ["jsonl", "csv", "sqlite"] + (["postgresql"] if PG else []):
    dup = lost = refused = raw = ok = 0
    for trial in range(5):
        if kind == "postgresql":
            import sqlalchemy as sa

            schema = f"probe_{os.getpid()}_{trial}_{TREE.name.replace('-', '_')}"
            e = sa.create_engine(PG.replace("postgresql://", "postgresql+psycopg://"))
            with e.begin() as c:
                c.execute(sa.text(f"drop schema if exists {schema} cascade"))
                c.execute(sa.text(f"create schema {schema}"))
            o = PG + "?options=-csearch_path%3D" + schema
            o = o.replace("postgresql+psycopg://", "postgresql://")
        else:
            o = str(tmp / f"c{trial}.{kind}")
        second = ["--force"] if trial % 2 else []
        cmds = [
            [*GOV, "batch", str(ind), "-o", o, "--workers", "1"],
            [*GOV, "batch", str(ind), "-o", o, "--workers", "1", *second],
        ]
        ps = [
            subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
            for c in cmds
        ]
        outs = [pp.communicate(timeout=600) for pp in ps]
        for pp, (_, e2) in zip(ps, outs, strict=False):
            if "Traceback" in e2 or "Error" in e2 and "another govnum run" not in e2:
                raw += 1
            if pp.returncode == 2 and "another govnum run" in e2:
                refused += 1
        got = ids(o)
        if len(got) > len(set(got)):
            dup += 1
        if set(got) != {f"d{i:02d}" for i in range(20)}:
            lost += 1
        if len(got) == 20 and set(got) == {f"d{i:02d}" for i in range(20)}:
            ok += 1
    res[f"2 two writers {kind} x5"] = (
        f"exactly-once {ok}/5, duplicates {dup}, lost {lost}, clear refusals {refused}, "
        f"raw errors/tracebacks {raw}"
    )

# 3. manifest escapes, /dev/zero, FIFO
base = tmp / "m"
(base / "text").mkdir(parents=True)
(base / "text" / "a.txt").write_text(doc(1), "utf-8")
(tmp / "secret.txt").write_text("机密：年收入1000万元。\n", "utf-8")
os.mkfifo(base / "text" / "fifo.txt")
entries = [
    {"id": "a", "path": "text/a.txt"},
    {"id": "secret", "path": "../secret.txt"},
    {"id": "host", "path": "/etc/hostname"},
    {"id": "passwd", "path": "../../../../../../etc/passwd"},
]
(base / "manifest.json").write_text(json.dumps(entries), "utf-8")
r = run(["batch", str(base / "manifest.json"), "-o", str(tmp / "m.jsonl"), "--workers", "1"])
res["3 manifest escapes converted (of 3)"] = len([i for i in ids(tmp / "m.jsonl") if i != "a"])
(base / "z.json").write_text(json.dumps([{"id": "zero", "path": "/dev/zero"}]), "utf-8")
t = time.monotonic()
r = run(
    ["batch", str(base / "z.json"), "-o", str(tmp / "z.jsonl"), "--workers", "1", "--allow-outside-paths"],
    timeout=120,
)
if r is None or "no such option" in (r.stderr or "").lower():
    t = time.monotonic()
    r = run(["batch", str(base / "z.json"), "-o", str(tmp / "z.jsonl"), "--workers", "1"], timeout=120)
res["3 /dev/zero: seconds to refusal"] = f"{time.monotonic() - t:.1f} s: " + (
    (r.stderr.strip().splitlines() or [""])[0][:100] if r else "timeout"
)
t = time.monotonic()
r = run(["batch", str(base / "text" / "fifo.txt"), "-o", str(tmp / "f.jsonl"), "--workers", "1"], timeout=30)
res["3 FIFO"] = (
    "hangs (killed after 30 s)"
    if r is None
    else f"{time.monotonic() - t:.1f} s: " + (r.stderr.strip().splitlines() or [""])[0][-80:]
)

# 4. 200 MB CSV field: peak RSS
big = tmp / "big.csv"
block = ("某镇全年完成规上工业总产值7071万元，同比增长10%。" * 1000).encode()
with big.open("wb") as fh:
    fh.write(b'id,text\r\nr0,"' + doc(1).replace("\n", " ").encode() + b'"\r\nr1,"')
    for _ in range(200 * 1024 * 1024 // len(block)):
        fh.write(block)
    fh.write(b'"\r\nr2,"' + doc(2).replace("\n", " ").encode() + b'"\r\n')
probe = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)
p = subprocess.run(
    [sys.executable, "-c", probe, *GOV, "batch", str(big), "-o", str(tmp / "big.jsonl"), "--workers", "1"],
    capture_output=True,
    text=True,
    env=ENV,
    timeout=900,
)
res["4 200 MB CSV field: peak RSS MB"] = int(p.stdout.split()[0]) // 1024
big.unlink()

# 5. tracebacks
bad = tmp / "gold.json"
bad.write_text('{"doc_id": "x", "mentions": [', "utf-8")
r = run(["eval", str(bad)])
res["5 eval bad gold JSON"] = f"exit {r.returncode}, traceback {'Traceback' in r.stderr}"
gold = tmp / "g.json"
gold.write_text(json.dumps({"doc_id": "a", "source": "x", "mentions": []}), "utf-8")
pred = tmp / "p.jsonl"
pred.write_text("{bad\n", "utf-8")
r = run(["eval", str(gold), "--pred", str(pred)])
res["5 eval bad pred line"] = f"exit {r.returncode}, traceback {'Traceback' in r.stderr}"
r = run(["extract", str(ind / "d01.txt"), "-o", "/nonexistent/dir/x.jsonl"])
res["5 extract -o /nonexistent/dir/x.jsonl"] = f"exit {r.returncode}, traceback {'Traceback' in r.stderr}"

# 6. overwrites and odd names
for k, text in enumerate(['{"note": "mine"}\n', '{"note": "mine"}']):
    one = tmp / f"one{k}.jsonl"
    one.write_text(text, "utf-8")
    r = run(["batch", str(ind / "d01.txt"), "-o", str(one), "--workers", "1"])
    res[f"6 one-line foreign .jsonl {text!r}"] = (
        "overwritten" if "mine" not in one.read_text("utf-8") else f"kept (exit {r.returncode})"
    )
(tmp / "out" / "we?ird").mkdir(parents=True)
(tmp / "run").mkdir()
r = run(["batch", "../in/d01.txt", "-o", "../out/we?ird/o.sqlite", "--workers", "1"], cwd=tmp / "run")
res["6 -o ../out/we?ird/o.sqlite"] = (
    "written to ../out/we"
    if (tmp / "out" / "we").exists()
    else "written to the path"
    if (tmp / "out" / "we?ird" / "o.sqlite").exists()
    else f"exit {r.returncode}"
)
coll = tmp / "ids.jsonl"
recs = [
    {"id": "   ", "text": doc(1)},
    {"id": {"nested": 1}, "text": doc(2)},
    {"id": True, "text": doc(3)},
    {"id": "=cmd|' /C calc'!A0", "text": doc(4)},
]
coll.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in recs), "utf-8")
r = run(["batch", str(coll), "-o", str(tmp / "ids.csv"), "--workers", "1"])
res["6 ids stored"] = sorted(set(ids(tmp / "ids.csv")))
raw = (tmp / "ids.csv").read_text("utf-8-sig") if (tmp / "ids.csv").exists() else ""
res["6 formula cell raw in CSV"] = "\n=cmd" in raw or ",=cmd" in raw

Path(sys.argv[2]).write_text(json.dumps(res, ensure_ascii=False, indent=1), "utf-8")
print(json.dumps(res, ensure_ascii=False, indent=1))
