"""Tokenizer for mixed Korean/English chat: Kiwi morphemes for Hangul, whitespace otherwise.

Korean packs a stem and its endings into one spaced word (갇혔어요 = 갇히 + 었 + 어요), so
whitespace tokens make every inflection a new word. Kiwi splits them; its model ships in the
``kiwipiepy_model`` package, so nothing is downloaded at run time.
"""

from __future__ import annotations

from typing import Any

from kiwipiepy import Kiwi
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.core.folding import HANGUL

# Punctuation tags carry no meaning for intents; symbols such as ㅠㅠ (SW) do.
DROPPED_TAGS = frozenset({"SF", "SP", "SS", "SSO", "SSC", "SE", "SO"})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class KoreanTokenizer(WhitespaceTokenizer):
    """Splits Hangul text into morphemes with correct character spans."""

    @staticmethod
    def not_supported_languages() -> list[str] | None:
        """Support every language: non-Hangul text falls back to whitespace rules."""
        return None

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Return the whitespace defaults plus Kiwi's typo correction switch."""
        return {**WhitespaceTokenizer.get_default_config(), "typos": None}

    def __init__(self, config: dict[str, Any]) -> None:
        """Load Kiwi once per model load; it takes a few seconds."""
        super().__init__(config)
        typos = config.get("typos")
        self._kiwi = Kiwi(typos=typos) if typos else Kiwi()
        # Kiwi builds its model on first use: do it now, while the engine starts, rather
        # than in the first Korean message after a restart (1.6 s).
        self._kiwi.tokenize("안녕하세요")

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KoreanTokenizer:
        """Create the component for training or inference."""
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """Tokenize Hangul text with Kiwi and everything else with whitespace rules."""
        text = message.get(attribute)
        if not HANGUL.search(text):
            return super().tokenize(message, attribute)
        tokens = morpheme_tokens(self._kiwi, text)
        if not tokens:
            return [Token(text, 0, len(text))]
        return self._apply_token_pattern(tokens)


def morpheme_tokens(kiwi: Kiwi, text: str) -> list[Token]:
    """Turn Kiwi morphemes into non-overlapping tokens whose text is the surface form.

    Contracted morphemes share characters (잠가요 = 잠그 4-6 + 어요 5-7); each token starts
    where the previous one ended so spans stay monotonic, and the lemma keeps the
    dictionary form so 잠가요 and 잠그다 share a feature.
    """
    tokens: list[Token] = []
    for morph in kiwi.tokenize(text):
        if morph.tag in DROPPED_TAGS:
            continue
        start, end = morph.start, morph.start + morph.len
        if tokens and start < tokens[-1].end:
            start = tokens[-1].end
        if end <= start:
            continue
        tokens.append(Token(text[start:end], start, end, lemma=morph.form))
    return tokens
