"""Everything Haven says in its own words, in Korean and English, in one catalogue.

One place to translate, review and test; it lives in bot.core (standard library only, Python
3.10) so that the facts module and the action server read it too. The engine's answers live in
domain.yml, and job-check wording in content/job_flags.yml.

Keys are ``area.name``: ``keyboard``, ``command``, ``flow``, ``check`` (a question about an
offer answered first, the guided check pre-filled), ``discreet``, ``decoy``,
``to_user`` (sent on staff's behalf), ``facts`` and ``actions``; the staff group's own texts
(``staff``) are in bot/common/stafftexts.py.
The front end's own replies in the private chat (``start``, ``help``, ...) have no area.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # The front end's own replies in the private chat: no area.
    "start": {
        "ko": "안녕하세요, Haven이에요. 🇰🇷🇬🇧\n해외 일자리 제안이 진짜인지 같이 확인하고, 긴급 연락처를 알려 드리고, 위험할 때는 사람에게 바로 연결해 드려요.\n\n위험하다면 '도와주세요' 한 마디만 보내세요. 상담원에게 바로 전달돼요.",
        "en": 'Hi, I\'m Haven. 🇰🇷🇬🇧\nI help you check whether an overseas job offer is real, give you emergency contacts, and connect you with a real person if you are in danger.\n\nIf you are in danger, just send "help". It goes straight to our team.',
    },
    "help": {
        "ko": "이렇게 쓸 수 있어요.\n/verify 일자리 제안 확인\n/contacts 긴급 연락처\n/sos 지금 위험해요: 상담원 연결\n/language 언어 바꾸기 (한국어/English)\n/codeword 비밀 문구 정하기: 조용히 도움 요청\n/privacy 개인정보 안내\n/forget 내 기록 지우기\n\n그냥 말로 물어봐도 돼요.",
        "en": "Here is what you can do:\n/verify check a job offer\n/contacts emergency contacts\n/sos I'm in danger: reach a person\n/language change language (한국어/English)\n/codeword set a code phrase: ask for help silently\n/privacy how your data is handled\n/forget delete my data\n\nYou can also just ask in your own words.",
    },
    "privacy": {
        "ko": "개인정보 안내: 무엇을 얼마나 보관하나요\n• 언어 설정, 그리고 정했다면 비밀 문구(해시로만)와 안전 단어: /forget 할 때까지.\n• 안부 확인을 정했다면 행선지와 출발일: /checkin stop 이나 /forget 할 때까지.\n• 나중에 상담원에게 알릴 때 맥락이 되는 최근 메시지 몇 개: {recent_hours}시간.\n• 대화 엔진은 {engine_minutes}분 동안 메시지가 없으면 대화를 잊어요.\n• 도움을 요청하면 상담 기록이 생겨요. 메시지는 상담팀 그룹으로 전달되고, 그룹의 상담원 모두가 볼 수 있어요. 끝난 상담은 {case_days}일 뒤에 지워지고, 상담팀 그룹의 사본도 삭제되거나 안내 문구로 바뀌어요.\n• 보내신 내용은 암호화해서 저장해요. 상담원 이름은 전달되지 않아요.\n• /forget 은 이 모든 것을 바로 지우고, 이 채팅의 최근 48시간 메시지도 삭제해요. 진행 중인 상담만 안전을 위해 상담원이 끝낼 때까지 남아요.\n• 텔레그램은 이 채팅을 따로 보관해요. /clear 로 아직 지울 수 있는(48시간 이내) 메시지를 지울 수 있어요.\n• 상담팀 통계(도움을 받기까지 걸린 시간 등)를 위해 상담마다 시각, 우선순위, 언어, 결과만 남아요. 누구인지나 쓴 내용은 들어 있지 않아요. 상담이 끝나고 {timeline_days}일이 지나면 합계 숫자로만 남아요. 본인을 알아볼 수 있는 내용이 없어서 /forget 으로는 지워지지 않아요.",
        "en": "Privacy: what I keep, and for how long\n• Your language and, if you set them, your code phrase (only as a hash) and safety word: until you send /forget.\n• Your check-in, if you set one (where and when you travel): until /checkin stop or /forget.\n• Your last few messages, to give a later alert its context: {recent_hours} hours.\n• The dialogue engine forgets a conversation after {engine_minutes} minutes without a message.\n• If you ask for help, you get a case: your messages go to our staff group, where everyone on the team can read them. A closed case is erased {case_days} days after it closes, and its copies in the staff group are deleted or replaced by a note.\n• What you send is stored encrypted. Staff names are never shown to you.\n• /forget erases all of this now and deletes this chat's messages of the last 48 hours. Only an open case stays, until staff close it, for your safety.\n• Telegram keeps this chat on its own servers: /clear deletes the messages I may still delete (48 hours).\n• For our team's numbers (how quickly people get help), each case leaves only its times, priority, language and outcome, with nothing about who you are or what you wrote: for {timeline_days} days after it closes, then only as totals. /forget does not remove these, since nothing in them identifies you.",
    },
    "privacy_backups": {
        "ko": "• 저장된 기록의 백업은 {backup_days}일 동안 보관해요. /forget 으로 백업까지 지울 수는 없지만, 백업을 되살리면 그 뒤에 /forget 한 사람의 기록은 다시 지워요.",
        "en": "• Backups of what I keep live for {backup_days} days. /forget cannot reach into them, but if one is ever restored, everyone who used /forget since is erased again.",
    },
    "privacy_backups_none": {
        "ko": "• Haven은 스스로 백업을 만들지 않아요. 서버 운영자가 백업을 만들면 /forget 으로 백업까지 지울 수는 없지만, 백업을 되살리면 그 뒤에 /forget 한 사람의 기록은 다시 지워요.",
        "en": "• I make no backups myself. If the server's operator makes some, /forget cannot reach into them, but restoring one erases again everyone who used /forget since.",
    },
    "forgotten": {
        "ko": "보관하던 내 정보를 모두 지우고, 이 채팅의 최근 메시지도 삭제했어요.",
        "en": "I erased everything I kept about you, and deleted this chat's recent messages.",
    },
    "forgotten_case_kept": {
        "ko": "진행 중인 상담 #{case}만 빼고 보관하던 내 정보를 모두 지웠어요. 이 상담은 안전을 위해 상담원이 끝낼 때까지 남아 있고(상담원을 알아볼 수 있게 안전 단어도 함께), 끝나고 {case_days}일이 지나면 지워져요.",
        "en": "I erased everything I kept about you except your open case #{case}. It stays with our team until they close it, for your safety (with your safety word, so you can recognise them), and is erased {case_days} days after it closes.",
    },
    "choose_language": {"ko": "어느 언어로 답할까요?", "en": "Which language should I reply in?"},
    "language_set": {"ko": "이제 한국어로 답할게요.", "en": "I'll reply in English from now on."},
    "escalated": {
        "ko": "상담원에게 알렸어요 (#{case}). 답은 이 채팅으로 와요. 짧게 보내도 되고, 위치를 보낼 수 있으면 보내 주세요.",
        "en": "I have alerted a person from our team (#{case}). The reply will come in this chat. Short messages are fine; share your location if you can.",
    },
    "wait_usual": {
        "ko": "요즘은 보통 {minutes}분 안에 상담원이 답해요.",
        "en": "Lately a person has usually answered within {minutes} minutes.",
    },
    "wait_unknown": {
        "ko": "상담원이 비는 대로 바로 답해요. 정확한 시간은 약속드리기 어려워요.",
        "en": "A person will answer as soon as one is free; I can't promise a time.",
    },
    "wait_closed": {
        "ko": "지금은 상담원 근무 시간이 아니에요. 약 {hours}시간 뒤에 상담원이 확인해요. 급하면 아래 번호로 연락하세요.",
        "en": "Our team is not at work right now; a person will see this in about {hours} hours. If it is urgent, call a number below.",
    },
    "escalated_family": {
        "ko": "상담원에게 알렸어요 (#{case}). 곧 이 채팅으로 연락드려요.\n아는 것을 보내 주세요: 이름, 마지막 연락, 있는 곳, 받은 메시지.",
        "en": "I have alerted a person from our team (#{case}). They will reply in this chat soon.\nSend what you know: the name, the last contact, where they are, the messages you got.",
    },
    "discreet.received": {
        "ko": "받았어요. 곧 여기로 짧게 답이 와요. 이 메시지들은 1분 뒤 지워져요.",
        "en": "Got it. A short answer will come here soon. These messages will be deleted in 1 minute.",
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
        "ko": "이런 메시지는 제가 알아듣지 못해요. 글로 적어 주세요. 위험하다면 '도와주세요'라고 보내 주세요.",
        "en": 'I can\'t understand this kind of message. Please write it in words. If you are in danger, send "help".',
    },
    # Issue 24: a picture's answer starts from what was read in it, or says why nothing was.
    "picture_read": {
        "ko": "📷 사진에서 읽은 글: “{quote}”\n(잘못 읽었다면 글로 적어 주세요.)",
        "en": "📷 What I read in your picture: “{quote}”\n(If I read it wrong, please type it.)",
    },
    "picture_unreadable": {
        "ko": "사진에서 글자를 읽지 못했어요. 더 선명한 사진을 보내거나 글로 적어 주세요. 위험하다면 '도와주세요'라고 보내 주세요.",
        "en": 'I couldn\'t read any words in this picture. Please send a clearer picture, or write the words. If you are in danger, send "help".',
    },
    "picture_too_big": {
        "ko": "파일이 너무 커서 읽을 수 없어요. 화면 캡처를 보내거나 글로 적어 주세요. 위험하다면 '도와주세요'라고 보내 주세요.",
        "en": 'This file is too big for me to read. Please send a screenshot instead, or write the words. If you are in danger, send "help".',
    },
    "picture_broken": {
        "ko": "이 파일은 사진으로 열리지 않아요. 사진으로 다시 보내거나 글로 적어 주세요. 위험하다면 '도와주세요'라고 보내 주세요.",
        "en": 'I couldn\'t open this file as a picture. Please send it again as a photo, or write the words. If you are in danger, send "help".',
    },
    "picture_off": {
        "ko": "지금은 사진 속 글자를 읽을 수 없어요. 글로 적어 주세요. 위험하다면 '도와주세요'라고 보내 주세요.",
        "en": 'I can\'t read the words in pictures right now. Please write them. If you are in danger, send "help".',
    },
    "picture_busy": {
        "ko": "사진을 한꺼번에 너무 많이 받았어요. 가장 중요한 사진 한 장을 조금 뒤에 다시 보내거나 글로 적어 주세요. 위험하다면 '도와주세요'라고 보내 주세요.",
        "en": 'That is more pictures at once than I can read. Send the most important one again in a little while, or write the words. If you are in danger, send "help".',
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
    # Issue 15: a question about an offer answered first, then the check offered pre-filled.
    "check.took": {
        "ko": "메시지에서 읽은 내용: {items}",
        "en": "From your message: {items}",
    },
    "check.offer_rest": {
        "ko": "제안 전체를 확인해 볼까요? 메시지에 없던 {n}개 질문만 물어볼게요.",
        "en": "Want to check the whole offer? I'll ask only the {n} questions your message didn't answer.",
    },
    "check.rest_button": {
        "ko": "나머지 확인하기 ({n}개 질문)",
        "en": "Check the rest ({n} questions)",
    },
    "check.details_button": {"ko": "자세히 보기", "en": "Details"},
    "check.resume": {"ko": "하던 확인을 이어갈게요:", "en": "Back to the check, where we were:"},
    "check.field_destination": {"ko": "나라", "en": "country"},
    "check.field_job_type": {"ko": "일", "en": "job"},
    "check.field_pay": {"ko": "급여", "en": "pay"},
    "check.field_channel": {"ko": "제안 경로", "en": "offer came through"},
    "check.field_flight": {"ko": "항공권", "en": "flight"},
    "check.field_visa": {"ko": "비자", "en": "visa"},
    "check.field_documents": {
        "ko": "여권·보증금·통장 요구",
        "en": "asked for passport, deposit or bank account",
    },
    "check.pay_value": {"ko": "월 {amount}원", "en": "{amount} won a month"},
    "check.channel_telegram": {"ko": "텔레그램", "en": "Telegram"},
    "check.channel_sns_dm": {"ko": "SNS 메시지(DM)", "en": "social-media message (DM)"},
    "check.channel_agency": {"ko": "알선업체", "en": "an agency"},
    "check.channel_job_site": {"ko": "취업 사이트", "en": "a job site"},
    "check.flight_self": {"ko": "본인 부담", "en": "you pay"},
    "check.flight_employer": {"ko": "회사 부담", "en": "the employer pays"},
    "check.visa_tourist": {"ko": "관광비자", "en": "tourist visa"},
    "check.visa_visa_free": {"ko": "무비자", "en": "no visa"},
    "check.visa_work": {"ko": "취업비자", "en": "work visa"},
    "check.yes": {"ko": "예", "en": "yes"},
    "flow.resume": {"ko": "하던 질문으로 돌아갈게요:", "en": "Back to where we were:"},
    "flow.thanks": {"ko": "천만에요.", "en": "You're welcome."},
    # Titles of the persistent keyboard shown to a person in danger (matched back from text).
    "keyboard.not_safe": {"ko": "🆘 위험해요", "en": "🆘 I am not safe"},
    "keyboard.share_location": {"ko": "📍 내 위치 보내기", "en": "📍 Share my location"},
    "keyboard.cant_talk": {
        "ko": "🤐 말하기 어려워요 (문자만)",
        "en": "🤐 I can't talk — text only",
    },
    "keyboard.call_later": {"ko": "🕘 나중에 연락해 주세요", "en": "🕘 Call me later at …"},
    "keyboard.rescue": {"ko": "📝 구조 요청 만들기", "en": "📝 Prepare a rescue request"},
    # The command menu's descriptions.
    "command.start": {"ko": "Haven 소개와 할 수 있는 일", "en": "Who Haven is and what it can do"},
    "command.help": {"ko": "사용 방법", "en": "How to use Haven"},
    "command.contacts": {"ko": "긴급 연락처", "en": "Emergency contacts"},
    "command.verify": {"ko": "일자리 제안 확인", "en": "Check a job offer"},
    "command.sos": {"ko": "위험해요: 지금 상담원 연결", "en": "I'm in danger: reach a person now"},
    "command.language": {"ko": "한국어 / English", "en": "한국어 / English"},
    "command.privacy": {"ko": "개인정보 안내", "en": "How your data is handled"},
    "command.forget": {"ko": "내 기록 지우기", "en": "Delete my data"},
    "command.checkin": {"ko": "여행 중 안부 확인", "en": "Check-ins while I travel"},
    "command.clear": {"ko": "이 대화 메시지 지우기", "en": "Delete this chat's messages"},
    "command.tips": {"ko": "휴대폰 팁", "en": "Phone tips"},
    # Flows: the words around the steps (the steps' own questions are flow data).
    "flow.skip": {"ko": "건너뛰기", "en": "Skip"},
    "flow.stop": {"ko": "그만", "en": "Stop"},
    "flow.stopped": {"ko": "멈췄어요.", "en": "Stopped."},
    "flow.need_name": {
        "ko": "영문 알파벳으로 적어 주세요 (여권과 같게). 모르면 '건너뛰기'.",
        "en": "Please use English letters, as in your passport, or skip.",
    },
    "flow.need_number": {
        "ko": "숫자로 적어 주세요. 모르면 '건너뛰기'.",
        "en": "Please write a number, or skip.",
    },
    "flow.need_media_photo": {
        "ko": "📷 사진을 보내 주세요. 없으면 '건너뛰기'라고 보내 주세요.",
        "en": "📷 Please send a photo, or write 'skip'.",
    },
    "flow.need_media_location": {
        "ko": "📍 위치를 보내 주세요. 없으면 '건너뛰기'라고 보내 주세요.",
        "en": "📍 Please send your location, or write 'skip'.",
    },
    "flow.need_media_video": {
        "ko": "🎥 영상을 보내 주세요. 없으면 '건너뛰기'라고 보내 주세요.",
        "en": "🎥 Please send a video, or write 'skip'.",
    },
    "flow.need_duration": {
        "ko": "버튼을 누르거나 '24시간'처럼 적어 주세요.",
        "en": "Tap a button or write something like '24 hours'.",
    },
    "flow.need_text": {
        "ko": "이 질문은 건너뛸 수 없어요. 짧게 적어 주세요.",
        "en": "This one can't be skipped. Please write a short answer.",
    },
    "flow.rescue_intro": {
        "ko": "경찰에 보낼 구조 요청을 같이 만들어요. 캄보디아 경찰은 피해자 본인의 신고만 받아요. 모든 질문은 건너뛸 수 있어요.",
        "en": "Let's prepare a rescue request for the police. Cambodian police accept reports only from the victim personally. You can skip any question.",
    },
    "flow.case_opened": {
        "ko": "상담원에게 알렸어요 (#{case}). 답을 하나씩 보낼 때마다 바로 전달돼요.",
        "en": "I have alerted our team (#{case}). Each answer reaches them as soon as you send it.",
    },
    "flow.rescue_done": {
        "ko": "아래 영어 메시지를 그대로 전달하세요. 보낸 사진과 영상도 함께 보내세요. 상담원도 같은 내용을 받았어요.",
        "en": "Forward the English message below as it is, together with the photos and video you sent. Our team received the same package.",
    },
    "flow.send_to": {"ko": "보낼 곳:", "en": "Send it to:"},
    "flow.checkin_intro": {
        "ko": "안부 확인을 등록해요. 정한 간격마다 '괜찮으세요?'라고 물을게요. 답이 없으면 상담원에게 알려요.",
        "en": "Let's register check-ins. I will ask 'are you OK?' at the interval you choose; if you don't answer, our team is alerted.",
    },
    "flow.checkin_done": {
        "ko": "등록했어요. {interval}마다 안부를 물을게요. 그만하려면 /checkin stop",
        "en": "Registered. I'll check on you every {interval}. To end it: /checkin stop",
    },
    "flow.checkin_stopped": {"ko": "안부 확인을 끝냈어요.", "en": "Check-ins stopped."},
    "flow.checkin_none": {
        "ko": "등록된 안부 확인이 없어요.",
        "en": "You have no check-ins registered.",
    },
    "flow.checkin_prompt": {
        "ko": "괜찮으세요? 아무 답장이나 보내 주세요.",
        "en": "Are you OK? Send any reply.",
    },
    "flow.ok_button": {"ko": "✅ 괜찮아요", "en": "✅ I'm OK"},
    "flow.safe_time_saved": {
        "ko": "상담원에게 전했어요. 그 시간에 연락할 거예요.",
        "en": "I told our team. They will contact you at that time.",
    },
    "flow.interval_hours": {"ko": "{n}시간", "en": "{n} hours"},
    "flow.interval_minutes": {"ko": "{n:g}분", "en": "{n:g} minutes"},
    "flow.interval_seconds": {"ko": "{n:g}초", "en": "{n:g} seconds"},
    # Discreet help.
    "discreet.codeword_usage": {
        "ko": "비밀 문구는 누가 화면을 볼 때 조용히 도움을 청하는 말이에요. 그 문구만 보내면 화면에는 평범한 알림만 보이고, 상담원에게는 알림이 가요.\n안전할 때 정해 두세요: /codeword 문구 (설정 메시지는 곧 지워져요)",
        "en": "A code phrase asks for help silently when someone may see your screen: send only that phrase, and the screen shows a harmless notice while our team is alerted.\nSet it while you are safe: /codeword your phrase (this setup message is deleted shortly)",
    },
    "discreet.codeword_set": {
        "ko": "비밀 문구를 저장했어요. 이 대화는 1분 뒤 지워져요.",
        "en": "Your code phrase is saved. This conversation will be deleted in 1 minute.",
    },
    "discreet.safeword_usage": {
        "ko": "안전 단어를 정하면, 상담원 메시지는 항상 끝에 그 단어가 붙어요. 진짜 Haven인지 알 수 있고, 알림 미리보기에는 보이지 않아요: /safeword 단어",
        "en": "Set a safety word and every message from our team will end with it, so you know it is really Haven; it never shows in a notification preview: /safeword word",
    },
    "discreet.safeword_set": {
        "ko": "안전 단어를 저장했어요. 상담원 메시지는 끝에 이 단어가 붙어요. 이 대화는 1분 뒤 지워져요.",
        "en": "Saved. Messages from our team will end with your safety word. This conversation will be deleted in 1 minute.",
    },
    "discreet.secret_length": {
        "ko": "3~64자로 정해 주세요.",
        "en": "Please use 3 to 64 characters.",
    },
    "discreet.delete_button": {"ko": "🗑 1분 뒤 삭제", "en": "🗑 Delete in 1 minute"},
    "discreet.delete_scheduled": {"ko": "1분 뒤 지울게요.", "en": "I'll delete it in 1 minute."},
    "discreet.read_button": {"ko": "✓ 읽음 · 지우기", "en": "✓ Read · delete"},
    # Decoys: harmless notices that say nothing about help.
    "decoy.codeword": {
        "ko": "📦 배송 안내: 주문하신 상품의 배송 정보가 업데이트되었습니다.",
        "en": "📦 Delivery notice: the shipping status of your order has been updated.",
    },
    "decoy.weather": {
        "ko": "⛅ 날씨 정보를 불러오지 못했어요. 잠시 후 다시 시도해 주세요.",
        "en": "⛅ Weather data is temporarily unavailable. Please try again later.",
    },
    "decoy.ok": {"ko": "✅ 확인했어요.", "en": "✅ Noted."},
    # Discretion on a watched phone (bot/delivery/discretion.py): what a person with an open case is
    # told instead, the safety note, phone tips, consent. Nothing here names help, a case or
    # the team unless the person asked for it (/tips, /contacts).
    "discreet.safety_note": {
        "ko": "이 채팅을 위한 몇 가지 팁이에요.\n• 알림 끄기: 채팅 이름을 누르고 '알림 끄기'.\n• 미리보기 숨기기: 텔레그램 설정 › 알림 및 소리 › '메시지 미리보기' 끄기.\n• 읽은 메시지는 지우세요 (길게 누르고 삭제).\n• 안전할 때만 글을 보내세요.\n• 가능할 때 비밀 문구를 정해 두세요: /codeword 문구\n  나중에 그 문구만 보내면 화면에는 배송 안내만 보이고, 저희에게 조용히 전해져요.",
        "en": "A few tips for this chat:\n• Mute it: tap the chat's name, then Mute.\n• Hide previews: Telegram Settings › Notifications and Sounds › turn off Message Preview.\n• Delete messages after reading (press and hold, Delete).\n• Write only when it is safe for you.\n• While you can, set a secret phrase: /codeword your phrase\n  Sent alone later, it shows only a delivery notice on screen and quietly reaches us.",
    },
    "discreet.media_received": {
        "ko": "📎 받았어요. 전달되는 대로 이 채팅에서 지워져요.",
        "en": "📎 Received. It will disappear from this chat as soon as it has been passed on.",
    },
    "discreet.noted": {"ko": "✓ 받았어요.", "en": "✓ Got it."},
    "discreet.copy_now": {
        "ko": "아래 요청문은 {minutes}분 뒤 이 채팅에서 지워져요. 필요하면 지금 복사해 두세요.",
        "en": "The request below deletes itself from this chat in {minutes} minutes: copy it now if you need it.",
    },
    "discreet.start": {
        "ko": "안녕하세요! 언제든 메시지를 보내세요. /help 로 할 수 있는 일을 볼 수 있어요.",
        "en": "Hi! Write any time. /help shows what I can do.",
    },
    "discreet.help": {
        "ko": "이렇게 쓸 수 있어요.\n/contacts 연락처\n/language 언어 바꾸기 (한국어/English)\n/clear 이 채팅 정리하기\n/privacy 이 휴대폰에 남는 것\n/tips 휴대폰 팁\n\n그냥 메시지를 보내도 돼요.",
        "en": "Here is what you can do:\n/contacts phone numbers\n/language change language (Korean/English)\n/clear tidy up this chat\n/privacy what stays on this phone\n/tips phone tips\n\nYou can also just write.",
    },
    "discreet.tips_line": {
        "ko": "📱 휴대폰을 다른 사람과 같이 쓰거나 누가 볼 수 있다면: /tips",
        "en": "📱 If someone else uses or checks your phone: /tips",
    },
    "discreet.tips": {
        "ko": "📱 휴대폰 팁\n/codeword 문구: 비밀 문구를 정해요. 나중에 그 문구만 보내면 화면에는 배송 안내만 보이고, 저희에게 조용히 전해져요.\n/weather: 날씨 앱처럼 보이지만, 이것도 저희에게 조용히 전해져요.\n/safeword 단어: 저희가 보내는 메시지 끝에 이 단어가 붙어요. 진짜 저희인지 알 수 있고, 알림 미리보기에는 보이지 않아요.\n/keys: 채팅 아래 빠른 버튼 보이기 (/keys off 숨기기).\n/clear: 이 채팅의 메시지 지우기.",
        "en": "📱 Phone tips\n/codeword your phrase: set a secret phrase. Sent alone later, it shows only a delivery notice on screen and quietly reaches us.\n/weather: looks like a weather app, and quietly reaches us too.\n/safeword word: our messages end with this word, so you know they are really from us; it never shows in a notification preview.\n/keys: show the quick buttons under the chat (/keys off hides them).\n/clear: delete this chat's messages.",
    },
    "discreet.keys": {
        "ko": "⌨️ 빠른 버튼이에요. /keys off 로 숨길 수 있어요.",
        "en": "⌨️ Quick buttons below. /keys off hides them.",
    },
    "discreet.keys_off": {"ko": "⌨️ 숨겼어요.", "en": "⌨️ Hidden."},
    "discreet.forgotten": {
        "ko": "완료했어요. 지울 수 있는 것은 지우고, 이 채팅의 최근 메시지도 삭제했어요. 남은 것은 나중에 저절로 지워져요.",
        "en": "Done. I erased what I could and deleted this chat's recent messages. What is left goes by itself later.",
    },
    "discreet.not_now": {
        "ko": "지금은 필요하지 않아요. 언제든 메시지를 보내세요.",
        "en": "Not needed right now. Write any time.",
    },
    "discreet.usage": {
        "ko": "명령 뒤에 이어서 적어 주세요. 예: /{command} 문구",
        "en": "Write it after the command, e.g. /{command} your words",
    },
    "discreet.saved": {
        "ko": "저장했어요. 이 대화는 1분 뒤 지워져요.",
        "en": "Saved. This conversation will be deleted in 1 minute.",
    },
    "discreet.phone": {
        "ko": "이 휴대폰에 남는 것\n• 대화 중에 보내신 사진, 영상, 위치, 파일은 전달되면 바로 이 채팅에서 지워져요.\n• 비밀 문구(/codeword)나 /weather 뒤에는 명령의 답이 {command_seconds}초, 받은 메시지가 {read_minutes}분 뒤 지워져요.\n• 대화 중 제 메시지는 평범한 첫 줄로 시작해요. 미리보기 숨기기: 텔레그램 설정 › 알림 및 소리.\n• /clear 는 48시간 이내 메시지를 지워요. 그보다 오래된 것은 길게 눌러 지워 주세요.",
        "en": "What stays on this phone\n• While we talk, the photos, videos, locations and files you send are deleted from this chat once passed on.\n• After your code phrase (/codeword) or /weather, answers to commands go after {command_seconds} seconds, messages you receive after {read_minutes} minutes.\n• While we talk, my messages start with a plain first line. To hide previews: Telegram Settings › Notifications and Sounds.\n• /clear deletes messages up to 48 hours old; older ones, press and hold to delete them.",
    },
    "discreet.privacy_rest": {
        "ko": "나머지(보관하는 것과 기간)는 대화가 끝난 뒤 /privacy 에서 볼 수 있어요. /forget 은 지금도 쓸 수 있어요.",
        "en": "The rest (what I keep elsewhere, and for how long) is shown by /privacy once the conversation is over. /forget works now too.",
    },
    "discreet.consent_ask": {
        "ko": "알려 주신 내용을 {party}에 전해도 될까요?\n'예'라고 답하기 전에는 전하지 않아요.",
        "en": "May we pass on what you told us to {party}?\nNothing is passed on unless you say yes.",
    },
    "discreet.consent_yes": {"ko": "✅ 예", "en": "✅ Yes"},
    "discreet.consent_no": {"ko": "✖ 아니요", "en": "✖ No"},
    "discreet.consent_thanks": {
        "ko": "답을 저장했어요. 언제든 마음이 바뀌면 말씀해 주세요.",
        "en": "Your answer is saved. Tell us any time if you change your mind.",
    },
    "discreet.consent_without": {
        "ko": "생명을 지키기 위해, 동의 없이도 {party}에 연락해야 해요. 알고 계시도록 미리 말씀드려요.",
        "en": "To protect your life, we must contact {party} even without your agreement. We are telling you so that you know.",
    },
    "discreet.party_embassy": {"ko": "대사관·영사관", "en": "the embassy or consulate"},
    "discreet.party_police": {"ko": "경찰", "en": "the police"},
    "discreet.party_family": {"ko": "가족", "en": "your family"},
    "escalated_unrecorded": {
        "ko": "상담원에게 도움을 요청했어요. 다만 시스템 오류로 상담 기록을 저장하지 못해서 답장이 늦어질 수 있어요. 위험하다면 아래 번호로 바로 연락하세요.",
        "en": "I have asked our team for help. A system fault kept me from saving your case, so a reply may take longer. If you are in danger, call one of the numbers below now.",
    },
    "escalation_failed": {
        "ko": "시스템 오류로 아직 상담원에게 연락하지 못했어요. 계속 시도할게요. 몇 분 뒤 '도와주세요'라고 다시 보내 주세요. 위험하다면 아래 번호로 바로 연락하세요.",
        "en": 'A system fault kept me from reaching our team so far; I will keep trying. Please send "help" again in a few minutes. If you are in danger, call one of the numbers below now.',
    },
    "to_user.clipped": {
        "ko": "✂️ (메시지가 너무 길어서 잘렸어요)",
        "en": "✂️ (this message was too long and was cut short)",
    },
    # Sent to a user on staff's behalf.
    "to_user.from_staff": {"ko": "💬 Haven 상담원: {text}", "en": "💬 Haven team: {text}"},
    "to_user.resolved": {
        "ko": "상담이 끝났어요. 다시 도움이 필요하면 언제든 메시지를 보내 주세요.",
        "en": "Your case is closed. If you need help again, message me any time.",
    },
    "to_user.claimed": {
        "ko": "상담원이 확인했어요. 곧 답장이 올 거예요.",
        "en": "A person from our team has picked up your case. They will reply soon.",
    },
    # Facts: the sentences around confirmed contacts and advisories.
    "facts.checked": {"ko": "확인일 {date}", "en": "checked on {date}"},
    "facts.contacts_title": {"ko": "📞 연락처", "en": "📞 Who to call"},
    "facts.source": {"ko": "출처: {labels}", "en": "source: {labels}"},
    "facts.pick_country": {
        "ko": "지금 있는 나라를 알려 주세요(아래에서 눌러도 돼요). 확인된 현지 번호를 알려 드릴게요.",
        "en": "Tell me which country you are in (or tap it below) and I will add the local numbers I have verified.",
    },
    "facts.no_numbers": {
        "ko": "{country}의 확인된 현지 번호는 아직 없어요. 위의 영사콜센터로 연락하세요. 24시간 받아요.",
        "en": "I don't have verified numbers for {country}. Call the Consular Call Center above: it answers 24 hours.",
    },
    "facts.no_embassy": {
        "ko": "{country} 주재 한국 대사관 번호는 아직 확인된 것이 없어요. 위의 영사콜센터(24시간)로 연락하면 대사관에 연결해 줘요.",
        "en": "I don't have a verified number for the Korean embassy in {country}. Call the Consular Call Center above (24 hours): it can reach the embassy.",
    },
    "facts.emergency_title": {"ko": "긴급 연락처:", "en": "Emergency numbers:"},
    "facts.family_title": {"ko": "가족이 연락할 곳:", "en": "Numbers for families:"},
    "facts.in_your_language": {
        "ko": "다른 언어로 받는 곳:",
        "en": "Lines that answer in your language or English:",
    },
    "facts.in_country": {"ko": "{country}에서:", "en": "In {country}:"},
    "facts.if_in_country": {"ko": "{country}에 있다면:", "en": "If you are in {country}:"},
    "facts.no_local_numbers": {
        "ko": "{country}의 확인된 현지 번호는 아직 없어요.",
        "en": "I don't have verified local numbers for {country}.",
    },
    "facts.advisory_title": {
        "ko": "🧭 외교부 여행경보: {place}",
        "en": "🧭 Korean foreign ministry travel advisory: {place}",
    },
    "facts.no_advisory": {
        "ko": "{place}에 대한 확인된 여행경보 정보가 없어요.",
        "en": "I have no verified travel advisory data for {place}.",
    },
    "facts.check_today": {
        "ko": "오늘의 단계는 0404.go.kr에서 확인하세요.",
        "en": "Check today's level at 0404.go.kr.",
    },
    "facts.since": {"ko": "{date}부터", "en": "since {date}"},
    "facts.no_since": {
        "ko": "출처에 시작 날짜가 없어요 (확인일 {checked})",
        "en": "the source shows no start date (checked on {checked})",
    },
    "facts.advisory_line": {
        "ko": "🧭 {area}: 외교부 {level}, {since}. 오늘의 단계는 0404.go.kr에서 확인하세요.",
        "en": "🧭 {area}: Korean foreign ministry {level}, {since}. Check today's level at 0404.go.kr.",
    },
    "facts.numbers_checked": {
        "ko": "(번호 확인일 {date})",
        "en": "(numbers checked on {date})",
    },
    "facts.elsewhere": {
        "ko": "확인된 여행경보가 있는 지역:",
        "en": "Areas with a verified advisory level:",
    },
    "facts.no_rest": {
        "ko": "{place}의 나머지 지역에 대한 확인된 여행경보 단계는 없어요.",
        "en": "I have no verified level for the rest of {place}.",
    },
    "facts.but_inside": {"ko": "단, 그 안의 이 지역은:", "en": "but inside it:"},
    "facts.effective": {
        "ko": "적용: {effective}{announced}.",
        "en": "Took effect: {effective}{announced}.",
    },
    "facts.announced": {"ko": " (발표 {date})", "en": " (announced {date})"},
    "facts.red_flags_title": {
        "ko": "⚠️ 가짜 일자리 제안의 위험 신호:",
        "en": "⚠️ Warning signs of a fake job offer:",
    },
    "facts.figures_title": {
        "ko": "📊 피해 규모 (확인된 수치만):",
        "en": "📊 How big the problem is (confirmed figures only):",
    },
    "facts.no_figures": {
        "ko": "확인된 수치가 아직 없어요.",
        "en": "I have no confirmed figures yet.",
    },
    "facts.verify_title": {
        "ko": "🔎 고용주·채용업체를 확인하는 방법:",
        "en": "🔎 How to check an employer or recruiter:",
    },
    "facts.level_1": {"ko": "1단계 여행유의", "en": "Level 1 (travel caution)"},
    "facts.level_2": {"ko": "2단계 여행자제", "en": "Level 2 (travel restraint)"},
    "facts.level_3": {"ko": "3단계 출국권고", "en": "Level 3 (leave; do not go)"},
    "facts.level_4": {"ko": "4단계 여행금지", "en": "Level 4 (travel ban)"},
    "facts.special_advisory": {"ko": "특별여행주의보", "en": "Special travel advisory"},
    # The action server's own words.
    "actions.check_intro": {
        "ko": "제안을 같이 확인해 볼게요. 질문은 9개예요. 모르는 건 건너뛰어도 되고, 언제든 '그만'이라고 하면 멈춰요.",
        "en": 'Let\'s check the offer together. There are 9 questions. You can skip any of them, and say "stop" at any time.',
    },
    "actions.check_intro_prefilled": {
        "ko": "나머지를 같이 확인해 볼게요. 메시지에서 읽은 것은 묻지 않아요: {items}\n남은 질문은 {n}개예요. 모르는 건 건너뛰어도 되고, 언제든 '그만'이라고 하면 멈춰요.",
        "en": "Let's check the rest of the offer. I won't ask what your message already said: {items}\n{n} questions left. You can skip any of them, and say \"stop\" at any time.",
    },
    "actions.which_place": {
        "ko": "어느 나라(도시)의 여행경보가 궁금하세요?",
        "en": "Which country or city do you want the travel advisory for?",
    },
}


CATALOGUES: list[dict[str, dict[str, str]]] = [TEXTS]
"""Where ``t()`` looks: this catalogue, and those the app adds (the staff group's, from
bot/common/stafftexts.py); the engine's Python reads only this one."""


def add_catalogue(texts: dict[str, dict[str, str]]) -> None:
    """Let ``t()`` find ``texts`` too; a key may be in one catalogue only."""
    if texts in CATALOGUES:
        return
    doubled = sorted(set(texts) & {key for catalogue in CATALOGUES for key in catalogue})
    if doubled:
        raise ValueError(f"text keys in two catalogues: {doubled}")
    CATALOGUES.append(texts)


def t(key: str, lang: str, **values: object) -> str:
    """Return the text for ``key`` in ``lang`` (English if missing), with ``values`` filled in."""
    for catalogue in CATALOGUES:
        variants = catalogue.get(key)
        if variants is not None:
            text = variants.get(lang) or variants["en"]
            return text.format(**values) if values else text
    raise KeyError(key)
