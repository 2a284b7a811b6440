"""Everything the front end itself says, in Korean and English.

The engine's answers live in domain.yml; these are the replies that must work without it
(start, help, the safety net, staff alerts) or that concern Telegram itself.
"""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, dict[str, str]] = {
    "start": {
        "ko": "안녕하세요, Haven이에요. 🇰🇷🇬🇧\n해외 일자리 제안이 진짜인지 같이 확인하고, 긴급 연락처를 알려 드리고, 위험할 때는 사람에게 바로 연결해 드려요.\n\n위험하다면 '도와주세요' 한 마디만 보내세요. 상담원에게 바로 전달돼요.",
        "en": 'Hi, I\'m Haven. 🇰🇷🇬🇧\nI help you check whether an overseas job offer is real, give you emergency contacts, and connect you with a real person if you are in danger.\n\nIf you are in danger, just send "help". It goes straight to our team.',
    },
    "help": {
        "ko": "이렇게 쓸 수 있어요.\n/verify 일자리 제안 확인\n/contacts 긴급 연락처\n/sos 지금 위험해요: 상담원 연결\n/language 언어 바꾸기 (한국어/English)\n/privacy 개인정보 안내\n/forget 내 기록 지우기\n\n그냥 말로 물어봐도 돼요.",
        "en": "Here is what you can do:\n/verify check a job offer\n/contacts emergency contacts\n/sos I'm in danger: reach a person\n/language change language (한국어/English)\n/privacy how your data is handled\n/forget delete my data\n\nYou can also just ask in your own words.",
    },
    "privacy": {
        "ko": "개인정보 안내\n• 언어 설정과 최근 메시지 몇 개만 저장해요. 위험 신고를 하면 상담 기록은 담당 상담원만 봐요.\n• 상담원 이름은 전달되지 않아요.\n• /forget 으로 내 설정과 최근 메시지를 지울 수 있어요. 진행 중인 상담 기록은 안전을 위해 상담이 끝날 때까지 남아요.",
        "en": "Privacy\n• I keep only your language setting and your last few messages. If you report danger, the case record is seen only by our staff.\n• Staff names are never shown to you.\n• /forget deletes your settings and recent messages. An open case is kept until it is closed, for your safety.",
    },
    "forgotten": {
        "ko": "설정과 최근 메시지를 지웠어요.",
        "en": "I deleted your settings and recent messages.",
    },
    "forgotten_case_kept": {
        "ko": "설정과 최근 메시지를 지웠어요. 진행 중인 상담 #{case}은(는) 안전을 위해 끝날 때까지 남아 있어요.",
        "en": "I deleted your settings and recent messages. Your open case #{case} is kept until it is closed, for your safety.",
    },
    "choose_language": {
        "ko": "어느 언어로 답할까요?",
        "en": "Which language should I reply in?",
    },
    "language_set": {
        "ko": "이제 한국어로 답할게요.",
        "en": "I'll reply in English from now on.",
    },
    "escalated": {
        "ko": "상담원에게 알렸어요 (#{case}). 곧 이 채팅으로 연락드려요.\n말하기 어려우면 짧게 보내도 되고, 위치를 보낼 수 있으면 보내 주세요.",
        "en": "I have alerted a person from our team (#{case}). They will reply in this chat soon.\nShort messages are fine. If you can, share your location.",
    },
    "case_joined": {
        "ko": "상담원에게 전달했어요 (#{case}).",
        "en": "Passed to our team (#{case}).",
    },
    "engine_down": {
        "ko": "지금은 자세히 답하기 어려워요. 잠시 후 다시 보내 주세요. 메시지는 잘 받았어요.\n위험하다면 '도와주세요'라고 보내거나 아래 번호로 연락하세요.",
        "en": 'I can\'t answer in full right now; please try again in a moment. Your message was received.\nIf you are in danger, send "help" or call one of these numbers.',
    },
    "non_text": {
        "ko": "사진·음성·스티커는 제가 읽을 수 없어요. 글로 적어 주세요. 위험하다면 '도와주세요'라고 보내 주세요.",
        "en": 'I can\'t read photos, voice messages or stickers. Please write it in words. If you are in danger, send "help".',
    },
    "location_received": {
        "ko": "위치를 받았어요. 도움이 필요하면 /sos 를 누르세요.",
        "en": "I received your location. If you need help, tap /sos.",
    },
    "empty": {
        "ko": "빈 메시지예요. 궁금한 걸 적어 주세요.",
        "en": "That message was empty. Please write what you need.",
    },
    "button_expired": {
        "ko": "이 버튼은 더 이상 쓸 수 없어요.",
        "en": "This button is no longer available.",
    },
    "error": {
        "ko": "문제가 생겼어요. 다시 보내 주세요. 위험하다면 '도와주세요'라고 보내 주세요.",
        "en": 'Something went wrong. Please send it again. If you are in danger, send "help".',
    },
    "contacts_button": {"ko": "긴급 연락처", "en": "Emergency contacts"},
    "verify_button": {"ko": "일자리 제안 확인하기", "en": "Check a job offer"},
    "sos_button": {"ko": "위험해요, 도와주세요", "en": "I'm not safe"},
    "share_location": {"ko": "📍 내 위치 보내기", "en": "📍 Share my location"},
    "cant_talk": {"ko": "🤐 지금 말하기 어려워요", "en": "🤐 I can't talk now"},
    "cant_talk_ack": {
        "ko": "알겠어요. 상담원에게 글로만 연락하라고 전했어요.",
        "en": "Understood. I told our team to contact you by text only.",
    },
    "job_ad_flags": {
        "ko": "이 구인 글에서 위험 신호를 찾았어요:",
        "en": "I found these warning signs in this job ad:",
    },
    "job_ad_clean": {
        "ko": "이 글에서 뚜렷한 위험 신호는 찾지 못했어요. 그래도 아래 질문으로 한 번 더 확인해 보세요.",
        "en": "I didn't find clear warning signs in this text. Still, check it with a few questions below.",
    },
}


def t(key: str, lang: str, **values: Any) -> str:
    """Return the text for ``key`` in ``lang``, with ``values`` filled in."""
    variants = TEXTS[key]
    text = variants.get(lang) or variants["en"]
    return text.format(**values) if values else text
