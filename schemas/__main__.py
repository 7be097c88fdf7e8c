"""Write the JSON Schema of a govnum report: `python -m schemas > schemas/report.schema.json`."""

from __future__ import annotations

import json

from schemas import Report


def report_schema() -> str:
    return json.dumps(Report.model_json_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    print(report_schema(), end="")
