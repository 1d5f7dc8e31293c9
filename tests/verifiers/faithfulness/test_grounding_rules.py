"""The grounding rules that read claims between two entities, on the hand-written document.

Each rule in both directions: event-bound dates, comparisons, possessive relation nouns, relative
dates, split phrasal verbs, a sentence's own sums and differences, and noun-introduced counts.
"""

from __future__ import annotations

import pytest
from vrgym.verifiers.faithfulness import FactBase, find_unsupported
from vrgym.verifiers.faithfulness.claims import extract_claims
from vrgym.verifiers.faithfulness.events import event_cues, governing_event

from tests.tasks.faithfulness.handmade import metadata

BASE = FactBase.from_metadata(metadata("When was Velto Systems founded?"))

SUPPORTED = [
    "Mara Quell founded Velto Systems in 1987.",
    "In 1987, Velto Systems was founded by Mara Quell.",
    "Velto Systems was founded in 1987 and Dask Metals in 1989.",
    "The Kiro Pro, made by Velto Systems, went on sale in 2004.",
    "Dask Metals is younger than Velto Systems.",
    "Velto Systems has more employees than Dask Metals.",
    "Dask Metals is the newer company of the two, Velto Systems being founded in 1987.",
    "Velto Systems and Dask Metals make and supply; Velto Systems is the older one.",
    "Orin Quell, Mara Quell's sibling, works for Dask Metals.",
    "Velto Systems' founder, Mara Quell, works as the chief engineer.",
    "Ivo Sarn works for Velto Systems. Mara Quell is his boss.",
    "Dask Metals was founded two years after Velto Systems.",
    "Velto Systems was founded in 1987, 2 years before Dask Metals.",
    "Mara Quell set Velto Systems up.",
    "Velto Systems has 340 employees and Dask Metals 120, a difference of 220 employees.",
    "Velto Systems has a staff of 340.",
    "Brask-based Velto Systems has 340 employees.",
]

UNSUPPORTED = [
    ("Mara Quell founded Dask Metals in 1989.", "document does not state"),
    ("Ivo Sarn founded Velto Systems in 1989.", "document does not state"),
    ("The Kiro Pro, made by Velto Systems, went on sale in 1987.", "launched"),
    ("Velto Systems is younger than Dask Metals.", "is false"),
    ("Dask Metals has more employees than Velto Systems.", "is false"),
    ("Velto Systems is heavier than Dask Metals.", "not supported"),
    ("Velto Systems and Dask Metals are suppliers; Dask Metals is the older one.", "is false"),
    ("Ivo Sarn, Mara Quell's sibling, works for Velto Systems.", "sibling"),
    ("Dask Metals' founder, Mara Quell, works as the chief engineer.", "founder"),
    ("Mara Quell works for Velto Systems. Ivo Sarn is her boss.", "boss"),
    ("Dask Metals was founded three years after Velto Systems.", "relative date"),
    ("Velto Systems was founded in 1987, 2 years after Dask Metals.", "relative date"),
    ("Ivo Sarn set Velto Systems up.", "document does not state"),
    ("Velto Systems has 340 employees and Dask Metals 120, a difference of 200 employees.", "quantity"),
    ("Velto Systems has a staff of 12,400.", "quantity"),
]


@pytest.mark.parametrize("text", SUPPORTED)
def test_supported(text: str) -> None:
    assert find_unsupported(text, BASE) is None


@pytest.mark.parametrize(("text", "why"), UNSUPPORTED)
def test_unsupported(text: str, why: str) -> None:
    found = find_unsupported(text, BASE)
    assert found is not None and why in found.claim, found


def test_a_difference_cannot_vouch_for_an_invented_operand() -> None:
    """Sums and differences use only values facts give: 340 - 300 = 40 does not make 300 supported."""
    assert find_unsupported("Velto Systems has 340 employees, Dask Metals 300, a difference of 40 employees.", BASE) is not None


def test_governing_event_is_the_nearest_verb_before_the_date_else_after_an_opener() -> None:
    sentence = "Mara Quell, born in 1960, founded Velto Systems in 1987."
    claims = extract_claims(sentence)
    cues = event_cues(sentence)
    (born, _, _, _), (founded, _, _, _) = claims.spans
    assert governing_event(sentence, cues, born, born + 4, 0, founded) == frozenset({"born"})
    assert governing_event(sentence, cues, founded, founded + 4, born + 4, len(sentence)) == frozenset({"founded_on"})
    opener = "In 1987, Velto Systems was founded."
    assert governing_event(opener, event_cues(opener), 3, 7, 0, len(opener)) == frozenset({"founded_on"})
    assert governing_event("Velto Systems (1987).", [], 15, 19, 0, 21) is None


def test_a_pronoun_word_inside_a_name_is_part_of_the_name() -> None:
    """A generated first name may be a pronoun ("Them Fouther"): it names the person, not the previous sentence's entities."""
    meta = metadata("Who is Them Quell?")
    meta["entities"] = [*meta["entities"], {"name": "Them Quell", "type": "person"}]
    meta["facts"] = [*meta["facts"], {"subject": "Them Quell", "predicate": "role", "kind": "text", "value": "sales director", "unit": None}]
    base = FactBase.from_metadata(meta)
    assert find_unsupported("Velto Systems is based in Brask. Them Quell serves as the sales director.", base) is None
    assert find_unsupported("Velto Systems is based in Brask. Them Quell serves as the chief engineer.", base) is not None
