"""Everything Haven says in its own words, in Korean and English, in one catalogue.

One place to translate, review and test; it lives in bot.core (standard library only, Python
3.10) so that the facts module and the action server read it too. The engine's answers live in
domain.yml, and job-check wording in content/job_flags.yml.

Keys are ``area.name``: ``keyboard``, ``command``, ``flow``, ``check`` (a question about an
offer answered first, the guided check pre-filled), ``discreet``, ``decoy``,
``staff`` (the staff group), ``to_user`` (sent on staff's behalf), ``facts`` and ``actions``.
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
        "ko": "이렇게 쓸 수 있어요.\n/verify 일자리 제안 확인\n/contacts 긴급 연락처\n/sos 지금 위험해요: 상담원 연결\n/language 언어 바꾸기 (한국어/English)\n/privacy 개인정보 안내\n/forget 내 기록 지우기\n\n그냥 말로 물어봐도 돼요.",
        "en": "Here is what you can do:\n/verify check a job offer\n/contacts emergency contacts\n/sos I'm in danger: reach a person\n/language change language (한국어/English)\n/privacy how your data is handled\n/forget delete my data\n\nYou can also just ask in your own words.",
    },
    "privacy": {
        "ko": "개인정보 안내: 무엇을 얼마나 보관하나요\n• 언어 설정, 그리고 정했다면 암호 문구(해시로만)와 안전 단어: /forget 할 때까지.\n• 안부 확인을 정했다면 행선지와 출발일: /checkin stop 이나 /forget 할 때까지.\n• 나중에 상담원에게 알릴 때 맥락이 되는 최근 메시지 몇 개: {recent_hours}시간.\n• 대화 엔진은 {engine_minutes}분 동안 메시지가 없으면 대화를 잊어요.\n• 도움을 요청하면 상담 기록이 생겨요. 메시지는 상담팀 그룹으로 전달되고, 그룹의 상담원 모두가 볼 수 있어요. 끝난 상담은 {case_days}일 뒤에 지워지고, 상담팀 그룹의 사본도 삭제되거나 안내 문구로 바뀌어요.\n• 보내신 내용은 암호화해서 저장해요. 상담원 이름은 전달되지 않아요.\n• /forget 은 이 모든 것을 바로 지우고, 이 채팅의 최근 48시간 메시지도 삭제해요. 진행 중인 상담만 안전을 위해 상담원이 끝낼 때까지 남아요.\n• 텔레그램은 이 채팅을 따로 보관해요. /clear 로 아직 지울 수 있는(48시간 이내) 메시지를 지울 수 있어요.\n• 상담팀 통계(도움을 받기까지 걸린 시간 등)를 위해 상담마다 시각, 우선순위, 언어, 결과만 남아요. 누구인지나 쓴 내용은 들어 있지 않아요. 상담이 끝나고 {timeline_days}일이 지나면 합계 숫자로만 남아요. 본인을 알아볼 수 있는 내용이 없어서 /forget 으로는 지워지지 않아요.",
        "en": "Privacy: what I keep, and for how long\n• Your language and, if you set them, your code phrase (only as a hash) and safety word: until you send /forget.\n• Your check-in, if you set one (where and when you travel): until /checkin stop or /forget.\n• Your last few messages, to give a later alert its context: {recent_hours} hours.\n• The dialogue engine forgets a conversation after {engine_minutes} minutes without a message.\n• If you ask for help, you get a case: your messages go to our staff group, where everyone on the team can read them. A closed case is erased {case_days} days after it closes, and its copies in the staff group are deleted or replaced by a note.\n• What you send is stored encrypted. Staff names are never shown to you.\n• /forget erases all of this now and deletes this chat's messages of the last 48 hours. Only an open case stays, until staff close it, for your safety.\n• Telegram keeps this chat on its own servers: /clear deletes the messages I may still delete (48 hours).\n• For our team's numbers (how quickly people get help), each case leaves only its times, priority, language and outcome, with nothing about who you are or what you wrote: for {timeline_days} days after it closes, then only as totals. /forget does not remove these, since nothing in them identifies you.",
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
        "ko": "상담원에게 알렸어요 (#{case}). 곧 이 채팅으로 연락드려요.\n말하기 어려우면 짧게 보내도 되고, 위치를 보낼 수 있으면 보내 주세요.",
        "en": "I have alerted a person from our team (#{case}). They will reply in this chat soon.\nShort messages are fine. If you can, share your location.",
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
        "ko": "지금은 상담원 근무 시간이 아니에요. 약 {hours}시간 뒤에 상담원이 확인해요. 그동안 급하면 24시간 받는 영사콜센터로 연락하세요:\n{call_center}",
        "en": "Our team is not at work right now; a person will see this in about {hours} hours. Meanwhile, if it is urgent, the Consular Call Center answers 24 hours:\n{call_center}",
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
    "flow.need_media": {
        "ko": "이 단계에서는 {kind}을(를) 보내 주세요. 없으면 '건너뛰기'.",
        "en": "For this step please send a {kind}, or skip.",
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
        "ko": "안전할 때 비밀 문구를 정해 두세요: /codeword 문구\n나중에 그 문구만 보내면, 화면에는 평범한 알림만 보이고 상담원에게 조용히 알림이 가요. 설정 메시지는 곧 지워져요.",
        "en": "While you are safe, set a secret phrase: /codeword your phrase\nLater, sending only that phrase shows a harmless notice on screen and silently alerts our team. This setup message will be deleted shortly.",
    },
    "discreet.codeword_set": {
        "ko": "비밀 문구를 저장했어요. 이 대화는 1분 뒤 지워져요.",
        "en": "Your secret phrase is saved. This conversation will be deleted in 1 minute.",
    },
    "discreet.safeword_usage": {
        "ko": "안전 단어를 정하면, 상담원 메시지는 항상 그 단어로 시작해요. 진짜 Haven인지 알 수 있어요: /safeword 단어",
        "en": "Set a safety word and every message from our team will start with it, so you know it is really Haven: /safeword word",
    },
    "discreet.safeword_set": {
        "ko": "안전 단어를 저장했어요. 상담원 메시지는 이 단어로 시작해요. 이 대화는 1분 뒤 지워져요.",
        "en": "Saved. Messages from our team will start with your safety word. This conversation will be deleted in 1 minute.",
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
    # The staff group.
    "staff.new": {"ko": "🚨 새 상담 #{id}", "en": "🚨 New case #{id}"},
    "staff.realert": {
        "ko": "⏰ 아직 담당자 없음: 상담 #{id} ({minutes}분 경과)",
        "en": "⏰ Still unclaimed: case #{id} ({minutes} min)",
    },
    "staff.priority_high": {"ko": "우선순위 높음", "en": "high priority"},
    "staff.priority_normal": {"ko": "우선순위 보통", "en": "normal priority"},
    "staff.lang_ko": {"ko": "한국어", "en": "Korean"},
    "staff.lang_en": {"ko": "영어", "en": "English"},
    "staff.discreet": {
        "ko": "🤫 비밀 신호: 감시 중일 수 있음. 먼저 연락하지 말고 답장만 하세요.",
        "en": "🤫 Discreet: the phone may be watched. Reply only; do not reach out first.",
    },
    "staff.message": {"ko": "메시지", "en": "Message"},
    # Issue 15: the language of a message in neither Korean nor English.
    "staff.interpreter": {
        "ko": "{language} — 통역 필요",
        "en": "{language} — interpreter needed",
    },
    "staff.written_in": {"ko": "작성 언어: {language}", "en": "Written in {language}"},
    "staff.earlier": {"ko": "이전 메시지", "en": "Earlier messages"},
    "staff.reason": {"ko": "판단 근거", "en": "Triage"},
    "staff.claim": {"ko": "담당하기", "en": "Claim"},
    "staff.resolve": {"ko": "종료", "en": "Resolve"},
    "staff.claimed": {"ko": "✅ 상담 #{id} 담당: {name}", "en": "✅ Case #{id} claimed by {name}"},
    "staff.resolved": {"ko": "☑️ 상담 #{id} 종료: {name}", "en": "☑️ Case #{id} resolved by {name}"},
    "staff.relayed": {"ko": "📨 #{id} 사용자: {text}", "en": "📨 #{id} user: {text}"},
    "staff.relayed_media": {
        "ko": "📎 #{id} 사용자가 {kind}을(를) 보냈어요",
        "en": "📎 #{id} the user sent a {kind}",
    },
    "staff.sent": {"ko": "➡️ 상담 #{id}에 전달했어요.", "en": "➡️ Sent to case #{id}."},
    "staff.not_staff": {"ko": "상담원만 할 수 있어요.", "en": "Only staff can do that."},
    "staff.no_case": {"ko": "상담 #{id}이(가) 없어요.", "en": "There is no case #{id}."},
    "staff.already_resolved": {
        "ko": "상담 #{id}은(는) 이미 종료됐어요.",
        "en": "Case #{id} is already resolved.",
    },
    "staff.no_cases": {"ko": "진행 중인 상담이 없어요.", "en": "No open cases."},
    "staff.cases_title": {"ko": "진행 중인 상담", "en": "Open cases"},
    "staff.usage_reply": {"ko": "사용법: /reply 번호 내용", "en": "Usage: /reply N text"},
    "staff.usage_case": {"ko": "사용법: /{command} 번호", "en": "Usage: /{command} N"},
    "staff.usage_priority": {
        "ko": "사용법: /priority 번호 high|normal",
        "en": "Usage: /priority N high|normal",
    },
    "staff.priority_set": {
        "ko": "상담 #{id} 우선순위: {priority}",
        "en": "Case #{id} priority: {priority}",
    },
    "staff.unclaimed": {"ko": "미배정", "en": "unclaimed"},
    "staff.claimed_by": {"ko": "담당 {name}", "en": "claimed by {name}"},
    "staff.minutes_ago": {"ko": "{minutes}분 전", "en": "{minutes} min ago"},
    # Erasure: what is left in the staff group of an erased case.
    "staff.case_erased": {"ko": "상담 #{id}: 내용 삭제됨", "en": "case #{id}: content removed"},
    "staff.erase_by_hand": {
        "ko": "상담 #{id}의 기록을 지웠지만, 이 그룹에 남은 메시지 {count}개(사진, 위치, 또는 상담원이 직접 쓴 메시지)는 텔레그램 제한으로 제가 지울 수 없어요. 직접 삭제해 주세요.",
        "en": "Case #{id} was erased, but Telegram no longer lets me remove {count} of its messages in this group (photos, locations, or messages staff wrote themselves). Please delete them by hand.",
    },
    "staff.reply_hint": {
        "ko": "사용자에게 답하려면 이 메시지에 답장하세요. 사용자에게 보일 모습을 먼저 보여 드리고, '보내기'를 눌러야 보내져요. 바로 보내기: /reply {id} 내용\n내부 메모(사용자에게 안 감): /note {id} 내용, 또는 ! 나 📝 로 시작하는 답장.",
        "en": "To answer the user, reply to this message: you will see exactly what they will get, and it is sent only when you press Send. To send at once: /reply {id} text\nInternal note (never sent): /note {id} text, or a reply starting with ! or 📝.",
    },
    # Staff access, notes and drafts (issue 13): who may act, and what reaches the user.
    "staff.check_failed": {
        "ko": "텔레그램에서 상담원 여부를 확인하지 못해서 실행하지 않았어요. 잠시 후 다시 해 주세요.",
        "en": "I could not check with Telegram that you are staff, so I did not do it. Please try again in a moment.",
    },
    "staff.usage_note": {"ko": "사용법: /note 번호 내용", "en": "Usage: /note N text"},
    "staff.noted": {
        "ko": "📝 상담 #{id}에 내부 메모를 남겼어요. 사용자에게는 보내지 않았어요.",
        "en": "📝 Note kept on case #{id}. It was not sent to the user.",
    },
    "staff.note_label": {"ko": "📝 메모 ({name})", "en": "📝 note ({name})"},
    "staff.draft": {
        "ko": "✉️ 아직 안 보냈어요. 상담 #{id}의 사용자에게는 정확히 이렇게 보여요:\n\n{preview}\n\n보낼까요, 내부 메모로 남길까요, 취소할까요?",
        "en": "✉️ Not sent yet. The user of case #{id} would see exactly this:\n\n{preview}\n\nSend it, keep it as an internal note, or cancel?",
    },
    "staff.safety_word_mark": {
        "ko": "🔑(사용자의 안전 단어)",
        "en": "🔑(the user's safety word)",
    },
    "staff.send": {"ko": "✉️ 보내기", "en": "✉️ Send"},
    "staff.keep_note": {"ko": "📝 메모로 남기기", "en": "📝 Keep as note"},
    "staff.cancel": {"ko": "✖ 취소", "en": "✖ Cancel"},
    "staff.draft_gone": {
        "ko": "이 초안은 더 이상 없어요. 상담 메시지에 다시 답장해 주세요.",
        "en": "This draft is gone. Reply to the case message again.",
    },
    "staff.draft_not_yours": {
        "ko": "초안을 쓴 사람만 보낼 수 있어요.",
        "en": "Only the person who wrote this draft can send it.",
    },
    "staff.draft_dropped": {
        "ko": "✖ 보내지 않았어요. 상담 #{id}의 초안을 지웠어요.",
        "en": "✖ Not sent: the draft for case #{id} is discarded.",
    },
    "staff.roster_title": {
        "ko": "👥 상담원 (STAFF_USER_IDS)과 지금 이 그룹에서의 상태:",
        "en": "👥 Staff (STAFF_USER_IDS) and where they stand in this group now:",
    },
    "staff.roster_in": {
        "ko": "✅ {name} · {id}: {status}, 상담 처리 가능",
        "en": "✅ {name} · {id}: {status}, may act on cases",
    },
    "staff.roster_out": {
        "ko": "⛔ {name} · {id}: {status}, 상담 처리 불가",
        "en": "⛔ {name} · {id}: {status}, may not act on cases",
    },
    "staff.roster_unknown": {
        "ko": "⚠️ {id}: 텔레그램에서 확인하지 못했어요",
        "en": "⚠️ {id}: Telegram could not say",
    },
    "staff.status_creator": {"ko": "그룹 소유자", "en": "group owner"},
    "staff.status_administrator": {"ko": "관리자", "en": "administrator"},
    "staff.status_member": {"ko": "멤버", "en": "member"},
    "staff.status_restricted": {"ko": "제한된 멤버", "en": "restricted"},
    "staff.status_left": {"ko": "그룹에 없음", "en": "not in the group"},
    "staff.status_kicked": {"ko": "그룹에서 내보내짐", "en": "removed from the group"},
    # Delivery (issue 12): what staff learn about messages that could not get through, the
    # alarms about the store, the staff group and content files, and /health.
    "staff.reply_queued": {
        "ko": "⏳ 상담 #{id}: 아직 전달되지 않았어요. 계속 다시 보내는 중이에요 ({reason}). 전달되면 알려 드릴게요.",
        "en": "⏳ Case #{id}: not delivered yet; Haven keeps trying ({reason}). You will be told when it arrives.",
    },
    "staff.reply_failed": {
        "ko": "❌ 상담 #{id}: 답장이 전달되지 않았어요: {reason}",
        "en": "❌ Case #{id}: your reply was not delivered: {reason}",
    },
    "staff.reply_late": {
        "ko": "✅ 상담 #{id}: 앞서 보낸 답장이 이제 전달됐어요.",
        "en": "✅ Case #{id}: your earlier reply has now been delivered.",
    },
    "staff.undelivered": {
        "ko": "❌ #{id}: {at}에 보낸 답장이 전달되지 않았어요: {reason}",
        "en": "❌ #{id}: your reply of {at} was not delivered: {reason}",
    },
    "staff.undelivered_no_case": {
        "ko": "❌ 사용자에게 보낸 메시지({kind}, {at})가 전달되지 않았어요: {reason}",
        "en": "❌ A message to a user ({kind}, {at}) was not delivered: {reason}",
    },
    "staff.undelivered_here": {
        "ko": "❌ 이 그룹에 보낼 메시지(상담 #{id}, {kind}, {at})가 전달되지 않았어요: {reason}. /case {id} 로 확인하세요.",
        "en": "❌ A message for this group (case #{id}, {kind}, {at}) could not be delivered: {reason}. See /case {id}.",
    },
    "staff.alert_fallback": {
        "ko": "🚨 새 상담 #{id}: 알림 전문을 보낼 수 없었어요 ({reason}). /case {id} 로 내용을 확인하세요.",
        "en": "🚨 New case #{id}: the full alert could not be delivered ({reason}). See /case {id}.",
    },
    "staff.user_blocked": {
        "ko": "🚫 상담 #{id}: 사용자가 Haven을 차단했어요. 사용자가 차단을 풀 때까지 아무것도 전달되지 않아요.",
        "en": "🚫 Case #{id}: the user has blocked Haven. Nothing reaches them until they unblock it.",
    },
    "staff.copy_gone": {
        "ko": "📎 #{id}: 사용자가 보낸 사진·음성 등을 이 그룹에 복사할 수 없었어요. 복사되기 전에 삭제됐어요.",
        "en": "📎 #{id}: the user's photo, voice message or file could not be copied here: it was deleted before it was copied.",
    },
    "staff.clipped": {
        "ko": "✂️ (텔레그램이 너무 길다고 거절해서 잘렸어요)",
        "en": "✂️ (cut short: Telegram refused it as too long)",
    },
    "staff.group_moved": {
        "ko": "ℹ️ 이 그룹이 슈퍼그룹으로 바뀌어 이제 이곳이 상담원 그룹이에요. 대기 중이던 메시지도 여기로 와요. 설정의 STAFF_CHAT_ID를 {new}(으)로 바꿔 주세요.",
        "en": "ℹ️ This group became a supergroup and is now the staff group; queued messages come here. Please set STAFF_CHAT_ID={new} in the configuration.",
    },
    "staff.group_refused": {
        "ko": "⚠️ Haven이 상담원 그룹에 메시지를 보낼 수 없어요: {reason}. 봇이 아직 그룹 멤버인지 확인하세요. 알림은 보관되어 계속 다시 보내요.",
        "en": "⚠️ Haven cannot post in the staff group: {reason}. Check that the bot is still a member. Alerts are kept and retried.",
    },
    "staff.store_failing": {
        "ko": "⚠️ Haven의 저장소(데이터베이스)가 작동하지 않아요: {reason}. 디스크 공간과 데이터베이스 파일을 확인하세요.",
        "en": "⚠️ Haven's store (database) is failing: {reason}. Check the disk space and the database file.",
    },
    "staff.store_recovered": {
        "ko": "✅ 저장소가 다시 작동해요.",
        "en": "✅ The store works again.",
    },
    "staff.unrecorded_title": {
        "ko": "🚨 ⚠️ 기록되지 않은 긴급 요청 (저장소 오류: 상담 번호 없음, 최선의 전달)",
        "en": "🚨 ⚠️ Not recorded: a request for help (store failure: no case number, sent best effort)",
    },
    "staff.unrecorded_hint": {
        "ko": "저장소가 복구되면 번호가 붙은 알림이 다시 와요. 그 전에는 이 요청에 답장할 수 없어요.",
        "en": "Once the store works again this is recorded and alerted again with a case number; until then it cannot be replied to.",
    },
    "staff.recorded_late": {
        "ko": "저장소 오류 뒤 늦게 기록됨",
        "en": "recorded late, after a store failure",
    },
    "staff.alerts_stuck": {
        "ko": "⚠️ 긴급 알림 {count}건이 {minutes}분 넘게 전달되지 않고 있어요 (가장 오래된 것: 상담 #{id}): {reason}. /health 로 확인하세요.",
        "en": "⚠️ {count} alert(s) undelivered for over {minutes} min (oldest: case #{id}): {reason}. See /health.",
    },
    "staff.content_problem": {
        "ko": "⚠️ {file} 수정 내용을 쓸 수 없어 이전 버전을 계속 써요: {reason}",
        "en": "⚠️ The edit to {file} cannot be used; the last good version stays in use: {reason}",
    },
    "staff.why_blocked": {
        "ko": "사용자가 Haven을 차단했거나 텔레그램 계정이 없어졌어요",
        "en": "the user has blocked Haven or left Telegram",
    },
    "staff.why_too_long": {
        "ko": "잘라도 텔레그램이 너무 길다고 거절했어요",
        "en": "Telegram refused it as too long, even cut short",
    },
    "staff.why_gone": {
        "ko": "원래 메시지가 이미 삭제됐어요",
        "en": "the original message no longer exists",
    },
    "staff.why_refused": {
        "ko": "텔레그램이 거절했어요 ({detail})",
        "en": "Telegram refused it ({detail})",
    },
    "staff.why_rate_limited": {
        "ko": "텔레그램이 {seconds:g}초 기다리라고 했어요",
        "en": "Telegram asked to wait {seconds:g} s",
    },
    "staff.why_transient": {
        "ko": "텔레그램이 응답하지 않아요 ({detail})",
        "en": "Telegram is not answering ({detail})",
    },
    "staff.why_waiting": {
        "ko": "텔레그램의 확인을 기다리는 중",
        "en": "waiting for Telegram to confirm it",
    },
    "staff.health_title": {"ko": "🩺 Haven 상태", "en": "🩺 Haven health"},
    "staff.health_outbox": {
        "ko": "보낼 메시지: {count}건 대기 (가장 오래된 것 {age})",
        "en": "Outbox: {count} waiting (oldest {age})",
    },
    "staff.health_outbox_empty": {
        "ko": "보낼 메시지: 대기 없음",
        "en": "Outbox: nothing waiting",
    },
    "staff.health_dead": {
        "ko": "전달 포기: 모두 {count}건, 최근 24시간 {day}건",
        "en": "Dead letters: {count} in all, {day} in the last 24 h",
    },
    "staff.health_engine_up": {"ko": "대화 엔진: 작동 중", "en": "Engine: up"},
    "staff.health_engine_down": {
        "ko": "대화 엔진: 응답 없음 (안전망만 작동)",
        "en": "Engine: down (the safety net answers alone)",
    },
    "staff.health_last_error": {
        "ko": "마지막 전달 오류: {error} ({ago})",
        "en": "Last delivery error: {error} ({ago})",
    },
    "staff.health_no_error": {
        "ko": "마지막 전달 오류: 없음",
        "en": "Last delivery error: none",
    },
    "staff.health_unrecorded": {
        "ko": "⚠️ 전달됐지만 아직 저장하지 못한 메시지: {count}건",
        "en": "⚠️ Delivered but not yet recorded in the store: {count}",
    },
    "staff.health_store_down": {
        "ko": "⚠️ 저장소를 읽을 수 없어요: {reason}",
        "en": "⚠️ The store cannot be read: {reason}",
    },
    "staff.health_content": {
        "ko": "⚠️ 내용 파일 {file}: 이전 버전 사용 중 ({reason})",
        "en": "⚠️ Content file {file}: last good version in use ({reason})",
    },
    "staff.health_content_ok": {
        "ko": "내용 파일: 정상",
        "en": "Content files: fine",
    },
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
    "staff.seconds_ago": {"ko": "{seconds}초 전", "en": "{seconds} s ago"},
    # The desk (issue 16): topics, assignment, the ladder, canned replies, tags, bursts, numbers.
    "staff.topic_hint": {
        "ko": "이 토픽이 상담 #{id}이에요. 여기에 쓰는 글은 모두 사용자에게 바로 가요(전달되면 ✓ 표시). 내부 메모(안 감): /note 내용, 또는 ! 나 📝 로 시작하는 글. 명령은 번호 없이: /claim, /resolve, /canned, /transfer 상담원ID, /unclaim.",
        "en": "This topic is case #{id}. Everything you write here goes to the user (✓ once delivered). Internal note (never sent): /note text, or text starting with ! or 📝. Commands need no number here: /claim, /resolve, /canned, /transfer staff-id, /unclaim.",
    },
    "staff.topic_notice": {
        "ko": "🆕 #{id} {icon} {language} · {priority}: 토픽에서 보세요",
        "en": "🆕 #{id} {icon} {language} · {priority}: see its topic",
    },
    "staff.topics_no_rights": {
        "ko": "⚠️ 이 그룹은 토픽을 쓰지만 봇에게 '토픽 관리' 권한이 없어요. 상담마다 토픽을 만들려면 봇을 '토픽 관리' 권한이 있는 관리자로 지정해 주세요. 그때까지는 상담이 여기(General)에 오고, 답장과 /reply 번호로 답해요.",
        "en": "⚠️ This group uses topics, but the bot lacks the 'Manage topics' right. To give each case its own topic, make the bot an administrator with 'Manage topics'. Until then cases come here (General): answer by replying, or with /reply N.",
    },
    "staff.topic_text_only": {
        "ko": "사진이나 파일은 사용자에게 보내지 않아요. 글만 전달돼요(설명은 글로 써 주세요).",
        "en": "Photos and files are not sent to the user; only text is. Describe it in words.",
    },
    "staff.delivered": {"ko": "✓ 상담 #{id} 사용자에게 전달됨", "en": "✓ Delivered to case #{id}"},
    "staff.undo_pending": {
        "ko": "⏳ {seconds}초 뒤에 상담 #{id}에 보내요. 보내지 않으려면 되돌리기를 누르세요.",
        "en": "⏳ Goes to case #{id} in {seconds} s. Press Undo to keep it back.",
    },
    "staff.undo": {"ko": "↩️ 되돌리기", "en": "↩️ Undo"},
    "staff.undo_too_late": {
        "ko": "이미 상담 #{id}에 보냈어요. 전달 시각은 ✓ 메시지에 있어요.",
        "en": "Already sent to case #{id}; the ✓ says when it left.",
    },
    "staff.someone": {"ko": "상담원 {id}", "en": "staff member {id}"},
    "staff.digest": {
        "ko": "🆘 새 상담 {count}건: {cases}",
        "en": "🆘 {count} new cases: {cases}",
    },
    "staff.digest_one": {
        "ko": "🆘 새 상담 {count}건: {cases}",
        "en": "🆘 {count} new case: {cases}",
    },
    "staff.digest_hint": {
        "ko": "한꺼번에 들어와서 묶어서 알려요. 자세한 알림은 그룹 전송 한도(분당 약 20개)에 맞춰 각 상담의 토픽으로 이어서 와요. 바로 맡으려면 /claim 번호.",
        "en": "Many came in at once, so here they are together. Each case's full alert follows in its topic as the group limit (about 20 messages a minute) allows. To take one now: /claim N.",
    },
    "staff.supervisors": {
        "ko": "📣 상담 #{id}이(가) {minutes}분째 담당자 없이 기다리고 있어요. 책임자 확인 부탁드려요:",
        "en": "📣 Case #{id} has waited {minutes} min with nobody on it. Supervisors, please look:",
    },
    "staff.unclaimed_notice": {
        "ko": "↩️ 상담 #{id}을(를) {name} 님이 내려놓았어요. 다시 담당자를 기다려요.",
        "en": "↩️ Case #{id} was given back by {name}: it needs someone again.",
    },
    "staff.handed_over": {
        "ko": "🔁 상담 #{id}을(를) {name} 님이 넘겼어요. 새 담당자:",
        "en": "🔁 Case #{id} handed over by {name}. Now with:",
    },
    "staff.transfer_not_staff": {
        "ko": "{id}은(는) 지금 상담원이 아니에요(STAFF_USER_IDS에 있고 이 그룹에 있어야 해요). /staff 로 확인하세요.",
        "en": "{id} is not staff now (named in STAFF_USER_IDS and in this group). See /staff.",
    },
    "staff.usage_transfer": {
        "ko": "사용법: /transfer 번호 상담원ID (토픽에서는 /transfer 상담원ID)",
        "en": "Usage: /transfer N staff-id (in a case's topic: /transfer staff-id)",
    },
    "staff.usage_canned": {
        "ko": "사용법: /canned 번호 [키] (토픽에서는 /canned [키])",
        "en": "Usage: /canned N [key] (in a case's topic: /canned [key])",
    },
    "staff.usage_resolve": {
        "ko": "사용법: /resolve 번호 [태그]. 태그: {tags}",
        "en": "Usage: /resolve N [tag]. Tags: {tags}",
    },
    "staff.usage_stats": {
        "ko": "사용법: /stats 또는 /stats week",
        "en": "Usage: /stats or /stats week",
    },
    "staff.tag_ask": {
        "ko": "어떤 상담이었나요? (통계에 쓰여요)",
        "en": "What did it turn out to be? (for the numbers)",
    },
    "staff.tagged": {"ko": "🏷 상담 #{id}: {tag}", "en": "🏷 Case #{id}: {tag}"},
    "staff.tag_trapped": {"ko": "감금", "en": "trapped"},
    "staff.tag_family_report": {"ko": "가족 신고", "en": "family report"},
    "staff.tag_job_check": {"ko": "일자리 확인", "en": "job check"},
    "staff.tag_false_alarm": {"ko": "오경보", "en": "false alarm"},
    "staff.tag_rescued": {"ko": "구조됨", "en": "rescued"},
    "staff.tag_safe": {"ko": "안전 확인", "en": "safe"},
    "staff.tag_none": {"ko": "태그 없음", "en": "no tag"},
    "staff.canned_button": {"ko": "💬 상용구", "en": "💬 Canned"},
    "staff.canned_pick": {
        "ko": "상담 #{id}에 보낼 상용구를 고르세요. 사용자의 언어로 보내져요.",
        "en": "Pick a canned reply for case #{id}. It goes out in the user's language.",
    },
    "staff.canned_none": {
        "ko": "상용구가 없어요 (content/canned.yml).",
        "en": "There are no canned replies (content/canned.yml).",
    },
    "staff.canned_unknown": {
        "ko": "'{name}' 상용구는 없어요. /canned 번호 로 목록을 보세요.",
        "en": "There is no canned reply '{name}'. See the list with /canned N.",
    },
    "staff.canned_preview": {
        "ko": "✉️ 아직 안 보냈어요. 상담 #{id}에 {language}로 보낼 상용구:\n\n{text}",
        "en": "✉️ Not sent yet. Canned reply for case #{id}, going out in {language}:\n\n{text}",
    },
    "staff.canned_theirs": {
        "ko": "사용자가 받을 글:\n{text}",
        "en": "What the user gets:\n{text}",
    },
    "staff.stats_title_day": {"ko": "📊 지난 24시간", "en": "📊 Last 24 hours"},
    "staff.stats_title_daily": {
        "ko": "📊 하루 요약 (지난 24시간)",
        "en": "📊 Daily summary (last 24 hours)",
    },
    "staff.stats_title_week": {"ko": "📅 지난 7일", "en": "📅 Last 7 days"},
    "staff.stats_opened": {
        "ko": "새 상담 {count}건 (우선순위 높음 {high}건)",
        "en": "Cases opened: {count} ({high} high priority)",
    },
    "staff.stats_to_seen": {
        "ko": "알림이 보이기까지: {spread}",
        "en": "Until staff could see it: {spread}",
    },
    "staff.stats_to_claim": {"ko": "담당까지: {spread}", "en": "Time to claim: {spread}"},
    "staff.stats_to_reply": {
        "ko": "상담원의 첫 메시지까지: {spread}",
        "en": "Time to the first staff message: {spread}",
    },
    "staff.stats_spread": {
        "ko": "중앙값 {p50} · 95% {p95} ({count}건)",
        "en": "p50 {p50} · p95 {p95} (n={count})",
    },
    "staff.stats_minutes": {"ko": "{minutes}분", "en": "{minutes} min"},
    "staff.stats_hours": {"ko": "{hours}시간", "en": "{hours} h"},
    "staff.stats_queue": {
        "ko": "지금 진행 중 {open}건, 그중 담당자 없음 {unclaimed}건",
        "en": "Open now: {open}, of which unclaimed: {unclaimed}",
    },
    "staff.stats_resolved": {"ko": "종료 (태그별): {tags}", "en": "Resolved, by tag: {tags}"},
    "staff.stats_tag": {"ko": "{tag} {count}건", "en": "{tag} {count}"},
    "staff.stats_false_alarms": {"ko": "오경보: {count}건", "en": "False alarms: {count}"},
    "staff.stats_missed_checkins": {
        "ko": "안부 확인 무응답: {count}건",
        "en": "Missed check-ins: {count}",
    },
    "staff.chart_title": {"ko": "Haven: 지난 7일", "en": "Haven: the last 7 days"},
    "staff.chart_cases": {"ko": "새 상담", "en": "cases opened"},
    "staff.chart_high": {"ko": "우선순위 높음", "en": "high priority"},
    "staff.chart_normal": {"ko": "우선순위 보통", "en": "normal priority"},
    "staff.chart_reply": {
        "ko": "첫 메시지까지 (중앙값, 분)",
        "en": "minutes to first staff message (p50)",
    },
    "staff.chart_caption": {
        "ko": "📈 지난 7일: 하루 새 상담 수와 상담원 첫 메시지까지 걸린 시간(중앙값)",
        "en": "📈 The last 7 days: cases opened per day, and the median time to the first staff message",
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
    "facts.ask_call_center": {
        "ko": "현재 단계는 영사콜센터에 물어보세요: {number} ({checked}).",
        "en": "Ask the Consular Call Center for the current level: {number} ({checked}).",
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
        "ko": "발효 {effective}{announced}.",
        "en": "Effective {effective}{announced}.",
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
    "facts.level_3": {"ko": "3단계 출국권고", "en": "Level 3 (withdrawal recommended: leave)"},
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


def t(key: str, lang: str, **values: object) -> str:
    """Return the text for ``key`` in ``lang`` (English if missing), with ``values`` filled in."""
    variants = TEXTS[key]
    text = variants.get(lang) or variants["en"]
    return text.format(**values) if values else text
