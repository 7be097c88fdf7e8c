"""Regenerate the JSON Schema of a govnum report: `python -m schemas` writes schemas/report.schema.json.

`--check` only compares (exit 1 when the file is stale, as CI would want); `--stdout` prints the schema.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from schemas import Report

SCHEMA_PATH = Path(__file__).resolve().parent / "report.schema.json"


def report_schema() -> str:
    return json.dumps(Report.model_json_schema(), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None, path: Path | None = None) -> int:
    """Write (or check, or print) the schema; the exit status."""
    parser = argparse.ArgumentParser(prog="python -m schemas", description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 when the file is not current")
    mode.add_argument("--stdout", action="store_true", help="print the schema instead of writing it")
    args = parser.parse_args(argv)
    path = path or SCHEMA_PATH
    schema = report_schema()
    if args.stdout:
        sys.stdout.write(schema)
        return 0
    current = path.read_text(encoding="utf-8") if path.exists() else None
    if args.check:
        if current != schema:
            print(f"{path} is stale: run `python -m schemas` to regenerate it", file=sys.stderr)
            return 1
        print(f"{path} is current")
        return 0
    if current != schema:
        path.write_text(schema, encoding="utf-8")
    print(f"wrote {path}" if current != schema else f"{path} is current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
