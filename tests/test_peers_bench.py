"""bench/peers.py end to end: the script runs, prints its table, and the engine targets hold."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.mark.skipif(not (SHARED / "peers").is_dir(), reason="../shared/peers not present")
def test_peers_script_prints_targets() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "peers.py"), "--shared", str(SHARED), "--suite", "cn2an"],
        capture_output=True, text=True, timeout=300, check=True,
    ).stdout
    rows = {parts[0]: parts for parts in (re.split(r"\s{2,}", line.strip()) for line in out.splitlines()[1:])}
    for suite in ("cn2an.strict (strict=True)", "cn2an.smart", "cn2an.error_strict literal (strict=True)",
                  "cn2an.error_strict merged (strict=True)"):
        assert suite in rows, out
        assert "100.0%" in rows[suite], rows[suite]
    assert "cn2an.transform_smart (extract)" in rows


def test_peers_script_refuses_missing_data(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "peers.py"), "--shared", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "no peer data" in done.stderr


@pytest.mark.skipif(not (SHARED / "peers").is_dir(), reason="../shared/peers not present")
def test_percent_model_states_no_wrong_value_in_95_percent() -> None:
    """Issue 11: through extract(), Recognizers-Text's PercentModel cases get no value the peer
    contradicts in at least 95% of cases (spaced numerals are read whole or not at all)."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "peers.py"), "--shared", str(SHARED),
         "--suite", "recognizers.PercentModel"],
        capture_output=True, text=True, timeout=300, check=True,
    ).stdout
    row = next(line for line in out.splitlines() if "extract" in line)
    no_wrong = float(re.split(r"\s{2,}", row.strip())[5].rstrip("%"))
    assert no_wrong >= 95.0, row
