"""IFEval's `language:response_language`: the whole response is in a given language.

The checker accepts IFEval's 30 ISO 639-1 codes and fails closed (see `language.py`): text whose
language cannot be determined fails, where IFEval lets it pass. `sample()` draws only languages
the reference builder can write (a small bank of sentences per language, around the base task's
topic terms); loaded datasets may use any of the 30.
"""

from __future__ import annotations

import random
from typing import Any, ClassVar

from pydantic import Field, field_validator

from vrgym.verifiers.instruction.base import ORDER_CONTENT, Constraint, ConstraintCheck, Params
from vrgym.verifiers.instruction.draft import Block, ResponseDraft
from vrgym.verifiers.instruction.language import LANGUAGES, detect_language, language_name

SENTENCE_BANKS: dict[str, tuple[str, ...]] = {
    "es": (
        "Este texto trata sobre «{t}» y explica lo esencial de manera sencilla.",
        "Conviene empezar por la idea principal y después pasar a los detalles.",
        "Cuando se habla de «{t}», los ejemplos concretos ayudan mucho.",
        "Una buena planificación ahorra tiempo y evita errores innecesarios.",
        "También es útil pensar en las personas a las que afecta «{t}».",
        "Con paciencia y constancia los resultados llegan poco a poco.",
        "Por último, vale la pena revisar todo con calma antes de decidir.",
        "La información clara siempre facilita las buenas decisiones.",
    ),
    "fr": (
        "Ce texte parle de « {t} » et en explique l'essentiel simplement.",
        "Il vaut mieux commencer par l'idée principale avant de passer aux détails.",
        "Quand on parle de « {t} », des exemples concrets aident beaucoup.",
        "Une bonne organisation fait gagner du temps et évite les erreurs.",
        "Il est aussi utile de penser aux personnes concernées par « {t} ».",
        "Avec de la patience et de la régularité, les résultats arrivent peu à peu.",
        "Enfin, il faut tout relire calmement avant de prendre une décision.",
        "Des informations claires rendent toujours les choix plus faciles.",
    ),
    "de": (
        "Dieser Text handelt von „{t}“ und erklärt das Wichtigste ganz einfach.",
        "Am besten beginnt man mit der Hauptidee und geht dann zu den Einzelheiten über.",
        "Wenn es um „{t}“ geht, helfen konkrete Beispiele sehr.",
        "Eine gute Planung spart Zeit und vermeidet unnötige Fehler.",
        "Es lohnt sich auch, an die Menschen zu denken, die von „{t}“ betroffen sind.",
        "Mit Geduld und Ausdauer kommen die Ergebnisse nach und nach.",
        "Zum Schluss sollte man alles in Ruhe prüfen, bevor man sich entscheidet.",
        "Klare Informationen machen gute Entscheidungen immer leichter.",
    ),
    "it": (
        "Questo testo parla di «{t}» e ne spiega l'essenziale in modo semplice.",
        "Conviene partire dall'idea principale e poi passare ai dettagli.",
        "Quando si parla di «{t}», gli esempi concreti aiutano molto.",
        "Una buona organizzazione fa risparmiare tempo ed evita errori inutili.",
        "È utile anche pensare alle persone coinvolte da «{t}».",
        "Con pazienza e costanza i risultati arrivano poco alla volta.",
        "Infine, vale la pena di ricontrollare tutto con calma prima di decidere.",
        "Informazioni chiare rendono sempre più facili le buone scelte.",
    ),
    "pt": (
        "Este texto fala sobre «{t}» e explica o essencial de forma simples.",
        "É melhor começar pela ideia principal e depois passar aos detalhes.",
        "Quando se fala de «{t}», exemplos concretos ajudam muito.",
        "Um bom planejamento economiza tempo e evita erros desnecessários.",
        "Também vale a pena pensar nas pessoas afetadas por «{t}».",
        "Com paciência e constância os resultados aparecem aos poucos.",
        "Por fim, convém revisar tudo com calma antes de decidir.",
        "Informações claras sempre facilitam as boas decisões.",
    ),
    "ru": (
        "Этот текст посвящён теме «{t}» и просто объясняет самое главное.",
        "Лучше начать с основной идеи, а затем перейти к деталям.",
        "Когда речь идёт о теме «{t}», конкретные примеры очень помогают.",
        "Хорошее планирование экономит время и помогает избежать ошибок.",
        "Полезно также подумать о людях, которых касается «{t}».",
        "С терпением и упорством результаты приходят постепенно.",
        "Наконец, стоит спокойно всё проверить, прежде чем принимать решение.",
        "Ясная информация всегда облегчает правильный выбор.",
    ),
}
"""Sentence templates per language the reference builder can write ({t}: a topic term)."""


class LanguageParams(Params):
    language: str = Field(description="ISO 639-1 code, one of IFEval's 30 languages.")

    @field_validator("language")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"unknown language code {value!r}; use one of {', '.join(sorted(LANGUAGES))}")
        return value


def _bank_filler(draft: ResponseDraft, include: str | None, index: int) -> str:
    bank = SENTENCE_BANKS[draft.language]
    terms = draft.topic_terms or ["…"]
    template = bank[index % len(bank)]
    term = include or terms[(index // len(bank)) % len(terms)]
    return template.format(t=term)


class ResponseLanguage(Constraint):
    """`language:response_language` — the response is written in the given language."""

    kind: ClassVar[str] = "language:response_language"
    family: ClassVar[str] = "language"
    Params = LanguageParams
    ifeval = True
    realise_order = ORDER_CONTENT - 5
    conflicts: ClassVar[frozenset[str]] = frozenset({
        "keywords:existence", "keywords:frequency", "keywords:forbidden_words", "keywords:letter_frequency",
        "startend:end_checker", "change_case:*", "detectable_format:multiple_sections",
        "detectable_format:constrained_response", "detectable_content:postscript", "combination:repeat_prompt",
    })

    def evaluate(self, response: str) -> ConstraintCheck:
        found = detect_language(response)
        wanted = self.params.language
        if found is None:
            return ConstraintCheck(False, f"language could not be determined; required {language_name(wanted)}")
        return ConstraintCheck(found == wanted, f"detected {language_name(found)}; required {language_name(wanted)}")

    def describe(self) -> list[str]:
        name = language_name(self.params.language)
        return [
            f"Your ENTIRE response should be in {name} language, no other language is allowed.",
            f"Write the whole answer in {name} only.",
            f"Respond exclusively in {name}.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"language": rng.choice(sorted(SENTENCE_BANKS))}

    def realise(self, draft: ResponseDraft) -> None:
        code = self.params.language
        if code == "en":
            return
        if code not in SENTENCE_BANKS:
            raise ValueError(f"no sentence bank for {code!r}: the reference builder can write {sorted(SENTENCE_BANKS)}")
        draft.language = code
        draft.filler = _bank_filler
        draft.spare = []
        draft.pinned = set()
        per_block = max(2, min(4, sum(len(b.sentences) for b in draft.blocks) // max(1, len(draft.blocks))))
        blocks = []
        for _ in draft.blocks:
            sentences = [s for s in (draft.make_sentence() for _ in range(per_block)) if s]
            blocks.append(Block(sentences))
        draft.blocks = blocks or [Block([s for s in (draft.make_sentence() for _ in range(3)) if s])]
        draft.title_hint = draft.topic_terms[0] if draft.topic_terms else "…"
        if draft.title is not None:
            draft.title = draft.title_hint
