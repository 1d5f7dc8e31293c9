"""MorseEncode: every rendering within the stated conventions is accepted, every wrong one refused."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

import vrgym
from vrgym.problem import Problem
from vrgym.tasks.logic.morse import DECODE, MORSE
from vrgym.tasks.logic.morse_encode import gold_codes, parse_encoding

TEMPLATE = vrgym.get_template("MorseEncode")
LEVELS = TEMPLATE.Config.level_names()


def score(problem: Problem, answer: str) -> tuple[int, str]:
    verdict = TEMPLATE.verify(problem, f"Encoded:\n<answer>{answer}</answer>")
    return verdict.reward, verdict.reason


def render(codes: list[list[str]], rng: random.Random) -> str:
    """A correct rendering with random (allowed) whitespace: runs between codes, optional around slashes."""

    def gap(minimum: int) -> str:
        return "".join(rng.choice(" \t\n") for _ in range(rng.randint(minimum, 3)))

    words = [gap(1).join(word) for word in codes]
    rendered = words[0]
    for word in words[1:]:
        rendered += gap(0) + "/" + gap(0) + word
    return gap(0) + rendered + gap(0)


@pytest.fixture(scope="module")
def problem() -> Problem:
    return next(p for p in TEMPLATE.problems(100, 0, difficulty="expert") if len(p.answer["text"].split()) >= 4)


def test_registered_with_levels() -> None:
    assert LEVELS == ["easy", "medium", "hard", "expert", "master"]
    assert TEMPLATE.config().difficulty == "medium"
    assert "logic/morse/encode" in TEMPLATE.tags and TEMPLATE.domain == "logic"


@pytest.mark.parametrize("level", LEVELS)
def test_reference_and_gold(level: str) -> None:
    for p in TEMPLATE.problems(100, 1, difficulty=level):
        text = p.answer["text"]
        assert f"\n{text}\n" in p.prompt
        decoded = " ".join("".join(DECODE[c] for c in w.split()) for w in p.answer["morse"].split(" / "))
        assert decoded == text
        reloaded = Problem.from_json(p.to_json())
        assert TEMPLATE.verify(reloaded, TEMPLATE.reference_response(reloaded)).reward == 1


def test_levels_shape_the_text() -> None:
    easy = [p.answer["text"] for p in TEMPLATE.problems(100, 0, difficulty="easy")]
    assert all(t.isalpha() and 3 <= len(t) <= 5 for t in easy)
    medium = [p.answer["text"] for p in TEMPLATE.problems(100, 0, difficulty="medium")]
    assert all(3 <= len(t.split()) <= 5 and t.replace(" ", "").isalpha() for t in medium)
    assert all(any(c.isdigit() for c in p.answer["text"]) for p in TEMPLATE.problems(100, 0, difficulty="hard"))
    assert all(not p.answer["text"].replace(" ", "").isalnum() for p in TEMPLATE.problems(100, 0, difficulty="expert"))


def test_prompt_states_the_syntax() -> None:
    prompt = TEMPLATE.generate(0, 0, difficulty="expert").prompt
    assert 'a slash "/" with a space on each side' in prompt and "-.-.--" in prompt
    assert "<answer>.- -... / -.-.</answer>" in prompt  # a syntax example, decoding to "AB C"
    assert "Extra spaces or line breaks between codes are accepted" in prompt


@given(st.integers(0, 2**32))
def test_any_allowed_whitespace_is_accepted(seed: int) -> None:
    problem = TEMPLATE.generate(seed % 7, seed % 50, difficulty=LEVELS[seed % len(LEVELS)])
    answer = render(gold_codes(problem.answer["text"]), random.Random(seed))
    assert score(problem, answer) == (1, "ok"), repr(answer)


@given(st.integers(0, 2**32), st.sampled_from(["drop", "add", "swap", "flip", "merge", "split"]))
def test_any_mutation_is_refused(seed: int, kind: str) -> None:
    rng = random.Random(seed)
    problem = TEMPLATE.generate(seed % 7, seed % 50, difficulty=LEVELS[1 + seed % (len(LEVELS) - 1)])
    codes = [list(word) for word in gold_codes(problem.answer["text"])]
    w = rng.randrange(len(codes))
    i = rng.randrange(len(codes[w]))
    if kind == "drop" and len(codes[w]) > 1:
        del codes[w][i]
    elif kind == "add":
        codes[w].insert(i, rng.choice(sorted(DECODE)))
    elif kind == "swap" and len(set(codes[w])) > 1:
        j = next(j for j in range(len(codes[w])) if codes[w][j] != codes[w][i])
        codes[w][i], codes[w][j] = codes[w][j], codes[w][i]
    elif kind == "flip":
        code = codes[w][i]
        k = rng.randrange(len(code))
        codes[w][i] = code[:k] + ("-" if code[k] == "." else ".") + code[k + 1 :]
    elif kind == "merge" and len(codes) > 1:
        j = min(w, len(codes) - 2)
        codes[j : j + 2] = [codes[j] + codes[j + 1]]
    elif kind == "split" and len(codes[w]) > 1:
        codes[w : w + 1] = [codes[w][:1], codes[w][1:]]
    else:
        codes[w].append(MORSE["E"])
    if codes == gold_codes(problem.answer["text"]):
        return
    assert score(problem, " / ".join(" ".join(word) for word in codes))[0] == 0


def test_accepted_renderings(problem: Problem) -> None:
    morse = problem.answer["morse"]
    for answer in (
        morse,
        morse.replace(" / ", "/"),
        morse.replace(" / ", "\n/\n"),
        morse.replace(" ", "   ").replace("   /   ", " / "),
        morse.replace(" / ", " /\n"),
        "\n  " + morse.replace(" ", "\t") + "  \n",
    ):
        assert score(problem, answer) == (1, "ok"), answer


def test_rejected_renderings(problem: Problem) -> None:
    morse, text = problem.answer["morse"], problem.answer["text"]
    first, _, rest = morse.partition(" / ")
    cases = {
        morse.replace(" / ", "   "): "wrong_answer",  # word gaps as spaces: not the stated notation
        morse.replace(" / ", " ", 1): "wrong_answer",  # one word gap missing
        morse.replace(" ", " / ", 1): "wrong_answer",  # a word split in two
        morse + " .": "wrong_answer",  # an extra E
        morse.rsplit(" ", 1)[0]: "wrong_answer",  # the last code missing
        f"{rest} / {first}": "wrong_answer",  # words reordered
        "/ " + morse: "format",
        morse + " /": "format",
        morse.replace(" / ", " // ", 1): "format",
        morse.replace(".", "·"): "format",
        morse.replace("-", "—"): "format",
        morse.replace("-", "_"): "format",
        morse + "\u200b": "format",
        text: "format",
        f"{morse} ({text})": "format",
        f'"{morse}"': "format",
        f"{morse} or {morse} .": "format",
        "...---...": "wrong_answer",
        ". " * 100_000: "wrong_answer",
        "/" * 100_000: "format",
    }
    for answer, reason in cases.items():
        verdict = TEMPLATE.verify(problem, f"<answer>{answer}</answer>")
        assert (verdict.reward, verdict.reason) == (0, reason), (answer[:60], verdict)
    assert TEMPLATE.verify(problem, f"<answer>{morse}</answer><answer>{first}</answer>").reason == "hack:multiple_answers"


def test_parse_encoding() -> None:
    assert parse_encoding(".- -...\n/-.-.") == [[".-", "-..."], ["-.-."]]
    assert isinstance(parse_encoding(".- x"), str)
    assert isinstance(parse_encoding(" / .-"), str)
    assert isinstance(parse_encoding(""), str)


def test_other_problems_answers_score_zero_unless_equal() -> None:
    batch = list(TEMPLATE.problems(40, 0, difficulty="easy"))
    for p in batch[:10]:
        for other in batch:
            expected = int(other.answer["text"] == p.answer["text"])
            assert TEMPLATE.verify(p, TEMPLATE.reference_response(other)).reward == expected


def test_feedback_does_not_leak_the_code(problem: Problem) -> None:
    verdict = TEMPLATE.verify(problem, "<answer>.-</answer>")
    assert verdict.reason == "wrong_answer" and problem.answer["morse"] not in verdict.detail
    assert verdict.checks == {"word_count": False, "character_count": False}
