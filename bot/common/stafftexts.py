"""What Haven says to staff, in Korean and English: the staff group's own catalogue.

The engine never says these, so they live outside bot.core (which the engine's Python reads);
importing ``bot.common`` adds them to ``t()``'s catalogues. Keys start with ``staff.``.
"""

from __future__ import annotations

from bot.core.texts import add_catalogue

__all__ = ["STAFF_TEXTS"]

STAFF_TEXTS: dict[str, dict[str, str]] = {
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
    "staff.family_contact": {
        "ko": "👪 가족·지인의 신고: 글쓴이가 연락 창구예요 (붙잡힌 본인이 아님)",
        "en": "👪 Reported by family or a friend: the writer is the contact, not the person held",
    },
    "staff.watched_writer": {"ko": "몰래 쓰는 글", "en": "writing in secret"},
    "staff.health_stale_facts": {
        "ko": "확인한 지 {days}일이 넘은 사실 항목: {count}개",
        "en": "Fact entries checked more than {days} days ago: {count}",
    },
    "staff.stale_facts_title": {
        "ko": "🗓 확인한 지 {days}일이 넘은 사실 항목 {count}개 (여행경보 먼저):",
        "en": "🗓 {count} fact entries were checked more than {days} days ago (advisories first):",
    },
    "staff.stale_facts_hint": {
        "ko": "출처에서 다시 확인하고 공유 사실 파일의 checked 날짜를 고친 뒤 scripts/build_facts.py를 실행하세요.",
        "en": "Check them in their sources again, update 'checked' in the shared facts file, then run scripts/build_facts.py.",
    },
    "staff.stale_more": {"ko": "… 그 밖에 {count}개", "en": "… and {count} more"},
    "staff.stale_kind_advisory": {"ko": "여행경보", "en": "advisory"},
    "staff.stale_kind_contact": {"ko": "연락처", "en": "contact"},
    "staff.stale_kind_red_flag": {"ko": "위험 신호", "en": "red flag"},
    "staff.stale_kind_how_to_verify": {"ko": "확인 방법", "en": "how to verify"},
    "staff.stale_kind_figure": {"ko": "수치", "en": "figure"},
    "staff.consent_asked": {
        "ko": "#{id}: {party} 공유 동의를 물었어요. 답이 오면 알려 드려요.",
        "en": "#{id}: asked the person whether we may share with {party}. Their answer will follow here.",
    },
    "staff.consent_told": {
        "ko": "#{id}: 동의 없이 {party}에 연락한다고 알렸어요.",
        "en": "#{id}: told the person we must contact {party} without their agreement.",
    },
    "staff.consent_answer": {
        "ko": "#{id}: {party} 공유에 대한 답: {answer}",
        "en": "#{id}: sharing with {party}: the person answered {answer}",
    },
    "staff.consent_line": {"ko": "동의: {items}", "en": "Consent: {items}"},
    "staff.consent_none": {"ko": "물어본 적 없음", "en": "never asked"},
    "staff.consent_yes": {"ko": "예", "en": "yes"},
    "staff.consent_no": {"ko": "아니요", "en": "no"},
    "staff.consent_asked_state": {"ko": "묻는 중", "en": "asked"},
    "staff.consent_without": {"ko": "동의 없이 (알림)", "en": "without (told)"},
    "staff.consent_needed": {
        "ko": "#{id}: 이 답장은 {party}에 연락한다고 말해요. 당사자가 동의하지 않았어요. 먼저 물어보세요: /consent {id} {party_key} (동의 없이 해야 한다면 /consent {id} {party_key} without 으로 알리세요).",
        "en": "#{id}: this reply says we are contacting {party}, and the person has not agreed. Ask first: /consent {id} {party_key} (if you must act without it: /consent {id} {party_key} without, which tells them).",
    },
    "staff.usage_consent": {
        "ko": "쓰는 법: /consent N embassy|police|family (동의 없이 알리려면 끝에 without)",
        "en": "Usage: /consent N embassy|police|family (add 'without' to tell them you must act without it)",
    },
    "staff.backup_failed": {
        "ko": "⚠️ 정기 백업을 만들지 못했어요: {reason}. 서버 운영자에게 알려 주세요 (BACKUP_DIR과 디스크 공간 확인).",
        "en": "⚠️ The scheduled backup failed: {reason}. Tell the server's operator (check BACKUP_DIR and the disk space).",
    },
    "staff.backup_recovered": {
        "ko": "✅ 정기 백업이 다시 만들어졌어요.",
        "en": "✅ The scheduled backup works again.",
    },
    "staff.undo_pending": {
        "ko": "⏳ {seconds}초 뒤에 상담 #{id}에 보내요. 보내지 않으려면 되돌리기를 누르세요.",
        "en": "⏳ Goes to case #{id} in {seconds} s. Press Undo to keep it back.",
    },
    "staff.undo": {"ko": "↩️ 되돌리기", "en": "↩️ Undo"},
    "staff.undo_too_late": {
        "ko": "이미 상담 #{id}에 보냈어요. 전달 시각은 ✓ 메시지에 있어요.",
        "en": "Already sent to case #{id}; the ✓ says when it left.",
    },
}

add_catalogue(STAFF_TEXTS)
