"""The statistical half of the reader: which intent a message is most like.

Character n-grams (2 to 4 characters inside word boundaries, scikit-learn's ``char_wb``) make
typos, missing apostrophes and plurals look almost like the spelling in the examples ("pigon"
shares most of its n-grams with "pigeon"); word unigrams and bigrams beside them carry the
order of words the character n-grams lose ("how long" against "how often", "lie flat"). A
linear classifier over their TF-IDF weights learns which features point to which intent.
Trained from the content's example phrasings when the bot starts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from bot.domain.words import normalise

# Chosen by the cross-validated figure on the dev sets (`python -m bench.bench_reader --cv`,
# content + 4 of 5 folds; measured before the latest examples were added): character
# n-grams 2-5 alone 96.1%; with word unigrams and bigrams 97.0% (trigrams 96.5%); character
# n-grams 2-4 with the words 97.3% over three splits against 96.9% for 2-5, and faster to
# train. A linear support-vector classifier (one intent against the rest) rather than a
# logistic regression (95.6%, and seconds to train); C of 0.5, 0.7, 1.5 or 2, balanced
# class weights, character n-grams 1-5 or 2-6 and heavier word features were no better.
C = 1.0
NGRAMS = (2, 4)
WORD_NGRAMS = (1, 2)
WORD = r"\b\w+\b"  # one-letter words count too ("a 4", "i")


@dataclass(frozen=True, slots=True)
class Guess:
    """One intent and the classifier's score for it: how far the message lies on that intent's
    side of its boundary (above 0: more like this intent than like the others)."""

    intent: str
    score: float


class IntentModel:
    """TF-IDF over character and word n-grams and a linear classifier, fitted once."""

    def __init__(self, examples: Mapping[str, Sequence[str]]) -> None:
        texts: list[str] = []
        labels: list[str] = []
        for intent, phrasings in examples.items():
            for phrasing in phrasings:
                texts.append(normalise(phrasing))
                labels.append(intent)
        self._vectoriser = FeatureUnion(
            [
                ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS,
                                          sublinear_tf=True, dtype=np.float32)),
                ("words", TfidfVectorizer(analyzer="word", ngram_range=WORD_NGRAMS,
                                          token_pattern=WORD, sublinear_tf=True,
                                          dtype=np.float32)),
            ]
        )  # fmt: skip
        matrix = self._vectoriser.fit_transform(texts)
        self._model = LinearSVC(C=C)
        self._model.fit(matrix, labels)
        self.intents: tuple[str, ...] = tuple(str(item) for item in self._model.classes_)

    def rank(self, text: str, among: Sequence[str] | None = None) -> list[Guess]:
        """The intents for ``text``, most likely first (only those in ``among``, if given)."""
        scores = self._model.decision_function(self._vectoriser.transform([normalise(text)]))
        guesses = [
            Guess(intent, float(score))
            for intent, score in zip(self.intents, scores[0], strict=True)
            if among is None or intent in among
        ]
        return sorted(guesses, key=lambda guess: -guess.score)
