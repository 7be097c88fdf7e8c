"""Which HTML parser keeps the report and drops the page: lxml (govnum's reader), selectolax, trafilatura.

    .venv/bin/pip install -e '.[bench]' && .venv/bin/python bench/html_candidates.py

Pages: the dev-gold documents and the table document rendered in a government site's layout
(tests/fixtures/render.py: navigation, breadcrumb, share links, related links, footer, scripts; UTF-8
and GB2312). For each candidate: how many of the gold mentions' texts survive (content kept), how many
of the page's furniture strings leak into the text, whether table rows stay one row a line, and the
time per page. selectolax gets the same furniture rules as govnum's reader (it is a parser, not an
extractor); trafilatura is run as its documentation suggests for main content with tables.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fixtures.render import render_html  # noqa: E402

from extractor.evaluate import gold_text, load_gold  # noqa: E402
from extractor.lexicon import word_list  # noqa: E402
from extractor.readers.html import decode_html, read_html  # noqa: E402

FURNITURE = ("当前位置", "走进青川", "互动交流", "分享到", "微博", "QQ空间", "备案号", "网站标识码", "访问量",
             "相关阅读", "2022年统计公报", "console", "无障碍浏览")
_DROP = "script,style,noscript,nav,header,footer,aside,form,iframe"


def by_lxml(data: bytes) -> str:
    return read_html(data, "page").text


def by_selectolax(data: bytes) -> str:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(decode_html(data, "page"))
    tree.strip_tags(_DROP.split(","))
    words = re.compile(r"(?:^|[-_\s])(?:" + "|".join(map(re.escape, word_list("html_furniture.txt")))
                       + r")(?:$|[-_\s\d])", re.I)
    def attrs(node) -> str:  # noqa: ANN001
        return " ".join(filter(None, (node.attributes.get("class"), node.attributes.get("id"))))

    marked = [node for node in tree.body.traverse() if words.search(attrs(node))]
    for node in reversed(marked):  # children before their parents
        node.decompose()
    lines = []
    for node in tree.body.css("h1,h2,h3,p,tr,li"):
        if node.tag == "tr":
            lines.append("\t".join(c.text(strip=True) for c in node.css("td,th")))
        else:
            lines.append(node.text(strip=True))
    return "\n".join(lines)


def by_trafilatura(data: bytes) -> str:
    import trafilatura

    return trafilatura.extract(decode_html(data, "page"), include_tables=True, include_comments=False,
                               favor_recall=True) or ""


def main() -> None:
    golds = [g for g in load_gold([ROOT.parent / "shared" / "gold", ROOT / "corpus" / "gold"])
             if g[1]["doc_id"] in ("national-2019-s1", "prov2026-guangdong-s1", "seed-lipu-2020h1",
                                   "synthetic-bulletin-tables")]
    pages = []
    for path, gold in golds:
        text = gold_text(path, gold, [ROOT.parent, ROOT])
        mentions = [m["text"] for m in gold["mentions"] if m.get("required", True)]
        rows = [ln for ln in text.split("\n") if "\t" in ln]
        for charset in ("utf-8", "gb2312"):
            pages.append((gold["doc_id"], render_html(text, charset), mentions, rows))
    print(f"{'candidate':12} {'mentions kept':>14} {'furniture leaked':>17} {'table rows kept':>16} "
          f"{'ms/page':>8}")
    for name, fn in (("lxml", by_lxml), ("selectolax", by_selectolax), ("trafilatura", by_trafilatura)):
        kept = total = leaked = rows_kept = rows_total = 0
        secs = 0.0
        for _doc, data, mentions, rows in pages:
            fn(data)
            t0 = time.perf_counter()
            out = fn(data)
            secs += time.perf_counter() - t0
            flat = re.sub(r"\s+", "", out)
            kept += sum(re.sub(r"\s+", "", m) in flat for m in mentions)
            total += len(mentions)
            leaked += sum(f in out for f in FURNITURE)
            lines = set(out.split("\n"))
            rows_kept += sum(r in lines for r in rows)
            rows_total += len(rows)
        print(f"{name:12} {kept:>7}/{total:<6} {leaked:>10}/{len(FURNITURE) * len(pages):<6} "
              f"{rows_kept:>9}/{rows_total:<6} {1000 * secs / len(pages):8.1f}")


if __name__ == "__main__":
    main()
