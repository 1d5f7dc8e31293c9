"""Deterministic language identification that fails closed.

IFEval calls `langdetect.detect`, which is random unless a global seed is set, unreliable on
short text, and — in IFEval's checkers — an exception (no letters at all, e.g. "12345") counts as
a *pass*. Here:

* `langdetect` runs from a private, seeded `DetectorFactory` (seed 0), so the same text always
  gets the same answer in any process; it is imported lazily, on the first language check
  (dependency: `langdetect`, pure Python).
* A Unicode-script test runs first. Scripts used by one language only (Thai, Hangul, Hebrew,
  Bengali, Tamil, Telugu, Kannada, Malayalam, Gujarati, Gurmukhi) decide by themselves, kana
  means Japanese; otherwise langdetect's answer must agree with the dominant script (a Cyrillic
  text is never "en").
* Undecidable text — fewer than `MIN_LETTERS` letters, no dominant script, a detector error, or
  a missing detector — returns None, which every checker treats as a FAIL.
* Fast path: Latin text of 30+ words of which at least 10% are English function words that other
  Latin-script languages do not share ("the", "which", "would"; not "is", "was", "of", "to", "for",
  "at", which are Dutch, German or Danish words too; foreign samples score 0-3%) is English without
  running langdetect. langdetect's n-gram sampling costs ~15 ms a response and dominated the
  verification time of the case kinds (which require English); on such text it answers "en" anyway.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from typing import Any

LANGUAGES: dict[str, str] = {
    "en": "English", "es": "Spanish", "pt": "Portuguese", "ar": "Arabic", "hi": "Hindi",
    "fr": "French", "ru": "Russian", "de": "German", "ja": "Japanese", "it": "Italian",
    "bn": "Bengali", "uk": "Ukrainian", "th": "Thai", "ur": "Urdu", "ta": "Tamil", "te": "Telugu",
    "bg": "Bulgarian", "ko": "Korean", "pl": "Polish", "he": "Hebrew", "fa": "Persian",
    "vi": "Vietnamese", "ne": "Nepali", "sw": "Swahili", "kn": "Kannada", "mr": "Marathi",
    "gu": "Gujarati", "pa": "Punjabi", "ml": "Malayalam", "fi": "Finnish",
}
"""The 30 ISO 639-1 codes IFEval's `language:response_language` draws from, with English names."""

MIN_LETTERS = 12
"""Below this many letters no language is decided (fail closed)."""

_DOMINANT_SHARE = 0.6
_SINGLE_SCRIPT = {
    "THAI": "th", "HANGUL": "ko", "HEBREW": "he", "BENGALI": "bn", "TAMIL": "ta", "TELUGU": "te",
    "KANNADA": "kn", "MALAYALAM": "ml", "GUJARATI": "gu", "GURMUKHI": "pa",
}
_SCRIPT_OF_LANGUAGE = {
    "ru": "CYRILLIC", "uk": "CYRILLIC", "bg": "CYRILLIC", "ar": "ARABIC", "fa": "ARABIC", "ur": "ARABIC",
    "hi": "DEVANAGARI", "mr": "DEVANAGARI", "ne": "DEVANAGARI", "ja": "CJK", "zh-cn": "CJK", "zh-tw": "CJK",
    **{code: script for script, code in _SINGLE_SCRIPT.items()},
}
_KNOWN_SCRIPTS = ("LATIN", "CYRILLIC", "ARABIC", "DEVANAGARI", "HIRAGANA", "KATAKANA", "CJK", "GREEK", *_SINGLE_SCRIPT)

_ENGLISH_FUNCTION_WORDS = frozenset(
    "the and that with it are this be you your from they not which their there has been would should could "
    "when what who how its our we them these those than then into about also".split()
)
_FAST_MIN_WORDS = 30
_FAST_SHARE = 0.1
_ASCII_WORD = re.compile(r"[A-Za-z]+")

_factory: Any = None
_factory_lock = threading.Lock()
_factory_failed = False


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    for script in _KNOWN_SCRIPTS:
        if name.startswith(script) or (script == "CJK" and name.startswith("CJK UNIFIED")):
            return script
    if "HANGUL" in name:
        return "HANGUL"
    return "OTHER"


def script_profile(text: str, *, limit: int = 5000) -> Counter[str]:
    """How many of the first `limit` letters of `text` belong to each Unicode script."""
    counts: Counter[str] = Counter()
    seen = 0
    for ch in text:
        if ch.isalpha():
            counts[_script(ch)] += 1
            seen += 1
            if seen >= limit:
                break
    return counts


def _detector_factory() -> Any:
    """A private langdetect factory with seed 0 (None if langdetect is not installed)."""
    global _factory, _factory_failed
    if _factory is not None or _factory_failed:
        return _factory
    with _factory_lock:
        if _factory is None and not _factory_failed:
            try:
                from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

                factory = DetectorFactory()
                factory.load_profile(PROFILES_DIRECTORY)
                factory.set_seed(0)
                _factory = factory
            except Exception:  # not installed or broken profiles: every language check fails closed
                _factory_failed = True
    return _factory


def _langdetect(text: str) -> str | None:
    factory = _detector_factory()
    if factory is None:
        return None
    try:
        detector = factory.create()
        detector.append(text[:10_000])
        return str(detector.detect())
    except Exception:
        return None


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the language of `text` (`zh-cn`/`zh-tw` for Chinese), or None when undecidable."""
    if not isinstance(text, str):
        return None
    profile = script_profile(text)
    total = sum(profile.values())
    if total < MIN_LETTERS:
        return None
    script, count = profile.most_common(1)[0]
    if count < _DOMINANT_SHARE * total:
        return None
    if script in _SINGLE_SCRIPT:
        return _SINGLE_SCRIPT[script]
    if script in ("HIRAGANA", "KATAKANA") or (script == "CJK" and (profile["HIRAGANA"] + profile["KATAKANA"]) > 0):
        return "ja"
    if script == "LATIN" and _clearly_english(text):
        return "en"
    found = _langdetect(text[:10_000].lower())  # the profiles are lower-case n-grams: "CECI EST" reads as English otherwise
    if found is None:
        return None
    expected_script = _SCRIPT_OF_LANGUAGE.get(found, "LATIN")
    if expected_script != script:
        return None  # the detector and the letters disagree: undecidable
    return found


def _clearly_english(text: str) -> bool:
    """Whether 10% or more of the (first 2,000) words of a Latin-script text are English
    function words, over at least `_FAST_MIN_WORDS` words (see the module docstring)."""
    words = _ASCII_WORD.findall(text[:20_000])[:2000]
    if len(words) < _FAST_MIN_WORDS:
        return False
    hits = sum(1 for w in words if w.lower() in _ENGLISH_FUNCTION_WORDS)
    return hits >= _FAST_SHARE * len(words)


def language_name(code: str) -> str:
    """English name of an IFEval language code (the code itself if unknown)."""
    return LANGUAGES.get(code, code)


def warm_up() -> bool:
    """Load the language profiles now (≈1 s) instead of inside the first timed check; True if available."""
    return _detector_factory() is not None
