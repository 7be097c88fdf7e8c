"""Shared test fixtures: where the team's shared data lives (tests using it skip without it)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpus" / "text").is_dir():
        pytest.skip("../shared is not present beside the repository")
    return SHARED
