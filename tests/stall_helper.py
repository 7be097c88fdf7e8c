"""`govnum` with one document that never finishes: for the tests of time budgets and interruption.

    python tests/stall_helper.py STALL_ID PIDFILE batch …

The document whose id is STALL_ID hangs in its worker (after writing the worker's pid to PIDFILE) until
that process is stopped; every other document is converted as usual.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import extractor.pipeline as pipeline

STALL_ID, PIDFILE = sys.argv[1], Path(sys.argv[2])


def _stalling(real: Any) -> Any:
    def run(doc: Any, doc_id: str = "text", *args: Any, **kwargs: Any) -> Any:
        if doc_id == STALL_ID:
            PIDFILE.write_text(str(os.getpid()), encoding="utf-8")
            while True:
                time.sleep(0.5)
        return real(doc, doc_id, *args, **kwargs)

    return run


for _name in ("extract", "extract_document"):
    if hasattr(pipeline, _name):
        setattr(pipeline, _name, _stalling(getattr(pipeline, _name)))

if __name__ == "__main__":
    from extractor.cli import main

    main(sys.argv[3:], prog_name="govnum")
