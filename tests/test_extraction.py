"""Answer extraction: the one place every template reads a final answer from a response."""

from __future__ import annotations

import time

import pytest

from vrgym.verifiers.extraction import AnswerFormat, extract_answer, strip_thinking

BOXED, TAG = AnswerFormat.BOXED, AnswerFormat.TAG


@pytest.mark.parametrize(
    ("response", "answer"),
    [
        (r"\boxed{42}", "42"),
        (r"so \boxed{ 42 } done", "42"),
        (r"\boxed{\frac{1}{2}}", r"\frac{1}{2}"),
        (r"\boxed{\{1, 2\}}", r"\{1, 2\}"),
        (r"\fbox{7}", "7"),
        (r"\boxed {7}", "7"),
        (r"first \boxed{3} and again \boxed{3}", "3"),
        (r"<think>maybe \boxed{5}</think> \boxed{6}", "6"),
        (r"prompt-opened thinking \boxed{5}</think> final \boxed{6}", "6"),
        ("\\boxed{\u00e9t\u00e9}", "\u00e9t\u00e9"),
    ],
)
def test_boxed_answers(response: str, answer: str) -> None:
    result = extract_answer(response, BOXED)
    assert (result.reason, result.answer) == ("ok", answer)


@pytest.mark.parametrize(
    ("response", "answer"),
    [
        ("<answer>HELLO</answer>", "HELLO"),
        ("reasoning\n<ANSWER> two words </Answer>", "two words"),
        ("<think><answer>no</answer></think><answer>yes</answer>", "yes"),
        ("<answer>x</answer> text <answer> x </answer>", "x"),
    ],
)
def test_tag_answers(response: str, answer: str) -> None:
    result = extract_answer(response, TAG)
    assert (result.reason, result.answer) == ("ok", answer)


@pytest.mark.parametrize(
    ("response", "fmt", "reason"),
    [
        ("", BOXED, "no_answer"),
        ("   \n", TAG, "no_answer"),
        ("The answer is 42.", BOXED, "no_answer"),
        ("<answer>42</answer>", BOXED, "no_answer"),  # only the requested format counts
        (r"\boxed{42}", TAG, "no_answer"),
        (r"\boxed{}", BOXED, "no_answer"),
        ("<answer>  </answer>", TAG, "no_answer"),
        (r"\boxed{42", BOXED, "format"),
        ("<answer>42", TAG, "format"),
        ("<answer>1 <answer>2</answer>", TAG, "format"),
        (r"\boxed{1} or \boxed{2}", BOXED, "hack:multiple_answers"),
        ("<answer>1</answer><answer>2</answer>", TAG, "hack:multiple_answers"),
        (r"<think>still thinking \boxed{1}", BOXED, "no_answer"),
        (r"\boxed{1}<think>and then", BOXED, "no_answer"),
    ],
)
def test_failures(response: str, fmt: AnswerFormat, reason: str) -> None:
    result = extract_answer(response, fmt)
    assert result.reason == reason
    assert result.answer is None
    assert result.detail  # every failure explains itself


def test_non_string_is_a_format_failure() -> None:
    assert extract_answer(None, BOXED).reason == "format"  # type: ignore[arg-type]


def test_many_boxes_are_multiple_answers_not_slow() -> None:
    response = "".join(f"\\boxed{{{i}}}" for i in range(100_000))
    start = time.perf_counter()
    assert extract_answer(response, BOXED).reason == "hack:multiple_answers"
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    "response",
    [
        "x" * 1_000_000,
        "{" * 200_000 + r"\boxed{" + "{" * 200_000,
        "<answer>" * 100_000,
        "<think>" * 100_000 + "</think>" * 3,
        "<think>" * 200_000,  # a lazy <think>.*?</think> regex is quadratic on this
        "<think></think>" * 100_000,
        "a</think>" * 100_000,
        "\ud800\x00\u202e" * 10_000,
    ],
)
def test_hostile_inputs_are_linear(response: str) -> None:
    start = time.perf_counter()
    for fmt in AnswerFormat:
        extract_answer(response, fmt)
    assert time.perf_counter() - start < 2.0


def test_strip_thinking() -> None:
    assert strip_thinking("a<think>b</think>c") == "a c"
    assert strip_thinking("plan</think>answer") == "answer"
    assert strip_thinking("<think>open") is None


def test_format_wrap_round_trips() -> None:
    for fmt in AnswerFormat:
        assert extract_answer(fmt.wrap("-7/3"), fmt).answer == "-7/3"
        if fmt.marker:  # the prompt shows the exact format it will check
            assert (fmt.marker if fmt is AnswerFormat.CODE else fmt.wrap("42")) in fmt.instruction


def test_whole_response_format_takes_the_reply_after_thinking() -> None:
    """Instruction-following templates answer with the whole reply: no marker, <think> still removed."""
    whole = AnswerFormat.WHOLE
    assert extract_answer("<think>plan</think>\n  Dear Sam,\nSee you soon.  ", whole).answer == "Dear Sam,\nSee you soon."
    assert extract_answer("<think>plan</think>   ", whole).reason == "no_answer"
    assert extract_answer("<think>never closed", whole).reason == "no_answer"
    assert whole.marker == "" and whole.wrap("text") == "text" and "whole reply" in whole.instruction


CODE = AnswerFormat.CODE


@pytest.mark.parametrize(
    ("response", "answer"),
    [
        ("```python\ndef f():\n    return 1\n```", "def f():\n    return 1"),
        ("<think>```python\nwrong\n```</think>Final:\n```python\nx = 1\n```", "x = 1"),
        ("```py\n    a = 1\n    b = 2\n```", "a = 1\nb = 2"),  # a block indented as a whole is dedented
        ("```bash\nls\n```\n```python\nx = 2\n```", "x = 2"),  # other languages are not answers
        ("```text\n```python\nnot an opener\n```\n```Python3\nx = 3\n```", "x = 3"),
        ("````python\ns = '```'\n```\n````", "s = '```'\n```"),  # a longer fence holds a shorter one
        ("```python\nx = 1\n```\nagain:\n```python\nx = 1\n```", "x = 1"),  # the same block repeated
    ],
)
def test_code_blocks(response: str, answer: str) -> None:
    found = extract_answer(response, CODE)
    assert found.ok and found.answer == answer, found


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        ("def f():\n    return 1", "no_answer"),  # code without a fence
        ("```\nx = 1\n```", "no_answer"),  # a fence without the python info string
        ("```python\nx = 1\n", "format"),  # never closed
        ("```python\n\n```", "no_answer"),
        ("```python\nx = 1\n```\n```python\nx = 2\n```", "hack:multiple_answers"),
        ("<think>```python\nx = 1\n```", "no_answer"),
    ],
)
def test_code_block_failures(response: str, reason: str) -> None:
    assert extract_answer(response, CODE).reason == reason


def test_code_fence_scan_is_linear() -> None:
    start = time.perf_counter()
    for text in ("```a\n" * 80_000, "```python\n```\n" * 40_000, "```python\n" + "```x\n" * 80_000):
        extract_answer(text, CODE)
    assert time.perf_counter() - start < 2.0


def test_code_fence_line_of_blanks_does_not_backtrack() -> None:
    start = time.perf_counter()  # a fence line of 2000 blanks ending in a backtick took minutes (cubic backtracking)
    assert extract_answer("```" + " \t" * 1000 + "`\n", CODE).reason == "no_answer"
    assert time.perf_counter() - start < 1.0
    assert extract_answer("```python\r\nx = 1\r\n```\r\n", CODE).answer == "x = 1"  # CRLF fences still count
