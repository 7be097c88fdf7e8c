"""Metric attribution: the shortest phrase that names what a figure measures.

The phrase is usually the subject right before the number or its verb (`规上工业总产值7071万元`), or the
noun after a count with nothing before it (`完成27家企业排污许可注册登记`); rates and completion shares
with no subject of their own take the metric of the figure they follow (`同比增长10%`, `完成122%`), and
a list subject distributed by 分别 gives one metric per figure (`城镇和农村居民…分别增长4.3%、5.5%`).
"""

from __future__ import annotations

from functools import cache, lru_cache

import regex

from . import lexicon, wordseg
from .document import Document, as_document
from .quantities import Mention

_AFTER_STOP = regex.compile(r"[。！？；!?;，,、：:（(）)\n]|的")
_ARABIC = regex.compile(r"[0-9０-９]")
_PERIOD_LEAD = regex.compile(
    r"^(?:\d{4}年(?:度)?|[一二三四五六七八九〇零]{4}年(?:度|底|末)?|\d{1,2}(?:[-—~至]\d{1,2})?月(?:份|底|末)?|上半年|下半年|前三季度|[一二三四]季度|截至\S{0,6}?(?:底|末))"
)
_MAX_LEN = 24
_AFTER_LEAD = regex.compile(r"^(?:[（(][^）)]{0,8}[）)]|的)")
_RATE_KINDS = ("percent", "multiple", "rank", "ratio")
_COMPARISON = regex.compile(r"^(?:比|较|同比|环比|与|高于|低于|快于|慢于)")


@cache
def _words() -> dict[str, list[str]]:
    roles: dict[str, list[str]] = {"lead": [], "trail": [], "generic": [], "completion": []}
    for row in lexicon.table("metric_words.tsv"):
        roles[row[1]].append(row[0])
    for k in roles:
        roles[k].sort(key=len, reverse=True)
    return roles


@cache
def _affixes() -> tuple[dict[int, frozenset[str]], dict[int, frozenset[str]]]:
    """Lead and trail words grouped by length, longest first, for O(#lengths) affix tests."""
    words = _words()
    out = []
    for role in ("lead", "trail"):
        by_len: dict[int, set[str]] = {}
        for w in words[role]:
            by_len.setdefault(len(w), set()).add(w)
        out.append({n: frozenset(by_len[n]) for n in sorted(by_len, reverse=True)})
    return out[0], out[1]


def _strip(phrase: str) -> str:
    """Drop leading connectives, period words and light verbs, and trailing verbs, repeatedly."""
    lead, trail = _affixes()
    changed = True
    while changed and phrase:
        changed = False
        phrase = phrase.strip(" \t\u3000、，,的")
        m = _PERIOD_LEAD.match(phrase)
        if m and m.end() < len(phrase):
            phrase = phrase[m.end():]
            changed = True
        for n, ws in lead.items():
            head = phrase[:n]
            if len(phrase) >= n and head in ws and (n > 1 or _first_token(phrase) == head):
                phrase = phrase[n:]
                changed = True
                break
        for n, ws in trail.items():
            if len(phrase) >= n and phrase[-n:] in ws:
                phrase = phrase[:-n]
                changed = True
                break
    return phrase


def _first_token(phrase: str) -> str:
    toks = wordseg.cut(phrase[:6])
    return toks[0] if toks else ""


def _drop_lead_verbs(phrase: str) -> str:
    """`摸排上报企业各类人才缺口` → `企业各类人才缺口`; `为企业和个人减税降费` → `减税降费`."""
    toks = _pos(phrase)
    if toks and toks[0][1] == "p":
        k = 1
        while k < len(toks) and toks[k][1] in ("n", "nr", "ns", "nt", "nz", "c", "r", "x"):
            k += 1
        rest = "".join(w for w, _ in toks[k:])
        if len(rest) >= 2:
            return rest
    k = 0
    while k < len(toks) - 1 and toks[k][1] in _VERB and toks[k][0] != "占":
        rest = "".join(w for w, _ in toks[k + 1:])
        if len(rest) < 3:
            break
        k += 1
    return "".join(w for w, _ in toks[k:])


@lru_cache(maxsize=65536)
def _pos(phrase: str) -> tuple[tuple[str, str], ...]:
    """Words and POS tags of a short phrase (dictionary only: the HMM guesser costs 10x and adds little)."""
    return wordseg.pos_tags(phrase)


_VERB = frozenset({"v", "vd", "vi", "vq"})
_STOP_AFTER = frozenset({"v", "vd", "p", "d", "c", "u", "uj", "ul", "uz", "ud", "ug", "uv", "r", "t", "f",
                         "y"})


_PREDICATE = frozenset({"v", "vn", "vd", "vi", "a", "ad", "d", "p", "c", "f", "r", "t", "i"})
_PLACE = frozenset({"ns", "nr", "nrt", "x", "c"})
_PREP_END = ("对", "向", "给", "把", "将", "被", "让")
_CONJ_END = ("和", "与", "及", "以及", "、", "等")
_COPULA = regex.compile(r"(?:成为|作为|列为|评为)")
_LEAD_PREP = regex.compile(r"^在[^，,。]{1,12}?(?:内|中|上|里|期间|方面|之际)")


def _is_verb_only(phrase: str) -> bool:
    """`新增`, `成功应对`, `启动建设`: a short predicate with no subject names no metric of its own."""
    if len(phrase) > 8:
        return False
    toks = _pos(phrase)
    return bool(toks) and all(f in _PREDICATE for _, f in toks)


def _is_places(phrase: str) -> bool:
    """`廊下、兼溪`: where something happened, not what was measured."""
    toks = _pos(phrase)
    names = [w for w, f in toks if f != "x" and f != "c"]
    return len(names) >= 2 and all(f in _PLACE for _, f in toks)


def _core(phrase: str) -> str:
    """Trim a long subject to its core (`请全国人大常委会审议法律议案` → `法律议案`); lists stay whole."""
    if "在" in phrase[2:]:
        phrase = phrase[: phrase.index("在", 2)]
    cops = [c.end() for c in _COPULA.finditer(phrase)]
    if cops and len(phrase) - cops[-1] >= 2:
        phrase = phrase[cops[-1]:]
    if "、" in phrase:
        last = phrase.rsplit("、", 1)[1]
        if len(last) > 8:
            phrase = last
    phrase = _strip(_drop_lead_verbs(phrase))
    while len(phrase) > 12 and "、" not in phrase:
        pos = 0
        cut = 0
        for word, flag in _pos(phrase):
            pos += len(word)
            if flag in _VERB and len(phrase) - pos >= 2 and "占" not in (word, phrase[pos:pos + 1]):
                cut = pos
                break
        if not cut:
            break
        phrase = phrase[cut:]
    return phrase


def _after_phrase(text: str, m: Mention, limit: int) -> str:
    """The noun phrase right after a figure (`27家企业排污许可注册登记`, `17种抗癌药大幅降价`)."""
    end = min(len(text), m.end + _MAX_LEN, limit)
    seg = _AFTER_LEAD.sub("", text[m.end:end])
    stop = _AFTER_STOP.search(seg)
    if stop:
        seg = seg[: stop.start()]
    out = ""
    for word, flag in _pos(seg):
        if flag in ("p", "c", "uj", "ul", "y") or (flag == "m" and _ARABIC.match(word)):
            break
        if flag in _STOP_AFTER and len(out) >= 3:
            break
        out += word
    return _strip(out)


def _distribute(subject: str, n: int) -> list[str] | None:
    """`城镇和农村居民人均可支配收入` + 2 figures → the two full metric names."""
    parts: list[str] = [""]
    for word, flag in _pos(subject):
        if word in ("和", "与", "及", "以及", "、", "，") and (flag in ("c", "x", "p") or word == "、"):
            parts.append("")
        else:
            parts[-1] += word
    parts = [p for p in parts if p]
    if len(parts) != n or n < 2:
        return None
    last = parts[-1]
    # the shared tail follows a head as long as the other items (城镇/农村 + 居民人均可支配收入) …
    width = len(parts[0])
    tail = ""
    if all(len(p) == width for p in parts[:-1]) and len(last) > width + 1 and width <= 4:
        tail = last[width:]
    else:  # … or is the last item's last word (工业、制造业和工业技改 + 投资)
        words = [w for w, _ in _pos(last)]
        if (len(words) > 1 and all(len(p) <= 4 for p in parts[:-1])
                and not any(p.endswith(words[-1]) for p in parts[:-1])):
            tail = words[-1]
    return [p + tail if i < n - 1 else p for i, p in enumerate(parts)]


def attach_metrics(doc: Document | str, mentions: list[Mention]) -> None:
    """Set `metric` on every mention, in text order (a figure may inherit its predecessor's metric)."""
    doc = as_document(doc)
    text, segments = doc.text, doc.segments
    words = _words()
    prev: Mention | None = None
    i = 0
    while i < len(mentions):
        m = mentions[i]
        lo = max(prev.end if prev else 0, m.start - 80)
        stops = segments.clause_stops(lo, m.start)
        raw = text[stops[-1] if stops else lo:m.start]
        if stops and text[stops[-1] - 1] in ":：" and not _strip(raw):
            # a label before a colon names the figures after it (钢：从一百三十五万吨增加到…)
            raw = text[stops[-2] if len(stops) > 1 else lo:stops[-1] - 1]
        same_sentence = prev is not None and segments.same_sentence(prev.end, m.start)
        group = _list_group(text, mentions, i)
        if len(group) > 1 and "分别" in raw:
            names = _distribute(_strip(raw.split("分别")[0]), len(group))
            if names:
                for g, name in zip(group, names, strict=True):
                    g.metric = name
                prev = group[-1]
                i += len(group)
                continue
        m.metric = _metric_of(text, mentions, i, raw, prev if same_sentence else None, words) or None
        prev = m
        i += 1


def _metric_of(text: str, mentions: list[Mention], i: int, raw: str, prev: Mention | None,
               words: dict[str, list[str]]) -> str:
    m = mentions[i]
    inherit = prev.metric if prev is not None and prev.metric else ""
    if _COMPARISON.match(raw):
        return inherit
    if m.kind in _RATE_KINDS:
        cue = next((w for w in words["completion"] if raw.endswith(w)), None)
        if cue is not None:
            # 完成全年目标任务的68.1% → the previous figure's metric; 原煤完成99.8% → 原煤
            subject = _strip(raw[: -len(cue)])
            return _core(subject)[:_MAX_LEN] if subject else inherit
    if m.kind == "ratio" and prev is not None and prev.kind == "ratio" and text[prev.end:m.start] in ":：":
        return inherit
    if _strip(raw).startswith("占") and inherit:
        return (inherit + _strip(raw))[:_MAX_LEN]
    phrase = _strip(_LEAD_PREP.sub("", _strip(raw)))
    predicate = ""
    look_after = raw.rstrip().endswith(_PREP_END + _CONJ_END)
    if "、" in phrase and _is_verb_only(phrase.rsplit("、", 1)[1]):
        look_after = True
    if phrase and not look_after:
        if phrase in words["generic"] and inherit:
            return (inherit + phrase)[:_MAX_LEN]
        if _is_verb_only(phrase):
            predicate, phrase = phrase, ""
        elif _is_places(phrase):
            phrase = ""
    if phrase and not look_after:
        return _core(phrase)[:_MAX_LEN]
    adjacent = prev is not None and text[prev.end:m.start] == ""
    if inherit and (m.kind in _RATE_KINDS or adjacent):
        return inherit
    limit = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
    after = _after_phrase(text, m, limit)
    return (after or predicate or inherit)[:_MAX_LEN]


def _list_group(text: str, mentions: list[Mention], i: int) -> list[Mention]:
    """The figures of a 、-separated list starting at mention i (17.7%、17.4%、68%)."""
    group = [mentions[i]]
    j = i + 1
    while j < len(mentions) and text[mentions[j - 1].end:mentions[j].start] in ("、", "，", ",", "和", "及"):
        if mentions[j].unit != mentions[i].unit:
            break
        group.append(mentions[j])
        j += 1
    return group
