"""HTML pages (as published, or saved from a browser): the main content as blocks, page furniture left out.

Parser: lxml (libxml2's HTML parser: tolerant of the broken markup government CMSs emit; its element
tails let inline text and blocks be told apart; the same library reads DOCX's XML).
bench/html_candidates.py measured the candidates on government-layout pages: lxml and selectolax (given
the same furniture rules) both kept every gold mention and every table row and leaked no furniture;
selectolax parses faster, but both cost ~1 ms a page against ~40 ms of extraction, and its lexbor tree
crashed the process when a removed node's child was removed after it. trafilatura kept the text but
flattened tables into Markdown pipes (no cells), took the page's <h1> into metadata, and was 18x slower.

Furniture is removed by markup, not by guessing at the text: the elements HTML5 names for it (nav, aside,
script …; header and footer unless an article's own), elements whose class or id names it
(`data/html_furniture.txt`: breadcrumb, share, footer …), and link lists (a container whose text is
mostly link text is a menu).

The encoding is the one the bytes declare (BOM, `<meta charset>`, `http-equiv` content type; GB2312 and
GBK are read as their superset GB18030); without a declaration the plain-text decoder decides.
"""

from __future__ import annotations

import re
from functools import cache

from ..document import Document
from ..lexicon import word_list
from ..load import DocumentError, decode_bytes
from . import TextBuilder

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
              "iso-8859-1": "cp1252", "latin1": "cp1252"}
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "nav", "aside",
              "form", "button", "select", "input", "textarea", "svg", "object", "embed", "map", "head")
_BLOCK = frozenset({"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
                    "li", "dl", "dt", "dd", "table", "blockquote", "pre", "center", "td", "th", "tr",
                    "tbody", "thead", "tfoot", "caption", "figure", "figcaption", "hr", "address", "body",
                    "font"})
_LEAF = {"h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
         "h6": "heading", "li": "list_item", "dt": "paragraph", "dd": "paragraph",
         "figcaption": "caption", "caption": "caption"}


@cache
def _furniture() -> re.Pattern[str]:
    """Class/id words that name page furniture (whole words of the attribute: `nav`, `share-box`)."""
    words = "|".join(re.escape(w) for w in word_list("html_furniture.txt"))
    return re.compile(rf"(?:^|[-_\s])(?:{words})(?:$|[-_\s\d])", re.I)


def _encoding(data: bytes) -> str | None:
    m = _CHARSET.search(data[:8192])
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").lower()
    return _SUPERSETS.get(name, name)


def decode_html(data: bytes, source: str) -> str:
    """The page's text, decoded as it declares (else as plain text is)."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_bytes(data, source)
    enc = _encoding(data)
    if enc:
        try:
            return data.decode(enc)
        except LookupError:
            pass  # an unknown charset name: let the bytes decide
        except UnicodeDecodeError:
            try:
                return data.decode("utf-8")  # a page that declares GBK but is UTF-8 (it happens)
            except UnicodeDecodeError as exc:
                raise DocumentError(source, f"declares charset {enc} but is not valid {enc} "
                                            f"(bad bytes at offset {exc.start})") from exc
    return decode_bytes(data, source)


def _is_furniture(el) -> bool:  # noqa: ANN001 - lxml element
    attrs = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("role"))))
    return bool(attrs) and bool(_furniture().search(attrs))


def _link_dense(el) -> bool:  # noqa: ANN001
    """A menu or link list: most of its text is link text, over several links."""
    if el.tag in ("table", "p", "h1", "h2", "h3"):
        return False
    links = el.findall(".//a")
    if len(links) < 3:
        return False
    text = "".join(el.itertext()).strip()
    linked = sum(len("".join(a.itertext()).strip()) for a in links)
    return bool(text) and linked >= 0.7 * len(text)


def _strip_furniture(body) -> None:  # noqa: ANN001
    for el in list(body.iter(*_DROP_TAGS)):
        el.drop_tree()
    for el in list(body.iter("header", "footer")):  # the page's, not an article's own header
        if not any(a.tag in ("article", "main") for a in el.iterancestors()):
            el.drop_tree()
    for el in list(body.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if _is_furniture(el) or _link_dense(el):
            el.drop_tree()


class _Walker:
    """Emits blocks in document order: leaf blocks as themselves, inline runs between blocks as
    paragraphs, `<br>` as a paragraph break, tables as tables."""

    def __init__(self, out: TextBuilder) -> None:
        self.out = out
        self.buf: list[str] = []

    def flush(self, origin: str) -> None:
        if self.buf:
            self.out.add("".join(self.buf), "paragraph", origin=origin)
            self.buf = []

    def walk(self, el, path: str) -> None:  # noqa: ANN001
        tag = el.tag if isinstance(el.tag, str) else ""
        if el.text:
            self.buf.append(el.text)
        for child in el:
            ctag = child.tag if isinstance(child.tag, str) else ""
            cpath = f"{path}/{ctag}"
            if ctag == "br":
                self.flush(path)
            elif ctag == "table" and not _layout_table(child):
                self.flush(path)
                self.table(child, cpath)
            elif ctag in _LEAF and child.find(".//table") is None:
                self.flush(path)
                self.out.add(_text(child), _LEAF[ctag], origin=cpath)  # type: ignore[arg-type]
            elif ctag in _BLOCK:
                self.flush(path)
                self.walk(child, cpath)
                self.flush(cpath)
            elif ctag:
                self.walk_inline(child, cpath)
            if child.tail:
                self.buf.append(child.tail)
        if tag in _BLOCK:
            self.flush(path)

    def walk_inline(self, el, path: str) -> None:  # noqa: ANN001
        """An inline element (span, a, strong …); a block or <br> inside it still breaks the paragraph."""
        if el.find(".//br") is None and not any(isinstance(d.tag, str) and d.tag in _BLOCK
                                                for d in el.iterdescendants()):
            self.buf.append(_text(el))
            return
        self.walk(el, path)

    def table(self, table, path: str) -> None:  # noqa: ANN001
        cap = table.find("caption")
        if cap is not None:
            self.out.add(_text(cap), "caption", origin=f"{path}/caption")
        rows: list[list[str]] = []
        for tr in table.iter("tr"):
            if _owner(tr) is not table:
                continue  # a row of a nested table
            row: list[str] = []
            for cell in tr:
                if cell.tag not in ("td", "th"):
                    continue
                row.append(_text(cell))
                span = cell.get("colspan", "1")
                row.extend([""] * (int(span) - 1 if span.isdigit() and 1 < int(span) < 50 else 0))
            rows.append(row)
        self.out.table(rows, origin=path)


def _layout_table(table) -> bool:  # noqa: ANN001
    """A table used for page layout (older government sites put the whole article in one): a cell of
    its own holds a nested table or more text than a data cell ever does (a `<p>` in a cell proves
    nothing: tables pasted from Word have one in every cell)."""
    for cell in table.iter("td", "th"):
        if _owner(cell) is not table:
            continue
        if cell.find(".//table") is not None or len("".join(cell.itertext()).strip()) > 200:
            return True
    return False


def _owner(el):  # noqa: ANN001, ANN202
    """The table a row or cell belongs to (not a table nested in one of its cells)."""
    p = el.getparent()
    while p is not None and p.tag != "table":
        p = p.getparent()
    return p


def _text(el) -> str:  # noqa: ANN001
    """An element's text, `<br>` read as a space-free line join (a cell or heading is one line)."""
    return "".join(el.itertext())


def read_html(data: bytes, source: str) -> Document:
    """An HTML page -> Document; a page with no body text is a DocumentError."""
    import lxml.html
    from lxml import etree

    text = _XML_DECL.sub("", decode_html(data, source))
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(source, f"not a readable HTML page ({exc})") from exc
    title = root.findtext(".//title") or ""
    body = root.find("body")
    if body is None or not "".join(body.itertext()).strip():
        raise DocumentError(source, "HTML page with no body text")
    _strip_furniture(body)
    out = TextBuilder()
    _Walker(out).walk(body, "body")
    if not out.blocks:
        raise DocumentError(source, "HTML page with no main content (only navigation and page furniture)")
    return out.document("html", source, {"title": " ".join(title.split())})
