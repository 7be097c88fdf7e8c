"""Loading documents: each supported encoding decodes to the same text; every bad file is a clear error."""

from __future__ import annotations

import codecs
import os
import zlib
from pathlib import Path

import pytest

from extractor.load import DocumentError, decode_bytes, read_text

SEED = ("索引号: 001008006002090/2021-144507 主题分类: 其他\n"
        "发布机构: 党政综合办公室 成文日期: 2021-01-07\n\n2020年上半年重点工作任务完成情况\n\n"
        "1-6月，全镇实现规上工业总产值7071万元，同比增长10%；"
        "实现工业投资3408万元，完成全年目标任务的68.1%。\n")
# Traditional characters are outside GB2312 but inside GBK; 𠀀 and 𪚥 are outside GBK (GB18030 4-byte).
TRADITIONAL = ("各位代表：\n\n我們第一屆全國人民代表大會第一次會議，已經光榮地完成了一件歷史性的工作。"
               "糧食產量達到3.3億噸。\n")
OUTSIDE_GBK = "在𠀀𪚥村，完成投资3212万元，同比增长5个百分点；新建道路12公里。\n"

ENCODED = [
    ("utf-8", SEED, SEED.encode("utf-8")),
    ("utf-8 BOM", SEED, codecs.BOM_UTF8 + SEED.encode("utf-8")),
    ("utf-8 CRLF kept", SEED.replace("\n", "\r\n"), SEED.replace("\n", "\r\n").encode("utf-8")),
    ("gb18030", SEED, SEED.encode("gb18030")),
    ("gbk", SEED, SEED.encode("gbk")),
    ("gbk traditional", TRADITIONAL, TRADITIONAL.encode("gbk")),
    ("gb18030 outside gbk", OUTSIDE_GBK, OUTSIDE_GBK.encode("gb18030")),
    ("utf-16 LE BOM", SEED, codecs.BOM_UTF16_LE + SEED.encode("utf-16-le")),
    ("utf-16 BE BOM", SEED, codecs.BOM_UTF16_BE + SEED.encode("utf-16-be")),
    ("utf-16 LE no BOM", SEED, SEED.encode("utf-16-le")),
    ("utf-16 BE no BOM", SEED, SEED.encode("utf-16-be")),
    ("utf-16 LE no BOM pure ASCII", "GDP 5.5%, CPI 2%\n", "GDP 5.5%, CPI 2%\n".encode("utf-16-le")),
    ("utf-16 LE no BOM pure CJK", "政府工作报告，各位代表：现在，我代表国务院向大会报告工作。",
     "政府工作报告，各位代表：现在，我代表国务院向大会报告工作。".encode("utf-16-le")),
]


@pytest.mark.parametrize(("name", "text", "data"), ENCODED, ids=[e[0] for e in ENCODED])
def test_each_encoding_decodes_to_the_text(tmp_path: Path, name: str, text: str, data: bytes) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    assert read_text(path) == text
    assert decode_bytes(data) == text


def test_only_the_bom_is_removed() -> None:
    text = "\u3000\u3000各位代表：\u200b完成 3212 万元\r\n"
    assert decode_bytes(codecs.BOM_UTF8 + text.encode("utf-8")) == text


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 44 >>\nstream\n" + zlib.compress(b"BT ET" * 50)

BAD = [
    ("empty", b"", "empty document"),
    ("whitespace only", b" \r\n\t\n  ", "empty document"),
    ("utf-8 BOM and blanks", codecs.BOM_UTF8 + "\u3000\n\u200b ".encode("utf-8"), "empty document"),
    ("png", PNG, "PNG image"),
    ("pdf", PDF, "PDF document"),
    ("zip/docx", b"PK\x03\x04\x14\x00\x06\x00" + bytes(40), "ZIP archive"),
    ("nul bytes", b"abc\x00def\x00\x01\x02\x03" * 10, "binary"),
    ("control bytes", bytes(range(1, 9)) * 50, "binary"),
    ("latin-1", "café résumé naïve déjà vu, plain Latin-1 text.".encode("latin-1"), "not valid UTF-8"),
    ("truncated utf-8", "完成投资3212万元".encode()[:-1] + b"abc", "not valid UTF-8"),
    ("big5", TRADITIONAL.encode("big5"), "not valid UTF-8"),
    ("euc-kr", ("한국어 텍스트입니다. 이것은 테스트입니다. " * 4).encode("euc-kr"), "not valid UTF-8"),
    ("shift-jis", ("日本語のテキストです。これはテストです。" * 3).encode("shift_jis"), "not valid UTF-8"),
    ("bom then garbage", codecs.BOM_UTF8 + b"\xff\xfe\xfa", "byte-order mark"),
]


@pytest.mark.parametrize(("name", "data", "why"), BAD, ids=[b[0] for b in BAD])
def test_bad_documents_raise_naming_file_and_problem(tmp_path: Path, name: str, data: bytes,
                                                     why: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(DocumentError) as info:
        read_text(path)
    assert info.value.source == str(path)
    assert str(path) in str(info.value)
    assert why in info.value.reason


def test_random_bytes_are_never_silently_decoded() -> None:
    rng = __import__("random").Random(7)
    for _ in range(50):
        data = bytes(rng.randrange(256) for _ in range(2000))
        with pytest.raises(DocumentError):
            decode_bytes(data, "random")


def test_high_random_bytes_that_decode_as_gb18030_are_rejected() -> None:
    # Bytes in 0x81-0xFE pairs decode as GB18030 without error; plausibility must reject them.
    rng = __import__("random").Random(3)
    data = bytes(rng.randrange(0x81, 0xFF) for _ in range(3000))
    with pytest.raises(DocumentError, match="not recognisably"):
        decode_bytes(data, "x")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="no such file"):
        read_text(tmp_path / "nope.txt")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="directory"):
        read_text(tmp_path)


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(("完成投资3212万元。" * 100).encode("utf-8"))
    assert read_text(path, max_bytes=10_000).startswith("完成")
    with pytest.raises(DocumentError, match="too large"):
        read_text(path, max_bytes=1000)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads unreadable files")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("完成投资3212万元。", encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(DocumentError, match="cannot read"):
            read_text(path)
    finally:
        path.chmod(0o644)


SHARED_TEXT = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "text"


@pytest.mark.skipif(not SHARED_TEXT.is_dir(), reason="shared corpus not present")
def test_corpus_documents_round_trip_through_gb18030() -> None:
    for name in ("seed-lipu-2020h1.txt", "prov2026-guangdong.txt", "national-1954.txt", "national-1956.txt"):
        text = (SHARED_TEXT / name).read_text(encoding="utf-8")
        assert decode_bytes(text.encode("utf-8"), name) == text
        assert decode_bytes(text.encode("gb18030"), name) == text
        assert decode_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), name) == text


def test_path_through_a_file_is_unreadable(tmp_path: Path) -> None:
    parent = tmp_path / "doc.txt"
    parent.write_text("完成投资3212万元。", encoding="utf-8")
    with pytest.raises(DocumentError, match="cannot read") as info:
        read_text(parent / "child.txt")
    assert str(parent / "child.txt") in str(info.value)


@pytest.mark.parametrize("damage", ["flip", "drop"])
def test_damaged_utf8_is_an_error_with_the_offset_not_a_gb18030_guess(damage: str) -> None:
    data = (SEED * 20).encode("utf-8")
    at = data.index("党政".encode()) + 1 + len(SEED.encode("utf-8")) * 10
    data = data[:at] + (b"\xff" if damage == "flip" else b"") + data[at + 1:]
    with pytest.raises(DocumentError, match=r"not valid UTF-8 \(bad byte 0x[0-9a-f]{2} at offset \d+\)"):
        decode_bytes(data, "damaged.txt")


def test_cli_reads_gbk_and_reports_bad_files(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from extractor.cli import main

    good = tmp_path / "seed-gbk.txt"
    good.write_bytes(SEED.encode("gbk"))
    png = tmp_path / "picture.txt"
    png.write_bytes(PNG)
    result = CliRunner().invoke(main, ["extract", str(good), str(png)])
    assert result.exit_code == 2
    assert f"{png}: is a PNG image" in result.stderr
    (line,) = [ln for ln in result.stdout.splitlines() if ln.strip()]
    report = json.loads(line)
    assert report["meta"]["title"] == "2020年上半年重点工作任务完成情况"
    assert report["meta"]["date"] == "2021-01-07"
    texts = [q["text"] for q in report["quantities"]]
    assert "7071万元" in texts
    assert all(SEED[q["start"]:q["end"]] == q["text"] for q in report["quantities"])
    # header numbers (index number, dates, times) are not quantities
    assert all(q["start"] >= SEED.index("1-6月") for q in report["quantities"])
