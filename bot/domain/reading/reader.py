"""What a free-text message is about: one intent of the content, read without side effects::

    library = Library(content)                      # trains the classifier (~0.1 s)
    library.read("how do i do the piegon?")         # EXERCISE, ("seated_pigeon",)
    library.read("the bridge makes my leg worse")   # EXERCISE_HURTS, ("glute_bridge",)
    library.read("my foot is numb")                 # TOPIC "symptom"
    library.read("pain 4 after walking")            # PAIN_LOG, pain=PlainRating(4, ...)

How a message is read, in order:

1. Medicine words (the medication topic's ``keywords``, typos included) always mean the
   medication answer: a medicine question never reaches a stretch card or a dose answer.
2. A clear pain score in a sentence ("7/10", "it's a 6 this morning") is a rating to log.
3. Otherwise one classifier (``IntentModel``), reading the message with every stretch name
   hidden (``NameMask``), ranks the intents ("a stretch" standing for all seven), so "the
   bridge hurts" and "the pigeon hurts" are one intent. Which stretch is meant comes from the
   stretch-name matcher (``ExerciseIndex``, rapidfuzz) when a name is typed, else from a
   second classifier over the stretches alone ("back of my thigh"). Someone describing nerve
   symptoms without naming a stretch never gets a stretch card.
4. A question about holds or repetitions that names one stretch gets that stretch's card,
   which says exactly that (kind EXERCISE; the intent stays the dose asked about).
5. When the classifier is unsure (a low score, or the second intent close behind) the reading
   keeps its best guess and also carries the two most likely intents as ``choices``, for the
   caller to offer both; when nothing fits, NOTHING (the caller shows the menu).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.domain.exercise_lookup import Certainty, ExerciseIndex, ExerciseMatch
from bot.domain.pain_entry import read_rating
from bot.domain.reading.classifier import Guess, IntentModel
from bot.domain.reading.kinds import (
    EXERCISE_HURTS,
    MEDICATION_TOPIC,
    NOTHING,
    PAIN_LOG,
    SMALL_TALK,
    SYMPTOM,
    Reading,
    ReadingKind,
)
from bot.domain.reading.names import PLACEHOLDER, NameMask
from bot.domain.safety import SafetyScreen, Screening
from bot.domain.words import Vocabulary, stem, words
from content import Content
from content.models import EXERCISE_INTENT

# A stretch described (not named), or "it hurts when...", must lead nerve symptoms by this
# much to be read as such (a card offered to someone describing nerve symptoms is the worse
# mistake).
SYMPTOM_MARGIN = 0.4
# Dose questions a stretch's card answers: asked about one named stretch, they get its card.
CARD_DOSES = frozenset({"dose_hold", "dose_reps"})
# The masked classifier's one intent for all seven stretches.
STRETCH = "exercise"

# Messages longer than Telegram allows are cut to this before reading.
MAX_CHARS = 4096

_FIRST_SENTENCE = re.compile(r"[^.!?\n]*[.!?\n]")

# Classifier scores (see ``Guess``): below NOTHING_BELOW no intent claims the message; a best
# score under SURE_FROM, or a second intent within MARGIN of it, is unsure. Tuned on the
# project's phrasing table (tests/reading_table.py), never on the held-out set.
NOTHING_BELOW = -0.7
SURE_FROM = 0.0
MARGIN = 0.25
# A stretch partly named in "it hurts when...": the stretch classifier's score for it must be
# above this for the ease-off advice to name it (else it names none, and asks).
HURT_DESCRIBED_FROM = 0.2
# When no intent fits, a stretch only partly named still gets a choice in messages this short.
MAYBE_WORDS = 3


class Library:
    """The content's intents, exercises and red flags, indexed for reading messages."""

    def __init__(
        self, content: Content, examples: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        """``examples``: learn from these instead of the content's (cross-validation)."""
        self.safety = SafetyScreen.from_content(content)
        examples = examples if examples is not None else content.intent_examples()
        # Words of the other intents' examples are never taken as typos of a stretch's name.
        others = [t for i, texts in examples.items() if not _about_a_stretch(i) for t in texts]
        self.mask = NameMask(content.exercises, others)
        self.exercises = ExerciseIndex(content.exercises, self.mask.known)
        masked: dict[str, list[str]] = {}
        for intent, texts in examples.items():
            family = STRETCH if _is_exercise(intent) else intent
            masked.setdefault(family, []).extend(self.mask(text) for text in texts)
        self.model = IntentModel(masked)
        self._known = Vocabulary(
            {w for texts in examples.values() for t in texts for w in words(t)}
        )
        self.stretches = IntentModel({i: t for i, t in examples.items() if _is_exercise(i)})
        medication = content.answer(MEDICATION_TOPIC)
        keywords = medication.keywords if medication is not None else ()
        self._medicine_phrases = tuple(tuple(stem(word) for word in words(k)) for k in keywords)
        self._medicine_words = Vocabulary({word for k in keywords for word in words(k)})
        self._known_stems = frozenset(stem(word) for word in self._known.words)
        # Names with a number in them ("figure 4 stretch") are not pain scores.
        numbered = sorted(
            {
                name
                for exercise in content.exercises
                for name in (exercise.name, *exercise.aliases)
                if any(char.isdigit() for char in name)
            },
            key=lambda name: (-len(name), name),
        )
        self._numbered_names = re.compile(
            r"\b(?:" + "|".join(r"\W+".join(map(re.escape, words(n))) for n in numbered) + r")\b"
            if numbered
            else r"(?!x)x",
            re.IGNORECASE,
        )

    def screen(self, text: str) -> Screening:
        """The safety screen of ``text``: tier, sign ids (for the log), question to ask."""
        return self.safety.screen(text[:MAX_CHARS])

    def find_exercise(self, text: str) -> Reading:
        """Read ``text`` as the name of a stretch only (for /exercise and inline queries)."""
        match = self.exercises.match(text[:MAX_CHARS])
        if match is None:
            return NOTHING
        kind = ReadingKind.EXERCISE if match.certainty is Certainty.SURE else ReadingKind.CHOICE
        intent = EXERCISE_INTENT + match.exercise_ids[0]
        return Reading(kind, match.exercise_ids, intent=intent, confidence=1.0)

    def read(self, text: str, *, pain_pending: bool = False) -> Reading:
        """What a free-text message is about (see the module docstring for the order).

        ``pain_pending``: the bot has just asked for a pain score, so a bare "6" is one. A long
        message the reader can't place as a whole is read by its first sentence (people
        usually put the question first).
        """
        text = text[:MAX_CHARS]
        reading = self._read(text, pain_pending)
        if reading.kind is ReadingKind.NOTHING or reading.unsure:
            first = _FIRST_SENTENCE.match(text)
            if first is not None and first.end() < len(text.rstrip()):
                better = self._read(first.group(), pain_pending)
                if better.kind is not ReadingKind.NOTHING and not better.unsure:
                    return better
        return reading

    def _read(self, text: str, pain_pending: bool) -> Reading:
        typed = words(text)
        if not typed:
            return NOTHING
        if self._names_a_medicine(typed):
            return Reading(ReadingKind.TOPIC, topic_id=MEDICATION_TOPIC, intent=MEDICATION_TOPIC,
                           confidence=1.0)  # fmt: skip
        rating = read_rating(self._numbered_names.sub(" ", text), pending=pain_pending)
        if rating is not None and rating.clear:
            return Reading(ReadingKind.PAIN_LOG, intent=PAIN_LOG, confidence=1.0, pain=rating)
        masked = self.mask(text)
        named = PLACEHOLDER in masked.split()
        ranked = [guess for guess in self.model.rank(masked) if guess.intent != PAIN_LOG or rating]
        match = self.exercises.match_words(typed)
        best, second = ranked[0], ranked[1]
        if (
            best.intent in (STRETCH, EXERCISE_HURTS)
            and second.intent == SYMPTOM
            and best.score - second.score < SYMPTOM_MARGIN
            and not named
        ):
            best, second = second, best  # nerve symptoms, no stretch named: the symptom answer
        if (
            best.score < NOTHING_BELOW
            or best.intent == SMALL_TALK["nothing"]
            or not any(self._known.correct(word) in self._known.words for word in typed)
        ):  # no intent claims it, or not one word of it is known: the classifier would guess
            return self._name_only(match, typed)
        unsure = best.score < SURE_FROM or best.score - second.score < MARGIN
        label = self._label(best, text, match, named)
        choices = (label, self._label(second, text, match, named)) if unsure else ()
        confidence = round(best.score, 3)
        if best.intent in CARD_DOSES and named and match and match.certainty is Certainty.SURE:
            # "How long do I hold the pigeon?" asks a dose (the intent), and the pigeon's card
            # answers it best: its own hold and repetitions, where to start and how far to go.
            card = match.exercise_ids[:1]
            return Reading(ReadingKind.EXERCISE, card, intent=best.intent,
                           confidence=confidence)  # fmt: skip
        if best.intent == STRETCH:
            return self._exercise(label, match, typed, confidence, choices)
        if best.intent == EXERCISE_HURTS:
            hurt = self._hurt_exercise(text, match, named)
            return Reading(ReadingKind.EXERCISE_HURTS, hurt, EXERCISE_HURTS, label,
                           confidence, choices)  # fmt: skip
        if best.intent == PAIN_LOG:
            return Reading(ReadingKind.PAIN_LOG, intent=PAIN_LOG, confidence=confidence,
                           choices=choices, pain=rating)  # fmt: skip
        if best.intent in SMALL_TALK:
            kind = ReadingKind(SMALL_TALK[best.intent])
            return Reading(kind, intent=best.intent, confidence=confidence, choices=choices)
        return Reading(ReadingKind.TOPIC, topic_id=best.intent, intent=best.intent,
                       confidence=confidence, choices=choices)  # fmt: skip

    def _names_a_medicine(self, typed: list[str]) -> bool:
        # A word the examples use is itself ("pillow" is not a typo of "pill").
        stems = [
            stem(word if self._is_known(word) else self._medicine_words.correct(word))
            for word in typed
        ]
        return any(
            any(stems[i : i + len(phrase)] == list(phrase) for i in range(len(stems)))
            for phrase in self._medicine_phrases
        )

    def _is_known(self, word: str) -> bool:
        """A word the examples use, or a form of one ("pulls" of "pulling")."""
        return word in self._known.words or stem(word) in self._known_stems

    def _label(self, guess: Guess, text: str, match: ExerciseMatch | None, named: bool) -> str:
        """An intent of the masked classifier as a label: which stretch, for "a stretch"."""
        if guess.intent == EXERCISE_HURTS:
            return f"{EXERCISE_HURTS}:{''.join(self._hurt_exercise(text, match, named))}"
        if guess.intent != STRETCH:
            return guess.intent
        if match is not None and match.certainty is Certainty.SURE:
            return EXERCISE_INTENT + match.exercise_ids[0]  # the name matcher knows names best
        return self.stretches.rank(text)[0].intent

    def _exercise(
        self,
        intent: str,
        match: ExerciseMatch | None,
        typed: list[str],
        confidence: float,
        choices: tuple[str, ...],
    ) -> Reading:
        """A stretch: its card, or a choice when it is only partly named."""
        guessed = intent.removeprefix(EXERCISE_INTENT)
        if match is not None and match.certainty is Certainty.SEVERAL:
            return Reading(ReadingKind.CHOICE, match.exercise_ids, intent=intent,
                           confidence=confidence, choices=choices)  # fmt: skip
        if (
            match is not None
            and match.certainty is Certainty.MAYBE
            and guessed in match.exercise_ids
            and (len(typed) == 1 or choices)
        ):  # only part of a name ("tilt", "sitting stretch"): ask which stretch
            return Reading(ReadingKind.CHOICE, match.exercise_ids, intent=intent,
                           confidence=confidence, choices=choices)  # fmt: skip
        return Reading(ReadingKind.EXERCISE, (guessed,), intent=intent,
                       confidence=confidence, choices=choices)  # fmt: skip

    def _hurt_exercise(
        self, text: str, match: ExerciseMatch | None, named: bool
    ) -> tuple[str, ...]:
        """The stretch that hurts, when one is named ("this stretch hurts" names none) or
        described clearly enough for the name matcher ("lifting my hips hurts")."""
        if not named:
            if match is None:
                return ()
            if match.certainty is Certainty.SURE:
                return match.exercise_ids[:1]
            # Partly named ("the tilt one", "pulling my knees up"): the stretch both the name
            # matcher and the stretch classifier point to, when the classifier claims it.
            best = self.stretches.rank(text)[0]
            guessed = best.intent.removeprefix(EXERCISE_INTENT)
            claimed = best.score > HURT_DESCRIBED_FROM and guessed in match.exercise_ids
            return (guessed,) if claimed else ()
        if match is not None and (match.certainty is not Certainty.MAYBE or
                                  len(match.exercise_ids) == 1):  # fmt: skip
            return match.exercise_ids[:1]
        return (self.stretches.rank(text)[0].intent.removeprefix(EXERCISE_INTENT),)

    def _name_only(self, match: ExerciseMatch | None, typed: list[str]) -> Reading:
        """Nothing fits as a whole, but a stretch may still be named in it."""
        if match is None or (match.certainty is Certainty.MAYBE and len(typed) > MAYBE_WORDS):
            return NOTHING
        intent = EXERCISE_INTENT + match.exercise_ids[0]
        if match.certainty is Certainty.SURE:
            return Reading(ReadingKind.EXERCISE, match.exercise_ids, intent=intent)
        return Reading(ReadingKind.CHOICE, match.exercise_ids, intent=intent)


def _is_exercise(intent: str) -> bool:
    return intent.startswith(EXERCISE_INTENT)


def _about_a_stretch(intent: str) -> bool:
    return _is_exercise(intent) or intent == EXERCISE_HURTS
