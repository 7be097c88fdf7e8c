"""Published formats end to end: files rendered at test time (tests/fixtures/render.py), read back.

The dev-gold documents (../shared, skipped without it) and the table document (corpus/) are rendered to
HTML (UTF-8 and GB2312), DOCX and PDF; each must score as its plain text does, with exact offsets and
(PDF) the page each figure was drawn on. Broken files each get a one-line error naming the file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import main
from extractor.evaluate import gold_text, load_gold, totals
from extractor.load import DocumentError
from extractor.readers import read_bytes_as_document, read_document, sniff

REPO = Path(__file__).resolve().parent.parent
TABLE_GOLD = REPO / "corpus" / "gold" / "synthetic-bulletin-tables.json"
DEV = ("national-2019-s1", "prov2026-guangdong-s1", "seed-lipu-2020h1")

render = pytest.importorskip("fixtures.render", reason="the fixture renderers need reportlab and python-docx")
from fixtures.formats_eval import FORMATS, evaluate  # noqa: E402
from fixtures.formats_eval import render as render_file  # noqa: E402


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> dict:
    """Every dev-gold document and the table document in every format, read back and scored."""
    out = tmp_path_factory.mktemp("formats")
    golds = [g for g in load_gold([shared / "gold"]) if g[1]["doc_id"] in DEV] + load_gold([TABLE_GOLD])
    results: dict = {}
    for path, gold in golds:
        text = gold_text(path, gold, [REPO.parent, REPO])
        for fmt in FORMATS:
            file, pages = render_file(text, fmt, out, gold["doc_id"])
            results[(gold["doc_id"], fmt)] = (evaluate(gold, text, file, fmt, pages), file, text)
    return results


@pytest.mark.parametrize("fmt", FORMATS)
def test_dev_gold_from_each_format(rendered: dict, fmt: str) -> None:
    rs = [rendered[(d, fmt)][0] for d in DEV]
    t = totals([r.score for r in rs])
    plain = totals([rendered[(d, "text")][0].score for d in DEV])
    assert t.recall >= plain.recall - 0.01, [m for r in rs for m in r.score.misses]
    assert t.precision >= 0.98, [m for r in rs for m in r.score.spurious]
    assert all(r.offsets_ok for r in rs)
    assert all(r.report.format == fmt.split("-")[0] for r in rs)


def test_pdf_pages_are_where_the_figures_were_drawn(rendered: dict) -> None:
    rs = [rendered[(d, "pdf")][0] for d in (*DEV, "synthetic-bulletin-tables")]
    assert sum(r.pages_checked for r in rs) > 250
    assert [w for r in rs for w in r.pages_wrong] == []
    assert max(q.page for r in rs for q in r.report.quantities) >= 3  # the documents run over pages


def test_pdf_rejoins_numbers_broken_across_lines_and_pages(rendered: dict) -> None:
    """The renderer wraps at the margin wherever that falls: some figures were split, and read whole."""
    split = 0
    for d in DEV:
        r, _, text = rendered[(d, "pdf")]
        drawn = {q.text for q in rendered[(d, "text")][0].report.quantities}
        assert {q.text for q in r.report.quantities} >= drawn
        split += len(drawn)
    assert split > 200
    doc = rendered[("national-2019-s1", "pdf")][0].doc
    assert "政府信息公开" not in doc.text and "— 2 —" not in doc.text  # page header and number gone


@pytest.mark.parametrize("fmt", FORMATS)
def test_table_document(rendered: dict, fmt: str) -> None:
    r = rendered[("synthetic-bulletin-tables", fmt)][0]
    gold = json.loads(TABLE_GOLD.read_text(encoding="utf-8"))
    assert r.score.tp == len(gold["mentions"]) and r.score.fp == 0
    cells = [q for q in r.report.quantities if q.cell is not None]
    by_text = {(q.metric, q.period, q.text): q for q in cells}
    assert len(cells) == 40
    q = by_text[("第二产业", "2024年", "1262.3")]  # unit line 单位：亿元, period from the column header
    assert (q.value, q.unit, q.kind) == ("126230000000", "元", "money")
    q = by_text[("油料产量", "2024年", "4.35")]  # unit from the row's 单位 column
    assert (q.value, q.unit) == ("43500", "吨")
    q = by_text[("油料产量", "2024年", "-2.6")]  # 比上年增长（%）
    assert (q.value, q.unit, q.kind) == ("-2.6", "%", "percent")
    assert by_text[("规模以上工业增加值", "三季度", "201.7")].value == "20170000000"
    assert all(q.metric and q.period for q in cells)
    sums = [f for f in r.report.findings if f.check == "sum"]
    assert [f.status for f in sums].count("consistent") == 5
    wrong = [f for f in sums if f.status == "inconsistent"]
    assert len(wrong) == 1 and "= 286603 ≠ 296603" in wrong[0].message  # the planted wrong 总计, in its unit


def test_cell_field_matches_the_table(rendered: dict) -> None:
    r = rendered[("synthetic-bulletin-tables", "html")][0]
    q = next(q for q in r.report.quantities if q.text == "103577")
    assert q.cell is not None and (q.cell.table, q.cell.row, q.cell.col) == (1, 3, 2)


def test_html_drops_page_furniture(rendered: dict) -> None:
    for fmt in ("html", "html-gb2312"):
        text = rendered[("seed-lipu-2020h1", fmt)][0].doc.text
        for furniture in ("当前位置", "走进青川", "分享到", "微博", "备案号", "网站标识码", "访问量",
                          "相关阅读", "console"):
            assert furniture not in text, (fmt, furniture)


def test_gb2312_page_decoded_from_its_meta_tag(rendered: dict) -> None:
    _, file, _ = rendered[("seed-lipu-2020h1", "html-gb2312")]
    data = file.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert rendered[("seed-lipu-2020h1", "html-gb2312")][0].doc.text == \
        rendered[("seed-lipu-2020h1", "html")][0].doc.text


# --- broken inputs -------------------------------------------------------------------------------------

def _broken(tmp_path: Path) -> dict[str, Path]:
    text = TABLE_GOLD.parent.parent.joinpath("synthetic-bulletin-tables.txt").read_text(encoding="utf-8")
    pdf, _ = render.render_pdf(text)
    files = {
        "truncated.pdf": pdf[: len(pdf) // 2],
        "encrypted.pdf": render.render_pdf(text, encrypt="secret")[0],
        "scanned.pdf": render.scanned_pdf(),
        "renamed.docx": render.renamed_zip(),
        "nobody.html": render.NO_BODY_HTML,
    }
    out = {}
    tmp_path.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        out[name] = tmp_path / name
    return out


@pytest.mark.parametrize(("name", "reason"), [
    ("truncated.pdf", "truncated PDF"),
    ("encrypted.pdf", "encrypted PDF"),
    ("scanned.pdf", "scanned PDF"),
    ("renamed.docx", "not a Word document: a ZIP archive"),
    ("nobody.html", "HTML page with no body"),
])
def test_broken_inputs_get_a_clear_error(tmp_path: Path, name: str, reason: str) -> None:
    path = _broken(tmp_path)[name]
    with pytest.raises(DocumentError) as exc:
        read_document(path)
    assert str(exc.value).startswith(f"{path}: ") and reason in str(exc.value)


def test_a_batch_goes_on_past_broken_files(tmp_path: Path) -> None:
    broken = _broken(tmp_path / "in")
    good = tmp_path / "in" / "good.html"
    good.write_bytes(render.render_html("标题\n全年完成投资1.2亿元，增长10%。"))
    out = tmp_path / "out.jsonl"
    exe = Path(sys.executable).parent / "govnum"
    proc = subprocess.run([str(exe), "batch", str(tmp_path / "in"), "-o", str(out), "--workers", "1",
                           "--ext", ".pdf", "--ext", ".docx", "--ext", ".html"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    docs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(d["doc_id"], d["format"]) for d in docs] == [("good", "html")]
    for name in broken:
        assert f"failed: {Path(name).stem} " in proc.stderr
    assert "Traceback" not in proc.stderr


# --- dispatch, stdin, folders ------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "name", "fmt"), [
    (b"%PDF-1.4\n", "report.txt", "pdf"),  # content beats the extension
    (b"PK\x03\x04rest", "report.bin", "docx"),
    (b"\xef\xbb\xbf<!DOCTYPE html><html>", "report.txt", "html"),
    ("<html><body>正文</body></html>".encode("utf-16"), None, "html"),
    ("  <meta charset=gbk><p>正文".encode("gbk"), None, "html"),
    ("全年完成投资1.2亿元。".encode(), "report.html", "html"),  # no markup: the extension decides
    ("全年完成投资1.2亿元。".encode(), "report", "text"),
])
def test_sniff(data: bytes, name: str | None, fmt: str) -> None:
    assert sniff(data, name) == fmt


def test_stdin_any_format() -> None:
    html = render.render_html("标题\n全年完成投资1.2亿元，增长10%。")
    for args in (["extract", "-"], ["check", "-", "--format", "json"]):
        result = CliRunner().invoke(main, args, input=html)
        assert result.exit_code == 0, result.output
        record = json.loads(result.output.splitlines()[0])
        assert record["doc_id"] == "stdin" and record["source"] == "<stdin>"
    record = json.loads(CliRunner().invoke(main, ["extract", "-"], input=html).output)
    assert record["format"] == "html" and [q["text"] for q in record["quantities"]] == ["1.2亿元", "10%"]


def test_extract_and_check_take_folders_and_globs(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("全年完成投资1.2亿元。", encoding="utf-8")
    (tmp_path / "b.html").write_bytes(render.render_html("标题\n新增就业3000人。"))
    (tmp_path / "c.docx").write_bytes(render.render_docx("标题\n新建学校5所。"))
    (tmp_path / "notes.md").write_text("不是文档 5个", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(tmp_path)])
    assert result.exit_code == 0, result.output
    got = [(r["doc_id"], r["format"], r["quantities"][0]["text"])
           for r in map(json.loads, result.output.splitlines())]
    assert got == [("a", "text", "1.2亿元"), ("b", "html", "3000人"), ("c", "docx", "5所")]
    result = CliRunner().invoke(main, ["check", str(tmp_path / "*.docx"), "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.output)["doc_id"] == "c"
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "none-*.pdf")])
    assert result.exit_code == 2 and "matches nothing" in result.output


def test_docx_merged_cells_read_once() -> None:
    import docx

    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 1).merge(t.cell(0, 2)).text = "2024年（亿元）"
    for r, row in enumerate([["指标", "", ""], ["甲", "1.5", "2.5"], ["乙", "3", "4"]]):
        for c, v in enumerate(row):
            if r:
                t.cell(r, c).text = v
    import io

    buf = io.BytesIO()
    d.save(buf)
    doc = read_bytes_as_document(buf.getvalue(), "merged.docx")
    assert doc.text.splitlines()[0] == "\t2024年（亿元）\t"
    assert "甲\t1.5\t2.5" in doc.text


@pytest.mark.parametrize(("left", "right", "value"), [
    ("20.4", "万平方米", "204000"),  # real PDF extractions of a government work report broke these
    ("约4.", "4万亿元", "4400000000000"),
    ("1", "30条", "130"),
])
def test_pdf_figure_broken_at_a_line_end_reads_whole(left: str, right: str, value: str) -> None:
    filler = "建成项目3个，改造小区12处，推进城市更新，"  # half- and full-width characters
    render._font()
    for n in range(len(filler) * 4):
        head = (filler * 5)[:n]
        para = head + left + right + "，取得明显成效。"
        if any(b == len(head) + len(left) for _, b, _ in render._wrap(para, 2 * render.SIZE)):
            break
    else:
        pytest.fail("no filler length breaks the line there")
    data, _ = render.render_pdf("标题\n" + para)
    doc = read_bytes_as_document(data, "wrapped.pdf")
    assert para in doc.text
    from extractor.pipeline import extract_document

    q = [q for q in extract_document(doc).quantities if right in q.text]
    assert len(q) == 1 and q[0].value == value and q[0].page == 1


def test_html_layout_table_is_read_as_paragraphs_and_word_tables_as_tables() -> None:
    long = "全年完成固定资产投资1.2亿元，同比增长10%。" * 12
    page = ("<html><body><table><tr><td class='left-nav'><a href='#'>首页</a></td><td>"
            f"<p>{long}</p><p>新增就业3000人。</p>"
            "<table border=1><tr><td><p class='MsoNormal'>指标</p></td><td><p>2024年（亿元）</p></td></tr>"
            "<tr><td><p>地区生产总值</p></td><td><p>1234.5</p></td></tr></table>"
            "</td></tr></table></body></html>").encode()
    doc = read_bytes_as_document(page, "old.html")
    assert doc.text.splitlines() == [long, "新增就业3000人。", "指标\t2024年（亿元）", "地区生产总值\t1234.5"]
    from extractor.pipeline import extract_document

    q = [q for q in extract_document(doc).quantities if q.text == "1234.5"]
    assert q and q[0].value == "123450000000" and q[0].cell is not None
