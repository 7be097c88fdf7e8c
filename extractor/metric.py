"""Metric attribution: the shortest phrase that names what a figure measures.

The phrase is usually the subject right before the number or its verb (`规上工业总产值7071万元`), or the
noun after a count with nothing before it (`完成27家企业排污许可注册登记`); rates and completion shares
with no subject of their own take the metric of the figure they follow (`同比增长10%`, `完成122%`), and
a list subject distributed by 分别 gives one metric per figure (`城镇和农村居民…分别增长4.3%、5.5%`).

Shortest phrase: an action verb's object (`审议法律议案18件` → 法律议案) and the noun a count is followed by
when a predicate, a list of names or an attribute comes before (`设立超500亿元区域基金`). Which side of a
figure: a completion rate is the completed thing's, a difference the compared subject's (`增速高于全国`),
growth after a share the part's. A figure with no subject in its clause takes the one before the comma.
Two notes ride on a mention's `extras` for the figures after it: `subject` (the subject of a clause whose
metric is the counted object) and `part` (the part of a share); rates inherit those instead of the metric.
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
    r"^(?:\d{4}年(?:度)?|[一二三四五六七八九〇零]{4}年(?:度|底|末)?|\d{1,2}(?:[-—~至]\d{1,2})?月(?:份|底|末)?|上半年|下半年|前三季度|[一二三四]季度|截至\S{0,6}?(?:底|末)|[一二三四五六七八九十]{1,3}是|(?:首先|其次|再次|最后)是?)"
)
_MAX_LEN = 24
_AFTER_LEAD = regex.compile(r"^(?:[（(][^）)]{0,8}[）)]|的)")
_RATE_KINDS = ("percent", "multiple", "rank", "ratio")
_COMPARISON = regex.compile(r"^(?:比|较|同比|环比|与|高于|低于|快于|慢于)")
# a completion rate's cue: 完成/达/为 (or 占 for a plan) + a target of no content of its own + optional 的;
# what was completed is the subject before the cue, else the figure before (合同外资…，完成年度任务的120%)
_COMPLETION = regex.compile(
    r"(?:(?:超额)?完成了?|达到?了?|为|是|相当于)(?:全年|年度|年|本年|当年|同期|原定|既定|国家|上级下达的?|下达的?)?"
    r"(?:目标)?(?:计划|任务|目标|预算)(?:数|量)?的?$"
    r"|占(?:全年|年度|年|本年|原定|下达的?)?(?:目标)?(?:计划|任务|目标)(?:数|量)?的?$"
)
# a short parenthetical inside a name (县（市、区）) is part of it; a longer one is a remark and is dropped
_PAREN = regex.compile(r"[（(]([^（()）]{0,12})[）)]")
_NAME_PAREN_MAX = 4
_NOUN_NEXT = regex.compile(r"的?[\p{Han}“《A-Za-z]")
_NEW_LEVEL = regex.compile(r"[到至为]\s*$")  # 审批时间压缩到【120个】工作日: the figure is the new level
# 从全国第13位升至第5位, 居全省第2位: the ranking's frame is no part of the metric
# 小学学生已经从1949年的【二千四百多万人】, 进出口总值五年累计…: a period after the name
_PERIOD_TRAIL = regex.compile(
    r"(?:从|由|到|在|于)?(?:[0-9０-９]{4}|[一二三四五六七八九〇零○]{4})年(?:底|末|度)?的?$"
    r"|(?<=\p{Han}{2})(?<![前上个第十一二三四五六七八九两])(?:连续|近|过去)?[一二三四五六七八九十两]年(?:来|内|间|中)?$")
_SHARE_OF = regex.compile(r"^(\p{Han}{2,}?)(?<!所)占")
_GROWTH = regex.compile(r"^[^到至为]*(?:增长|增加|下降|减少|提高|降低)[^到至为]*$")  # not 下降到
_RANK_FRAME = regex.compile(r"(?:从|由|居|列|位居|位列|跃居)(?:全国|全省|全市|全区|全球|世界)(?:的)?$")
# 规上民营工业增加值增速高于全部规上工业【2.3个百分点】: the metric is the side before the comparison (but
# 超过重工业每年平均增长【3.4%】 is the compared side's own rate)
_COMPARED = regex.compile(r"(?:高于|低于|快于|慢于|领先|落后于|超过|超出)[^，。；增降长率速的]{1,12}$")
_REMARK = ("包括", "不包括", "含", "不含", "按", "折", "注", "下同")
_QUOTED_LEAD = regex.compile(r"^(?:“[^”]{1,12}”|《[^》]{1,20}》)")
_NAME_CHAR = regex.compile(r"[\p{Han}A-Za-z0-9”\"》]")


_ROLES = ("lead", "trail", "generic", "measure", "person", "object_verb")


@cache
def _words() -> dict[str, list[str]]:
    roles: dict[str, list[str]] = {r: [] for r in _ROLES}
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


@cache
def _affix_ends() -> tuple[frozenset[str], frozenset[str]]:
    """The first characters of lead words and the last of trail words: most phrases have neither."""
    words = _words()
    return frozenset(w[0] for w in words["lead"]), frozenset(w[-1] for w in words["trail"])


@lru_cache(maxsize=4096)
def _strip(phrase: str) -> str:
    """Drop leading connectives, period words and light verbs, and trailing verbs, repeatedly. Cached:
    a figure's phrase is stripped three or four times on its way through `_metric_of`."""
    lead, trail = _affixes()
    lead_firsts, trail_lasts = _affix_ends()
    changed = True
    while changed and phrase:
        changed = False
        phrase = phrase.strip(" \t\u3000、，,的")
        m = _PERIOD_LEAD.match(phrase)
        if m:  # a period alone (一九八○年上升) names nothing
            phrase = phrase[m.end():]
            changed = True
        m = _RANK_FRAME.search(phrase) or _PERIOD_TRAIL.search(phrase)
        if m and m.start() > 0:
            phrase = phrase[: m.start()]
            changed = True
        for n, ws in lead.items() if phrase[:1] in lead_firsts else ():
            head = phrase[:n]
            if len(phrase) >= n and head in ws and (n > 1 or _first_token(phrase) == head):
                phrase = phrase[n:]
                changed = True
                break
        for n, ws in trail.items() if phrase[-1:] in trail_lasts else ():
            tail = phrase[-n:]
            if len(phrase) >= n and tail in ws and (n > 1 or not _ends_in_name(phrase)):
                phrase = phrase[:-n]
                changed = True
                break
    return phrase


def _ends_in_name(phrase: str) -> bool:
    """`发展纲要`: the last character belongs to a noun (纲要), so it is no trailing verb (要); `占比达`
    (jieba: 比达, a person's name) and `产值达` end in one."""
    word, flag = _pos(phrase[-6:])[-1]
    return len(word) > 1 and flag in _NAME_TAGS


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
    while k < len(toks) - 1 and toks[k][1] in _VERB and toks[k][0] != "占" and not _joins(toks[k + 1]):
        rest = "".join(w for w, _ in toks[k + 1:])
        if len(rest) < 3:
            break
        k += 1
    return "".join(w for w, _ in toks[k:])


def _joins(tok: tuple[str, str]) -> bool:
    """A conjunction or list comma after a verb joins it to the next verb (新建和续建, 新建、改扩建)."""
    return tok[1] == "c" or tok[0] == "、"


@lru_cache(maxsize=65536)
def _pos(phrase: str) -> tuple[tuple[str, str], ...]:
    """Words and POS tags of a short phrase (dictionary only: the HMM guesser costs 10x and adds little)."""
    return wordseg.pos_tags(phrase)


_VERB = frozenset({"v", "vd", "vi", "vq"})
_NAME_TAGS = frozenset({"n", "nz", "ng", "nt", "ns", "vn", "l", "j", "t"})
_NOUNISH = frozenset({"n", "nz", "nt", "ns", "nr", "ng", "nrt", "j", "vn", "an", "l", "b", "eng"})
_NOUN_HEAD = frozenset({"n", "nz", "nt", "ng", "nr", "j", "l", "eng"})
_CONJ_WORDS = frozenset({"和", "与", "及", "以及"})
_STOP_AFTER = frozenset({"v", "vd", "p", "d", "ad", "c", "u", "uj", "ul", "uz", "ud", "ug", "uv", "r", "t",
                         "f", "y"})


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
    if "在" in phrase[2:]:  # a place or time after the name (…基金在大湾区), not 在校学生
        pos = 0
        for word, _ in _pos(phrase):
            if word == "在" and pos >= 2:
                phrase = phrase[:pos]
                break
            pos += len(word)
    cops = [c.end() for c in _COPULA.finditer(phrase)]
    if cops and len(phrase) - cops[-1] >= 2:
        phrase = phrase[cops[-1]:]
    if "、" in phrase:
        last = phrase.rsplit("、", 1)[1]
        if len(last) > 8:
            phrase = last
    phrase = _strip(_drop_lead_verbs(phrase))
    if "、" not in phrase:
        phrase = _object(phrase)
    while len(phrase) > 12 and "、" not in phrase:
        pos = 0
        cut = 0
        for word, flag in _pos(phrase):
            pos += len(word)
            if flag in _VERB and len(phrase) - pos >= 3 and "占" not in (word, phrase[pos:pos + 1]):
                cut = pos
                break
        if not cut:
            break
        phrase = phrase[cut:]
    return phrase


def _after_phrase(text: str, m: Mention, limit: int) -> str:
    """The noun phrase right after a figure (`27家企业排污许可注册登记`, `17种抗癌药大幅降价`).

    Conjoined nouns stay together (`1023项供需对接和投融资项目签约`), a short parenthetical ends the name
    (`57个县（市）`), and a bare head noun keeps the predicate that says what was counted
    when the figure counts people (`9位科学家增选为两院院士`, `60名残疾人申领残疾证`).
    """
    end = min(len(text), m.end + _MAX_LEN, limit)
    seg = _AFTER_LEAD.sub("", text[m.end:end])
    stop = _AFTER_STOP.search(seg)
    first = _pos(seg[: stop.start()])[0] if stop and stop[0] == "的" and stop.start() else ("", "")
    if first[1] in _VERB and len(first[0]) > 1 and not text.startswith("的", m.end):
        # 3000余名符合条件的残疾人: a clause before 的 describes the counted noun after it
        seg = seg[stop.end():]
        stop = _AFTER_STOP.search(seg)
    paren = ""
    if stop:
        inner = _PAREN.match(seg, stop.start())
        if inner and stop.start() and _is_name_paren(inner[1]):
            paren = inner[0]
        seg = seg[: stop.start()]
    out = ""
    quoted = _QUOTED_LEAD.match(seg)
    if quoted:  # a quoted name is one word (`两个“五星达标”创建村`)
        out, seg = quoted[0], seg[quoted.end():]
    toks = _pos(seg)
    k = 0
    while k < len(toks):
        word, flag = toks[k]
        if word in _CONJ_WORDS and out and k + 1 < len(toks) and toks[k + 1][1] in _NOUNISH:
            out += word
            k += 1
            continue
        if flag in ("p", "c", "uj", "ul", "y") or (flag == "m" and _ARABIC.match(word)):
            break
        if flag in _STOP_AFTER and len(out) >= 3:
            if flag in _VERB and len(out) <= 3 and m.unit in _words()["person"]:
                out += _predicate_object(toks[k:])
            break
        out += word
        k += 1
    if paren and out.endswith(seg):
        out += paren
    return _strip(out)


def _predicate_object(toks: tuple[tuple[str, str], ...]) -> str:
    """`增选为两院院士`, `申领残疾证`: a verb with the noun object that ends the clause, else nothing."""
    out = toks[0][0]
    k = 1
    if k < len(toks) and toks[k][0] in ("为", "成"):
        out += toks[k][0]
        k += 1
    obj = ""
    while k < len(toks) and toks[k][1] in _NOUNISH:
        obj += toks[k][0]
        k += 1
    return out + obj if obj and k == len(toks) else ""


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
        stops = _through_parens(text, segments.clause_stops(lo, m.start), lo)
        raw = _PAREN.sub(_keep_name_paren, text[stops[-1] if stops else lo:m.start])
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
        metric = _metric_of(text, mentions, i, raw, prev if same_sentence else None, words)
        if not metric and not same_sentence and stops and text[stops[-1] - 1] in "，,":
            # 现代工业所占的比重，已由一九四九年的【百分之十七】: the subject before the comma
            metric = _core(_strip(text[stops[-2] if len(stops) > 1 else lo:stops[-1] - 1]))[:_MAX_LEN]
        m.metric = metric or None
        share = _SHARE_OF.match(metric or "")
        if share:
            m.extras["part"] = share[1]
        prev = m
        i += 1


def _through_parens(text: str, stops: list[int], lo: int) -> list[int]:
    """Clause stops with those of a parenthetical inside the subject removed (县（市、区）国企增至260家)."""
    while stops and text[stops[-1] - 1] in "）)":
        close = stops[-1] - 1
        opened = max(text.rfind("（", lo, close), text.rfind("(", lo, close))
        if opened <= lo or close - opened > 14 or not _NAME_CHAR.match(text[opened - 1]):
            break
        stops = [s for s in stops if s <= opened]
    return stops


def _keep_name_paren(m: regex.Match[str]) -> str:
    return m[0] if _is_name_paren(m[1]) else ""


def _is_name_paren(inner: str) -> bool:
    """`（市、区）`, `（GDP）` belong to a name; `（包括村办工业）`, `（折纯）` are remarks on it."""
    return len(inner) <= _NAME_PAREN_MAX and not inner.startswith(_REMARK)


def _metric_of(text: str, mentions: list[Mention], i: int, raw: str, prev: Mention | None,
               words: dict[str, list[str]]) -> str:
    m = mentions[i]
    inherit = prev.metric if prev is not None and prev.metric else ""
    if m.kind in _RATE_KINDS and prev is not None:
        # a rate is the subject's, not the counted object's (地区生产总值连跨两个万亿元台阶，年均增长5.7%);
        # growth after a share is the part's (工商税收…占本年收入的33.53%，比1955年增长14.26%), a new level
        # or a change in points the share's (…比重由37.2%下降到32%, 提高0.5个百分点)
        inherit = prev.extras.get("subject", inherit)
        if "part" in prev.extras and m.unit != "个百分点" and _GROWTH.search(raw):
            inherit = prev.extras["part"]
    if _COMPARISON.match(raw):
        return inherit
    compared = _COMPARED.search(raw) if m.kind in _RATE_KINDS else None
    if compared:
        subject = _strip(raw[: compared.start()])
        raw = "" if not subject or _is_verb_only(subject) else raw[: compared.start()]
    if m.kind in _RATE_KINDS:
        cue = _COMPLETION.search(raw)
        if cue is not None:
            # 完成全年目标任务的68.1% → the previous figure's metric; 原煤完成99.8% → 原煤
            subject = _strip(raw[: cue.start()])
            if subject and not _is_verb_only(subject):
                return _core(subject)[:_MAX_LEN]
            return inherit
    if m.kind == "ratio" and prev is not None and prev.kind == "ratio" and text[prev.end:m.start] in ":：":
        return inherit
    if _strip(raw).startswith("占") and inherit:
        return (inherit + _strip(raw))[:_MAX_LEN]
    phrase = _strip(_LEAD_PREP.sub("", _strip(raw)))
    predicate = ""
    look_after = raw.rstrip().endswith(_PREP_END + _CONJ_END)
    if "、" in phrase and _is_verb_only(phrase.rsplit("、", 1)[1]):
        look_after = True
    if phrase and not look_after and m.kind not in _RATE_KINDS:
        counted = _counted_after(text, mentions, i, phrase, raw)
        if counted:
            return counted[:_MAX_LEN]
    if phrase and not look_after:
        if phrase in words["generic"] and inherit:
            return (inherit + phrase)[:_MAX_LEN]
        if _is_verb_only(phrase):
            predicate, phrase = phrase, ""
        elif _is_places(phrase):
            phrase = ""
    core = _core(phrase) if phrase and not look_after else ""
    if core:
        return core[:_MAX_LEN]
    adjacent = prev is not None and text[prev.end:m.start] == ""
    if inherit and (m.kind in _RATE_KINDS or adjacent):
        return inherit
    limit = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
    after = _after_phrase(text, m, limit)
    return (after or predicate or inherit)[:_MAX_LEN]


def _counted_after(text: str, mentions: list[Mention], i: int, phrase: str, raw: str) -> str:
    """The noun after a figure names what it counts when the words before are no subject of their own:
    a predicate (`高交会促成1023项供需对接…`, `在大湾区设立超500亿元区域基金`), a list of names
    (`兼溪、上周坞两个“五星达标”创建村`), or an attribute of that noun (`总规模1000亿元的…投资引导基金`)."""
    m = mentions[i]
    if not _NOUN_NEXT.match(text, m.end):  # nothing follows the figure that could be a noun
        return ""
    names = _is_name_list(phrase)
    attribute = "" if names or text[m.end:m.end + 1] != "的" else _strip(_drop_lead_verbs(phrase))
    if len(attribute) > 3 or not attribute.endswith(tuple(_words()["measure"])):
        attribute = ""
    if not (attribute or names or (_ends_in_verb(phrase) and not _NEW_LEVEL.search(raw))):
        return ""
    limit = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
    after = _after_phrase(text, m, limit)
    if len(after) < 2 or not (names or _starts_noun(_pos(after))):
        return ""
    if not (attribute or names):
        subject = _strip(phrase[: -len(_pos(phrase)[-1][0])])
        if len(subject) >= 2 and _pos(subject)[-1][1] in _NOUN_HEAD:
            m.extras["subject"] = _core(subject)
    return _core(after) + attribute if attribute else after


def _ends_in_verb(phrase: str) -> bool:
    toks = _pos(phrase)
    return len(toks) > 1 and toks[-1][1] == "v"


def _is_name_list(phrase: str) -> bool:
    """`廊下、兼溪`, `书院路-浬闹线、浬水路-浬闹线`: short names listed (not deeds: 巩固、增强、提升)."""
    items = phrase.split("、")
    return len(items) > 1 and all(0 < len(x) <= 8 and not _is_verb_only(x) for x in items)


@cache
def _object_verbs() -> frozenset[str]:
    return frozenset(_words()["object_verb"])


def _starts_noun(toks: tuple[tuple[str, str], ...]) -> bool:
    word, flag = toks[0]
    return flag in _NOUNISH or word in ("“", "《", "\"")


def _object(phrase: str) -> str:
    """The object of the last action verb when it is a noun phrase of three characters or more, else the
    phrase: `全国人大常委会审议法律议案` → `法律议案`, `省市县选派科技副总` → `科技副总`. Only the verbs
    listed as `object_verb` count: most verbs inside a report's noun phrases modify the noun
    (科技创新平台, 乡村振兴示范村, 经济增长预期目标), and a verb before 的 does too (增加的年产能力)."""
    toks = _pos(phrase)
    verbs = _object_verbs()
    pos = cut = depth = 0
    for k, (word, flag) in enumerate(toks[:-1]):
        pos += len(word)
        depth += (word in "（(“《") - (word in "）)”》")
        if flag == "p":  # 服务业对经济增长贡献率: a verb inside a prepositional phrase has no object
            return phrase
        if word in verbs and not depth:
            cut = pos if _starts_noun(toks[k + 1:]) else cut
    if cut and len(phrase) - cut >= 3 and toks[-1][1] in _NOUN_HEAD:
        return phrase[cut:]
    return phrase


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
