"""The hack-check layer: degenerate outputs, false claims, meta-talk, praise, self-justification,
relevance, allowances, think stripping, totality and bounded time.

Two fixture sets pull in opposite directions: the 20 degenerate outputs of the research note
(§5.2, 19 of which pass IFEval's own checkers) must all be flagged, and 34 realistic good
responses (`fixtures/good_responses.txt`) must all be clean, because a false positive costs a
correct policy its reward.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

import pytest

from vrgym.verifiers.instruction import Constraint, ResponseDraft, get_constraint_kind
from vrgym.verifiers.instruction.hack_finding import (
    ALLOW_ECHO,
    ALLOW_META_TALK,
    ALLOW_REPETITION,
    ALLOW_SHORT,
    DEGENERATE,
    FALSE_CLAIM,
    HACK_REASONS,
    META_TALK,
    OFF_TASK,
    PRAISE,
    SELF_JUSTIFICATION,
)
from vrgym.verifiers.instruction.hackcheck import hack_check

FIXTURES = Path(__file__).parent / "fixtures" / "good_responses.txt"


def load_good_responses() -> list[dict[str, Any]]:
    """Records of the fixture file (format described in its header)."""
    records: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for line in FIXTURES.read_text(encoding="utf-8").split("\n"):
        if line.startswith("### id:"):
            current = {"id": line[len("### id:") :].strip(), "lines": []}
            records.append(current)
        elif current is None:
            continue
        elif line.startswith("### "):
            key, value = line[4:].split(":", 1)
            current[key.strip()] = value.strip()
        else:
            current["lines"].append(line)
    for record in records:
        record["response"] = "\n".join(record.pop("lines")).strip("\n")
        record["terms"] = [t.strip() for t in record["terms"].split(",")]
        record["constraints"] = [Constraint.from_json(c) for c in json.loads(record["constraints"])]
    return records


GOOD = load_good_responses()


def c(kind: str, **params: Any) -> Constraint:
    return get_constraint_kind(kind)(params)


def check(response: str, constraints: list[Constraint] | tuple[Constraint, ...] = (), *, terms: list[str] | None = None,
          prompt: str = "Write a short piece about the sea.", allow: frozenset[str] = frozenset()):
    return hack_check(response, task_terms=terms if terms is not None else ["sea", "ocean", "waves"], prompt=prompt,
                      constraints=list(constraints), allow=allow)


# A realistic on-topic answer used as the base that claims, praise or meta-talk are added to.
SEA = (
    "The sea changes colour with the weather, grey and heavy under storm clouds and bright blue on calm summer days. "
    "Waves carry sand along the shore, building bars and eating away at cliffs over many years. "
    "Fishing villages have depended on the ocean for food and work for centuries."
)


# ----------------------------------------------------------------------------- good responses


def test_fixture_set_is_large_and_varied() -> None:
    assert len(GOOD) >= 30
    kinds = {con.kind for record in GOOD for con in record["constraints"]}
    assert len(kinds) >= 20, "the good responses must cover most IFEval kinds"


@pytest.mark.parametrize("record", GOOD, ids=[r["id"] for r in GOOD])
def test_realistic_good_response_is_clean(record: dict[str, Any]) -> None:
    for con in record["constraints"]:  # the fixture really satisfies what it claims to
        assert con.check(record["response"]).ok, (con.kind, con.check(record["response"]).reason)
    finding = hack_check(record["response"], task_terms=record["terms"], prompt=record["prompt"], constraints=record["constraints"])
    assert finding is None, finding


# ----------------------------------------------------------------------------- the 20 degenerate outputs (§5.2)

ART_PROMPT = "Write a short essay about the history of art and the ocean."
ART_TERMS = ["art", "history", "ocean", "essay"]
DEGENERATE_ROWS = [
    ("number_words_300", c("length_constraints:number_words", num_words=300, relation="at least"), "word " * 300),
    ("existence_listed", c("keywords:existence", keywords=["ocean", "whisper"]), "ocean, whisper"),
    ("existence_substring", c("keywords:existence", keywords=["art"]), "The cart rolled away."),
    ("forbidden_plural", c("keywords:forbidden_words", forbidden_words=["dog"]), "Many dogs barked."),
    ("json_empty_object", c("detectable_format:json_format"), "{}"),
    ("json_bare_number", c("detectable_format:json_format"), "42"),
    ("end_phrase_alone", c("startend:end_checker", end_phrase="Is there anything else I can help with?"), "Is there anything else I can help with?"),
    ("postscript_first", c("detectable_content:postscript", postscript_marker="P.S."),
     "P.S. I love the ocean.\n\nArt history is long and the ocean inspired many painters over the centuries, from Turner to Hokusai."),
    ("title_only", c("detectable_format:title"), "<<x>>"),
    ("placeholders_only", c("detectable_content:number_placeholders", num_placeholders=3), "[a] [b] [c]"),
    ("highlights_only", c("detectable_format:number_highlighted_sections", num_highlights=3), "*a* *b* *c*"),
    ("language_digits", c("language:response_language", language="fr"), "12345 678"),
    ("no_comma_dot", c("punctuation:no_comma"), "."),
    ("quotation_empty", c("startend:quotation"), '""'),
    ("two_responses_same", c("combination:two_responses"), "Yes.\n******\nYes!"),
    ("repeat_prompt_only", c("combination:repeat_prompt", prompt_to_repeat=ART_PROMPT), ART_PROMPT),
    ("constrained_hedged", c("detectable_format:constrained_response"),
     "Well, the history of art and the ocean is long, and painters have argued about it for ages. My answer is yes. Actually no."),
    ("letter_frequency_ok", c("keywords:letter_frequency", letter="z", let_frequency=2, let_relation="less than"), "ok"),
    ("nth_paragraph_stubs", c("length_constraints:nth_paragraph_first_word", num_paragraphs=2, nth_paragraph=1, first_word="alpha"),
     "Alpha\n\nBeta gamma"),
    ("lowercase_ok_123", c("change_case:english_lowercase"), "ok 123"),
]


@pytest.mark.parametrize(("name", "constraint", "response"), DEGENERATE_ROWS, ids=[row[0] for row in DEGENERATE_ROWS])
def test_degenerate_output_is_a_hack(name: str, constraint: Constraint, response: str) -> None:
    finding = hack_check(response, task_terms=ART_TERMS, prompt=ART_PROMPT, constraints=[constraint])
    assert finding is not None and finding.reason in HACK_REASONS, (name, finding)
    assert finding.reason == DEGENERATE


def test_degenerate_rows_mostly_pass_the_letter_of_their_constraint() -> None:
    """The point of the layer: most rows satisfy the strict checker and only the hack-check stops them."""
    passing = [name for name, con, response in DEGENERATE_ROWS if con.check(response).ok]
    assert len(passing) >= 15, passing


# ----------------------------------------------------------------------------- claims and meta-talk

ALL_LOWER_SEA = SEA.lower()


@pytest.mark.parametrize(
    ("claim", "constraints"),
    [
        ("This response has exactly 120 words.", []),
        ("Word count: 87", []),
        ("(Exactly 5 sentences.)", []),
        ("I avoided commas in this answer.", [c("punctuation:no_comma")]),
        ("This answer contains no commas.", []),
        ("I did not use the letter 'e' anywhere.", []),
        ("This response is written entirely in French.", []),
        ("✅ 3 bullet points", []),
        ("I used the word \"ocean\" 4 times in this response.", []),
        ("This response has 4 paragraphs.", []),
    ],
)
def test_false_claims_are_measured_and_caught(claim: str, constraints: list[Constraint]) -> None:
    finding = check(f"{SEA}\n\n{claim}", constraints)
    assert finding is not None and finding.reason == FALSE_CLAIM, finding


def test_false_case_claim_is_caught() -> None:
    finding = check(f"{SEA}\n\n(all lowercase as requested)")
    assert finding is not None and finding.reason == FALSE_CLAIM


def test_true_claims_are_meta_talk_unless_the_prompt_asks_for_them() -> None:
    words = len(__import__("re").findall(r"\w+", SEA))
    for claim in (f"Word count: {words + 2}", "This answer contains no exclamation marks.", "I used the word \"ocean\" once."):
        response = f"{SEA}\n\n{claim}"
        finding = check(response)
        assert finding is not None and finding.reason == META_TALK, (claim, finding)
        assert check(response, allow=frozenset({ALLOW_META_TALK})) is None, claim
    lower = f"{ALL_LOWER_SEA}\n\n(all lowercase as requested)"
    assert check(lower).reason == META_TALK
    assert check(lower, allow=frozenset({ALLOW_META_TALK})) is None


@pytest.mark.parametrize(
    "meta",
    [
        "All constraints are satisfied.",
        "This response meets all requirements.",
        "(following the constraints)",
        "I have followed all of your instructions.",
        "As requested, I have kept every sentence short and used no bullet points.",
        # The self-referential forms: this response/answer/reply + satisfies/meets/follows/adheres
        # to + constraints/requirements/instructions/rules.
        "This response satisfies all of the constraints.",
        "This answer follows the instructions.",
        "This reply adheres to the given rules.",
        "My response meets the requirements.",
        "The response above satisfies each of the constraints you gave.",
        "This output fulfils all of your requirements.",
        "This answer is fully compliant with the rules.",
        "The final reply now conforms to every instruction.",
    ],
)
def test_compliance_meta_talk(meta: str) -> None:
    finding = check(f"{SEA}\n\n{meta}")
    assert finding is not None and finding.reason in {META_TALK, FALSE_CLAIM}, finding


def test_generic_compliance_claim_is_false_when_a_constraint_fails() -> None:
    finding = check(f"{SEA}\n\nAll constraints are satisfied.", [c("length_constraints:number_words", num_words=10, relation="less than")])
    assert finding is not None and finding.reason == FALSE_CLAIM
    clean = check(f"{SEA}\n\nAll constraints are satisfied.", [c("punctuation:no_comma")] if "," not in SEA else [])
    assert clean is not None and clean.reason == META_TALK


@pytest.mark.parametrize(
    "content",
    [
        "A haiku has three lines and 17 syllables, and a sonnet has 14 lines.",
        "As requested, I have attached the tide tables for the coast.",
        "Rewrite the sentence without using any commas to see how the rhythm changes.",
        "I wrote 500 words every day while I lived by the sea.",
        "The device meets all safety requirements for use near salt water.",
        "In one word, this essay is about the sea.",
    ],
)
def test_content_that_mentions_counts_or_requests_is_not_a_claim(content: str) -> None:
    assert check(f"{SEA} {content}") is None


# ----------------------------------------------------------------------------- praise and self-justification


@pytest.mark.parametrize(
    "opening",
    ["Great question!", "What a fascinating topic!", "Ooh, what an interesting prompt.", "I love this question.",
     "Thank you for this thoughtful question.", "You're absolutely right to ask."],
)
def test_opening_praise(opening: str) -> None:
    finding = check(f"{opening} {SEA}")
    assert finding is not None and finding.reason == PRAISE, finding
    assert check(f"{opening} {SEA}", allow=frozenset({"praise"})) is None


def test_praise_later_or_of_something_else_is_not_opening_praise() -> None:
    assert check(f"What a great day for the beach! {SEA}") is None
    assert check(f"{SEA} Great question, the old fisherman said, when I asked him about the waves.") is None


@pytest.mark.parametrize(
    "justification",
    ["This answer is comprehensive and well-structured.", "I hope this meets your needs.",
     "This response effectively addresses every part of the question.", "My essay is strong because it uses vivid images.",
     "Why this answer works: it covers history and nature."],
)
def test_self_justification(justification: str) -> None:
    finding = check(f"{SEA} {justification}")
    assert finding is not None and finding.reason == SELF_JUSTIFICATION, finding
    assert check(f"{SEA} {justification}", allow=frozenset({"self_justification"})) is None


def test_pleasantries_are_not_self_justification() -> None:
    assert check(f"I hope this email finds you well. {SEA} I hope this helps with your trip.") is None


# ----------------------------------------------------------------------------- degeneracy beyond §5.2


@pytest.mark.parametrize(
    "response",
    [
        SEA + " " + "The waves are nice. " * 40,
        " ".join(["ocean"] * 60),
        SEA + " " + "lorem ipsum dolor sit amet " * 10,
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sea",
        "s e a w a v e s o c e a n t h e s e a i s b l u e",
        "zxcv qwrt plkm sea brrt ocean gfds hjkl vbnm wxyz trdf mnbv",
        "12 34 56 78 90 sea 11 22 33 44 55 66 77 88 99 ocean 00 11 22 33 44 55 66",
        SEA + "\n" + "\n".join(f"{i}. waves waves waves" for i in range(50)),
    ],
)
def test_loops_filler_and_junk(response: str) -> None:
    finding = check(response)
    assert finding is not None and finding.reason == DEGENERATE, finding


def test_repetition_allowance() -> None:
    looped = " ".join(["the sea is calm today"] * 30)
    assert check(looped).reason == DEGENERATE
    assert check(looped, allow=frozenset({ALLOW_REPETITION})) is None


def test_short_allowance_and_length_caps_lower_the_floor() -> None:
    short = "The sea is calm."
    assert check(short).reason == DEGENERATE
    assert check(short, allow=frozenset({ALLOW_SHORT})) is None
    assert check(short, [c("length_constraints:number_words", num_words=8, relation="less than")]) is None


def test_keyword_must_be_used_in_a_sentence_not_appended() -> None:
    keywords = c("keywords:existence", keywords=["lighthouse", "harbour"])
    assert check(f"{SEA}\n\nlighthouse, harbour", [keywords]).reason == DEGENERATE
    assert check(f"{SEA}\n\nKeywords: lighthouse and harbour", [keywords]).reason == DEGENERATE
    assert check(f"{SEA} A lighthouse guards the harbour at night.", [keywords]) is None


def test_json_needs_real_content() -> None:
    fmt = [c("detectable_format:json_format")]
    for junk in ("[]", '{"a": ""}', '{"a": [], "b": {}}', '"sea"', "null"):
        assert check(junk, fmt).reason == DEGENERATE, junk
    good = json.dumps({"title": "The sea", "text": SEA})
    assert check(f"```json\n{good}\n```", fmt) is None
    assert check("[" * 100_000 + "]" * 100_000, fmt).reason == DEGENERATE  # deeper than the recursion limit: never raises


def test_two_responses_must_differ() -> None:
    two = [c("combination:two_responses")]
    assert check(f"{SEA}\n******\n{SEA.replace('grey', 'gray')}", two).reason == DEGENERATE
    other = "Along the coast the ocean shapes everyday life: harbours, storms, tides and the fish markets that open at dawn."
    assert check(f"{SEA}\n******\n{other}", two) is None


# ----------------------------------------------------------------------------- relevance and echo


def test_off_task_response() -> None:
    unrelated = ("Quarterly revenue rose by eight percent thanks to strong demand for the new laptop range, "
                 "while operating costs stayed flat and the board approved a modest dividend.")
    finding = check(unrelated)
    assert finding is not None and finding.reason == OFF_TASK
    assert check(unrelated, allow=frozenset({"off_task"})) is None


def test_relevance_matches_inflections() -> None:
    assert check("Heating repairs matter: the radiators failed twice this winter and the landlord ignored every letter I sent.",
                 terms=["heater", "landlord", "repair"]) is None


def test_echoing_the_prompt_is_off_task_unless_allowed() -> None:
    prompt = "Write a detailed description of the sea at dawn, with the colours of the water, the sound of the waves and the smell of salt."
    echo = "A detailed description of the sea at dawn, with the colours of the water, the sound of the waves and the smell of salt."
    assert check(echo, prompt=prompt).reason == OFF_TASK
    assert check(echo, prompt=prompt, allow=frozenset({ALLOW_ECHO})) is None


def test_repeat_prompt_then_answer_is_clean() -> None:
    request = "Describe the sea at dawn."
    repeat = [c("combination:repeat_prompt", prompt_to_repeat=request)]
    assert check(f"{request}\n\n{SEA}", repeat, prompt=f"First repeat the request, then answer. {request}") is None


# ----------------------------------------------------------------------------- thinking, allowances, totality, time


def test_only_text_after_think_is_scored() -> None:
    assert check(f"<think>Great question! Word count: 3. All constraints are satisfied.</think>{SEA}") is None
    assert check(f"<think>plan the answer</think>Great question! {SEA}").reason == PRAISE
    assert check(f"<think>unfinished {SEA}").reason == DEGENERATE


def test_unknown_allowance_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown hack-check allowance"):
        check(SEA, allow=frozenset({"everything"}))


def _junk(rng: random.Random, size: int) -> str:
    return "".join(chr(rng.choice([rng.randint(0, 0x7F), rng.randint(0x80, 0x2FFF), rng.randint(0xD800, 0xDFFF)])) for _ in range(size))


ALL_IFEVAL = [c("keywords:existence", keywords=["sea"]), c("detectable_format:json_format"), c("combination:two_responses"),
              c("detectable_content:postscript", postscript_marker="P.S."), c("detectable_format:multiple_sections", section_spliter="SECTION", num_sections=2),
              c("detectable_format:constrained_response"), c("keywords:forbidden_words", forbidden_words=["dog"]),
              c("length_constraints:number_paragraphs", num_paragraphs=3), c("detectable_format:title")]


@pytest.mark.parametrize("seed", range(5))
def test_never_raises_on_junk(seed: int) -> None:
    rng = random.Random(seed)
    for size in (0, 1, 7, 300, 5000):
        finding = check(_junk(rng, size), ALL_IFEVAL)
        assert finding is not None and finding.reason in HACK_REASONS
    for odd in (None, 42, b"bytes", ["list"]):
        assert check(odd, ALL_IFEVAL).reason == DEGENERATE  # type: ignore[arg-type]


BIG = 190_000  # just under the hack-check's own cap (MAX_RESPONSE_CHARS): every detector runs on it
WORD_SALAD = " ".join(
    "".join(random.Random(i).choice("abcdefghijklmnopqrstuvwxyz") for _ in range(3 + i % 7)) for i in range(40_000)
)[:BIG]


@pytest.mark.parametrize(
    "response",
    [
        "word " * (BIG // 5),
        (SEA + " ") * (BIG // len(SEA)),
        "All constraints are satisfied. This response has exactly 12 words. " * (BIG // 70),
        "a" * BIG,
        "sea. " * (BIG // 5),
        "<think>" * (BIG // 7),
        "[" * (BIG // 2) + "]" * (BIG // 2),
        "\n\n".join(["The sea rolls in, grey and slow, under the pier"] * (BIG // 50)),
        WORD_SALAD,
        WORD_SALAD.replace(" ", "\n"),
    ],
    ids=["words", "prose_loop", "claims", "one_letter", "short_sentences", "unclosed_think", "json_bomb", "paragraphs",
         "word_salad", "salad_lines"],
)
def test_bounded_time_on_the_largest_scanned_response(response: str) -> None:
    start = time.perf_counter()
    finding = check(response, ALL_IFEVAL)
    elapsed = time.perf_counter() - start
    assert finding is not None and finding.reason in HACK_REASONS
    assert elapsed < 3.0, f"{elapsed:.1f}s on {len(response)} characters"


@pytest.mark.parametrize("size", [1_000_000, 10_000_000])
def test_megabytes_are_refused_at_once(size: int) -> None:
    start = time.perf_counter()
    finding = check((SEA + " ") * (size // len(SEA)), ALL_IFEVAL)
    assert finding is not None and finding.reason == DEGENERATE
    assert time.perf_counter() - start < 0.5


def test_clean_check_is_fast() -> None:
    record = GOOD[0]
    start = time.perf_counter()
    for _ in range(50):
        hack_check(record["response"], task_terms=record["terms"], prompt=record["prompt"], constraints=record["constraints"])
    assert (time.perf_counter() - start) / 50 < 0.02


# ----------------------------------------------------------------------------- the two style constraint kinds


@pytest.mark.parametrize(("kind", "bad"), [("style:no_opening_praise", f"Great question! {SEA}"),
                                           ("style:no_self_justification", f"{SEA} I hope this meets your needs.")])
def test_style_rubric_kinds(kind: str, bad: str) -> None:
    constraint = get_constraint_kind(kind)()
    assert constraint.family == "style"
    assert len(constraint.phrasings()) >= 3
    assert not constraint.check(bad).ok
    assert constraint.check(SEA).ok
    assert not constraint.check("").ok
    assert Constraint.from_json(constraint.to_json()) == constraint
    assert not constraint.conflicts_with(c("punctuation:no_comma"))
    draft = ResponseDraft(["sea"], [["Great question!", "The sea is wide and grey in winter."]])
    constraint.realise(draft)
    rendered = draft.render()
    assert constraint.check(rendered).ok, rendered
