"""The composer: attach compatible, satisfiable constraints to a base writing task, phrase them,
and build the constructive reference response that proves the combination can be met.

Why a constructive reference: an instruction-following problem has no single right answer, so a
template cannot store "the" answer. Instead every problem carries a proof of satisfiability — a
response built from the base task's own sentences (a `ResponseDraft`), edited by each
constraint's `realise` in `realise_order`, rendered, and then checked by the very checkers and
hack-check the verifier uses. A combination that fails (a realise step that undoes another, a
forbidden word the topic needs, a length the content cannot reach …) is redrawn, and the number
of redraws is recorded so a regression that makes them common is visible in the metadata and
the tests.

Difficulty comes from *how many* constraints and *which kind*: simple ones act on words and
letters, structural ones (paragraphs, sections, bullets, titles, JSON, wrapping, realise_order ≥
ORDER_STRUCTURE) reshape the whole response, and edge-case mode samples boundary parameters
(exactly N, zero occurrences, maximal nesting).

Constraints are sampled with the base task's `SampleContext` (keywords from the task's own
vocabulary, spans of its request to copy), and every draft keeps `TOPIC_FLOOR` topic terms in
pinned anchor sentences, so a reference addresses its task whatever constraints apply.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from vrgym.tasks.instruction.data import BaseTask, base_task_index, base_tasks
from vrgym.verifiers.extraction import AnswerFormat
from vrgym.verifiers.instruction import Constraint, ResponseDraft, SampleContext, constraint_kinds, realise_all
from vrgym.verifiers.instruction.base import ORDER_STRUCTURE

TOPIC_FLOOR = 2
"""Topic terms every reference keeps whatever its constraints (pinned topic anchors of the draft):
the relevance floor asks for two of 5+ terms in a 60+ word response, and a reference should meet
the stricter reading even when it is short."""

MAX_REDRAWS = 60
"""Constraint sets tried for one problem before giving up (redraws are rare; see the tests)."""

EXCLUDED_KINDS: dict[str, str] = {
    "language:response_language": "the constructive reference is built from English sentences, so only an English "
    "target would be satisfiable; IFEval-style datasets with other languages still verify through the kind itself",
}
"""Kinds the composer never attaches, with the reason (they still verify when a dataset uses them)."""

_INTROS_LIST = (
    "Requirements for your response:",
    "Follow these instructions:",
    "Your response must meet every one of these requirements:",
    "Please keep to the following rules:",
    "Constraints:",
)
_INTROS_PROSE = ("", "In your response, ", "Note: ")

RESPONSE_FORMAT = AnswerFormat.WHOLE.instruction
"""The last line of every prompt: how the reply is read (the whole text after any <think> block)."""


@dataclass(frozen=True)
class ComposeSpec:
    """What a level asks of the composer."""

    min_constraints: int
    max_constraints: int
    min_structural: int = 0
    edge_share: float = 0.0
    """Probability that each constraint is sampled with boundary parameters."""
    ifeval_only: bool = False
    """Only the 25 IFEval kinds (for IFEval compatibility)."""


@dataclass(frozen=True)
class Composition:
    """A base task with its constraints, their phrasings and a reference that satisfies them all."""

    task: BaseTask
    constraints: tuple[Constraint, ...]
    phrasings: tuple[str, ...]
    reference: str
    redraws: int
    edge: tuple[bool, ...]


def is_structural(kind: type[Constraint]) -> bool:
    """Whether a kind reshapes the whole response (structure, form of every line, wrapping)."""
    return kind.realise_order >= ORDER_STRUCTURE


@lru_cache(maxsize=2)
def usable_kinds(ifeval_only: bool) -> tuple[type[Constraint], ...]:
    """Kinds the composer may attach, sorted by id (a stable order: problems depend on it)."""
    kinds = [k for k in constraint_kinds() if k.kind not in EXCLUDED_KINDS and (k.ifeval or not ifeval_only)]
    if not kinds:
        raise RuntimeError("no instruction constraint kinds are registered; vrgym.verifiers.instruction failed to load its kinds")
    return tuple(kinds)


def families(kinds: Sequence[type[Constraint]]) -> dict[str, list[type[Constraint]]]:
    """Kinds grouped by family, families in sorted order (drawing a family first keeps big families
    from crowding out small ones)."""
    grouped: dict[str, list[type[Constraint]]] = {}
    for kind in kinds:
        grouped.setdefault(kind.family, []).append(kind)
    return dict(sorted(grouped.items()))


@lru_cache(maxsize=512)
def context_of(task: BaseTask) -> SampleContext:
    """What constraint samplers may know about `task`: its request (copy kinds take a span of it)
    and its own sentences (keyword kinds draw words from their vocabulary)."""
    return SampleContext(request=task.request, topic_terms=task.topic_terms, sentences=task.content + task.extra)


def sample_for(kind: type[Constraint], rng: random.Random, task: BaseTask, *, edge: bool) -> Constraint:
    """An instance of `kind` fitted to `task` (sampled with its context, then bound to it)."""
    return bind_to_task(kind.sample(rng, edge=edge, context=context_of(task)), task)


def bind_to_task(constraint: Constraint, task: BaseTask) -> Constraint:
    """Fill parameters that must come from the task itself (the request to repeat verbatim)."""
    params = constraint.params.model_dump()
    if "prompt_to_repeat" in params and params["prompt_to_repeat"] != task.request:
        return type(constraint)({**params, "prompt_to_repeat": task.request})
    return constraint


def start_draft(task: BaseTask) -> ResponseDraft:
    """A draft of the base task's own content: opening, body and closing as two or three paragraphs."""
    content = list(task.content)
    if len(content) >= 8:
        cut1, cut2 = len(content) // 3, 2 * len(content) // 3
        paragraphs = [content[:cut1], content[cut1:cut2], content[cut2:]]
    else:
        half = len(content) // 2
        paragraphs = [content[:half], content[half:]]
    draft = ResponseDraft(task.topic_terms, paragraphs, spare=task.extra, title_hint=_title(task))
    draft.anchor_topic(TOPIC_FLOOR)
    return draft


def _title(task: BaseTask) -> str:
    words = task.topic.split()
    return " ".join(w if w[:1].isupper() else w.capitalize() for w in words)


def build_reference(task: BaseTask, constraints: Sequence[Constraint]) -> str | None:
    """The rendered constructive reference, or None when realising leaves a constraint failing.

    Deterministic in (task, constraints): `reference_response` rebuilds it from a Problem alone.
    """
    draft = start_draft(task)
    if not realise_all(constraints, draft):
        return None
    return draft.render()


HackCheck = Callable[[str, BaseTask, str, Sequence[Constraint]], object | None]


def compose(
    rng: random.Random,
    spec: ComposeSpec,
    *,
    hack_check: HackCheck,
    task: BaseTask | None = None,
    prompt_for: Callable[[BaseTask, Sequence[str]], str] | None = None,
) -> Composition:
    """Draw a base task (unless given) and a constraint set for it that a reference provably meets.

    `hack_check(reference, task, prompt, constraints)` must return None for the reference (the
    verifier applies the same layer); `prompt_for` renders the prompt that check sees.
    """
    kinds = usable_kinds(spec.ifeval_only)
    grouped = families(kinds)
    prompt_for = prompt_for or (lambda t, phr: compose_prompt(t.request, phr, random.Random(0)))
    for redraw in range(MAX_REDRAWS):
        chosen_task = task if task is not None else rng.choice(base_tasks())
        count = rng.randint(spec.min_constraints, spec.max_constraints)
        picked = draw_constraints(rng, grouped, count, spec, chosen_task)
        if picked is None:
            continue
        constraints = tuple(c for c, _ in picked)
        reference = build_reference(chosen_task, constraints)
        if reference is None:
            continue
        phrasings = tuple(c.phrase(rng) for c in constraints)
        if hack_check(reference, chosen_task, prompt_for(chosen_task, phrasings), constraints) is not None:
            continue
        return Composition(chosen_task, constraints, phrasings, reference, redraw, tuple(e for _, e in picked))
    raise RuntimeError(
        f"no satisfiable constraint set found in {MAX_REDRAWS} draws for {spec}; a constraint kind's sample/realise "
        "is probably broken (run tests/tasks/test_instruction_following.py to see which)"
    )


def draw_constraints(
    rng: random.Random,
    grouped: dict[str, list[type[Constraint]]],
    count: int,
    spec: ComposeSpec,
    task: BaseTask,
) -> list[tuple[Constraint, bool]] | None:
    """`count` mutually compatible constraints (`min_structural` of them structural), or None."""
    names = list(grouped)
    structural_families = [name for name, kinds in grouped.items() if any(is_structural(k) for k in kinds)]
    picked: list[tuple[Constraint, bool]] = []
    structural_needed = min(spec.min_structural, count)
    for _ in range(count * 8):
        if len(picked) >= count:
            break
        want_structural = sum(is_structural(type(c)) for c, _ in picked) < structural_needed
        pool = structural_families if want_structural and structural_families else names
        family = grouped[rng.choice(pool)]
        options = [k for k in family if is_structural(k)] if want_structural else family
        if not options:
            continue
        kind = rng.choice(options)
        edge = rng.random() < spec.edge_share
        candidate = sample_for(kind, rng, task, edge=edge)
        if any(candidate.conflicts_with(other) for other, _ in picked):
            continue
        picked.append((candidate, edge))
    return picked if len(picked) == count else None


def compose_prompt(request: str, phrasings: Sequence[str], rng: random.Random) -> str:
    """The prompt: the base request, the constraint phrasings (as prose or a list), the format line."""
    if len(phrasings) == 1 or (len(phrasings) <= 2 and rng.random() < 0.5):
        lead = rng.choice(_INTROS_PROSE)
        sentences = " ".join(as_sentence(p) for p in phrasings)
        body = f"{request} {lead}{_lower_first(sentences) if lead.endswith(', ') else sentences}"
    else:
        items = "\n".join(f"- {as_sentence(p)}" for p in phrasings)
        body = f"{request}\n\n{rng.choice(_INTROS_LIST)}\n{items}"
    return f"{body}\n\n{RESPONSE_FORMAT}"


def as_sentence(text: str) -> str:
    """`text` stripped and ending in terminal punctuation (phrasings are joined as prose)."""
    text = text.strip()
    return text if text[-1:] in ".!?\"')" else f"{text}."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def task_of(base_task_id: str) -> BaseTask:
    """The base task a Problem names; a clear error if the pool no longer has it."""
    try:
        return base_task_index()[base_task_id]
    except KeyError:
        raise KeyError(f"base task {base_task_id!r} is not in this vrgym's task pool; regenerate the problem with this version") from None
