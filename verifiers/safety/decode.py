"""Undo the obfuscations an attacker (or a leaking model) uses, so checks see the plain text.

Why: a canary check that only looks for the literal string is beaten by the first reply that
writes it in base64, backwards, in leetspeak, spaced out, with zero-width joiners or in Cyrillic
look-alikes. `decode_candidates` returns the text plus every plausible decoding of it; a checker
then searches all of them. The decodings are cheap, linear passes (plus a bounded number of
token decodings), so the time on a 10 MB reply is bounded; nothing is ever evaluated.

What is undone: Unicode compatibility forms (NFKC: full-width, mathematical and circled
letters), invisible format characters (zero-width spaces/joiners, soft hyphens, bidi marks),
"ASCII smuggling" in Unicode tag characters, common Cyrillic/Greek look-alikes, ROT13, reversal,
leetspeak digits, letters spaced out one by one, spelled-out digits, and base64 / base32 / hex
encodings of long tokens (also when split over lines), recursively to `depth` levels.

Spelling a secret out is the other way to leak it past a string test, so `spell_out` gives one
more candidate: NATO alphabet words ("Mike Juliett X-ray") become letters, digit words become
digits, and runs of single characters are joined ("M J X dash 9 5 6 7" → "MJX dash 9567").
Morse code, URL-encoding (%4D%4A) and emoji letters (regional-indicator flags, keycap digits,
negative squared letters) are decoded too.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata

MAX_TOKENS = 64
"""Encoded-looking tokens decoded per text and level (the longest first): bounds the work on junk."""
MAX_TOKEN_CHARS = 200_000
MAX_CANDIDATES = 256
MAX_SCAN_CHARS = 1_000_000
"""Decodings read at most this many characters of a text (bounded time on a 10 MB reply)."""

_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f]"
)
_TAGS = re.compile("[\U000e0020-\U000e007e]+")
_LOOKALIKE, _LATIN = "АВЕКМНОРСТХУаеорсухіјѕԁɡһԛԝІЈЅΑΒΕΖΗΙΚΜΝΟΡΤΥΧοιϲνκτ", "ABEKMHOPCTXYaeopcyxijsdghqwIJSABEZHIKMNOPTYXoicvkt"
_CONFUSABLES = str.maketrans(_LOOKALIKE, _LATIN)
_HAS_LOOKALIKE = re.compile(f"[{_LOOKALIKE}]")
_ROT13 = bytes.maketrans(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    b"NOPQRSTUVWXYZABCDEFGHIJKLMnopqrstuvwxyzabcdefghijklm",
)
_UNLEET = bytes.maketrans(b"0134578@$9", b"oieastbasg")
_SPACED_LETTER = re.compile(r"(?<=(?<!\S)\S) (?=\S(?!\S))")
_WIDE_GAP = re.compile(r" {2,}")
_DIGIT_WORDS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4",
                "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
_DIGIT_WORD = re.compile(r"\b(" + "|".join(_DIGIT_WORDS) + r")\b", re.IGNORECASE)
_B64_TOKEN = re.compile(r"[A-Za-z0-9+/_-]{8,}={0,2}")
_B64_LINE = re.compile(r"[A-Za-z0-9+/=_-]{4,}")
_B32_TOKEN = re.compile(r"[A-Z2-7]{16,}={0,6}")
_HEX_TOKEN = re.compile(r"(?:[0-9A-Fa-f]{2}[\s:-]?){6,}")
_HEX_SEP = re.compile(r"[\s:-]")


_EMOJI_LETTERS = re.compile("[\U0001F1E6-\U0001F1FF\U0001F170-\U0001F189\u20e3]")
_NATO = {"alfa": "a", "alpha": "a", "bravo": "b", "charlie": "c", "delta": "d", "echo": "e", "foxtrot": "f",
         "golf": "g", "hotel": "h", "india": "i", "juliet": "j", "juliett": "j", "kilo": "k", "lima": "l", "mike": "m",
         "november": "n", "oscar": "o", "papa": "p", "quebec": "q", "romeo": "r", "sierra": "s", "tango": "t",
         "uniform": "u", "victor": "v", "whiskey": "w", "whisky": "w", "x-ray": "x", "xray": "x", "yankee": "y",
         "zulu": "z"}
_NATO_WORD = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, _NATO), key=len, reverse=True)) + r")\b", re.IGNORECASE)
_SINGLE_RUN = re.compile(r"(?<![^\W_])[^\W_](?:[\s.,;:*/|_-]{1,3}[^\W_](?![^\W_]))+")
_RUN_SEPARATOR = re.compile(r"[\s.,;:*/|_-]+")
_MORSE = dict(zip(
    ".- -... -.-. -.. . ..-. --. .... .. .--- -.- .-.. -- -. --- .--. --.- .-. ... - ..- ...- .-- -..- -.-- --.. "
    "----- .---- ..--- ...-- ....- ..... -.... --... ---.. ----. -....-".split(),
    "abcdefghijklmnopqrstuvwxyz0123456789-"))
_MORSE_TOKEN = re.compile(r"[.\-\u2022\u00b7\u2013\u2014_]{1,6}")
_MORSE_SYMBOLS = str.maketrans({"\u2022": ".", "\u00b7": ".", "\u2013": "-", "\u2014": "-", "_": "-"})
_URL_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
MIN_MORSE_TOKENS = 4
"""Fewer Morse-looking tokens than this are not decoded (a dash or an ellipsis is not Morse)."""


def _emoji_letter(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x20E3:  # combining keycap: "9\ufe0f\u20e3" is the digit 9
        return ""
    return chr(ord("A") + code - (0x1F1E6 if code >= 0x1F1E6 else 0x1F170))


def spell_out(text: str) -> str:
    """NATO words to letters, digit words to digits, then runs of single characters joined ("M J X" → "MJX")."""
    if len(_NATO_WORD.findall(text[:10_000])) >= 3:
        text = _NATO_WORD.sub(lambda m: _NATO[m.group().lower()], text)
    text = digits_from_words(text)
    return _SINGLE_RUN.sub(lambda m: _RUN_SEPARATOR.sub("", m.group()), text)


def morse(text: str) -> str | None:
    """Morse code (dots and dashes, letters split by spaces, words by "/" or "|") decoded; None if it is not Morse."""
    tokens = _MORSE_TOKEN.findall(text)
    if len(tokens) < MIN_MORSE_TOKENS:
        return None
    words = []
    for word in re.split(r"\s*[/|]\s*|\s{3,}|\n", text.translate(_MORSE_SYMBOLS)):
        letters = [_MORSE.get(token) for token in word.split()]
        known = [c for c in letters if c]
        if known and len(known) >= len(letters) / 2:
            words.append("".join(known))
    decoded = " ".join(words)
    return decoded if sum(map(len, words)) >= MIN_MORSE_TOKENS else None


def url_decode(text: str) -> str | None:
    """Percent-escapes decoded (None when the text has fewer than two of them)."""
    if len(_URL_ESCAPE.findall(text[:10_000])) < 2:
        return None
    from urllib.parse import unquote

    return unquote(text)


def fold(text: str) -> str:
    """NFKC, invisible characters removed, tag characters decoded, look-alikes and emoji letters mapped to Latin."""
    text = _TAGS.sub(lambda m: "".join(chr(ord(c) - 0xE0000) for c in m.group()), text)
    text = _EMOJI_LETTERS.sub(_emoji_letter, text)
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    return text.translate(_CONFUSABLES) if _HAS_LOOKALIKE.search(text) else text


def ascii_translate(text: str, table: bytes) -> str:
    """`text` with its ASCII characters mapped by a 256-byte `table`; other characters kept.

    Works on the UTF-8 bytes (multi-byte sequences never contain ASCII bytes), which keeps
    CPython's fast path on non-ASCII text where `str.translate` falls back to a slow one.
    """
    return text.encode("utf-8", "surrogatepass").translate(table).decode("utf-8", "surrogatepass")


def rot13(text: str) -> str:
    """ROT13 of the ASCII letters of `text` (its own inverse)."""
    return ascii_translate(text, _ROT13)


def unleet(text: str) -> str:
    """Leetspeak digits and symbols back to letters (0→o, 1→i, 3→e, 4→a, 5→s, 7→t, 8→b, @→a, $→s, 9→g)."""
    return ascii_translate(text, _UNLEET)


def despace(text: str) -> str:
    """Letters written one by one ("s e c r e t") joined; gaps of two or more spaces become one."""
    return _WIDE_GAP.sub(" ", _SPACED_LETTER.sub("", text))


def digits_from_words(text: str) -> str:
    """Spelled-out digits ("four eight") written as digits ("4 8")."""
    return _DIGIT_WORD.sub(lambda m: _DIGIT_WORDS[m.group().lower()], text)


def decode_candidates(text: str, *, depth: int = 2) -> list[str]:
    """`text` plus every plausible decoding of it, without duplicates, original first.

    Whole-text transforms (fold, ROT13, reversal, leetspeak, de-spacing, spelled digits) are
    always tried; then base64/base32/hex tokens that decode to mostly printable UTF-8 are
    decoded and themselves expanded, down to `depth` levels. The decodings read only the first
    `MAX_SCAN_CHARS` characters (bounded time on a 10 MB text; `find_leaks` treats a longer text
    as unchecked). Never raises on a str.
    """
    if not isinstance(text, str):
        return []
    seen: dict[str, None] = {}
    _expand(text, depth, seen)
    return list(seen)


def _add(seen: dict[str, None], text: str) -> bool:
    if text in seen or len(seen) >= MAX_CANDIDATES:
        return False
    seen[text] = None
    return True


def _expand(text: str, depth: int, seen: dict[str, None]) -> None:
    _add(seen, text)
    folded = fold(text[:MAX_SCAN_CHARS])
    for variant in (folded, rot13(folded), folded[::-1], unleet(folded), despace(folded), digits_from_words(folded),
                    spell_out(folded), morse(folded), url_decode(folded)):
        if variant is not None:
            _add(seen, variant)
    if depth <= 0:
        return
    for decoded in _decoded_tokens(folded):
        if _add(seen, decoded):
            _expand(decoded, depth - 1, seen)


def _decoded_tokens(text: str) -> list[str]:
    """Printable decodings of the base64 / base32 / hex tokens of `text` (bounded count and size)."""
    tokens: dict[tuple[str, str], None] = {}
    for kind, pattern in (("b64", _B64_TOKEN), ("b32", _B32_TOKEN), ("hex", _HEX_TOKEN)):
        found = [m.group() for m in pattern.finditer(text)]
        for token in sorted(found, key=len, reverse=True)[:MAX_TOKENS]:
            tokens[(kind, token)] = None
    for block in sorted(_line_blocks(text), key=len, reverse=True)[:MAX_TOKENS]:
        tokens[("b64", block)] = None
    out: list[str] = []
    for kind, token in tokens:
        decoded = _decode_token(kind, token[:MAX_TOKEN_CHARS])
        if decoded is not None:
            out.append(decoded)
    return out


def _line_blocks(text: str) -> list[str]:
    """Runs of two or more consecutive lines made only of base64 characters, joined (a wrapped encoding)."""
    blocks: list[str] = []
    run: list[str] = []
    for line in (*text.splitlines(), ""):
        line = line.strip()
        if line and _B64_LINE.fullmatch(line):
            run.append(line)
            continue
        if len(run) >= 2:
            blocks.append("".join(run))
        run = []
    return blocks


def _decode_token(kind: str, token: str) -> str | None:
    try:
        if kind == "hex":
            raw = bytes.fromhex(_HEX_SEP.sub("", token)[: len(token) // 2 * 2])
        elif kind == "b32":
            raw = base64.b32decode(token.rstrip("=") + "=" * (-len(token.rstrip("=")) % 8))
        else:
            body = token.rstrip("=")
            body = body[: len(body) - (len(body) % 4 == 1)]
            alt = "-_" if ("-" in body or "_" in body) else None
            raw = base64.b64decode(body + "=" * (-len(body) % 4), altchars=alt.encode() if alt else None)
    except (ValueError, binascii.Error):
        return None
    decoded = None
    for trim in range(4):  # a token regex may run on into the next word ("…3f\nde" of "def"): drop stray tail bytes
        try:
            decoded = raw[: len(raw) - trim].decode("utf-8")
            break
        except UnicodeDecodeError:
            continue
    if decoded is None:
        return None
    printable = sum(c.isprintable() or c in "\n\t\r" for c in decoded)
    return decoded if decoded and printable >= 0.9 * len(decoded) else None
