"""govnum's public Python API: every figure a Chinese government report states, as checked data.

    import govnum
    report = govnum.extract("1-6月，全镇实现规上工业总产值7071万元，同比增长10%。")
    report = govnum.extract_file("corpus/lipu-2020h1.txt")
    frames = govnum.to_dataframe([report])        # pip install 'govnum[pandas]'

The implementation lives in the `extractor` and `schemas` packages; this module is the stable name to
import, so that user code does not depend on the package layout.
"""

from __future__ import annotations

from pathlib import Path

from extractor import __version__
from extractor.document import Document
from extractor.frames import Frames, to_dataframe
from extractor.load import DocumentError, read_text
from extractor.pipeline import extract, extract_document
from schemas import Finding, Meta, Quantity, Relation, Report


def extract_file(path: str | Path, doc_id: str | None = None) -> Report:
    """Read a document from disk (text in any encoding govnum detects, HTML, PDF, DOCX: told by its
    content) and extract it; doc_id defaults to the file's stem, as on the command line. Raises
    DocumentError, naming the file, when it cannot be read."""
    from extractor.readers import read_document

    path = Path(path)
    return extract_document(read_document(path), doc_id=doc_id or path.stem)


__all__ = [
    "Document", "DocumentError", "Finding", "Frames", "Meta", "Quantity", "Relation", "Report", "__version__",
    "extract", "extract_document", "extract_file", "read_text", "to_dataframe",
]
