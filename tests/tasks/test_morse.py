"""MorseDecode: alphabet, word list, generation by level, determinism, and a strict text verifier."""

from __future__ import annotations

import collections
import re
import time
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

import vrgym
from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.logic.data import words, words_of_length
from vrgym.tasks.logic.morse import DECODE, MORSE, NON_ITU, WORD_GAPS, MorseDecode, decode, encode

TEMPLATE = vrgym.get_template("MorseDecode")
LEVELS = TEMPLATE.Config.level_names()
PUNCTUATION = ".,?'!/()&:;=+-_\"$@"


def fullwidth(text: str) -> str:
    """Look-alike fullwidth letters (U+FF21…) for the ASCII letters of `text`."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalpha() else c for c in text)


def problems(level: str, n: int = 150, seed: int = 0) -> Iterator[Problem]:
    return TEMPLATE.problems(n, seed, difficulty=level)


def text_of(problem: Problem) -> str:
    return problem.answer["text"]


def score(problem: Problem, response: str) -> tuple[int, str]:
    verdict = TEMPLATE.verify(problem, response)
    return verdict.reward, verdict.reason


# ------------------------------------------------------------------------------------- alphabet and data


def test_alphabet_is_complete_and_unambiguous() -> None:
    assert set(MORSE) == set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") | set(PUNCTUATION)
    assert len(DECODE) == len(MORSE)  # no two characters share a code
    assert all(set(code) <= {".", "-"} and code for code in MORSE.values())
    assert set(NON_ITU) <= set(MORSE)
    # a few codes checked by hand against the ITU table
    assert (MORSE["S"], MORSE["O"], MORSE["0"], MORSE["."], MORSE["?"], MORSE["@"]) == (
        "...", "---", "-----", ".-.-.-", "..--..", ".--.-.",
    )  # fmt: skip


@given(
    st.lists(st.text(alphabet=sorted(MORSE), min_size=1, max_size=12), min_size=1, max_size=8),
    st.sampled_from(sorted(WORD_GAPS)),
)
def test_encode_decode_round_trip(tokens: list[str], notation: str) -> None:
    text = " ".join(tokens)
    message = encode(text, notation)
    assert decode(message, notation) == text
    assert message.count(WORD_GAPS[notation]) == len(tokens) - 1


def test_encode_examples() -> None:
    assert encode("SOS") == "... --- ..."
    assert encode("HI YOU") == ".... .. / -.-- --- ..-"
    assert encode("HI YOU", "spaces") == ".... ..   -.-- --- ..-"


def test_word_list() -> None:
    listed = words()
    assert len(listed) >= 300
    assert len(set(listed)) == len(listed)
    assert all(word.isascii() and word.isalpha() and word.isupper() for word in listed)
    assert words() is listed  # loaded once, cached
    assert all(3 <= len(w) <= 5 for w in words_of_length(3, 5))
    assert len(words_of_length(3, 5)) >= 150


# ------------------------------------------------------------------------------------- contract and generation


def test_registered_with_levels() -> None:
    assert vrgym.get_template_class("morse_decode") is MorseDecode
    assert LEVELS == ["easy", "medium", "hard", "expert", "master"]
    assert TEMPLATE.config().difficulty == "medium"
    assert TEMPLATE.domain == "logic" and "logic/morse/decode" in TEMPLATE.tags


@pytest.mark.parametrize("level", LEVELS)
def test_reference_scores_one_and_gold_decodes_from_the_prompt(level: str) -> None:
    for seed in range(3):
        for problem in problems(level, 80, seed):
            reloaded = Problem.from_json(problem.to_json())
            verdict = vrgym.verify(reloaded, TEMPLATE.reference_response(reloaded))
            assert (verdict.reward, verdict.reason) == (1, "ok"), (problem.answer, verdict)
            message, notation = problem.metadata["morse"], problem.metadata["notation"]
            assert f"\n{message}\n" in problem.prompt
            assert decode(message, notation) == text_of(problem)
            assert text_of(problem) == " ".join(text_of(problem).split())  # single spaces, no edges


def test_levels_shape_the_messages() -> None:
    easy = list(problems("easy", 200))
    assert all(" " not in text_of(p) and text_of(p).isalpha() and 3 <= len(text_of(p)) <= 5 for p in easy)
    medium = list(problems("medium", 200))
    assert all(2 <= len(text_of(p).split()) <= 4 and text_of(p).replace(" ", "").isalpha() for p in medium)
    hard = list(problems("hard", 200))
    assert all(any(c.isdigit() for c in text_of(p)) for p in hard)
    assert all(text_of(p).replace(" ", "").isalnum() for p in hard)
    for level in ("expert", "master"):
        batch = list(problems(level, 300))
        marks = collections.Counter(c for p in batch for c in text_of(p) if c in PUNCTUATION)
        assert set(marks) == set(PUNCTUATION), set(PUNCTUATION) - set(marks)  # every mark occurs
        assert all(any(c in PUNCTUATION for c in text_of(p)) for p in batch)
    assert all(p.metadata["notation"] == "slash" for p in problems("expert", 50))
    master = list(problems("master", 50))
    assert all(p.metadata["notation"] == "spaces" and " / " not in p.metadata["morse"] for p in master)
    assert all("three spaces" in p.prompt for p in master)
    assert len({text_of(p) for p in problems("medium", 300)}) > 290


def test_mixed_notation_draws_both() -> None:
    batch = list(TEMPLATE.problems(100, 0, difficulty="expert", notation="mixed"))
    assert {p.metadata["notation"] for p in batch} == {"slash", "spaces"}
    assert all(TEMPLATE.verify(p, TEMPLATE.reference_response(p)).reward == 1 for p in batch)


def test_prompt_states_conventions_and_format() -> None:
    problem = TEMPLATE.generate(0, 0, difficulty="expert")
    assert '" / "' in problem.prompt and "one space" in problem.prompt
    assert "-.-.--" in problem.prompt  # the non-ITU codes are spelled out
    assert "case is not checked" in problem.prompt
    assert TEMPLATE.answer_format.instruction in problem.prompt


def test_generation_is_deterministic_and_seeds_differ() -> None:
    a = [p.to_json() for p in problems("expert", 50, seed=5)]
    assert a == [p.to_json() for p in problems("expert", 50, seed=5)]
    assert not set(a) & {p.to_json() for p in problems("expert", 50, seed=6)}


def test_config_errors() -> None:
    for bad in (
        dict(min_words=5, max_words=2),
        dict(min_numbers=3, max_numbers=1),
        dict(min_word_length=6, max_word_length=3),
        dict(notation="dots"),
        dict(max_word_length=9),
        dict(colour="red"),
    ):
        with pytest.raises(ConfigError):
            TEMPLATE.config("hard", **bad)


# ------------------------------------------------------------------------------------- verification


@pytest.fixture(scope="module")
def problem() -> Problem:
    return next(p for p in problems("expert", 100) if len(text_of(p).split()) >= 4 and '"' not in text_of(p))


def test_accepted_variants(problem: Problem) -> None:
    text = text_of(problem)
    for answer in (text, text.lower(), text.title(), "  " + text.replace(" ", "\n  ") + " \t"):
        assert score(problem, f"Decoded.\n<answer>{answer}</answer>") == (1, "ok"), answer
    assert score(problem, f"<ANSWER>{text}</Answer>") == (1, "ok")
    assert score(problem, f"<think>maybe <answer>X</answer></think><answer>{text}</answer>") == (1, "ok")


def test_rejected_variants(problem: Problem) -> None:
    text = text_of(problem)
    head, _, tail = text.partition(" ")
    other = next(p for p in problems("expert", 50, seed=1) if text_of(p) != text)
    cases = {
        f"<answer>{text} or {text[::-1]}</answer>": "wrong_answer",
        f"<answer>{text_of(other)}</answer>": "wrong_answer",
        f"<answer>{text} EXTRA</answer>": "wrong_answer",
        f"<answer>The message is {text}</answer>": "wrong_answer",
        f"<answer>'{text}'</answer>": "wrong_answer",
        f'<answer>"{text}"</answer>': "wrong_answer",
        f"<answer>{head}</answer>": "wrong_answer",
        f"<answer>{head}{tail}</answer>": "wrong_answer",
        f"<answer>{problem.metadata['morse']}</answer>": "wrong_answer",
        f"<answer>{text}\u200b</answer>": "wrong_answer",
        f"<answer>{fullwidth(text)}</answer>": "wrong_answer",
        f"<answer>{text}</answer><answer>{text_of(other)}</answer>": "hack:multiple_answers",
        f"The answer is {text}.": "no_answer",
        f"<answer>{text}": "format",
        f"<think><answer>{text}</answer>": "no_answer",
        "<answer></answer>": "no_answer",
        "<answer>\ud800</answer>": "wrong_answer",
        "<answer>" + "A " * 150_000 + "</answer>": "wrong_answer",
    }
    for response, reason in cases.items():
        start = time.perf_counter()
        verdict = TEMPLATE.verify(problem, response)
        assert (verdict.reward, verdict.reason) == (0, reason), (response[:80], verdict)
        assert time.perf_counter() - start < 1.0  # bounded time (generous: CI machines are shared)
        verdict.model_dump_json()


def test_wrong_answer_feedback_does_not_leak_the_text(problem: Problem) -> None:
    verdict = TEMPLATE.verify(problem, "<answer>NOPE</answer>")
    assert verdict.reason == "wrong_answer" and text_of(problem) not in verdict.detail
    assert verdict.checks == {"word_count": False}


def test_other_problems_answers_score_zero_unless_equal() -> None:
    batch = list(problems("easy", 60))
    for p in batch[:10]:
        for other in batch:
            expected = int(text_of(other) == text_of(p))
            assert score(p, TEMPLATE.reference_response(other))[0] == expected


# ------------------------------------------------------------------------------------- harder variants

NOISY = vrgym.get_template("MorseDecodeNoisy")
NO_GAPS = vrgym.get_template("MorseDecodeNoGaps")


def read_noisy(message: str, config: object) -> str:
    """Decode a noisy message independently of the generator: classify each run of spaces by length."""
    words: list[str] = []
    for line in message.split("\n"):
        current = ""
        for token in re.split(r"( +)", line):
            if token.startswith(" "):
                if len(token) >= config.min_word_gap and config.word_gap == "spaces":  # type: ignore[attr-defined]
                    words.append(current)
                    current = ""
                else:
                    assert config.min_letter_gap <= len(token) <= config.max_letter_gap  # type: ignore[attr-defined]
            elif token == "/":
                words.append(current)
                current = ""
            elif token:
                current += DECODE[token]
        words.append(current)
    return " ".join(w for w in words if w)


@pytest.mark.parametrize("level", NOISY.Config.level_names())
def test_noisy_messages_decode_by_gap_length(level: str) -> None:
    config = NOISY.config(level)
    seen_letter_gaps: set[int] = set()
    for problem in NOISY.problems(150, 0, difficulty=level):
        message = problem.metadata["morse"]
        assert f"\n{message}\n" in problem.prompt
        assert read_noisy(message, config) == text_of(problem)
        seen_letter_gaps |= {len(run) for run in re.findall(r"(?<=[.-]) +(?=[.-])", message)}
        if config.wrap:
            long_lines = [line for line in message.split("\n") if len(line) > config.wrap]
            assert all(" " * config.min_word_gap not in line for line in long_lines)  # only a single long word
        verdict = NOISY.verify(problem, NOISY.reference_response(problem))
        assert verdict.reward == 1, verdict
    assert {config.min_letter_gap, config.max_letter_gap} <= seen_letter_gaps  # the spacing really varies


def test_noisy_levels_change_structure() -> None:
    def prompt_of(level: str) -> str:
        return NOISY.generate(0, 0, difficulty=level).prompt

    assert 'slash "/"' in prompt_of("easy") and "one or two spaces" in prompt_of("easy")
    assert "words by 3 to 5 spaces" in prompt_of("medium")
    assert "line break is also a gap between words" in prompt_of("master")
    assert any("\n" in p.metadata["morse"] for p in NOISY.problems(20, 0, difficulty="master"))
    assert all(any(c.isdigit() for c in text_of(p)) for p in NOISY.problems(50, 0, difficulty="hard"))


def test_noisy_config_refuses_overlapping_gaps() -> None:
    with pytest.raises(ConfigError, match="must exceed max_letter_gap"):
        NOISY.config("medium", max_letter_gap=3, min_word_gap=3)
    with pytest.raises(ConfigError):
        NOISY.config("medium", min_letter_gap=3, max_letter_gap=2)
    NOISY.config("easy", max_letter_gap=5)  # slash gaps are never ambiguous


@pytest.mark.parametrize("level", NO_GAPS.Config.level_names())
def test_no_gaps_messages_have_no_word_gaps(level: str) -> None:
    config = NO_GAPS.config(level)
    for problem in NO_GAPS.problems(150, 0, difficulty=level):
        message = problem.metadata["morse"]
        assert "/" not in message
        runs = {len(run) for run in re.findall(r" +", message)}
        assert runs <= set(range(config.min_letter_gap, config.max_letter_gap + 1))
        assert "".join(DECODE[code] for code in message.split()) == text_of(problem).replace(" ", "")
        assert NO_GAPS.verify(problem, NO_GAPS.reference_response(problem)).reward == 1
    if config.wrap:
        assert any("\n" in p.metadata["morse"] for p in NO_GAPS.problems(20, 0, difficulty=level))


def test_no_gaps_accepts_any_segmentation() -> None:
    problem = next(p for p in NO_GAPS.problems(50, 0, difficulty="medium") if len(text_of(p).split()) >= 4)
    text = text_of(problem)
    run = text.replace(" ", "")
    for answer in (text, run, run.lower(), " ".join(run), run[:3] + " " + run[3:], "\n".join(text.split())):
        assert score_with(NO_GAPS, problem, answer) == (1, "ok"), answer
    for answer in (run[1:], run + "E", run[::-1], run[:-2] + run[-1] + run[-2], run.replace("E", "", 1) or "X",
                   f"{text} or {text}", f'"{run}"', fullwidth(run), run[:2] + "\u200b" + run[2:]):
        if answer.replace(" ", "").upper() != run:
            assert score_with(NO_GAPS, problem, answer)[0] == 0, answer


def score_with(template: vrgym.Template, problem: Problem, answer: str) -> tuple[int, str]:
    verdict = template.verify(problem, f"<answer>{answer}</answer>")
    return verdict.reward, verdict.reason


def test_variants_prompts_state_the_rules() -> None:
    noisy = NOISY.generate(0, 0, difficulty="expert").prompt
    assert "gap between letters is always shorter than a gap between words" in noisy and "-.-.--" in noisy
    no_gaps = NO_GAPS.generate(0, 0, difficulty="medium").prompt
    assert "Spaces in your answer are ignored" in no_gaps and "gaps between words have been removed" in no_gaps
    for prompt in (noisy, no_gaps):
        assert "<answer>" in prompt


def test_exact_and_spaced_text_comparison() -> None:
    from vrgym.verifiers.text import normalise_text_answer, remove_whitespace, text_answers_match

    assert remove_whitespace(" a b\n\tc\u3000d ") == "abcd"
    assert text_answers_match("he llo", "HELLO", ignore_whitespace=True)
    assert not text_answers_match("he llo", "HELLO")
    assert not text_answers_match("hel\u200blo", "HELLO", ignore_whitespace=True)
    assert normalise_text_answer("a B c", case_sensitive=True, ignore_whitespace=True) == "aBc"
