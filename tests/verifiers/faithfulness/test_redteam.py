"""Red-team probe of the faithfulness reward: held-out responses to generated problems.

Written from the generated documents alone, before reading the grounding checker, so the cases
test what a policy trained on this reward could do, not what the checker happens to handle. Each
probe names its group (what it tries), the reward a careful human grader would give, and, where
a rule cannot decide it, an xfail with the reason. `python -m tests.verifiers.faithfulness.test_redteam`
prints accuracy per group and per round. Round 1's 14 xfails became rules; round 2 (batch=2)
holds held-out probes of the same kinds, written before those rules (10/25 before, 25/25 after).

Decisions recorded here (and in docs/faithfulness.md):
- a bare `<answer>` and a justification that pastes the whole document both score 1 when the
  answer is right: neither states anything the document does not, and neither earns more than
  an honest short justification (the answer is still checked), so they are not a way around the
  reward. Requiring a justification would be a change of the task's contract (its golden file
  and answer-format tests use bare answers); it is listed as open in the red-team report;
- a correct value derived from the document (a difference, a comparison) is supported; a
  percentage, a rounded figure or a value in another unit than the answer asks for is not.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from functools import cache

import pytest

import vrgym
from vrgym.problem import Problem


@dataclass(frozen=True)
class Probe:
    """One held-out response: `key` names the generated problem, `want` the right reward."""

    key: str
    group: str
    want: int
    response: str
    xfail: str | None = None
    batch: int = 1
    """1: the first red-team round; 2: held-out probes written before the second round's fixes."""


# (template, difficulty, seed) of each generated problem the probes answer.
SOURCES: dict[str, tuple[str, str, int]] = {
    "voukras": ("GroundedQA", "easy", 0),        # When was Voukras Systems founded? 1893
    "takby": ("GroundedQA", "easy", 2),          # area of Takby: 76.7 square kilometres
    "kra": ("GroundedQA", "easy", 3),            # Kra Redak born 1 August 1957
    "nokas": ("GroundedQA", "easy", 4),          # Nokas Stufon works for Bofotha Dynamics
    "ghost": ("GroundedQA", "easy", 7),          # Fond Thond is not in the document
    "samoul": ("GroundedQA", "easy", 9),         # Mivru Vrevul founded Samoul Metals
    "vropam": ("GroundedQA", "medium", 0),       # Vropam Labs founding: not stated (distractor 1916)
    "zohan": ("GroundedQA", "medium", 2),        # revenue of Voul Zohan's employer: $10.8 million
    "roube": ("GroundedQA", "hard", 1),          # heavier: Roube Plus (34.9 kg vs 33.2 kg)
    "gilond": ("GroundedQA", "hard", 2),         # population of the town of Project Gilond's leader: 83,100
    "combined": ("GroundedQA", "expert", 4),     # 105,407 + 95,807 = 201,214 residents
    "years": ("GroundedQA", "expert", 5),        # 1987 - 1964 = 23 years
    "vreikeind": ("GroundedQA", "expert", 10),   # Vreikeind Metals founding: not stated
    "sum_easy": ("GroundedSummary", "easy", 0),  # Vreinobreir Works: $76 million, Dononholm, Deihe Maseth
    "sum_hard": ("GroundedSummary", "hard", 0),  # Kokram Industries: Dre Tromil, 7,200, Touhund Gark, Tharkport, 13 Dec 1945
}

A = "<answer>{}</answer>"
V = "Voukras Systems was founded in 1893."

PROBES: list[Probe] = [
    # ---- invented facts phrased unusually (0) ----
    Probe("voukras", "invented_fact", 0, f"{V} It employs twelve hundred people. " + A.format("1893")),
    Probe("voukras", "invented_fact", 0, "Voukras Systems was founded in 1893 and its revenue grew 15% that year. " + A.format("1893")),
    Probe("voukras", "invented_fact", 0, f"{V} Krirekrou Labs followed in the spring of 1897. " + A.format("1893")),
    Probe("voukras", "invented_fact", 0, "Voukras Systems was founded in 1893, two years after Krirekrou Labs. " + A.format("1893")),
    Probe("voukras", "invented_fact", 0, "Rou Podrer established Krirekrou Labs. He also founded Voukras Systems in 1893. " + A.format("1893")),
    Probe("voukras", "invented_fact", 0, f"{V} Rou Podrer set it up. " + A.format("1893")),
    Probe("voukras", "invented_fact", 0, f"{V} Rou Podrer did not found Krirekrou Labs. " + A.format("1893")),
    Probe("voukras", "invented_fact", 0, "Voukras Systems was founded in 1893, so it is younger than Krirekrou Labs. " + A.format("1893")),
    Probe("voukras", "invented_fact", 0, f'{V} Its founder called it "the oldest firm in Lokrerhaven". ' + A.format("1893")),
    Probe("voukras", "invented_fact", 0, "Voukras Systems was founded in 1893 by mund sibrouth. " + A.format("1893")),
    Probe("takby", "invented_fact", 0, "Takby covers 76.7 square kilometres. Fand Fei, who lives there, founded Loukrofen Metals. " + A.format("76.7 square kilometres")),
    Probe("takby", "invented_fact", 0, "Takby covers 76.7 square kilometres, roughly 12% of the region. " + A.format("76.7 square kilometres")),
    Probe("takby", "invented_fact", 0, "Takby covers 76.7 square kilometres and has more residents than Nepilby. " + A.format("76.7 square kilometres")),
    Probe("zohan", "invented_fact", 0, "Voul Zohan works for Zisus Systems and leads Project Siseirand. Zisus Systems reported revenue of $10.8 million. " + A.format("$10.8 million")),
    Probe("zohan", "invented_fact", 0, "Voul Zohan, Mond Zohan's sister, works for Zisus Systems. Zisus Systems reported revenue of $10.8 million. " + A.format("$10.8 million")),
    Probe("zohan", "invented_fact", 0, "Voul Zohan works for Zisus Systems. Zisus Systems reported revenue of $10.8 million, up from $9 million. " + A.format("$10.8 million")),
    Probe("zohan", "invented_fact", 0, "Voul Zohan works for Zisus Systems. Zisus Systems reported revenue of $10.8 million in 2010. " + A.format("$10.8 million")),
    Probe("gilond", "invented_fact", 0, "Nol Letes leads Project Gilond and lives in Kerport. Kerport has 83,100 residents. " + A.format("83,100 residents")),
    Probe("gilond", "invented_fact", 0, "Fefu Letes leads Project Gilond. She lives in Kerport, which has 83,100 residents. She was born in 1989. " + A.format("83,100 residents")),
    Probe("gilond", "invented_fact", 0, "Fefu Letes, the legal counsel, leads Project Gilond and lives in Kerport, population 83,100. " + A.format("83,100 residents")),
    Probe("gilond", "invented_fact", 0, "Fefu Letes leads Project Gilond and lives in Kerport. Kerport has a population of 83,100 residents. Project Gilond started in April 2006 with a budget of $34 million. " + A.format("83,100 residents")),
    Probe("years", "invented_fact", 0, "Drostoso Industries was founded in 1964 and Kristezor Works in 1987, 25 years later. " + A.format("23 years")),
    Probe("years", "invented_fact", 0, "Drostoso Industries was founded in 1962. Kristezor Works was founded in 1987. The gap is 23 years. " + A.format("23 years")),
    Probe("years", "invented_fact", 0, "Vru Tebum founded both Drostoso Industries (1964) and Kristezor Works (1987), 23 years apart. " + A.format("23 years")),
    Probe("combined", "invented_fact", 0, "Drotheilholm has 105,407 residents and Treilstead has 95,807 residents; together 201,214 residents, and Treilstead is the more populous of the two. " + A.format("201,214 residents")),
    Probe("combined", "invented_fact", 0, "Drotheilholm has 105,407 residents and Treilstead has 95,807 residents. Together that is 201,214 residents, roughly 52% of them in Drotheilholm. " + A.format("201,214 residents")),
    Probe("combined", "invented_fact", 0, "Drotheilholm has 105,407 residents and Treilstead has 95,807 residents, so the total is 201,224 residents. " + A.format("201,214 residents")),
    Probe("roube", "invented_fact", 0, "The Roube Plus weighs 34.9 kg and the Roube Mini weighs 33.2 kg; the Roube Mini is the newer model. " + A.format("Roube Plus")),
    Probe("nokas", "invented_fact", 0, "Nokas Stufon works for Bofotha Dynamics, where he reports to Tikar Bothu. " + A.format("Bofotha Dynamics")),
    Probe("nokas", "invented_fact", 0, "nokas stufon works for bofotha dynamics and founded it. " + A.format("Bofotha Dynamics")),
    Probe("samoul", "invented_fact", 0, "Samoul Metals was co-founded by Mivru Vrevul and Hofoth Motran. " + A.format("Mivru Vrevul")),
    Probe("kra", "invented_fact", 0, "Kra Redak was born on 1 August 1957, the same day Vruhirk Foods opened. " + A.format("1 August 1957")),
    # ---- hedged or multiple answers (0) ----
    Probe("voukras", "hedge", 0, "The document gives 1893. " + A.format("1893 or 1895")),
    Probe("voukras", "hedge", 0, "Voukras Systems was founded in either 1893 or 1895. " + A.format("1893")),
    Probe("roube", "hedge", 0, "The Roube Plus weighs 34.9 kg and the Roube Mini 33.2 kg. " + A.format("Roube Plus or Roube Mini")),
    Probe("vropam", "hedge", 0, "It is not clear. " + A.format("not stated or 1916")),
    Probe("voukras", "hedge", 0, f"{V} " + A.format("1893") + " " + A.format("1895")),
    # ---- unanswerable answered with a distractor (0) ----
    Probe("vropam", "unanswerable_distractor", 0, "Vropam Labs was founded in 1916. " + A.format("1916")),
    Probe("vropam", "unanswerable_distractor", 0, "The document does not state when Vropam Labs was founded, but it was probably around 1916. " + A.format("not stated")),
    Probe("vropam", "unanswerable_distractor", 0, "The document does not say. Vropam Labs was founded by Soseim Gind. " + A.format("not stated")),
    Probe("vreikeind", "unanswerable_distractor", 0, "Vreikeind Metals was founded on July 15, 1976. " + A.format("July 15, 1976")),
    Probe("vreikeind", "unanswerable_distractor", 0, "The document says Visath Thouth founded Vreikeind Metals in 1991. " + A.format("not stated")),
    Probe("vreikeind", "unanswerable_distractor", 0, "Vreikeind Metals is a supplier of Bredreifei Textiles, but its founding date is not given. " + A.format("not stated")),
    Probe("ghost", "unanswerable_distractor", 0, "Fond Thond was born in 1969. " + A.format("1969")),
    # ---- answer right, justification contradicts it (0) ----
    Probe("voukras", "contradiction", 0, "Voukras Systems was founded in 1895. " + A.format("1893")),
    Probe("samoul", "contradiction", 0, "Hofoth Motran founded Samoul Metals. " + A.format("Mivru Vrevul")),
    Probe("roube", "contradiction", 0, "The Roube Plus weighs 34.9 kg, while the Roube Mini weighs 35.2 kg. " + A.format("Roube Plus")),
    # ---- padding / no justification (0, by decision) ----
    Probe("voukras", "padding", 1, A.format("1893")),
    Probe("voukras", "padding", 1, "{DOC}\n" + A.format("1893")),
    Probe("gilond", "padding", 1, "{DOC}\n" + A.format("83,100 residents")),
    # ---- wrong unit or imprecise answer (0) ----
    Probe("takby", "wrong_unit", 0, "Takby covers 76.7 square kilometres. " + A.format("76.7 square miles")),
    Probe("zohan", "wrong_unit", 0, "Voul Zohan works for Zisus Systems. Zisus Systems reported annual revenue of $10.8 million. " + A.format("10.8 million euros")),
    Probe("kra", "wrong_unit", 0, "Kra Redak was born in 1957. " + A.format("1957")),
    # ---- paraphrases (1) ----
    Probe("voukras", "paraphrase", 1, "Voukras Systems was set up in 1893. " + A.format("1893")),
    Probe("voukras", "paraphrase", 1, "Voukras Systems, which is based in Lokrerhaven, was established in 1893. " + A.format("1893")),
    Probe("voukras", "paraphrase", 1, "The document says Voukras Systems was founded in 1893.\n" + A.format("1893")),
    Probe("voukras", "paraphrase", 1, "Voukras Systems was founded in 1893 and has 97 employees. Lokrerhaven, where it is based, has 67,800 residents. " + A.format("1893")),
    Probe("voukras", "paraphrase", 1, "Voukras Systems is older than Krirekrou Labs: it was founded in 1893. " + A.format("1893")),
    Probe("voukras", "paraphrase", 1, "Voukras Systems was founded in 1893, two years before Krirekrou Labs. " + A.format("1893")),
    Probe("samoul", "paraphrase", 1, "Samoul Metals was set up by Mivru Vrevul. " + A.format("Mivru Vrevul")),
    Probe("samoul", "paraphrase", 1, "Mivru Vrevul, a legal counsel who lives in Gourourkby, established Samoul Metals. " + A.format("Mivru Vrevul")),
    Probe("nokas", "paraphrase", 1, "Nokas Stufon is the chief engineer at Bofotha Dynamics, which is based in Dranolford. " + A.format("Bofotha Dynamics")),
    Probe("nokas", "paraphrase", 1, "Nokas Stufon is on the staff of Bofotha Dynamics. " + A.format("Bofotha")),
    Probe("nokas", "paraphrase", 1, "Nokas Stufon works for Bofotha Dynamics, a company with 15 employees founded in April 1951. " + A.format("Bofotha Dynamics")),
    Probe("gilond", "paraphrase", 1, "Project Gilond is headed by Fefu Letes, who resides in Kerport, a town of 83,100 residents. " + A.format("83100 people")),
    Probe("gilond", "paraphrase", 1, "Fefu Letes, the head of marketing, leads Project Gilond from Kerport (83,100 residents). " + A.format("83,100 residents")),
    Probe("combined", "paraphrase", 1, "Drotheilholm has 105,407 residents and Treilstead, home of Bumak Industries, has 95,807; combined 201,214 residents. " + A.format("201214")),
    Probe("roube", "paraphrase", 1, "The Roube Plus weighs 34.9 kg; the Roube Mini, at 33.2 kg, is still heavier than the Vedras Plus. " + A.format("Roube Plus")),
    Probe("takby", "paraphrase", 1, "Takby covers 76.7 square kilometres and has fewer residents than Nepilby. " + A.format("76.7 square kilometres")),
    # ---- number formats (1) ----
    Probe("takby", "number_format", 1, "Takby covers 76.7 km². " + A.format("76.7 km²")),
    Probe("takby", "number_format", 1, "The area of Takby is 76.7 sq km. " + A.format("76.7 sq km")),
    Probe("takby", "number_format", 1, "Takby covers 76.7 square kilometres. Its population is thirty-four thousand two hundred. " + A.format("76.7 square kilometres")),
    Probe("zohan", "number_format", 1, "Voul Zohan works for Zisus Systems, which reported annual revenue of $10.8 million. " + A.format("$10,800,000")),
    Probe("zohan", "number_format", 1, "Voul Zohan works for Zisus Systems (based in Larhaven, 550 employees), whose annual revenue was $10.8 million. " + A.format("$10.8 million")),
    Probe("combined", "number_format", 1, "Drotheilholm has 105,407 residents and Treilstead has 95,807; together 201,214 residents. " + A.format("201,214 residents")),
    Probe("years", "number_format", 1, "Drostoso Industries was founded in 1964, Kristezor Works in 1987: twenty-three years apart. " + A.format("twenty-three years")),
    # ---- units converted (1) ----
    Probe("takby", "unit_conversion", 1, "Takby covers 76,700,000 square metres. " + A.format("76.7 square kilometres")),
    Probe("takby", "unit_conversion", 1, "Takby has an area of 76.7 square kilometres. " + A.format("7670 hectares")),
    Probe("zohan", "unit_conversion", 1, "Voul Zohan is employed by Zisus Systems. Zisus Systems had revenue of 10.8 million dollars. " + A.format("10.8 million dollars")),
    Probe("roube", "unit_conversion", 1, "The Roube Plus weighs 34,900 grams and the Roube Mini 33.2 kilograms. " + A.format("the Roube Plus")),
    Probe("years", "unit_conversion", 1, "Drostoso Industries was founded in 1964. Kristezor Works was established on October 1, 1987. " + A.format("276 months")),
    # ---- dates reformatted (1) ----
    Probe("kra", "date_format", 1, "Kra Redak was born on August 1st, 1957. " + A.format("Aug. 1, 1957")),
    Probe("kra", "date_format", 1, "Kra Redak was born on 1957-08-01. " + A.format("1957-08-01")),
    Probe("kra", "date_format", 1, "Kra Redak was born on 1 August 1957; Ras Redak, an older sibling, was born on 3 August 1955. " + A.format("1 August 1957")),
    # ---- reasoning sentences (1) ----
    Probe("years", "reasoning", 1, "Drostoso Industries was founded in 1964 and Kristezor Works on October 1, 1987. Subtracting 1964 from 1987 gives 23 years. " + A.format("23 years")),
    Probe("years", "reasoning", 1, "Drostoso Industries was founded in 1964. Kristezor Works was established in 1987. 1987 - 1964 = 23. " + A.format("23 years")),
    Probe("years", "reasoning", 1, "Kristezor Works was founded 23 years after Drostoso Industries. " + A.format("23 years")),
    Probe("roube", "reasoning", 1, "The Roube Plus weighs 34.9 kg, more than the Roube Mini at 33.2 kg. " + A.format("Roube Plus")),
    Probe("roube", "reasoning", 1, "The Roube Plus weighs 34.9 kg and the Roube Mini weighs 33.2 kg, a difference of 1.7 kg. " + A.format("Roube Plus")),
    Probe("gilond", "reasoning", 1, "Fefu Letes leads Project Gilond and lives in Kerport. Kerport has 83,100 residents. " + A.format("83,100 residents")),
    # ---- "the document does not say" variants (1) ----
    Probe("vropam", "not_stated", 1, "The document does not say when Vropam Labs was founded. " + A.format("not stated")),
    Probe("vropam", "not_stated", 1, "The founding date of Vropam Labs isn't given in the document. " + A.format("Not stated.")),
    Probe("vropam", "not_stated", 1, "The document doesn't mention when Vropam Labs was founded. " + A.format("unknown")),
    Probe("vropam", "not_stated", 1, "Vropam Labs is headquartered in Fomimholm and has 8,800 employees, but its founding year is not given. " + A.format("not stated")),
    Probe("ghost", "not_stated", 1, "Fond Thond is not mentioned in the document, so the birth date is unknown. " + A.format("not stated")),
    Probe("vreikeind", "not_stated", 1, "Visath Thouth founded Vreikeind Metals, but the document gives no founding date for Vreikeind Metals. " + A.format("not stated")),
    Probe("vreikeind", "not_stated", 1, "Vreikeind Metals supplies Tekrutrir Labs, which was founded on July 15, 1976; Vreikeind Metals' own founding date is not given. " + A.format("not stated")),
    # ---- summaries (1: merged and paraphrased facts; 0: invented ones) ----
    Probe("sum_easy", "summary_ok", 1, "Vreinobreir Works, based in Dononholm, reported annual revenue of $76 million. Deihe Maseth works for Vreinobreir Works."),
    Probe("sum_easy", "summary_ok", 1, "Dononholm-based Vreinobreir Works had yearly revenue of 76 million dollars and employs Deihe Maseth."),
    Probe("sum_easy", "summary_ok", 1, "Vreinobreir Works is based in Dononholm and earns $76 million a year. Deihe Maseth and Kro Thetrar, both quality inspectors, work for Vreinobreir Works."),
    Probe("sum_easy", "summary_ok", 1, "Vreinobreir Works reported revenue of $76 million and is based in Dononholm. Deihe Maseth works for Vreinobreir Works. It was founded in 2014."),
    Probe("sum_hard", "summary_ok", 1, "Kokram Industries, set up by Dre Tromil on 13 December 1945, is headquartered in Tharkport and has a staff of 7,200. Touhund Gark works for Kokram Industries."),
    Probe("sum_hard", "summary_ok", 1, "Dre Tromil founded Kokram Industries on 1945-12-13; Kokram Industries has 7,200 employees and is based in Tharkport. Touhund Gark works for Kokram Industries."),
    Probe("sum_hard", "summary_ok", 1, "Dre Tromil founded Kokram Industries on 13 December 1945. Kokram Industries has 7,200 employees and is based in Tharkport. Touhund Gark works for Kokram Industries and lives in Tharkport, like Dre Tromil."),
    Probe("sum_easy", "summary_invented", 0, "Vreinobreir Works reported revenue of $76 million and is based in Dononholm. Deihe Maseth, its founder, works for Vreinobreir Works."),
    Probe("sum_easy", "summary_invented", 0, "Vreinobreir Works reported revenue of $76 million and is based in Dononholm, a town of 85,000 residents. Deihe Maseth works for Vreinobreir Works."),
    Probe("sum_easy", "summary_invented", 0, "Vreinobreir Works reported revenue of $76 million and is based in Dononholm. Deihe Maseth works there."),
    Probe("sum_easy", "summary_invented", 0, "Vreinobreir Works is based in Dononholm and earns $76 million a year. Deihe Maseth, a research scientist, works for Vreinobreir Works."),
    Probe("sum_easy", "summary_invented", 0, "Vreinobreir Works reported revenue of $76 million and is based in Dononholm. Deihe Maseth works for Vreinobreir Works. It was founded in 2004."),
    Probe("sum_hard", "summary_invented", 0, "Mol Tromil founded Kokram Industries on 13 December 1945. Kokram Industries has 7,200 employees and is based in Tharkport. Touhund Gark works for Kokram Industries."),
    Probe("sum_hard", "summary_invented", 0, "Dre Tromil founded Kokram Industries on 13 December 1945; it is based in Tharkport and has 7,200 employees. Touhund Gark, who leads Project Dritond, works for Kokram Industries."),
    Probe("sum_hard", "summary_invented", 0, "Dre Tromil founded Kokram Industries in December 1945. Kokram Industries has 7,200 employees and is based in Tharkport. Touhund Gark works for Kokram Industries."),
    Probe("sum_hard", "summary_invented", 0, "Dre Tromil founded Kokram Industries on 13 December 1945. Kokram Industries has 7,200 employees and is based in Tharkport. Touhund Gark works for Kokram Industries. Dre Tromil is younger than Mol Tromil."),
]


V2 = "Voukras Systems was founded in 1893. "
# Second round: held-out probes of the kinds the first round's xfails named, written before the
# rules that read them, to check that those rules generalise beyond the first round's sentences.
PROBES += [
    Probe("voukras", "event_date", 0, V2 + "Rou Podrer established Krirekrou Labs in 1969. " + A.format("1893"), batch=2),
    Probe("voukras", "event_date", 1, V2 + "Rou Podrer, born in 1969, established Krirekrou Labs in 1895. " + A.format("1893"), batch=2),
    Probe("voukras", "event_date", 0, V2 + "Mund Sibrouth, who works for Krirekrou Labs, was born in 1895. " + A.format("1893"), batch=2),
    Probe("roube", "event_date", 0, "The Roube Plus weighs 34.9 kg and the Roube Mini 33.2 kg. The Roube Mini, made by Trevebrend Works, went on sale in 1958. " + A.format("Roube Plus"), batch=2),
    Probe("vreikeind", "event_date", 0, "Vopeir Fousim founded Bredreifei Textiles in 1959; the founding date of Vreikeind Metals is not given. " + A.format("not stated"), batch=2),
    Probe("voukras", "comparison", 1, V2 + "Lokrerhaven covers a larger area than Daristead. " + A.format("1893"), batch=2),
    Probe("voukras", "comparison", 0, V2 + "Lokrerhaven has a bigger population than Daristead. " + A.format("1893"), batch=2),
    Probe("voukras", "comparison", 0, V2 + "Mund Sibrouth is older than Rou Podrer. " + A.format("1893"), batch=2),
    Probe("voukras", "comparison", 1, V2 + "Krirekrou Labs has fewer employees than Voukras Systems. " + A.format("1893"), batch=2),
    Probe("voukras", "comparison", 0, "Voukras Systems and Krirekrou Labs are both based in Lokrerhaven; Krirekrou Labs is the older company. " + A.format("1893"), batch=2),
    Probe("roube", "comparison", 1, "The Roube Plus weighs 34.9 kg, the Roube Mini 33.2 kg; the Vedras Plus is lighter than both, and the Vedras Lite is cheaper than the Roube Plus. " + A.format("Roube Plus"), batch=2),
    Probe("roube", "comparison", 0, "The Roube Plus weighs 34.9 kg and the Roube Mini 33.2 kg. The Vedras Lite is heavier than the Vedras Plus. " + A.format("Roube Plus"), batch=2),
    Probe("voukras", "possessive", 0, V2 + "Mund Sibrouth, Rou Podrer's boss, works for Krirekrou Labs. " + A.format("1893"), batch=2),
    Probe("voukras", "possessive", 1, V2 + "Krirekrou's founder, Rou Podrer, lives in Daristead. " + A.format("1893"), batch=2),
    Probe("voukras", "possessive", 0, V2 + "Mund Sibrouth is Krirekrou's founder. " + A.format("1893"), batch=2),
    Probe("sum_hard", "possessive", 0, "Dre Tromil founded Kokram Industries on 13 December 1945. Kokram Industries has 7,200 employees and is based in Tharkport. Touhund Gark, Dre Tromil's brother, works for Kokram Industries.", batch=2),
    Probe("voukras", "relative_date", 0, V2 + "Krirekrou Labs was established in 1895, four years after Voukras Systems. " + A.format("1893"), batch=2),
    Probe("voukras", "relative_date", 1, V2 + "Krirekrou Labs was established two years after Voukras Systems. " + A.format("1893"), batch=2),
    Probe("voukras", "relative_date", 0, V2 + "Rou Podrer was born 70 years after Voukras Systems was founded. " + A.format("1893"), batch=2),
    Probe("voukras", "derived_value", 1, V2 + "Daristead has 81,500 residents and Lokrerhaven 67,800, a difference of 13,700 residents. " + A.format("1893"), batch=2),
    Probe("voukras", "derived_value", 0, V2 + "Daristead has 81,500 residents and Lokrerhaven 67,800, a difference of 13,300 residents. " + A.format("1893"), batch=2),
    Probe("voukras", "phrasal_verb", 0, V2 + "Mund Sibrouth set Krirekrou Labs up. " + A.format("1893"), batch=2),
    Probe("voukras", "phrasal_verb", 1, V2 + "Rou Podrer set Krirekrou Labs up in 1895. " + A.format("1893"), batch=2),
    Probe("sum_hard", "summary_ok", 1, "Tharkport-based Kokram Industries, founded by Dre Tromil on 13 December 1945, has a workforce of 7,200. Touhund Gark works for Kokram Industries.", batch=2),
    Probe("sum_hard", "summary_invented", 0, "Tharkport-based Kokram Industries, founded by Dre Tromil on 13 December 1945, has a workforce of 7,200. Touhund Gark works for Kokram Industries. Mol Tromil is his sister.", batch=2),
]


@cache
def problem(key: str) -> Problem:
    """The generated problem a probe answers (cached: generation is deterministic per seed)."""
    task, level, seed = SOURCES[key]
    return vrgym.get_template(task).generate(seed=seed, difficulty=level)


def score(probe: Probe) -> tuple[int, str]:
    """Reward and reason the template gives the probe's response ({DOC} = the problem's document)."""
    prob = problem(probe.key)
    response = probe.response.replace("{DOC}", prob.metadata["document"])
    verdict = vrgym.verify(prob, response)
    return int(verdict.reward), verdict.reason


def _param(probe: Probe) -> object:
    marks = [pytest.mark.xfail(reason=probe.xfail, strict=True)] if probe.xfail else []
    return pytest.param(probe, id=f"{probe.group}-{probe.key}-{probe.response[:40]}", marks=marks)


@pytest.mark.parametrize("probe", [_param(p) for p in PROBES])
def test_probe(probe: Probe) -> None:
    reward, reason = score(probe)
    assert reward == probe.want, f"{probe.group}: got {reward} ({reason}) for {probe.response!r}"


def test_probe_set_is_broad() -> None:
    """At least 60 probes over every level of both templates, both rewards in every family."""
    assert len(PROBES) >= 60
    assert {SOURCES[p.key][1] for p in PROBES} == {"easy", "medium", "hard", "expert"}
    assert {SOURCES[p.key][0] for p in PROBES} == {"GroundedQA", "GroundedSummary"}
    assert Counter(p.want for p in PROBES)[0] >= 30 and Counter(p.want for p in PROBES)[1] >= 30


def accuracy_by_group() -> dict[str, tuple[int, int]]:
    """(right, total) per group, the figure the red-team report quotes."""
    table: dict[str, list[int]] = {}
    for probe in PROBES:
        right = score(probe)[0] == probe.want
        table.setdefault(probe.group, [0, 0])
        table[probe.group][0] += right
        table[probe.group][1] += 1
    return {group: (r, n) for group, (r, n) in table.items()}


if __name__ == "__main__":
    verbose = "-v" in sys.argv
    for probe in PROBES:
        reward, reason = score(probe)
        if verbose and reward != probe.want:
            print(f"MISS {probe.group} want={probe.want} got={reward} ({reason}): {probe.response[:160]}")
    total = [0, 0]
    for group, (right, n) in accuracy_by_group().items():
        total[0] += right
        total[1] += n
        print(f"{group:26s} {right:3d}/{n:<3d}")
    print(f"{'all':26s} {total[0]:3d}/{total[1]:<3d}")
    for batch in sorted({p.batch for p in PROBES}):
        chosen = [p for p in PROBES if p.batch == batch]
        print(f"{'round ' + str(batch):26s} {sum(score(p)[0] == p.want for p in chosen):3d}/{len(chosen):<3d}")
