"""Reading documents from disk: bytes -> text, with clear per-file errors.

STUB: owned by the loading work.
"""

from __future__ import annotations

from pathlib import Path


class DocumentError(Exception):
    """A document that cannot be read; the message names the file and the problem."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


def decode_bytes(data: bytes, source: str = "<bytes>") -> str:
    """Decode a document's bytes (UTF-8, UTF-8 BOM, UTF-16, GB18030); BOM removed."""
    return data.decode("utf-8").removeprefix("\ufeff")


def read_text(path: str | Path) -> str:
    """Read and decode one document file."""
    return decode_bytes(Path(path).read_bytes(), str(path))
