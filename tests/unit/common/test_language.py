"""Reply-language decisions."""

from __future__ import annotations

import pytest

from bot.common.language import detect, from_telegram


@pytest.mark.parametrize(
    "text",
    [
        "안녕하세요",
        "캄보디아 대사관 번호",
        "help 도와주세요",
        "ㅠㅠ",
        "여권 ㅇㅇ",
        "job 알바 offer in cambodia",
    ],
)
def test_any_hangul_means_korean(text: str) -> None:
    assert detect(text, previous="en") == "ko"


@pytest.mark.parametrize(
    "text",
    [
        "I got a job offer in Cambodia, is it real?",
        "my brother went to work in thailand and stopped answering",
        "what are the warning signs of a fake job",
        "see you later",
        "thank you kindly",
        "hi i have some questions",
        "hi there",
        "thank you",
    ],
)
def test_english_sentences_are_english(text: str) -> None:
    assert detect(text, previous="ko") == "en"


@pytest.mark.parametrize("text", ["ok", "117", "👍", "yes", "thx", "?", "sos", "tolong saya", ""])
def test_short_or_ambiguous_text_keeps_the_last_language(text: str) -> None:
    assert detect(text, previous="ko") == "ko"
    assert detect(text, previous="en") == "en"


@pytest.mark.parametrize(
    "text",
    [
        "saya tidak bisa keluar dari gedung",
        "ayuda por favor estoy encerrado",
        "dowajuseyo jebal yeogi gachyeo isseoyo",
        "tulungan mo ako hindi ako makalabas",
    ],
)
def test_other_latin_script_languages_keep_the_last_language(text: str) -> None:
    assert detect(text, previous="ko") == "ko"


def test_telegram_language_is_the_first_guess() -> None:
    assert detect("ok", previous=None, telegram_code="ko") == "ko"
    assert detect("ok", previous=None, telegram_code="en-GB") == "en"
    assert detect("ok", previous=None, telegram_code="th") == "en"
    assert from_telegram("ko-KR") == "ko"
    assert from_telegram(None) is None


def test_detection_is_deterministic() -> None:
    text = "please tell me the embassy phone number"
    assert {detect(text, previous="ko") for _ in range(20)} == {"en"}
