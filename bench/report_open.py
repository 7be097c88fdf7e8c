"""How big the `govnum report` page of a corpus is and how fast Chromium opens it (issue 12: < 15 MB, < 2 s).

    .venv/bin/python bench/report_open.py ../shared/corpus/text [--runs 5] [--html out.html]

Builds the page with `govnum report` (unless --html names one already built), then opens it --runs times in
headless Chromium (Debian's `chromium`, through Playwright), each in a fresh browser context, and prints
the size, and per run and as the median: DOMContentLoaded, first contentful paint and the load event, in
seconds from navigation start (the browser's own Navigation Timing). The machine is shared: repeat.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMING_JS = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  return [n.domContentLoadedEventEnd / 1000, fcp ? fcp.startTime / 1000 : null, n.loadEventEnd / 1000];
}"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="*", help="what to report on (as for govnum report)")
    ap.add_argument("--html", type=Path, help="an existing page to open instead of building one")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    page_path = args.html
    if page_path is None:
        page_path = Path(tempfile.mkdtemp()) / "report.html"
        exe = Path(sys.executable).parent / "govnum"
        start = time.monotonic()
        subprocess.run([str(exe), "report", *args.inputs, "-o", str(page_path)], check=True)
        print(f"built in {time.monotonic() - start:.1f} s")
    size = page_path.stat().st_size
    print(f"{page_path}: {size} bytes ({size / 1e6:.2f} MB)")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        for i in range(args.runs):
            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            page = ctx.new_page()
            page.goto(page_path.resolve().as_uri(), wait_until="load")
            dcl, fcp, load = page.evaluate(TIMING_JS)
            rows.append((dcl, fcp or 0.0, load))
            print(f"run {i + 1}: DOMContentLoaded {dcl:.2f} s, first paint {fcp or 0:.2f} s, "
                  f"load {load:.2f} s")
            ctx.close()
        browser.close()
    med = [statistics.median(c) for c in zip(*rows, strict=True)]
    print(f"median of {len(rows)}: DOMContentLoaded {med[0]:.2f} s, first paint {med[1]:.2f} s, "
          f"load {med[2]:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
