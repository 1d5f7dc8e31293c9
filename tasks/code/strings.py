"""`CodeStrings`: write a string-processing function (run-length encoding, ciphers, palindromes …).

Why: string transforms with precise rules (a count written before or after the character, a
shift that leaves digits alone or not, a tie broken alphabetically or by first occurrence) are
where models write code that is almost right; hidden edge cases (empty input, one character,
runs of ten or more, unclosed brackets) catch the near misses. Harder levels add problem classes
(anagram groups, longest window with at most m distinct characters) and, at expert, inputs of
tens of thousands of characters (built in the sandbox from a seed) under a 2-second CPU-time
limit, where a quadratic scan exceeds it.

Each kind's reference solution (metadata["solution"]) is the oracle that computed the hidden
expected outputs; verification runs the model's function in the sandbox (`vrgym.verifiers.code`).
"""

from __future__ import annotations

import random
from typing import Any, ClassVar

from vrgym.registry import register
from vrgym.tasks.code._procedural import (
    LOWER,
    WORDS,
    FunctionCase,
    Maker,
    ProceduralConfig,
    ProceduralTemplate,
    code,
    generated,
    pick,
    runs_text,
    sentence,
)

EFFICIENT_SECONDS = 2.0
"""CPU time of all tests together at expert: linear solutions take milliseconds, quadratic ones seconds."""


def make_rle(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Run-length encoding, the count before or after the character, a count of 1 written or not."""
    name = pick(rng, ["run_length_encode", "rle", "compress_runs", "encode_runs", "squeeze_runs"])
    before, omit_one = rng.random() < 0.5, rng.random() < 0.5
    piece = "count + s[i]" if before else "s[i] + count"
    solution = code(
        """
        def $name(s: str) -> str:
            out = []
            i = 0
            while i < len(s):
                j = i
                while j < len(s) and s[j] == s[i]:
                    j += 1
                count = "" if $omit and j - i == 1 else str(j - i)
                out.append($piece)
                i = j
            return "".join(out)
        """,
        name=name, omit=omit_one, piece=piece,
    )
    order = "the run length followed by the character" if before else "the character followed by the run length"
    one = "A run of length 1 is written as the character alone, without a count." if omit_one else "A run of length 1 is written with the count 1."
    statement = (
        f"Write `{name}(s)`, which run-length encodes the string `s`: every maximal run of equal consecutive "
        f"characters becomes {order} (in decimal, possibly several digits). {one} The empty string encodes to the empty string."
    )
    alphabet = "".join(rng.sample(LOWER, rng.randint(2, 4)))
    inputs: list[list[Any]] = [[runs_text(rng, rng.randint(5, 9), alphabet)] for _ in range(2)]
    inputs += [[""], [alphabet[0]], [alphabet[1] * 12 + alphabet[0]], [alphabet[:2] * 3]]
    inputs += [[runs_text(rng, rng.randint(1, cfg.size), alphabet)] for _ in range(cfg.hidden)]
    return FunctionCase(statement, name, f"def {name}(s: str) -> str:", solution, inputs)


def make_caesar(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Caesar shift (encode or decode), case kept, digits rotated or left alone."""
    name = pick(rng, ["caesar", "shift_text", "rotate_letters", "caesar_cipher", "encode_shift"])
    shift, decode, digits = rng.randint(1, 25), rng.random() < 0.4, rng.random() < 0.5
    signed = -shift if decode else shift
    solution = code(
        """
        def $name(text: str) -> str:
            out = []
            for ch in text:
                if "a" <= ch <= "z":
                    out.append(chr((ord(ch) - 97 + ($shift)) % 26 + 97))
                elif "A" <= ch <= "Z":
                    out.append(chr((ord(ch) - 65 + ($shift)) % 26 + 65))
                elif $digits and "0" <= ch <= "9":
                    out.append(chr((ord(ch) - 48 + ($shift)) % 10 + 48))
                else:
                    out.append(ch)
            return "".join(out)
        """,
        name=name, shift=signed, digits=digits,
    )
    way = f"backwards by {shift} (decoding)" if decode else f"forwards by {shift}"
    digit_rule = (f"Each digit 0-9 is also shifted {'backwards' if decode else 'forwards'} by {shift} positions, wrapping around within 0-9."
                  if digits else "Digits are left unchanged.")
    statement = (
        f"Write `{name}(text)`, which shifts every ASCII letter of `text` {way} positions in the alphabet, wrapping "
        f"around (after z comes a), keeping upper case upper and lower case lower. {digit_rule} Every other character "
        "(spaces, punctuation, non-ASCII) is copied unchanged."
    )
    texts = [sentence(rng, rng.randint(2, 4)) + str(rng.randint(0, 999)) for _ in range(2)]
    inputs: list[list[Any]] = [[t] for t in texts] + [[""], ["Zz Aa 09 !"], ["é-ß y"]]
    inputs += [[sentence(rng, rng.randint(1, max(1, cfg.size // 5))) + str(rng.randint(0, 99))] for _ in range(cfg.hidden)]
    return FunctionCase(statement, name, f"def {name}(text: str) -> str:", solution, inputs)


def make_vigenere(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Vigenère encryption with a drawn key; the key advances on letters only or on every character."""
    name = pick(rng, ["vigenere", "vigenere_encrypt", "keyed_shift", "poly_shift"])
    key = "".join(rng.choice(LOWER) for _ in range(rng.randint(3, 6)))
    every = rng.random() < 0.4
    solution = code(
        """
        def $name(text: str) -> str:
            key = "$key"
            out = []
            k = 0
            for ch in text:
                shift = ord(key[k % len(key)]) - 97
                if "a" <= ch <= "z":
                    out.append(chr((ord(ch) - 97 + shift) % 26 + 97))
                    k += 1
                elif "A" <= ch <= "Z":
                    out.append(chr((ord(ch) - 65 + shift) % 26 + 65))
                    k += 1
                else:
                    out.append(ch)
                    k += $every
            return "".join(out)
        """,
        name=name, key=key, every=int(every),
    )
    advance = ("The key position advances after every character of the text, letters or not."
               if every else "The key position advances only after a letter; other characters do not use up a key letter.")
    statement = (
        f"Write `{name}(text)`, which encrypts `text` with the Vigenère cipher and the key \"{key}\": the i-th key "
        "letter used (cycling through the key) shifts a letter forwards by its alphabet index (a=0, b=1, …, z=25), "
        f"wrapping around and keeping the letter's case. Non-letters are copied unchanged. {advance}"
    )
    inputs: list[list[Any]] = [[sentence(rng, rng.randint(2, 3))] for _ in range(2)] + [[""], ["a, b! Z"], ["zzzzzzz"]]
    inputs += [[sentence(rng, rng.randint(1, max(1, cfg.size // 5)))] for _ in range(cfg.hidden)]
    return FunctionCase(statement, name, f"def {name}(text: str) -> str:", solution, inputs)


def make_palindrome(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Palindrome test under drawn rules (ignore case? ignore non-alphanumerics?)."""
    name = pick(rng, ["is_palindrome", "reads_same_backwards", "palindromic", "mirror_text"])
    fold, strip = rng.choice([(True, True), (True, False), (False, True)])
    solution = code(
        """
        def $name(s: str) -> bool:
            chars = [c.lower() if $fold else c for c in s if not $strip or c.isalnum()]
            return chars == chars[::-1]
        """,
        name=name, fold=fold, strip=strip,
    )
    rules = []
    rules.append("Letter case is ignored (A equals a)." if fold else "Letter case matters (A differs from a).")
    rules.append("Only letters and digits count (str.isalnum); all other characters are skipped."
                 if strip else "Every character counts, including spaces and punctuation.")
    statement = f"Write `{name}(s)`, which returns True if `s` reads the same forwards and backwards, else False. {' '.join(rules)} The empty string is a palindrome."

    def palindrome(n: int) -> str:
        half = [rng.choice("abcAB1 ,") for _ in range(n)]
        text = half + ([rng.choice("xyz")] if rng.random() < 0.5 else []) + half[::-1]
        if fold:
            text = [c.upper() if rng.random() < 0.3 else c for c in text]
        if strip:
            text = [c + rng.choice(["", "", " ", ",", "!"]) for c in text]
        return "".join(text)

    def near(n: int) -> str:
        text = list(palindrome(n))
        i = rng.randrange(len(text))
        text[i] = "q" if text[i] != "q" else "w"
        return "".join(text)

    inputs: list[list[Any]] = [[palindrome(3)], [near(3)], [""], ["a"], ["Aa"], ["a, A"], ["ab"]]
    for _ in range(cfg.hidden):
        inputs.append([palindrome(rng.randint(1, cfg.size)) if rng.random() < 0.5 else near(rng.randint(1, cfg.size))])
    return FunctionCase(statement, name, f"def {name}(s: str) -> bool:", solution, inputs)


BRACKETS = ("()", "[]", "{}", "<>")


def make_brackets(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Bracket matching over a drawn set of pairs: a bool, or the index where balance first fails."""
    pairs = rng.sample(BRACKETS, rng.randint(2, 4))
    index_mode = rng.random() < 0.5
    name = pick(rng, ["first_bracket_error", "bracket_error_at"] if index_mode else ["is_balanced", "brackets_ok", "well_nested"])
    opens, closes = "".join(p[0] for p in pairs), "".join(p[1] for p in pairs)
    solution = code(
        """
        def $name(s: str) -> $ret:
            match = dict(zip("$closes", "$opens"))
            stack = []
            for i, ch in enumerate(s):
                if ch in "$opens":
                    stack.append(ch)
                elif ch in match:
                    if not stack or stack.pop() != match[ch]:
                        return $bad
            return $end
        """,
        name=name, opens=opens, closes=closes, ret="int" if index_mode else "bool",
        bad="i" if index_mode else "False", end="(len(s) if stack else -1)" if index_mode else "not stack",
    )
    listed = ", ".join(f"`{p[0]}` with `{p[1]}`" for p in pairs)
    if index_mode:
        task = ("returns the index of the first closing bracket that has no matching opener (none open, or the most recently "
                "opened bracket is of another type); if every closer matches but some brackets are left open, it returns "
                "len(s); if `s` is balanced it returns -1.")
    else:
        task = "returns True if every bracket is closed by the matching type in the right (nested) order, else False."
    statement = f"Write `{name}(s)`, which checks the brackets in `s` and {task} The bracket pairs are {listed}; every other character is ignored."
    others = "ab1 " + "".join(c for p in BRACKETS if p not in pairs for c in p)

    def balanced(n: int) -> str:
        out, stack = [], []
        while len(out) < n or stack:
            roll = rng.random()
            if stack and (roll < 0.4 or len(out) >= n):
                out.append(stack.pop())
            elif roll < 0.8:
                pair = rng.choice(pairs)
                out.append(pair[0])
                stack.append(pair[1])
            else:
                out.append(rng.choice(others))
        return "".join(out)

    def broken(n: int) -> str:
        text = list(balanced(n))
        spots = [i for i, c in enumerate(text) if c in opens + closes]
        if not spots:
            return "".join(text) + closes[0]
        i = rng.choice(spots)
        text[i] = rng.choice([c for c in opens + closes if c != text[i]] + [""])
        return "".join(text)

    inputs: list[list[Any]] = [[balanced(4)], [broken(4)], [""], [closes[0]], [opens[0]], [opens[0] + closes[1]], ["x" + opens + closes[::-1]]]
    inputs += [[balanced(rng.randint(1, cfg.size)) if rng.random() < 0.4 else broken(rng.randint(1, cfg.size))] for _ in range(cfg.hidden)]
    budget = None
    if cfg.large:  # O(n) with a stack; repeatedly deleting adjacent pairs is quadratic
        deep = """
            pairs = $pairs
            deep = [pairs[i % len(pairs)] for i in ints($seed, 30_000, 0, 999)]
            nested = "".join(p[0] for p in deep) + "".join(p[1] for p in reversed(deep))
            value = [nested$cut]
            """
        seed = rng.getrandbits(32)
        inputs += [generated(deep, pairs=repr(list(pairs)), seed=seed, cut=cut) for cut in ("", "[:-1]")]
        budget = EFFICIENT_SECONDS
    return FunctionCase(statement, name, f"def {name}(s: str) -> {'int' if index_mode else 'bool'}:", solution, inputs, cpu_seconds=budget)


def make_top_k(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """The k most frequent words, ties broken alphabetically or by first occurrence."""
    name = pick(rng, ["top_k_words", "most_common_words", "frequent_words", "word_leaders"])
    alphabetical = rng.random() < 0.5
    tie = "word" if alphabetical else "first[word]"
    solution = code(
        """
        import re


        def $name(text: str, k: int) -> list[str]:
            counts = {}
            first = {}
            for position, word in enumerate(re.findall(r"[a-z]+", text.lower())):
                counts[word] = counts.get(word, 0) + 1
                first.setdefault(word, position)
            ranked = sorted(counts, key=lambda word: (-counts[word], $tie))
            return ranked[:k]
        """,
        name=name, tie=tie,
    )
    rule = "alphabetically" if alphabetical else "by which word occurs first in the text"
    statement = (
        f"Write `{name}(text, k)`, which returns the `k` most frequent words of `text`, most frequent first. A word is a "
        "maximal run of ASCII letters a-z, compared case-insensitively and returned in lower case; everything else separates "
        f"words. Words with equal counts are ordered {rule}. If there are fewer than `k` distinct words, return them all."
    )
    vocabulary = rng.sample(WORDS, 8)

    def text(n: int) -> str:
        return " ".join(rng.choice(vocabulary).upper() if rng.random() < 0.1 else rng.choice(vocabulary) for _ in range(n)) + rng.choice(["", ".", "!"])

    inputs: list[list[Any]] = [[text(7), 2], [text(8), 3], ["", 3], ["b a b a", 1], ["one", 5], ["Apple, apple; APPLE-pear", 2]]
    inputs += [[text(rng.randint(1, cfg.size)), rng.randint(1, 6)] for _ in range(cfg.hidden)]
    budget = None
    if cfg.large:  # a dict count is linear; text.count per word (or list.count) is quadratic
        inputs.append(generated(
            """
            letters = "".join("$alphabet"[i % 12] for i in ints($seed, 90_000, 0, 1199))
            value = [" ".join(letters[i:i + 3] for i in range(0, len(letters), 3)), 10]
            """,
            alphabet=LOWER[:12], seed=rng.getrandbits(32),
        ))
        budget = EFFICIENT_SECONDS
    return FunctionCase(statement, name, f"def {name}(text: str, k: int) -> list[str]:", solution, inputs, cpu_seconds=budget)


def make_anagram_groups(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Group anagrams, in order of first appearance; optionally drop groups of one word."""
    name = pick(rng, ["group_anagrams", "anagram_groups", "cluster_anagrams"])
    pairs_only, fold = rng.random() < 0.5, rng.random() < 0.5
    solution = code(
        """
        def $name(words: list[str]) -> list[list[str]]:
            groups = {}
            for word in words:
                groups.setdefault("".join(sorted(word.lower() if $fold else word)), []).append(word)
            return [group for group in groups.values() if len(group) >= $least]
        """,
        name=name, fold=fold, least=2 if pairs_only else 1,
    )
    statement = (
        f"Write `{name}(words)`, which groups the words that are anagrams of each other (the same letters, each used the same "
        f"number of times{', ignoring case' if fold else ', case-sensitive'}). Return a list of groups: groups in the order in which "
        "their first word appears in `words`, and the words of a group in input order (a repeated word appears each time). "
        + ("Leave out groups that contain only one word." if pairs_only else "A word without anagrams forms a group of its own.")
    )
    stems = rng.sample(WORDS, 5)

    def words(n: int) -> list[str]:
        out = []
        for _ in range(n):
            letters = list(rng.choice(stems))
            rng.shuffle(letters)
            word = "".join(letters)
            out.append(word.capitalize() if rng.random() < 0.2 else word)
        return out

    inputs: list[list[Any]] = [[words(4)], [words(5)], [[]], [["a"]], [["ab", "Ba", "ab", "b"]], [["", ""]]]
    inputs += [[words(rng.randint(1, max(2, cfg.size // 4)))] for _ in range(cfg.hidden)]
    return FunctionCase(statement, name, f"def {name}(words: list[str]) -> list[list[str]]:", solution, inputs)


def make_longest_window(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Length of the longest substring with at most m distinct characters (sliding window at expert)."""
    m = rng.randint(1, 4)
    name = pick(rng, ["longest_window", "longest_few_distinct", "max_span", "longest_limited_substring"])
    solution = code(
        """
        def $name(s: str) -> int:
            counts = {}
            best = left = 0
            for right, ch in enumerate(s):
                counts[ch] = counts.get(ch, 0) + 1
                while len(counts) > $m:
                    gone = s[left]
                    counts[gone] -= 1
                    if not counts[gone]:
                        del counts[gone]
                    left += 1
                best = max(best, right - left + 1)
            return best
        """,
        name=name, m=m,
    )
    statement = (
        f"Write `{name}(s)`, which returns the length of the longest contiguous substring of `s` that contains at most {m} "
        f"distinct character{'s' if m > 1 else ''}. The empty string gives 0."
    )
    alphabet = LOWER[: m + 2]
    inputs: list[list[Any]] = [[runs_text(rng, 10, alphabet)], [runs_text(rng, 12, alphabet)], [""], ["z"], [alphabet[: m + 1] * 3]]
    inputs += [[runs_text(rng, rng.randint(1, cfg.size), alphabet)] for _ in range(cfg.hidden)]
    budget = None
    if cfg.large:  # long windows: extending from every start is quadratic
        inputs.append(generated(
            """
            blocks = []
            for block in range(4):  # runs of 1-4 equal characters from the first m letters, then a separator
                runs = ints($seed + block, 6_000, 0, 4 * $m - 1)
                text = "".join("$alphabet"[r % $m] * (r // $m + 1) for r in runs)
                blocks.append(text[:6_000] + "$separator")
            value = ["".join(blocks)]
            """,
            seed=rng.getrandbits(32), m=m, alphabet=alphabet[:m], separator=alphabet[m],
        ))
        budget = EFFICIENT_SECONDS
    return FunctionCase(statement, name, f"def {name}(s: str) -> int:", solution, inputs, cpu_seconds=budget)


class CodeStringsConfig(ProceduralConfig):
    """Levels: simple transforms, then rule-heavy checks, then grouping/windows, then large inputs."""

    KINDS: ClassVar[tuple[str, ...]] = ("rle", "caesar", "vigenere", "palindrome", "brackets", "top_k", "anagram_groups", "longest_window")
    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("rle", "caesar", "palindrome"), size=12, hidden=6),
        "medium": dict(kinds=("rle", "caesar", "palindrome", "vigenere", "brackets", "top_k"), size=30, hidden=8),
        "hard": dict(kinds=("vigenere", "brackets", "top_k", "anagram_groups", "longest_window"), size=80, hidden=10),
        "expert": dict(kinds=("brackets", "top_k", "longest_window"), size=200, hidden=10, large=True),
    }
    default_level: ClassVar[str | None] = "medium"


MAKERS: dict[str, Maker] = {
    "rle": make_rle, "caesar": make_caesar, "vigenere": make_vigenere, "palindrome": make_palindrome,
    "brackets": make_brackets, "top_k": make_top_k, "anagram_groups": make_anagram_groups, "longest_window": make_longest_window,
}


@register
class CodeStrings(ProceduralTemplate):
    """Write a string-processing Python function; hidden unit tests decide."""

    name = "CodeStrings"
    version = 0
    domain = "code"
    tags = ("code/strings", "code/function")
    description = "Write a Python string function (RLE, ciphers, palindromes, brackets, top-k words, anagrams, windows)."
    Config = CodeStringsConfig
    kind_tag = "code/strings"
    makers = MAKERS
