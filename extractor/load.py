"""Reading documents from disk: bytes -> text, with clear per-file errors.

Detection is by strict decoding, never by guessing: a BOM decides; otherwise strict UTF-8; otherwise
UTF-16 when the NUL pattern says so; otherwise GB18030, accepted only when the result reads as Chinese
(GB18030 maps almost any byte string to *some* characters, so a successful decode proves nothing).
Anything else is a DocumentError that names the file and the problem. Offsets downstream index the
decoded text, so the only change made to it is removing a leading BOM.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# Leading bytes of common binary formats, to say what the file is instead of "cannot decode".
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (e.g. .docx/.xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE document (e.g. .doc/.xls)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
)

# C0 controls that never occur in plain text (TAB, LF, VT, FF, CR and ESC/SUB are tolerated).
_BAD_CONTROLS = frozenset(chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1A, 0x1B))
_BAD_CONTROL_RE = re.compile("[" + re.escape("".join(sorted(_BAD_CONTROLS))) + "]")
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_NOT_BLANK = re.compile("[^\\s" + _ZERO_WIDTH + "]")
_CN_PUNCT = frozenset("，。、；：？！“”‘’（）《》【】—…·")
_ASCII_RUN = re.compile("[\x00-\x7f]+")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")
_SPACED = re.compile(" (?<=[^\x00-\x7f] )(?=[^\x00-\x7f])")  # the literal first: the engine skips to it
_CJK_OR_FULLWIDTH = re.compile(
    "[\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U0003134f\uf900-\ufaff\uff00-\uffef"
    + re.escape("".join(sorted(_CN_PUNCT))) + "]"
)
_SAMPLE_CHARS = 200_000  # plausibility is judged on a prefix: enough for any real document's style


class DocumentError(Exception):
    """A document that cannot be read; the message names the file and the problem."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


def _looks_chinese(text: str) -> bool:
    """Does a GB18030 (or BOM-less UTF-16) decode read as Chinese text rather than mojibake?

    Real Chinese text: no private-use characters (GBK's user-defined areas), Chinese punctuation
    (`，。`) once there is a sentence or more, words not separated by spaces, and nearly all non-ASCII
    characters in GB2312 (the common set) - or, for traditional or rare-character text, nearly all
    CJK with frequent Chinese punctuation. Latin-1 or Big5 bytes read as GB18030 give rare extension
    characters and PUA code points; EUC-KR bytes give GB2312 characters but with ASCII spaces and
    ASCII punctuation between the "words".
    """
    sample = text[:_SAMPLE_CHARS]
    non_ascii = _ASCII_RUN.sub("", sample)
    n = len(non_ascii)
    if not n:
        return False  # pure ASCII would have decoded as UTF-8
    if _PRIVATE_USE.search(non_ascii):
        return False
    punct = sum(non_ascii.count(c) for c in _CN_PUNCT)
    if n >= 50 and not punct:
        return False
    if len(_SPACED.findall(sample)) > 0.05 * n:
        return False
    common = n - non_ascii.encode("gb2312", errors="replace").count(b"?")
    if common >= 0.9 * n:
        return True
    cjk = len(_CJK_OR_FULLWIDTH.findall(non_ascii))
    return n >= 10 and cjk >= 0.95 * n and punct >= 0.02 * n


def _control_problem(text: str) -> str | None:
    """Name the problem when decoded text carries controls that plain text never has."""
    if "\x00" in text:
        return "contains NUL characters: binary data, not a text document"
    bad = len(_BAD_CONTROL_RE.findall(text))
    if bad and bad > len(text) // 1000:
        return f"contains {bad} control characters: binary data, not a text document"
    return None


def _utf16_candidates(data: bytes) -> list[tuple[str, bool]]:
    """UTF-16 byte orders worth trying, most likely first, each with "the NUL pattern is conclusive".

    ASCII in UTF-16 puts a NUL in every other byte: on odd offsets for little-endian, even offsets for
    big-endian. Pure-CJK UTF-16 has few NULs, so then plausibility decides.
    """
    if len(data) % 2:
        return []
    sample = data[:65536]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    pairs = len(sample) // 2
    le = ("utf-16-le", odd >= 0.05 * pairs and even <= 0.1 * odd)
    be = ("utf-16-be", even >= 0.05 * pairs and odd <= 0.1 * even)
    return [le, be] if odd >= even else [be, le]


def _decode_utf16(data: bytes) -> tuple[str, str] | None:
    for enc, conclusive in _utf16_candidates(data):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _control_problem(text) is None and (conclusive or _looks_chinese(text)):
            return text, enc
    return None


def _check_text(text: str, source: str, encoding: str) -> str:
    problem = _control_problem(text)
    if problem:
        raise DocumentError(source, f"{problem} (decoded as {encoding})")
    if not _NOT_BLANK.search(text):
        raise DocumentError(source, "empty document (no text besides whitespace)")
    return text


def decode_bytes(data: bytes, source: str = "<bytes>") -> str:
    """Decode a document's bytes (UTF-8, UTF-8 BOM, UTF-16, GB18030); BOM removed."""
    if not data.strip(b" \t\r\n\x0b\x0c"):
        raise DocumentError(source, "empty document" + (" (only whitespace)" if data else ""))
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(enc)
            except UnicodeDecodeError as exc:
                name = enc.upper()
                raise DocumentError(source, f"has a {name} byte-order mark but is not valid {name}"
                                            f" (bad bytes at offset {exc.start + len(bom)})") from exc
            return _check_text(text, source, enc)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DocumentError(source, f"is {what}, not a plain-text document")
    if b"\x00" in data:  # plain text never has NULs; UTF-16 without a BOM has them on one parity
        found = _decode_utf16(data)
        if found:
            return _check_text(found[0], source, found[1])
        raise DocumentError(source, "contains NUL bytes: binary data, not a text document")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        return _check_text(text, source, "utf-8")
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if _control_problem(text) is None and _looks_chinese(text):
            return _check_text(text, source, "gb18030")
    found = _decode_utf16(data)
    if found:
        return _check_text(found[0], source, found[1])
    if _control_problem(data.decode("latin-1")):
        raise DocumentError(source, "contains control bytes: binary data, not a text document")
    raise DocumentError(
        source,
        f"not valid UTF-8 (bad byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}) and not "
        "recognisably GB18030/GBK or UTF-16 Chinese text; re-save it as UTF-8",
    )


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _not_regular(st: os.stat_result) -> str | None:
    if stat.S_ISREG(st.st_mode):
        return None
    what = next((name for test, name in _KINDS if test(st.st_mode)), "not a regular file")
    return f"is {what}, not a regular file: refused"


def open_regular(path: str | Path) -> BinaryIO:
    """Open a file for reading only if it is a regular file: FIFOs, devices and sockets are refused by
    `stat` before opening (reading them could block forever or never end), and checked again on the open
    file, so that a file swapped in between is refused too. Failures are DocumentErrors naming the file."""
    source = str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError as exc:
        raise DocumentError(source, "no such file") from exc
    except OSError as exc:
        raise DocumentError(source, f"cannot read: {exc.strerror or exc}") from exc
    problem = _not_regular(st)
    if problem:
        raise DocumentError(source, problem)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise DocumentError(source, f"cannot read: {exc.strerror or exc}") from exc
    problem = _not_regular(os.fstat(fd))
    if problem:
        os.close(fd)
        raise DocumentError(source, problem)
    return os.fdopen(fd, "rb")


def read_text(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read and decode one document file; every failure is a DocumentError naming the file."""
    return decode_bytes(read_bytes(path, max_bytes=max_bytes), str(path))


def read_bytes(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """One regular file's bytes (any format), refusing other files and files over the limit."""
    source = str(path)
    with open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > max_bytes:
            raise DocumentError(source, f"too large: {size} bytes (limit {max_bytes})")
        try:
            data = fh.read(max_bytes + 1)
        except OSError as exc:
            raise DocumentError(source, f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:  # grew while being read
        raise DocumentError(source, f"too large: more than {max_bytes} bytes")
    return data


__all__ = ["DEFAULT_MAX_BYTES", "DocumentError", "decode_bytes", "open_regular", "read_bytes", "read_text"]
