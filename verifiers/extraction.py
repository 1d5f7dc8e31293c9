"""Final-answer extraction from a model response: `<answer>…</answer>`, `\\boxed{…}` or a ```python block.

Rules, shared by every template (each chooses one format and states it in its prompt):

* Reasoning is removed first: every closed `<think>…</think>` block, and everything before the last
  `</think>` when the opening tag was part of the prompt (as chat templates of reasoning models do).
  An unclosed `<think>` means the model never finished thinking: there is no answer.
* Only the requested format counts. There is no fallback to "the last number in the text": a
  response without the format gets `no_answer`, never a lucky match.
* `\\boxed{…}` is read brace-balanced (`\\boxed{\\frac{1}{2}}` → `\\frac{1}{2}`); an unterminated box
  or tag is a `format` failure.
* Code (`AnswerFormat.CODE`) is one fenced block whose info string is `python` (also `py`,
  `python3`), opened and closed by fence lines of three or more backticks; fences of other
  languages are skipped whole, so a python fence quoted inside them does not count.
* Several final answers that differ (after trimming whitespace) are `hack:multiple_answers`: a
  policy must not hedge by listing candidates. Repeating the same answer is allowed.

Everything here is linear-time string scanning: safe on megabytes of hostile input.
"""

from __future__ import annotations

import enum
import re
import textwrap
from dataclasses import dataclass

from vrgym.verdict import FORMAT, MULTIPLE_ANSWERS, NO_ANSWER, OK

_THINK_OPEN = re.compile(r"<think>", re.IGNORECASE)
_THINK_CLOSE = re.compile(r"</think>", re.IGNORECASE)
_ANSWER_OPEN = re.compile(r"<answer>", re.IGNORECASE)
_ANSWER_CLOSE = re.compile(r"</answer>", re.IGNORECASE)
_BOXED = re.compile(r"\\(?:boxed|fbox)\s*\{")
_MAX_ANSWERS = 64
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,})([^`\n]*)$", re.MULTILINE)
"""A fence line; its info string (group 2) is stripped in Python (surrounding `[ \t]*` backtracked cubically)."""
_PYTHON_INFO = frozenset({"python", "py", "python3"})


class AnswerFormat(str, enum.Enum):
    """How a template asks for its final answer."""

    BOXED = "boxed"
    TAG = "answer_tag"
    WHOLE = "whole_response"
    """The whole reply is the answer (instruction following, writing): no marker to extract."""
    CODE = "python_code"
    """One fenced ```python block holds the program (code templates)."""

    @property
    def instruction(self) -> str:
        """The sentence a prompt uses to state this format."""
        if self is AnswerFormat.BOXED:
            return "Put your final answer, and nothing else, inside \\boxed{}, e.g. \\boxed{42}."
        if self is AnswerFormat.TAG:
            return "Put your final answer, and nothing else, between <answer> and </answer> tags, e.g. <answer>42</answer>."
        if self is AnswerFormat.CODE:
            return ("Give your final solution as exactly one fenced Python code block, starting with a line ```python "
                    "and ending with a line ```; only that block is run.")
        return "Reply with the response itself: the whole reply after any <think> block is checked as written."

    @property
    def marker(self) -> str:
        """The text every prompt in this format must contain, so the model knows where to answer ("" for WHOLE)."""
        return {AnswerFormat.BOXED: "\\boxed", AnswerFormat.TAG: "<answer>", AnswerFormat.CODE: "```python"}.get(self, "")

    def wrap(self, answer: str) -> str:
        """Render `answer` in this format (for reference responses)."""
        if self is AnswerFormat.BOXED:
            return f"\\boxed{{{answer}}}"
        if self is AnswerFormat.TAG:
            return f"<answer>{answer}</answer>"
        if self is AnswerFormat.CODE:
            return f"```python\n{answer}\n```"
        return answer


@dataclass(frozen=True)
class Extraction:
    """Outcome of extraction: the final answer, or the reason there is none (a Verdict reason code)."""

    answer: str | None
    reason: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.reason == OK


def strip_thinking(response: str) -> str | None:
    """Remove reasoning; None when a `<think>` block is left unclosed (no answer was given).

    A hand-rolled scan rather than a lazy `<think>.*?</think>` regex: the regex retries from every
    opening tag and is quadratic on a response made of many unclosed `<think>`s.
    """
    pieces: list[str] = []
    position = 0
    while True:
        opening = _THINK_OPEN.search(response, position)
        if opening is None:
            pieces.append(response[position:])
            break
        closing = _THINK_CLOSE.search(response, opening.end())
        if closing is None:
            return None
        pieces.append(response[position : opening.start()])
        pieces.append(" ")
        position = closing.end()
    text = "".join(pieces)
    last_close = None
    for last_close in _THINK_CLOSE.finditer(text):
        pass
    if last_close is not None:  # the opening tag was in the prompt: the answer part follows the last close
        text = text[last_close.end() :]
    return text


def boxed_contents(text: str) -> tuple[list[str], bool]:
    """Contents of every `\\boxed{…}` / `\\fbox{…}` in `text`, and whether one was left unterminated."""
    found: list[str] = []
    position = 0
    while len(found) <= _MAX_ANSWERS:
        match = _BOXED.search(text, position)
        if match is None:
            return found, False
        depth, start = 1, match.end()
        i = start
        while i < len(text):
            char = text[i]
            if char == "\\" and i + 1 < len(text) and text[i + 1] in "{}":
                i += 2  # escaped brace \{ or \} is literal, not structure
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        if depth != 0:
            return found, True
        found.append(text[start:i])
        position = i + 1
    return found, False


def tag_contents(text: str) -> tuple[list[str], bool]:
    """Contents of every `<answer>…</answer>` in `text`, and whether one was left unterminated."""
    found: list[str] = []
    position = 0
    while len(found) <= _MAX_ANSWERS:
        opening = _ANSWER_OPEN.search(text, position)
        if opening is None:
            return found, False
        closing = _ANSWER_CLOSE.search(text, opening.end())
        if closing is None:
            return found, True
        nested = _ANSWER_OPEN.search(text, opening.end(), closing.start())
        if nested is not None:
            return found, True  # <answer>a <answer>b</answer>: ambiguous structure
        found.append(text[opening.end() : closing.start()])
        position = closing.end()
    return found, False


def python_blocks(text: str) -> tuple[list[str], bool]:
    """Contents of every fenced python block in `text`, and whether a fence was left unclosed.

    A fence closes at the next fence line of at least as many backticks with no info string
    (CommonMark's rule), so a "```python" line inside a ```text block is content, not an opener.
    """
    found: list[str] = []
    position = 0
    while len(found) <= _MAX_ANSWERS:
        opening = _FENCE.search(text, position)
        if opening is None:
            return found, False
        ticks, info = len(opening.group(1)), opening.group(2).strip(" \t\r").split(" ")[0].lower()
        start = opening.end() + 1  # the block starts on the line after the opening fence
        closing = _FENCE.search(text, opening.end())
        while closing is not None and (closing.group(2).strip(" \t\r") or len(closing.group(1)) < ticks):
            closing = _FENCE.search(text, closing.end())
        if closing is None:
            return found, True
        if info in _PYTHON_INFO:
            found.append(text[start : closing.start()] if start <= closing.start() else "")
        position = closing.end()
    return found, False


def extract_answer(response: str, fmt: AnswerFormat = AnswerFormat.BOXED) -> Extraction:
    """Extract the single final answer of `response` in format `fmt` (never raises on a str)."""
    if not isinstance(response, str):
        return Extraction(None, FORMAT, "response is not a string")
    text = strip_thinking(response)
    if text is None:
        return Extraction(None, NO_ANSWER, "the <think> block is never closed, so no final answer was given")
    if fmt is AnswerFormat.WHOLE:
        whole = text.strip()
        return Extraction(whole, OK) if whole else Extraction(None, NO_ANSWER, "the reply is empty once <think> is removed")
    scan = {AnswerFormat.BOXED: boxed_contents, AnswerFormat.TAG: tag_contents, AnswerFormat.CODE: python_blocks}[fmt]
    contents, unterminated = scan(text)
    example = fmt.wrap("…")
    if unterminated:
        return Extraction(None, FORMAT, f"an answer marker is not terminated; write the final answer as {example}")
    if not contents:
        return Extraction(None, NO_ANSWER, f"no final answer found; write it as {example}")
    answers = [textwrap.dedent(c).strip() if fmt is AnswerFormat.CODE else c.strip() for c in contents]
    distinct = list(dict.fromkeys(answers))
    if len(distinct) > 1 or len(contents) > _MAX_ANSWERS:
        shown = ", ".join(repr(a[:40]) for a in distinct[:4])
        return Extraction(None, MULTIPLE_ANSWERS, f"{len(distinct)} different final answers given ({shown}); give exactly one")
    if not distinct[0]:
        return Extraction(None, NO_ANSWER, f"the final answer is empty; write it as {example}")
    return Extraction(distinct[0], OK)
