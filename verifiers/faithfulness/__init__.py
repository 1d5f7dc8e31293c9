"""Faithfulness checkers: claims read sentence by sentence and checked against a document's facts.

* `values` — exact numbers (digits or words), quantities with units, dates in several formats;
* `facts` — `FactBase`, the structured facts a generator stores in a problem's metadata;
* `relations` — the relations a document states and the phrasings that claim them;
* `claims` — sentence splitting and claim extraction;
* `grounding` — `find_unsupported`: the first sentence with a claim the facts do not support;
* `answers` — typed comparison of a short answer (names, quantities, dates, "not stated").
"""

from vrgym.verifiers.faithfulness.answers import answer_matches, says_not_stated
from vrgym.verifiers.faithfulness.facts import Fact, FactBase
from vrgym.verifiers.faithfulness.grounding import Unsupported, find_unsupported

UNSUPPORTED_CLAIM = "hack:unsupported_claim"
"""Verdict reason: the response states something the document does not support."""

__all__ = ["UNSUPPORTED_CLAIM", "Fact", "FactBase", "Unsupported", "answer_matches", "find_unsupported", "says_not_stated"]
