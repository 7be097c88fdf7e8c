"""The header block and web debris of published government pages.

A page saved as text starts with some of: web debris (`下载 打印 全屏 收藏 【字号：加大 还原 减小】`,
breadcrumbs `首页 > 要闻`), labelled fields (`索引号: … 主题分类: …`, `来源：`, `时间：`), the title,
the occasion of a speech (`——2026年1月26日在广东省第十四届人民代表大会第五次会议上`), the speaker
(`广东省省长 孟凡利`) and photo captions; and may end with more debris (`扫一扫在手机打开当前页`,
`【打印本页】【关闭窗口】`, `相关报道：`). Their numbers are dates, ids and counters, never content
quantities, so they are returned as skip spans. Labels and debris patterns live in data files
(`header_fields.txt`, `web_debris.txt`); the line shapes (occasion, speaker, dates) are below.

The header is read line by line from the top and ends at the first line that is content: a
salutation (`各位代表：`), a numbered heading (`一、`), or a sentence. Only the header block and the
trailing block are searched for one-word debris lines (`大`, `中`, `小` alone on a line); distinctive
debris strings are found anywhere.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from schemas import Meta

from .firstchars import guarded

MAX_HEADER_LINES = 60
MAX_HEADER_CHARS = 4000
MAX_TITLE_CHARS = 60
_MAX_DEBRIS_LINE = 200

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0, "О": 0}
_DATE_RE = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[\sT]*(?P<H>\d{1,2})\s*[:时]\s*(?P<M>\d{2})(?:\s*[:分]\s*(?P<S>\d{2}))?)?"
)
_CN_DATE_RE = re.compile(
    r"(?P<y>[〇零○一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月(?P<d>[一二三四五六七八九十]{1,3})日"
)
_DATE_ONLY_LINE_RE = re.compile(
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:[\sT]*\d{1,2}\s*[:时]\s*\d{2}(?:\s*[:分]\s*\d{2}\s*秒?|\s*分)?)?"
)
# `——2026年1月26日在广东省第十四届人民代表大会第五次会议上`, `（2026年1月27日在…会议上）`
_OCCASION_RE = re.compile(
    r"[—―－\-─~～]*\s*[（(]?\s*(?P<date>(?:\d{4}|[〇零○一二三四五六七八九]{4})年[0-9一二三四五六七八九十]{1,3}月"
    r"[0-9一二三四五六七八九十]{1,3}日)\s*在(?P<where>[^。]{2,80})"
)
_OCCASION_END_RE = re.compile(r"上\s*[)）]?")
_OCCASION_CUT_RE = re.compile(r"上\s*[)）]?(?=\s|$)")
_ROLE = r"(?:省长|市长|主席|总理|副总理|区长|县长|州长|盟长|镇长|乡长|主任|书记|代省长|代市长)"
_SPEAKER_RE = re.compile(
    r"(?P<role>[\u4e00-\u9fff]{0,16}?" + _ROLE + r")[ \t\u3000\u00a0]+"
    r"(?P<name>[\u4e00-\u9fff](?:[ \u3000]?[\u4e00-\u9fff·•．.]){1,11})"
)
_NAME_RE = re.compile(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{2,6}[·•．][\u4e00-\u9fff]{2,8}")
_ENUM_RE = re.compile(
    r"[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十0-9]+[）)]|\d+[、.．](?!\d)|第[一二三四五六七八九十]+[章节部分]"
)
_SALUTATION_RE = re.compile(r"[^，。；]{1,12}[:：！!]")
_BREADCRUMB_SEP = frozenset(">＞»›")
_BREADCRUMB_RE = re.compile(r"[^\s>＞»›]{1,16}(?:\s*[>＞»›]\s*[^\s>＞»›]{1,16})+")
_TITLE_WORDS = ("报告", "情况", "总结", "计划", "规划", "纲要", "公报", "意见", "通知", "决定", "方案",
                "办法", "讲话", "说明", "要点", "通报", "公告", "决议")
_SENTENCE_END = "。！？；!?;"
_WS = " \t\r\u3000\u00a0\u200b\ufeff"


@dataclass
class _Lexicon:
    labels: dict[str, str]
    label_re: re.Pattern[str]
    inline_re: re.Pattern[str] | None
    line_re: re.Pattern[str] | None


def _rows(name: str) -> list[list[str]]:
    text = resources.files("extractor.data").joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def _lexicon() -> _Lexicon:
    labels = {row[0].strip(): row[1].strip() for row in _rows("header_fields.txt") if len(row) >= 2}
    alts = "|".join(re.escape(lb) for lb in sorted(labels, key=len, reverse=True))
    label_re = re.compile(rf"(?:^|(?<=[\s|｜]))(?P<label>{alts})[ \t\u3000]*[:：]")
    inline = [r[1] for r in _rows("web_debris.txt") if r[0] == "inline" and len(r) > 1]
    line = [r[1] for r in _rows("web_debris.txt") if r[0] == "line" and len(r) > 1]
    return _Lexicon(
        labels, label_re,
        # searched through the whole text: behind a lookahead on its first characters (firstchars.py)
        re.compile(guarded("|".join(f"(?:{p})" for p in inline))) if inline else None,
        re.compile("(?:" + "|".join(f"(?:{p})" for p in line) + ")") if line else None,
    )


@dataclass
class _Line:
    start: int  # stripped content span in the document
    end: int
    text: str


def _lines(text: str, begin: int, limit_lines: int, limit_chars: int) -> list[_Line]:
    out = []
    pos = begin
    n = len(text)
    while pos < n and len(out) < limit_lines and pos - begin < limit_chars:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        raw = text[pos:end]
        s = raw.strip(_WS)
        lead = len(raw) - len(raw.lstrip(_WS))
        out.append(_Line(pos + lead, pos + lead + len(s), s))
        pos = end + 1
    return out


def _iso(m: re.Match[str], with_time: bool) -> str | None:
    try:
        d = _dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None
    out = d.isoformat()
    if with_time and m.groupdict().get("H"):
        hh, mm, ss = int(m.group("H")), int(m.group("M")), m.group("S")
        if hh > 23 or mm > 59 or (ss is not None and int(ss) > 59):
            return out
        out += f"T{hh:02d}:{mm:02d}" + (f":{int(ss):02d}" if ss is not None else "")
    return out


def _cn_int(s: str) -> int | None:
    """一..九十九 (month/day numerals) to int."""
    if "十" in s:
        a, _, b = s.partition("十")
        tens = _CN_DIGIT.get(a, 0) if a else 1
        ones = _CN_DIGIT.get(b, 0) if b else 0
        return tens * 10 + ones
    return _CN_DIGIT.get(s) if len(s) == 1 else None


def parse_date(s: str, with_time: bool = False) -> str | None:
    """The first date in `s` as ISO `YYYY-MM-DD` (`…Thh:mm[:ss]` with with_time), or None."""
    m = _DATE_RE.search(s)
    if m:
        return _iso(m, with_time)
    m = _CN_DATE_RE.search(s)
    if m:
        year = "".join(str(_CN_DIGIT[c]) for c in m.group("y"))
        month, day = _cn_int(m.group("m")), _cn_int(m.group("d"))
        if month and day:
            try:
                return _dt.date(int(year), month, day).isoformat()
            except ValueError:
                return None
    return None


@dataclass
class _State:
    fields: dict[str, str] = field(default_factory=dict)
    titles: list[tuple[int, str, tuple[int, int]]] = field(default_factory=list)  # line index, text, span
    spans: list[tuple[int, int]] = field(default_factory=list)
    occasion: str | None = None
    speaker_role: str | None = None
    speaker: str | None = None


def _parse_fields(line: _Line, lex: _Lexicon, st: _State) -> str | None:
    """Record the labelled fields of a line; return the field whose value is on the next line, if any."""
    ms = list(lex.label_re.finditer(line.text))
    pending = None
    for k, m in enumerate(ms):
        end = ms[k + 1].start() if k + 1 < len(ms) else len(line.text)
        value = line.text[m.end():end].strip(_WS + "|｜")
        name = lex.labels[m.group("label")]
        if value:
            st.fields.setdefault(name, value)
        elif k + 1 == len(ms):
            pending = name
    return pending


def _is_debris_line(s: str, lex: _Lexicon) -> bool:
    if len(s) > _MAX_DEBRIS_LINE:
        return False
    if lex.line_re is not None and lex.line_re.fullmatch(s):
        return True
    if lex.inline_re is not None:
        m = lex.inline_re.fullmatch(s)
        if m:
            return True
    return bool(_BREADCRUMB_RE.fullmatch(s))


def _is_content(s: str) -> bool:
    """A line that starts the body: a salutation, a numbered heading, or a sentence."""
    if _ENUM_RE.match(s):
        return True
    if len(s) <= 16 and _SALUTATION_RE.fullmatch(s):
        return True
    return len(s) > MAX_TITLE_CHARS or any(c in s for c in "。；") and not s.endswith("摄")


def _title_like(s: str) -> bool:
    return 2 <= len(s) <= MAX_TITLE_CHARS and s[-1] not in _SENTENCE_END + "，,：:" and not _ENUM_RE.match(s)


def _scan_header(text: str, lex: _Lexicon, st: _State) -> int:
    """Read the header block from the top; return how many header lines there were."""
    lines = _lines(text, 0, MAX_HEADER_LINES, MAX_HEADER_CHARS)
    breadcrumb: set[str] = set()
    pending: str | None = None
    after_occasion = False
    i = 0
    last_header = -1
    while i < len(lines):
        ln = lines[i]
        s = ln.text
        if not s:
            i += 1
            continue
        nxt = next((x.text for x in lines[i + 1:] if x.text), "")
        prev = next((x.text for x in reversed(lines[:i]) if x.text), "")
        kind = None
        if (pending and not lex.label_re.match(s) and not _is_debris_line(s, lex)
                and not _OCCASION_RE.match(s)):
            st.fields.setdefault(pending, s)
            kind = "value"
        elif lex.label_re.match(s):
            kind = "field"
        elif s in _BREADCRUMB_SEP or nxt in _BREADCRUMB_SEP or prev in _BREADCRUMB_SEP or s in breadcrumb:
            if s not in _BREADCRUMB_SEP:
                breadcrumb.add(s)
            kind = "debris"
        elif _is_debris_line(s, lex):
            kind = "debris"
        elif _DATE_ONLY_LINE_RE.fullmatch(s):
            st.fields.setdefault("publish_time", s)
            kind = "date"
        pending = None
        if kind == "field":
            pending = _parse_fields(ln, lex, st)
        if kind is None:
            occ = _OCCASION_RE.match(s)
            if occ and len(s) <= 120:
                end_ln = ln
                whole = s
                if not _OCCASION_END_RE.search(s) and i + 1 < len(lines):
                    nx = lines[i + 1]
                    if nx.text and len(nx.text) <= 40 and nx.text.rstrip("）)").endswith("上"):
                        whole = s + nx.text
                        end_ln = nx
                # it ends with 上 (…会议上), maybe followed by the speaker: `…会议上 陕西省省长 赵刚`
                cut = _OCCASION_CUT_RE.search(whole)
                rest = whole[cut.end():].strip(_WS) if cut else ""
                if cut and not any(c in whole[:cut.end()] for c in "。；") and (
                        not rest or _SPEAKER_RE.fullmatch(rest) or _NAME_RE.fullmatch(rest)):
                    st.occasion = st.occasion or whole[:cut.end()].strip("—―－-─~～（()） \u3000")
                    st.fields.setdefault("delivered_date", occ.group("date"))
                    if rest:
                        _speaker(rest, st, True)
                    st.spans.append((ln.start, end_ln.end))
                    after_occasion = True
                    if end_ln is not ln:
                        i += 1
                    last_header = i
                    i += 1
                    continue
            if _speaker(s, st, after_occasion or (st.occasion is not None and st.speaker is None)):
                kind = "speaker"
            elif _is_content(s):
                break
            elif _title_like(s):
                st.titles.append((i, s, (ln.start, ln.end)))
                after_occasion = False
                i += 1
                continue
            else:
                break
        after_occasion = False
        st.spans.append((ln.start, ln.end))
        last_header = i
        i += 1
    # title-like lines after the last header line belong to the body, unless nothing else was found
    # A lone first line with no header around it names the document but may still state a figure
    # (关于下达1000万元专项资金的通知): it becomes the title and stays content.
    kept = [t for t in st.titles if t[0] < last_header]
    st.titles = kept or st.titles[:1]
    st.spans.extend(t[2] for t in kept)
    return last_header


def _speaker(s: str, st: _State, bare_name_ok: bool) -> bool:
    m = _SPEAKER_RE.fullmatch(s)
    if m:
        st.speaker_role = st.speaker_role or m.group("role")
        st.speaker = st.speaker or re.sub(r"[ \u3000]+", " ", m.group("name"))
        return True
    if bare_name_ok and _NAME_RE.fullmatch(s):
        st.speaker = st.speaker or s
        return True
    return False


def _scan_tail(text: str, lex: _Lexicon, st: _State, floor: int) -> None:
    """Trailing debris and labelled lines (`编辑：…`, `（来源：…）`, `相关报道：`), from the end up."""
    pos = len(text)
    for _ in range(MAX_HEADER_LINES):
        if pos <= floor:
            return
        nl = text.rfind("\n", floor, pos - 1) if pos > 0 else -1
        start = nl + 1 if nl >= 0 else floor
        raw = text[start:pos]
        s = raw.strip(_WS + "\n")
        if s:
            if not (_is_debris_line(s, lex) or (lex.label_re.match(s) and len(s) <= 60)):
                return
            lead = len(raw) - len(raw.lstrip(_WS + "\n"))
            st.spans.append((start + lead, start + lead + len(s)))
        pos = start


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Sorted, overlapping spans merged; spans separated only by whitespace merged too."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(x for x in spans if x[1] > x[0]):
        if out and (s <= out[-1][1] or not text[out[-1][1]:s].strip()):
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _best_title(titles: list[tuple[int, str, tuple[int, int]]]) -> str | None:
    """The first title line that names a document type (报告, 情况, 通知…), else the first one."""
    for _, t, _ in titles:
        if any(w in t for w in _TITLE_WORDS):
            return t
    return titles[0][1] if titles else None


def parse_header(text: str) -> tuple[Meta, list[tuple[int, int]]]:
    """Return the document's metadata and the spans (header fields, web debris) that are not content."""
    lex = _lexicon()
    st = _State()
    _scan_header(text, lex, st)
    header_end = max((e for _, e in st.spans), default=0)
    _scan_tail(text, lex, st, header_end)
    if lex.inline_re is not None:
        st.spans.extend(m.span() for m in lex.inline_re.finditer(text) if m.end() > m.start())
    meta = _meta(st)
    return meta, _merge(st.spans, text)


def _meta(st: _State) -> Meta:
    f = dict(st.fields)
    extra: dict[str, str] = {}
    for name, value in f.items():
        if name in ("publisher", "written_date", "publish_time", "delivered_date", "updated_time"):
            continue
        extra[name] = value
    written = parse_date(f["written_date"]) if "written_date" in f else None
    delivered = parse_date(f["delivered_date"]) if "delivered_date" in f else None
    published = parse_date(f["publish_time"], with_time=True) if "publish_time" in f else None
    if written:
        extra["written_date"] = written
    if delivered:
        extra["delivered_date"] = delivered
    if published:
        extra["publish_time"] = published
    if st.occasion:
        extra["occasion"] = st.occasion
    if st.speaker:
        extra["speaker"] = st.speaker
    if st.speaker_role:
        extra["speaker_role"] = st.speaker_role
    issuer = f.get("publisher")
    if not issuer and st.speaker:
        issuer = f"{st.speaker_role} {st.speaker}" if st.speaker_role else st.speaker
    date = written or delivered or (published[:10] if published else None)
    return Meta(title=_best_title(st.titles), issuer=issuer, date=date, **extra)


__all__ = ["parse_date", "parse_header"]
