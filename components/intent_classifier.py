"""Rasa's logistic regression intent classifier, with its weights laid out for one message at a time.

scikit-learn multiplies a message's sparse features by the transposed weight matrix; stored row
by row (as trained), that transpose is copied whole on every message, tens of thousands of
n-grams times the intents, a few milliseconds each time (docs/architecture.md, "Engine
capacity"). Stored column by column, the transpose is a view and only the message's own
n-grams are read. The weights and the predictions are the same.
"""

from __future__ import annotations

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.training_data.message import Message

__all__ = ["IntentClassifier"]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class IntentClassifier(LogisticRegressionClassifier):
    """LogisticRegressionClassifier whose weights are kept in column order for prediction."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Predict as Rasa's classifier does, once the weights are in column order."""
        coef = getattr(self.clf, "coef_", None)
        if coef is not None and not coef.flags.f_contiguous:
            self.clf.coef_ = np.asfortranarray(coef)
        return super().process(messages)
