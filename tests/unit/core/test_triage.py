"""Tests for the distress safety net and the triage decision.

The catalogues below are written for this file (not taken from nlu/ or tests/heldout/), so
they measure the net on messages its rules were not fitted to one by one.
"""

from __future__ import annotations

import random
import re
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core import netviews
from bot.core.facts import spaced_view
from bot.core.fastregex import alternatives
from bot.core.folding import fold, nfkc
from bot.core.hazards import hazards
from bot.core.netviews import normalise
from bot.core.triage import (
    DISTRESS_INTENTS,
    HIGH,
    NORMAL,
    NetHit,
    SafetyNet,
    SafetyNetError,
    Triage,
    decide,
)

ROOT = Path(__file__).resolve().parents[3]
NET_FILE = ROOT / "content" / "safety_net.yml"
HELDOUT = ROOT / "tests" / "heldout"


@pytest.fixture(scope="module")
def net() -> SafetyNet:
    """The real lexicon, loaded once."""
    return SafetyNet.load(NET_FILE)


# ----------------------------------------------------------------------- Korean: must fire

KO_SELF = [
    "그들이 지켜보고 있어요",
    "살려주세요",
    "살려줘",
    "살려쥬세요",
    "살 려 주 세 요",
    "살려주세요ㅠㅠㅠㅠ",
    "살려주세요오오오",
    "ㅅㄹㅈ",
    "ㅅㄹㅈㅅㅇ",
    "ㄷㅇㅈㅅㅇ",
    "ㄱㅎㅈㅅㅇ",
    "ㅠㅠ ㅅㄹㅈㅅㅇ 빨리",
    "도와주세요",
    "도와쥬세요ㅠㅠ",
    "도와주세여",
    "제발 도와주세요",
    "누가 좀 도와줘요",
    "저 감금당했어요",
    "감굼 당했어요 도와주세요",
    "여기 갇혀있어요",
    "저희 갇혀 있어요 캄보디아",
    "저지금캄보디아에갇혀있어요",
    "같혀있어요 나갈수가 없어요",
    "숙소에서 못 나가요",
    "못나가게해요",
    "문 잠가놓고 못 나가게 해요",
    "방문을 밖에서 잠궈요",
    "건물 밖으로 못 나가요 경비가 있어요",
    "여기 감옥 같아요",
    "한국에 못 가게 막아요",
    "집에 안 보내줘요",
    "여권 뺏겼어요",
    "여권을 압수당했어요",
    "여권뺏기고감금됐어요",
    "회사가 여권 안 돌려줘요",
    "여권 가져가서 안 줘요",
    "여권이랑 폰 다 뺐겼어요",
    "휴대폰 검사해요 몰래 보내는 거예요",
    "감시가 심해서 길게 못 써요",
    "계속 감시당하고 있어요",
    "폰 뺏겨서 남의 폰 빌렸어요 들키면 안돼요",
    "어제 또 맞았어요",
    "실적 못 채우면 때려요",
    "전기충격기로 지졌어요 전기충격 무서워요",
    "폭행당했어요 병원도 못가요",
    "협박당하고 있어요",
    "가족한테 해코지한대요",
    "매일 맞아요 무서워요",
    "도망가면 죽인대요",
    "밥도 안 줘요",
    "보이스피싱 강요해요",
    "사기 치라고 시켜요 안하면 맞아요",
    "억지로 채팅 사기 시켜요",
    "강제로 일 시켜요",
    "빚 갚아야 보내준대요",
    "몸값 3천만원 내야 풀어준대요",
    "돈 내야 보내준대요 한국에 못가요",
    "위약금 2000달러 내야 나갈 수 있대요",
    "다른 회사로 팔려왔어요",
    "저 팔렸대요",
    "팔아넘긴대요 무서워요",
    "탈출하고 싶어요",
    "여기서 탈출 어떻게 해요",
    "구해주세요 캄보디아 시아누크빌",
    "구해줘요 제발",
    "여기서 좀 꺼내주세요",
    "집에 보내주세요 제발",
    "죽고 싶어요",
    "차라리 죽고싶다",
    "자살하고 싶어요",
    "더 이상 살기 싫어요",
    "진짜예요 감금돼있어요",
    "경찰 좀 불러주세요",
    "대사관에 연락해주세요 여기 프놈펜",
    "문을 밖에서 잠가서 못 나가요",
    "하루 16시간 일하고 졸면 때려요",
    "여기서 좀 빼내 주세요 제발",
    "사장이 800만원 안 내면 다른 데 팔아버린대요",
    "정문에 경비가 있어서 밖에 못 나가요",
    "도착하자마자 관리자가 여권을 가져갔어요",
    "국경 근처 건물에 잡혀 있어요",
    "밖에 못 나가게 해요 사람 좀 보내주세요",
    "어제 제 친구를 우리 앞에서 때렸어요",
    "저를 해칠까봐 무서워요",
    "사기 안 치면 전기충격 한대요",
    "경찰에 전화 못해요 폰 감시해요",
    "속아서 미얀마에 왔는데 못 나가요",
    "여권을 회사가 갖고 안 돌려줘요",
    "한국 대사관에 연락해 주세요 시아누크빌 단지에 있어요",
    "kk파크에 갇혀 있어요",
    "빨리 구출해 주세요",
    "살려주세요 감금",
    "로맨스 스캠 시켜요",
    "하루에 10명 사기 못 치면 벌 받아요",
    "다들 여권 뺏겼어요",
    "다른 단지로 팔렸어요",
    "항공료 빚 때문에 못 나가게 해요",
    "딸이 인신매매 당한 것 같아요",
    "도와줘요 사람들이 와요",
    "꺼내줘",
    "죽고 싶어요 더는 못 버티겠어요",
    "여기서 죽을 것 같아요 살려줘",
    "한국인 20명 있어요 구해주세요",
    "밤에는 방에 가둬요",
    "도망칠 수가 없어요",
    "여권도 폰도 없어요 도와주세요",
    "도망쳐 나왔는데 쫓아와요 어디로 가야 해요",
    "가족을 협박해요",
    "감시당해요",
    "캄보디아에요 못가요 여권없어요",
    "4층 방에 갇힘",
    "이틀째 밥을 못 먹었어요",
    "폰 뺏겨서 친구 폰으로 보내요",
    "돈 안주면 못 나간대요",
    "저 한국인인데 도와주세요",
    "포이펫에서 납치당했어요",
    "이 주소로 경찰 보내주세요",
    "5명 갇혀있어요",
    "매일 때려요",
    "20시간 일 시키고 뺨 때렸어요",
    "여기서 나가고 싶어요",
    "저 위험해요",
    "목숨이 위험해요",
    "돈 안 내면 다른 회사에 판대요",
    "너무 맞아서 숨쉬기 힘들어요",
    "여기 감옥이에요",
    "안에 가둬놨어요",
    "나가야 돼요 도와줘요",
    "집에 가고 싶어요 도와주세요",
    "단지에서 구해줄 수 있어요?",
    "긴급상황이에요 잡혀있어요",
    "친구랑 같이 납치됐어요",
    "첫날 여권 다 걷어갔어요",
    "오늘 전기고문 당한 사람 있어요",
    "비자랑 비행기값 빚졌다고 해요",
    "두 번 팔렸어요",
    "가족한테 연락 못 하게 해요",
    "무서워요 사람들 때리고 있어요",
    "친구가 억지로 사기 치고 있대요",
    "인신매매 당한 것 같아요",
    "회사에서 못 나가게 해요",
    "강제로 붙잡혀 있어요",
    "서류를 다 압수당했어요",
    "고용주한테서 도망쳐야 해요",
    "누가 강제로 일을 시켜요",
    "캄보디아에 있는데 한국에 못 가요",
    "일자리 준다고 해서 왔는데 단지에 갇혔어요",
    "사장이 신분증 가지고 빚 있다고 해요",
    "폰 쓰면 안 돼서 몰래 쓰는 중이에요",
    "건물 밖에 총 든 경비가 있어요",
    "목표 못 채우면 때려요",
    "3개월째 월급도 없고 못 나가요",
    "미얀마에 있어요 도와주세요",
    "사기 치라고 강요당하고 있어요",
    "위험해요 도움 보내주세요",
    "이 메시지 들키면 맞아요",
    "캄보디아 사기 회사에서 구출해 주세요",
    "고용주가 여권이랑 폰을 가져갔어요",
    "방에 갇혀 있어요",
    "이 단지에서 어떻게 나가요",
    "스캠센터에 갇혔어요",
    "회사가 저를 팔았어요",
    "한국 돌아가고 싶은데 못 가게 해요",
    "풀어주는 대가로 천만원 달래요",
    "협박받고 있어요",
    "아들이 인신매매 당한 것 같아요",
    "여동생이 단지에서 도와달라고 문자 보냈어요",
    # Coverage by category (written for this file): watched, phones, threats, assault,
    # sold on, compounds, urgent pleas, locks, passport ransom, forced scams, border,
    # despair, being found out; spacing, typos and 초성 included.
    # watched and guarded
    "경비원들이 문 앞에서 하루종일 지켜봐요",
    "감시자가 화장실까지 따라와요",
    "가드가 밤낮으로 감시해요",
    "cctv가 방마다 달려있어요",
    "총 든 경비가 정문을 지켜요",
    "조장이 계속 지켜보고 있어서 길게 못써요",
    "24시간 감시 당하는 중",
    "감 시 당 하 고 있 어 요",
    # phones taken or checked
    "핸드폰 걷어가서 밤에만 돌려줘요",
    "관리자가 매일 폰 검사해요",
    "카톡 내용 다 검열해요",
    "핸펀 뺏겼어요",
    "휴대폰 압수당했어요 동료 거 빌려서 써요",
    # threats and torture
    "도망가면 장기 판다고 협박해요",
    "신고하면 가족까지 죽인대요",
    "실적 못 채우면 전기봉으로 지져요",
    "테이져건으로 맞았어요",
    "탈출하다 걸리면 죽는다고 했어요",
    "전기로지져요 무서워요",
    "어제 옆자리 사람이 전기충격 받았어요",
    "옆방에서 비명 소리가 계속 들려요",
    # physical assault
    "관리자가 뺨을 때렸어요",
    "조장이 발로 밟았어요",
    "몽둥이로 두들겨 팼어요",
    "사장이 주먹으로 얼굴 쳤어요",
    "관리자한테 싸대기 맞았어요",
    "어제 걷어차였어요",
    # sold or moved on
    "다음주에 다른 회사로 팔려간대요",
    "우리를 다른 단지에 넘긴대요",
    "사장이 저를 딴 조직에 넘겼어요",
    "오늘밤 저희를 다른 곳으로 옮긴대요",
    "미얀마 쪽 단지로 넘겨질 것 같아요",
    # in a compound
    "지금 슈에코코에 있어요 도와주세요",
    "kk 파크 안에 갇혀 있어요",
    "여기 범죄단지예요 나가고 싶어요",
    "스캠센터에 와있어요 한국 가고 싶어요",
    "케이케이파크에서 일하고 있어요 살려주세요",
    # urgent pleas
    "빨리 좀 와주세요 제발",
    "빨리와주새요",
    "구하러 와주세요",
    "구조 요청해요 캄보디아 바벳",
    "구조요청함니다",
    "여기 하루도 못 있겠어요",
    "지금 당장 와줘요",
    "영사관에 제 상황 좀 알려주세요",
    "ㅅ ㄹ ㅈ",
    "ㄷ ㅇ ㅈ ㅅ ㅇ",
    # locks and restraints
    "밤마다 방문을 밖에서 잠가요",
    "숙소 문에 자물쇠 채워놨어요",
    "창문에 쇠창살 있고 문은 잠겨 있어요",
    "손을 묶어놓고 때렸어요",
    "밖에서문을잠궈서못나가요",
    # passport ransom
    "여권 달라고 했더니 3000달러 내래요",
    "집에 보내달라니까 5천만원 가져오래요",
    "여권 돌려받으려면 벌금 500만원 내야 한대요",
    # forced scam work
    "한국 사람들한테 투자 사기 문자 보내래요",
    "노인들 상대로 보이스피싱 전화 걸게 시켜요",
    "여자인 척 로맨스 스캠 하라고 강요해요",
    "사람 속이는 채팅 안 하면 굶겨요",
    "하루 15시간 일 시키고 잠도 못 자게 해요",
    # carried across a border
    "차에 태워서 국경 넘어 끌려왔어요",
    "강 건너서 미얀마로 데려왔어요 속았어요",
    "태국인 줄 알았는데 미얀마로 끌고 갔어요",
    "강제로 배에 태워서 데려왔어요",
    # can't endure, despair
    "더 이상 못 버티겠어요 ㅠㅠ",
    "못버티겟어요",
    "이러다 여기서 죽을 것 같아요",
    "견딜 수가 없어요 너무 힘들어요",
    "그냥 다 끝내고 싶어요",
    # being found out
    "들키면 맞아요 답장 천천히 주세요",
    "걸리면 끝장이에요 빨리 답 주세요",
    "발각되면 저 죽어요",
    "가둬놓고일시켜요",
    # mixed wording, second batch
    "경비들이 밤새 복도를 지키고 있어요",
    "보초가 항상 문 앞에 서 있어서 못 나가요",
    "휴대폰은 관리자가 다 가져가요",
    "핸드폰 검사해서 대화 다 지워야 돼요",
    "말 안 들으면 전기 충격 준대요",
    "도망치면 총으로 쏜대요",
    "목표 못 채우면 밥을 안 줘요",
    "매니저가 얼굴을 발로 찼어요",
    "쇠파이프로 맞았어요",
    "저 다른 컴파운드로 팔려 간대요",
    "돈 안 내면 딴 회사에 넘긴대요",
    "미얀마 슈웨코코에 갇혀 있어요",
    "범죄 단지에 잡혀 왔어요",
    "지금 구해주러 와주세요",
    "긴급 구조 요청 합니다",
    "제발 빨리 와주세요 위치 보낼게요",
    "방문을 밖에서 자물쇠로 잠가요",
    "손발 묶여서 맞았어요",
    "여권 돌려 달라고 하니까 2천만원 내래요",
    "사람들 상대로 코인 사기 치라고 시켜요",
    "보이스피싱 콜 돌리라고 강요해요",
    "국경을 넘어서 강제로 끌려왔어요",
    "배 타고 강 건너 미얀마로 끌려 왔어요",
    "더는 못 견디겠어요",
    "이러다 진짜 죽을 거 같아요",
    "이제 한계예요 죽고 싶어요",
    "걸리면 맞아 죽어요 빨리 답장 주세요",
    "들킬까봐 무서워요 짧게 쓸게요",
    "몰래 화장실에서 보내는 중",
    "감시당하는 중이라 답장 늦을 수 있어요",
    "폰뺏겨서동료폰으로보내요",
    "전 기 충 격 당 했 어 요",
    "ㅅㄹㅈㅅㅇ 감금",
    "구해주새요",
    "살려줘요 여기 kk파크",
    "밥도 안 주고 때려요",
    "일 안 하면 굶긴대요",
    "밖에 나가면 죽인다고 협박해요",
    "사장이 나를 다른 데 팔았대요",
    "몸값 내야 풀어준대요 부모님한테 연락했대요",
]

KO_THIRD = [
    "아들이 캄보디아 가서 연락이 안돼요",
    "우리 딸이 연락 두절이에요",
    "동생이 감금됐대요",
    "남편이 캄보디아에서 잡혀있어요",
    "친구가 실종됐어요 캄보디아 간다고 했는데",
    "오빠가 일주일째 연락이 안 돼요",
    "형이 납치된 것 같아요",
    "누나가 감금 당했다고 문자 왔어요",
    "가족이 캄보디아에 잡혀 있어요",
    "아내랑 연락이 안돼요 태국 갔는데",
    "언니가 미얀마에서 연락두절",
    "조카가 캄보디아 가서 연락이 안 됩니다",
    "남자친구가 캄보디아 간 뒤로 실종됐어요",
    "제동생이캄보디아에서연락이안돼요",
    "딸아이가 해외취업 갔다가 돌아오지 않아요",
    "친구가 몸값 보내라고 연락 왔어요 납치당했대요",
    "동생이 갇혔다고 문자 보내고 연락이 끊겼어요",
    "남편이 캄보디아 간 뒤로 3주째 연락이 없어요",
    "아들이 미얀마로 일하러 가서 연락이 안 돼요",
    "조카가 붙잡혀서 몸값을 요구해요",
    "친구가 매일 맞는대요",
    "아들이 도와달라고 문자 오고 연락 끊겼어요",
    "여자친구가 미얀마 단지에 갇혀 있어요",
    "동생이 맞았다고 했는데 지금 연락이 안 돼요",
    "아빠가 캄보디아 일하러 가서 한 달째 소식이 없어요",
    "가족이 해외 취업 갔는데 연락이 끊겼어요",
    "실종 신고하고 싶어요",
    "형이 캄보디아에서 실종됐어요",
    "아들이 캄보디아 간 뒤로 몇 주째 연락이 없어요",
    "딸이 갇혔다고 하고 폰이 꺼졌어요",
    "캄보디아 실종자 신고는 어떻게 해요",
    "남편이 미얀마에서 회사에 붙잡혀 있어요",
    "친구가 태국 일하러 가서 사라졌어요",
    "오빠가 라오스 일하러 간 뒤로 연락이 안 돼요",
    "친구가 여권 뺏겼대요",
    "딸이 캄보디아 취업 제안 받고 가서 실종됐어요",
    # a relative forced to work or beaten is the relative's case (normal priority)
    "사촌이 스캠센터에서 강제로 일하고 있어요",
    # Coverage: ransom for a relative, whereabouts unknown, gone silent, in a compound,
    # asking to find or locate a relative, cannot come back, carried off.
    "아들 석방 조건으로 2만 달러를 요구해요",
    "남편을 데리고 있다면서 돈을 요구해요",
    "딸 행방을 전혀 모르겠어요",
    "동생 위치 좀 알려주세요 캄보디아에서 사라졌어요",
    "오빠가 동남아 간다더니 잠수 탔어요",
    "여친이 캄보디아 범죄단지에 있대요",
    "사촌형이 스캠 회사에 잡혀 있는 것 같아요",
    "우리 아들 좀 찾아주세요",
    "남동생을 찾고 있어요 라오스에서 연락이 끊겼어요",
    "아빠 위치 추적 좀 해주세요",
    "딸이 빚 때문에 못 나온대요",
    "친구가 미얀마로 끌려갔대요",
    "조카가 연락이 2주째 안 돼요",
    "누나랑 연락 안 된 지 한 달 됐어요",
    "삼촌 소식 아시는 분 계세요",
    "형이 캄보디아에서 구금됐대요",
    "와이프가 태국 갔다가 소식이 끊겼어요",
    "애가 해외 알바 간다고 나가서 안 돌아와요",
    "제동생행방을몰라요",
    "아들 데리고 있다고 돈 보내래요",
    "딸을 풀어주는 대신 3천만원 달래요",
    "형 행방을 알 수가 없어요",
    "남편 생사를 몰라요",
    "동생이 캄보디아 가서 잠수 탔어요",
    "여동생이 범죄 단지에 갇혀 있는 것 같아요",
    "우리 딸 좀 찾아주세요 제발",
    "아버지를 찾습니다 미얀마에서 실종",
    "누나가 연락이 며칠째 안 돼요",
    "남친이 미얀마로 끌려간 것 같아요",
]

# ----------------------------------------------------------------------- English: must fire

EN_SELF = [
    "they are watching",
    "help me",
    "HELP ME PLEASE",
    "please help",
    "plz help",
    "pls help me",
    "help!!",
    "help!!!!!",
    "heeelp me",
    "helpme",
    "someone help",
    "i need help urgently",
    "please save me",
    "i'm locked in",
    "we are locked in a building in cambodia",
    "they locked us in",
    "cant leave the compound",
    "they don't let us leave",
    "not allowed to leave the building",
    "i'm trapped here",
    "trapped. please help",
    "cant talk long. locked in. cambodia.",
    "they keep us inside, no way out",
    "im stuck in a compound in myanmar and cant go home",
    "they won't let me go home",
    "not a joke, they are holding us here and we are held by armed guards",
    "kidnapped",
    "i think i've been trafficked",
    "they took my passport",
    "took my pasport and wont give it back",
    "my passport was confiscated",
    "the boss keeps our passports",
    "they took our phones and passports",
    "they check our phones every night",
    "they watch us all the time",
    "guards everywhere with guns, can't write much",
    "they beat me yesterday",
    "they hit me when i miss the target",
    "got beaten again",
    "they threaten to sell us if we dont work",
    "electric shock if we fail quota",
    "they'll kill me if i try to run",
    "forced to scam people online",
    "they force us to do crypto scams",
    "they make us scam americans",
    "they say i owe them 5000 dollars",
    "have to pay to leave",
    "they want ransom before they release me",
    "i was sold to another company",
    "they sold us",
    "rescue me",
    "resuce me plz",
    "get me out of here",
    "need to escape",
    "please get us out",
    "help us please we are held in a compound",
    "i want to die",
    "i'm going to kill myself",
    "i cant take it anymore i want to end my life",
    "sos",
    "i just want to go home, please take me home",
    "what should I do, they took my passport and locked us in",
    "they locked the dorm door from outside",
    "we work 16 hours and they hit anyone who sleeps",
    "please I need someone to get me out of this place",
    "boss says I must pay 8000 usd or he sells me to another company",
    "i cant go outside, there are guards at the gate",
    "my manager took my passport when i arrived",
    "i'm being held in a building near the border",
    "we're not allowed out, can you send someone",
    "they beat my friend in front of us yesterday",
    "i am scared they will hurt me",
    "they said if i don't scam people i'll get electric shocks",
    "can't call police, they watch my phone",
    "i was tricked, now i'm in myanmar and can't leave",
    "my passport is with the company and they won't give it back",
    "please call the korean embassy for me, i'm in a compound in sihanoukville",
    "trapped in kk park",
    "need rescue asap",
    "help pls",
    "SOS trapped",
    "they are forcing us to do romance scams",
    "I have to scam 10 people a day or they punish us",
    "they took away everyone's passports",
    "the company sold me to a different compound",
    "i owe them money for the flight and they won't let me leave",
    "my friend says they beat him every day",
    "i think my daughter was trafficked",
    "help, they are coming",
    "get me out",
    "i want to kill myself i can't do this anymore",
    "im going to die here",
    "please rescue us there are 20 koreans here",
    "they keep us locked up at night",
    "i can't escape",
    "no passport no phone please help",
    "I escaped but they are looking for me, where do i go",
    "they threatened my family back home",
    "they r watching me",
    "im in cambodia. cant go. passport gone",
    "locked in room 4th floor",
    "no food 2 days",
    "they took phone, using friends",
    "boss say pay 10k or stay",
    "help me im korean",
    "kidnapped in poipet",
    "please send police to this address",
    "we r 5 people trapped",
    "they hurt us every day",
    "they made me work for 20 hours and slapped me",
    "I want out of here",
    "i am in danger",
    "im in danger please",
    "my life is in danger",
    "they will sell me to another company if i dont pay",
    "i cant breathe they beat me so bad",
    "we are prisoners here",
    "I'm a prisoner",
    "they locked me inside",
    "I need to get out",
    "help me get home",
    "can someone rescue us from the compound",
    "this is an emergency, we are being held",
    "my friend and i were kidnapped",
    "our passports were taken on day one",
    "they electrocuted a guy today",
    "they told me i owe them for the visa and flights",
    "i been sold twice",
    "i am not safe",
    "they won't let me call my family",
    "my mom doesnt know where i am, they took my phone",
    "please, i am scared, they are hitting people",
    "I think I'm being trafficked",
    "The company I work for won't let me leave",
    "I'm being held against my will",
    "They confiscated my documents",
    "I need to escape from my employer",
    "Someone is forcing me to work",
    "I am in Cambodia and I can't go home",
    "I was promised a job but now I'm stuck in a compound",
    "the boss keeps my ID and says I owe him",
    "I'm not allowed to use my phone, I'm writing secretly",
    "there are guards with guns outside our building",
    "they beat people who don't reach the target",
    "I've been here 3 months, no salary, can't leave",
    "please help me I'm in Myanmar",
    "we are being forced to scam people",
    "I'm in danger, please send help",
    "they will hurt me if they find this message",
    "I need rescue from a scam company in Cambodia",
    "my employer took my passport and phone",
    "I'm locked in a room",
    "how do I get out of this compound",
    "im trapped in a scam center",
    "the company sold me",
    "I want to go back to Korea but they won't let me",
    "they demand $10,000 for my release",
    "I'm being threatened",
    "we think our son was trafficked",
    # Coverage by category (written for this file), as for Korean.
    # watched and guarded
    "guards follow us everywhere, even to the toilet",
    "there are cameras in every room",
    "we are watched 24/7",
    "armed guards at every exit",
    "the supervisors watch us all day",
    # phones taken or checked
    "the boss goes through our phones every night",
    "they collect our phones when we finish work",
    "managers read all my messages",
    "my phone gets checked every day",
    # threats and torture
    "if we try to run they said they will shoot us",
    "they told me they'd sell my organs",
    "the manager said he will break my fingers if i miss target",
    "they tasered a guy who refused",
    "if you fail the quota they shock you",
    "they chase down anyone who tries to escape",
    # physical assault
    "the supervisor kicked me in the stomach",
    "got slapped for talking",
    "they punched my roommate",
    # sold or moved on
    "they are selling us to another compound next week",
    "we got transferred to another gang",
    "they said they will move me to a different compound",
    # in a compound
    "im in kk park right now",
    "stuck in shwe kokko please help",
    "i think this is a scam compound, i want to leave",
    "we were brought to a fraud factory in myanmar",
    # urgent pleas
    "please hurry they are coming back",
    "come get us please",
    "tell the embassy where i am, i'm sending my location",
    "i beg you help",
    # locks and restraints
    "they padlock the dorm at night",
    "the windows have bars and the door is locked from outside",
    "they chained him to the bed",
    "tied us up and beat us",
    # passport ransom
    "they say i must pay 5000 to get my passport back",
    "asked for my passport back and they want 3000 usd",
    "they will only let me go if my family sends 10000",
    # forced scam work
    "they told us to scam old people in korea",
    "we have to do pig butchering scams all day",
    "i am forced to chat with men and trick them into investing",
    # carried across a border
    "they took us across the border at night in a truck",
    "we were smuggled over the river into myanmar",
    "they promised a job in bangkok but drove us to cambodia",
    # can't endure, despair
    "i cant take this anymore",
    "i feel like i will die here",
    "i think about jumping off the roof",
    "im terrified",
    # being found out
    "if they catch me writing this they'll kill me",
    "writing this without them noticing",
    # typos
    "plz hlp they beat me",
    "im traped in compound",
    "they tok my pasport",
    "we r lockd in",
    # mixed wording, second batch
    "the guards never leave us alone, they watch every move",
    "there are armed men outside our dorm",
    "they take our phones at night and give them back in the morning",
    "the boss checks our telegram every day",
    "they said if i try to escape they will kill my family",
    "they threatened to cut off my fingers",
    "they beat us with sticks if we miss target",
    "we get electric shocks as punishment",
    "they kicked my friend until he passed out",
    "they are going to sell me to another boss",
    "i was traded to another compound last week",
    "im trapped at kk park",
    "we are inside a scam compound in myawaddy",
    "please come quickly",
    "come rescue us please",
    "tell the police where we are",
    "they padlocked our room",
    "they handcuffed him and beat him",
    "the door is locked from outside every night",
    "they want 8000 dollars before giving back my passport",
    "they told my mom to send money or they would hurt me",
    "we are made to scam people on dating apps",
    "they force us to do romance scams on instagram",
    "they drove us across the border in the middle of the night",
    "we were taken over the river by boat",
    "i cannot survive this much longer",
    "i think i will die in this place",
    "if they see this message im dead",
    "i have to delete this after, they check everything",
    "hiding in the toilet writing this",
    "plz hurry",
    "they tuk our pasports",
    "we are lockd inside",
    "no food for us if we dont make the quota",
    "they sold me again",
    "i dont know where we are, they took us at night",
    "i beg you please send someone",
    "they wont let me see a doctor",
    "if i dont work they dont feed me",
    "my captors are watching",
]

EN_THIRD = [
    "my son is missing in cambodia",
    "my brother went to cambodia and is not answering",
    "my daughter is being held in myanmar",
    "my friend was kidnapped after a job interview in bangkok",
    "we lost contact with my husband 2 weeks ago",
    "haven't heard from my sister since she went to laos",
    "my wife is trapped in a scam compound",
    "my cousin is held by a company in sihanoukville, they want ransom",
    "my boyfriend stopped answering, he went for a job in cambodia",
    "my little brother disappeared after flying to phnom penh",
    "can't reach my son since he left for a job abroad",
    "i want to report a missing person",
    "my mom went to cambodia for work and she is missing",
    "my friend is in a scam compound and they beat him",
    "my sister messaged that she's locked in and then went silent",
    "my husband hasn't called in 3 weeks since he went to cambodia",
    "we can't contact our son, he went to work in myanmar",
    "my nephew is being held for ransom",
    "my son sent a message saying help then nothing",
    "my girlfriend is locked in a compound in myanmar",
    "my dad went to cambodia for work, no news for a month",
    "my friend is being forced to scam people",
    "my family member went abroad for work and we lost contact",
    "I want to report a missing person",
    "My brother is missing in Cambodia",
    "my son hasn't contacted us for weeks after going to Cambodia",
    "my daughter said she was locked in and now her phone is off",
    "how do I report someone missing in cambodia",
    "my husband is being held by his employer in myanmar",
    "my friend went to thailand for a job and disappeared",
    "my sister sent me a message asking for help from a compound",
    "I can't reach my brother since he went to Laos for work",
    "my cousin is being forced to work in a scam center",
    "my friend told me they took his passport",
    "our daughter is missing after accepting a job in Cambodia",
    # a relative forced to work or beaten is the relative's case (normal priority)
    "my brother told me they beat him, now we cannot reach him",
    # Coverage: ransom for a relative, whereabouts unknown, gone dark, in a compound,
    # asking to find or locate a relative, captors, phone off.
    "they want 15000 dollars to release my husband",
    "someone has my daughter and is asking for money",
    "my brother went dark after moving to sihanoukville",
    "nobody knows where my cousin is since he left for laos",
    "i cant get hold of my girlfriend since she flew to bangkok",
    "my son is in kk park",
    "my husband is stuck in a scam compound",
    "please find my sister",
    "can you locate my son, he went to cambodia",
    "my dad's phone has been off for 2 weeks",
    "haven't heard anything from my nephew in a month",
    "my wife said she is being held and then the line went dead",
    "the people holding my brother want money",
    "my daughter sounded terrified when she called from myanmar",
    "help my son please he's trapped",
    "my uncle went to work in laos and never came back",
    "they are holding my son and want 20000",
    "they demand money to release my wife",
    "my sister went quiet after she got to laos",
    "nobody has heard from my brother in weeks",
    "my father is in a scam compound",
    "please help me find my daughter",
    "can you track my husband, he disappeared in cambodia",
    "my sons phone is switched off for days",
    "my girlfriend texted help and then nothing",
    "my friend is held in kk park",
]

SOS_WORDS = [
    "救命",
    "救救我",
    "帮帮我",
    "tolong",
    "tolong saya",
    "selamatkan kami",
    "cứu",
    "cứu tôi",
    "giúp tôi",
    "cuu toi",
    "ช่วยด้วย",
    "ช่วยฉันด้วย",
    "SOS",
    "s.o.s",
    "mayday",
    "mayday mayday",
    "помогите",
    "ayuda",
    "ayúdame",
    "socorro",
    "help me",
    "please help",
    "help",
    "Help",
    "HELP",
    "hlep",
    "help!",
]

# ------------------------------------------------------------------- Korean: must not fire

KO_QUIET = [
    "안녕하세요",
    "도움말",
    "도움",
    "이 제안 확인 좀 도와줘",
    "이 구인광고 사기인지 확인해 주세요",
    "이력서 작성 좀 도와주세요",
    "링크 확인 도와주세요",
    "비자 신청 도와주실 수 있나요?",
    "뭘 도와줄 수 있어?",
    "뉴스에서 감금 사건 봤어요",
    "캄보디아 납치 기사",
    "그것이 알고싶다 캄보디아 감금 편 봤어?",
    "유튜브에서 탈출 영상 봤어요",
    "드라마에서 감금당하는 장면 무서웠어",
    "영화 보니까 여권 뺏고 감금하더라",
    "요즘 캄보디아 감금 많다던데 진짜에요?",
    "감금이라는 단어 뜻이 뭐예요",
    "여권 뺏기면 어떻게 해요?",
    "캄보디아 가면 감금당하나요?",
    "감금 당하지 않으려면 어떻게 해야 해요?",
    "만약 여권을 압수당하면 누구한테 연락해요?",
    "납치당할까봐 걱정돼요",
    "여권 맡기라는 회사 정상인가요?",
    "회사에 갇혀 야근중ㅋㅋ",
    "숙제에 갇혔다",
    "게임에 갇혀버림 ㅋㅋㅋ",
    "지옥같은 회의에 갇혔다ㅋㅋ",
    "살려줘 시험 망했어ㅋㅋㅋ",
    "방탈출 카페 가자",
    "탈출 게임 추천해줘",
    "오늘 비와서 못 나가요",
    "야근 때문에 집에 못 가요",
    "캄보디아 여행 가도 안전해요?",
    "태국 대사관 전화번호 알려주세요",
    "해외 취업 사기 특징이 뭐예요?",
    "이 회사 믿을 만한가요?",
    "월급 500에 숙식 제공이래요 괜찮아요?",
    "공항 픽업 해준다는데 괜찮나요",
    "고마워요",
    "한국어로 바꿔줘",
    "영어로 대화할래요",
    "그만",
    "건너뛸게요",
    "네 맞아요",
    "아니요",
    "예방주사 맞았어요 캄보디아 가기 전에",
    "친구 생일 선물 추천해줘",
    "남편이 해외 출장 가요",
    "동생이 태국 여행 간대요",
    "딸이 베트남 회사에 면접 봤어요",
    "아들이 해외 취업한다는데 위험한가요?",
    "친구가 캄보디아 취업 제안 받았는데 확인해 줄 수 있어요?",
    "보이스피싱 전화 받았어요",
    "보이스피싱 신고는 어디에 해요?",
    "빚 갚으려고 해외 취업 알아봐요",
    "몸값 올리려고 자격증 따요",
    "회사에서 팔려고 하는 제품이 뭔지 궁금해요",
    "회사 때려치우고 싶어요",
    "경력을 살려서 해외 취업하고 싶어요",
    "일자리 좀 구해주세요",
    "연구해 주세요 이 회사",
    "그때 리조트에서 일했어요",
    "여권 만료됐는데 갱신해야 하나요",
    "캄보디아 가기 전에 주의할 점",
    "이 번호로 연락 주시면 돼요",
    "계약서에 외출 금지라고 써 있는데 정상인가요?",
    "캄보디아 일자리 제안 좀 봐줄 수 있어요?",
    "월급 500만원에 숙소 제공이래요 진짜일까요?",
    "방콕으로 가서 국경까지 차로 간대요 정상인가요",
    "리크루터가 가짜인지 어떻게 알아요",
    "해외 취업 사기 위험 신호가 뭐예요",
    "시아누크빌 여행 가도 괜찮아요?",
    "캄보디아 긴급 전화번호가 뭐예요",
    "라오스 한국 대사관 연락처 알려주세요",
    "뭘 할 수 있어?",
    "누가 만들었어?",
    "농담 하나 해줘",
    "서울 날씨 어때",
    "텔레그램으로 고객센터 일자리 제안 받았어요",
    "비행기표 회사가 내준대요 가도 될까요",
    "여권 사본 보내라는데 괜찮아요?",
    "리크루터가 회사 이름을 안 알려줘요",
    "취업비자 없이 관광비자로 오래요",
    "태국 지금 위험해요?",
    "미얀마 여행 경보 알려줘",
    "네 좋아요",
    "아니요 괜찮아요",
    "언어 바꿔줘",
    "영어로 해줘",
    "그만할래요",
    "됐어요",
    "ㅇㅋ",
    "괜찮아요 감사해요",
    "해외 취업 갈 때 뭐 챙겨야 해요",
    "에이전시 등록 여부 확인하는 법",
    "친구가 보낸 구인광고인데 봐주세요",
    "면접을 카톡으로만 한대요 이상하죠?",
    "경력 없어도 고수익 타이핑 알바래요",
    "회사가 여권 보관하는 거 합법이에요?",
    "인신매매 당한 사람들은 어떻게 돼요?",
    "스캠 단지는 어떻게 운영돼요?",
    "캄보디아 인신매매 흔해요?",
    "왜 사람들이 그런 데 갇히는 거예요?",
    "가기 걱정되는데 위험할까요?",
    "부모님이 너무 좋은 조건이라고 의심해요",
    "양식 작성하다 막혔어요 뭐라고 써요?",
    "공고에 숙소가 보안 단지 안에 있대요",
    "계약서에 허락 없이 숙소 못 나간다고 돼 있어요",
    "비자 처리 때문에 여권 맡겨야 한대요 괜찮아요?",
    "빚 때문에 일하는 거 불법이에요?",
    "이 일 할지 말지 결정 좀 도와줘",
    "이 링크 좀 확인해 줘",
    "비자 절차 도와주세요",
    "대사관 주소 찾는 거 도와주세요",
    "안녕 도와줄 수 있어?",
    "캄보디아 여행 중인데 대사관 번호 알려줘",
    "아들이 프놈펜 회사에서 제안 받았는데 믿을 만해요?",
    "동생이 두바이로 일하러 가요",
    "가짜 리크루터 신고는 어디에 해요",
    "고마워 도움이 많이 됐어",
    "죄송해요 잘못 보냈어요",
    "여권 재발급 얼마나 걸려요",
    "친구가 비행기 지연돼서 공항에 갇혀 있대ㅋㅋ",
    "시험기간이라 도서관에 갇혀 사는 중",
    "엄마가 집에 못 나가게 해요 공부하라고ㅠㅠ",
    "스캠 단지가 뭐예요",
    "긴급 연락처 보여줘",
    "사진 속 일자리 진짜예요?",
    "선불로 200만원 준대요?",
    "인사 담당자가 친절한데 믿어도 돼요?",
    "사촌이 캄보디아에서 선생님으로 일해요",
    "태국 취업 허가 받는 법",
    "링크드인에도 사기 있어요?",
    "인신매매 당하면 어떻게 해요",
    "사기 당할까봐 무서워요",
    "메뉴",
    "시작",
    "뭐하는 봇이야",
    "한국어 돼?",
    "잘가",
    "좋은 아침",
    "심심해",
    "실수로 폰 잠겼어",
    "여권 만료됐는데 재발급 어떻게 해",
    "회사 너무 싫어 감옥 같아 ㅋㅋ",
    "덕분에 살았어요 감사합니다",
    "회사에서 숙식 제공한대요",
    "교육비로 30만원 내래요",
    "일자리 급해요",
    "돈 먼저 내라고 하면 사기예요?",
    "베트남 경찰 번호 뭐예요",
    "골든스타라는 회사 확인하고 싶어요",
    "이 제안 잘 모르겠어요",
    "친구 작년에 캄보디아 갔다가 잘 돌아왔어요",
    "거기 가면 감금된다던데 사실이에요?",
    "이 광고 괜찮은지 좀 봐줘",
    "라오스로 휴가 가요",
    "남편이 해외에서 일하고 싶어해요",
    "아무것도 아니에요",
    "ㅇㅋ 고마워 안녕",
    "동생이 공부하느라 방에 갇혀 살아요ㅋㅋ",
    "택배가 안 와서 연락이 안 돼요",
    "우리 팀장님 연락이 안 돼요 휴가 가셨나",
    "회사가 여권 보관하면 위험 신호인가요?",
    "밤에 숙소 밖으로 못 나간다는데 위험 신호예요?",
    "제안: 캄보디아 고객센터, 월 300만원, 숙소 무료, 비자 때문에 인사팀이 여권 보관",
    "광고: 경력 무관 고수익 항공권 지원 도착하면 여권 제출",
    "리크루터가 안전 때문에 단지 밖으로 못 나간대요",
    "도착하면 여권 가져간다는데 걱정해야 하나요",
    "가서 일 그만두고 못 나오면 어떡해요",
    "사람들이 어떻게 스캠 단지에 갇히게 되나요",
    "인신매매 일자리 특징",
    "연장근무 강요할 수 있나요",
    "캄보디아에서 여권 압수 합법이에요?",
    "면접 때 여권 가져오래요",
    "캄보디아 경찰 번호",
    "라오스 긴급 전화",
    "미얀마 비상 연락처 알려주세요",
    "방콕 한국 대사관 전화번호",
    "태국 북부 여행 안전해요?",
    "캄보디아 여행 경보 있나요?",
    "이 봇 뭐 할 수 있어?",
    "어떻게 사용해요?",
    "사람이에요?",
    "페이스북 리크루터 확인하고 싶어요",
    "계약서를 중국어로 보냈어요",
    "데이터 입력인데 월급이 너무 높아요",
    "다음 주부터 시아누크빌에서 일하래요",
    "회사가 kk파크에 있대요 들어본 적 있어요?",
    "골든트라이앵글 일하기 안전해요?",
    "숙소가 사무실 건물 안이라 나갈 필요 없대요",
    "가기 무서워요 친구가 함정일 수도 있대요",
    "친구가 단지에 팔려갈 수도 있다고 경고했어요",
    "사기 거부하면 어떻게 돼요?",
    "피해자들은 어떻게 구출돼요?",
    "채무 노예가 뭐예요",
    "도와줘서 고마워요",
    "많은 도움이 됐어요",
    "이 질문 건너뛸래요",
    "확인 그만할게요",
    "대답하기 싫어요",
    "캄보디아",
    "2500달러",
    "네 텔레그램이에요",
    "아니요 돈 달라고 안 했어요",
    "리크루터 이름은 제니예요",
    "사기 같죠?",
    "ㅋㅋ 이 봇 뭐야",
    "도움?",
    "계약서 이해가 안 돼요 도와주세요",
    "대사관 찾는 것 좀 도와줘",
    "제안 확인하는 데 도움이 필요해요",
    "항공권 값 갚을 때까지 여권 맡아둔대요 괜찮아요?",
    "회사가 여권 가지고 있는 게 정상이에요?",
    "취업허가 때문에 회사가 여권 보관한대요 정상인가요?",
    "비자 나올 때까지 서류 맡아둔대요 괜찮아요?",
    "면접 전에 서류를 보내래요",
    "급구! 캄보디아 고객센터 월 200~400만원 숙식제공 여권 필수 경력무관 텔레그램 문의",
    "긴급채용 미야와디 타이핑 알바 월 300 항공권 비자 지원",
    "단지 안에 헬스장 수영장 경비원도 있대요 좋아 보이죠?",
    "숙소에 통금이 있고 경비가 있대요 위험 신호예요?",
    "캄보디아 취업비자 서류 뭐 필요해요",
    "한국 회사 그만두고 해외에서 일하고 싶어요",
    "비자 신청 거절됐어요",
    "리크루터가 며칠째 답장이 없어요",
    "회사에서 일주일째 연락이 없어요",
    "질문하니까 리크루터가 연락이 끊겼어요",
    "수수료 냈더니 에이전시가 사라졌어요",
    "돈 날렸어요 리크루터가 차단했어요",
    "방콕에서 여권 잃어버렸어요 어떻게 해요",
    "호스텔에서 여권 도난당했어요 대사관 어디예요",
    "프놈펜에서 긴급여권 발급 방법",
    "캄보디아에서 도움 받을 수 있는 곳",
    "해외에서 문제 생기면 누가 도와줘요?",
    "인신매매 피해자 핫라인 알려줘",
    "베트남 긴급 번호 알고 싶어요",
    "태국 경찰 번호 뭐예요",
    "두바이 일자리 안전해요?",
    "다음 달에 캄보디아 휴가 가요",
    "친구가 베트남 여행 중이에요",
    "언니가 방콕 호텔에서 일해요",
    "동생이 마닐라에서 유학 중이에요",
    "일자리가 진짜인지 모르겠어요",
    "가야 할지 모르겠어요",
    "결정을 못 하겠어요",
    "월급은 10일에 나와요",
    "첫 달은 무급 교육이래요 사기인가요?",
    "출국 전에 비자비 50만원 내래요",
    "일찍 그만두면 항공권 값 물어내래요 정상이에요?",
    "계약 중간에 그만두면 어떻게 돼요",
    "계약 끝나기 전에 회사 나갈 수 있어요?",
    "더워 죽겠다",
    "폰 배터리 다 죽어가",
    "호텔 체크인할 때 여권 맡기는 거 정상이에요?",
    "여행 중에 여권 안전하게 보관하는 법",
    "캄보디아 여행 계획 도와줘",
    "도와줄 수 있어?",
    "도움이 필요해요",
    "도와줘서 고마워!",
    "도와주세요 이 봇 어떻게 써요",
    "안녕하세요 일자리 제안 때문에 도움이 필요해요",
    "아들이 연락을 잘 안 해요 사춘기인가봐요",
    "남편이 회식이라 연락이 안 되네요ㅋㅋ",
    # Near misses for the coverage categories: job-seeker questions, news, jokes, everyday
    # use of the same words (babysitting, school phones, surprise parties, taxis, exams).
    "경비원 있는 숙소가 안전한가요?",
    "아이를 하루종일 지켜봐요 육아 힘들어",
    "가드 있는 아파트 추천해 주세요",
    "회사에 cctv가 많다는데 괜찮나요?",
    "면접 때 폰 가져가도 되나요?",
    "폰 검사 받으러 서비스센터 가요",
    "학교에서 핸드폰 압수당했어 ㅋㅋ",
    "카톡 확인 좀 해주세요",
    "뉴스에서 도망가면 장기 판다는 얘기 봤어요",
    "숙제 안 하면 엄마가 죽인대 ㅋㅋ",
    "거기 가서 일 안 하면 어떻게 돼요?",
    "전기 요금 얼마나 나와요",
    "발로 차는 축구 게임 추천",
    "중고차 다른 데 팔았어요",
    "회사가 다른 곳으로 이사 간대요",
    "서류를 다른 팀에 넘겼어요",
    "다른 회사로 파견 보낸다는데 정상인가요?",
    "kk파크가 어디에 있어요?",
    "범죄단지 뉴스 보고 무서워졌어요",
    "회사 주소가 슈에코코라는데 괜찮아요?",
    "스캠센터가 뭔가요",
    "빨리 답 주세요 면접이 내일이에요",
    "구조 요청은 어떻게 해요?",
    "여기 와이파이 못 쓰겠어요",
    "배고파 죽겠다",
    "이번 주 야근 너무 많아서 못 버티겠어요",
    "시험 때문에 죽을 것 같아",
    "면접 떨려서 죽을 것 같아요",
    "캐리어 자물쇠 추천해 주세요",
    "실수로 문 잠겨서 열쇠공 불렀어요",
    "머리 묶어주세요",
    "여권 재발급 받으려면 수수료 얼마예요",
    "환불해 달라니까 안 된대요",
    "사기 조심하라고 엄마가 그러더라",
    "보이스피싱 전화 받았는데 돈 보내라고 했어요",
    "로맨스 스캠 피해 신고하려면?",
    "콜센터 전화 돌리는 일이래요 괜찮아요?",
    "엄마한테 끌려서 교회 갔어요",
    "국경 넘어서 여행하는 법",
    "친구한테 끌려서 클럽 왔어 ㅋㅋ",
    "아들 생일 선물 찾고 있어요",
    "친구가 일자리 찾고 있어요",
    "딸 위치 공유 앱 추천해 주세요",
    "남편이 출장 가서 연락이 안 돼요",
    "동생이 시험 공부하느라 잠수 탔어요",
    "남친이 잠수 탔어요 헤어지자는 건가",
    "친구가 바빠서 못 나온대요",
    "아버지 찾아뵈러 가요",
    "친구가 범죄단지 다큐 봤대요",
    "빚이 계속 늘어서 해외 취업 알아봐요",
    "지금 직장 못 버티겠어서 이직 준비해요",
    "그 회사 사기 같아서 무서워요",
    "위약금 내야 나갈 수 있다는 계약서 정상인가요?",
    "다른 사람 폰으로 보내요 제 폰 고장나서",
    "sos 버튼은 어디 있어요?",
    "경비원 채용 공고 봤어요",
    "cctv 설치 업체 추천해 주세요",
    "폰 압수당하는 회사 정상인가요?",
    "카톡 검사하는 회사 있다던데 사실이에요?",
    "엄마가 숙제 안 하면 죽인대 ㅋㅋ",
    "도망가면 어떻게 되나요?",
    "영화에서 전기 고문 장면 봤어요",
    "발로 차는 거 태권도에서 배웠어요",
    "쇠파이프 가격 얼마예요",
    "차를 다른 사람한테 팔았어요",
    "다른 회사로 이직했어요",
    "kk파크 뉴스 봤어요",
    "범죄 단지가 어디 있는지 궁금해요",
    "구조 요청 방법 알려주세요",
    "빨리 알려주세요 면접 시간이요",
    "자물쇠 어디서 사요",
    "머리 묶는 법",
    "여권 발급 비용 얼마예요",
    "코인 투자 사기 당했어요",
    "보이스피싱 조심하세요",
    "국경 넘는 버스 있어요?",
    "더워서 못 견디겠어요",
    "배고파서 죽을 것 같아요 ㅋㅋ",
    "면접 걸리면 좋겠어요",
    "들키면 안 돼 서프라이즈 파티야",
    "몰래 선물 준비 중이에요",
    "감시카메라 설치해도 돼요?",
    "동생 생일이에요",
    "딸이 캄보디아 취업 제안 받았는데 괜찮을까요?",
    "아들 찾아가는 길이에요",
    "아빠 위치가 어디쯤이세요?",
    "친구가 해외여행 가서 연락이 뜸해요",
    "남편 회사 위치 알려주세요",
    "사촌이 미얀마 여행 간대요",
    "형이 캄보디아 출장 갔어요",
    "우리 애 학원 찾고 있어요",
    "아들 행방이 궁금하면 어디 물어봐요?",
    "다른 곳으로 옮기는 게 좋을까요?",
    "이 일 더는 못 하겠어요 그만둘래요",
    "빨리 와주세요 택시 불렀어요",
]

# ------------------------------------------------------------------ English: must not fire

EN_QUIET = [
    "they are watching the game",
    "hi",
    "hello there",
    "help me check this offer",
    "can you help me check this job ad",
    "help me understand red flags",
    "please help me verify this recruiter",
    "I need help with my resume",
    "help me find a real job",
    "what can you help me with",
    "can you help me?",
    "I read an article about people locked in compounds",
    "I watched a documentary about scam compounds",
    "saw a movie where they lock people in",
    "the movie was about a guy held hostage",
    "news says people are kidnapped in cambodia",
    "the scam drama on netflix is wild",
    "what should I do if they take my passport",
    "what happens if the company keeps my passport?",
    "can an employer legally hold my passport?",
    "what would you do if you got kidnapped",
    "is it a red flag if they ask for my passport",
    "they said they'd keep my passport for visa processing, is that normal?",
    "is it dangerous",
    "is cambodia safe for tourists",
    "how many people are trafficked each year",
    "what does debt bondage mean",
    "how do rescue operations work in cambodia",
    "lol I'm trapped in a meeting all day",
    "stuck in traffic, talk later",
    "locked out of my account",
    "hit me up later",
    "how do I beat the scammers at their own game",
    "I owe you one, thanks!",
    "i sold my car to pay for the visa",
    "save me a seat",
    "you saved me a lot of time",
    "my boss makes us work late",
    "I'm dying to get this job lol",
    "i could die of boredom",
    "my son is going to thailand next week, is it safe",
    "my brother missed his flight",
    "my friend is held up at work",
    "my friend got a job offer in cambodia, can you check it",
    "my daughter wants a job in vietnam, how do i check the company",
    "the meeting was held online",
    "the interview will be held in bangkok",
    "what is the embassy number in phnom penh",
    "where is the korean embassy in vientiane",
    "tell me about the travel advisory for laos",
    "the job pays 3000 usd with free housing, legit?",
    "is this agency registered",
    "what are the warning signs of a fake job",
    "the agency asked for a fee before departure",
    "I want to report a scam website",
    "thanks",
    "switch to korean",
    "stop",
    "skip",
    "yes",
    "no",
    "goodbye",
    "I took my passport to the embassy for renewal",
    "I can't go to the interview tomorrow",
    "they're watching the game tonight",
    "what does the SOS button do",
    "can you check this job offer in cambodia for me",
    "the salary is 5000 usd a month with accommodation, is it real?",
    "they want me to fly to bangkok and then drive to the border, is that normal",
    "how do i know if a recruiter is fake",
    "what are the red flags of job scams",
    "is it safe to travel to sihanoukville",
    "what's the emergency number in cambodia",
    "how do I contact the korean embassy in laos",
    "what can you do",
    "who made you",
    "tell me a joke",
    "what's the weather in seoul",
    "I got a message on telegram offering a customer service job",
    "the company will pay for my flight, should i go",
    "they asked me to send a copy of my passport, is that safe",
    "the recruiter won't tell me the company name",
    "they say I don't need a work visa, just a tourist visa",
    "is thailand dangerous right now",
    "travel warning for myanmar?",
    "yes please",
    "no thanks",
    "change language",
    "english please",
    "I want to stop",
    "never mind",
    "ok",
    "I'm fine thanks",
    "what should I bring when I go abroad for work",
    "how do I check if an agency is licensed",
    "my friend sent me this job ad, take a look",
    "the interview is on whatsapp only, weird?",
    "they offered a typing job with high pay and no experience",
    "can my employer keep my passport legally",
    "what happens to people who get trafficked",
    "how do scam compounds work",
    "is human trafficking common in cambodia",
    "why do people get stuck in these scam jobs",
    "I'm worried about going, is it risky",
    "my parents say the job is too good to be true",
    "I'm stuck on the form, what do I write",
    "the job ad says accommodation is in a secured compound",
    "the contract says we can't leave the dormitory without permission",
    "they will hold our passports for visa processing, is that ok",
    "is debt bondage illegal",
    "do they lock people in? just wondering",
    "help me decide if I should take this job",
    "please check this link for me",
    "help with the visa process",
    "I need help finding the embassy address",
    "hi can u help",
    "I'm in cambodia on holiday, what's the embassy number",
    "my son got an offer from a company in phnom penh, is it legit",
    "my brother is going to work in dubai",
    "where can I report a fake recruiter",
    "this bot is helpful thanks",
    "sorry wrong chat",
    "how long does a passport take to renew",
    "my friend is stuck at the airport because of a delayed flight lol",
    "whats a scam compound",
    "show me the emergency contacts",
    "is the job in the photo real?",
    "they pay 2000 dollars upfront?",
    "the hr lady is very friendly, trust her?",
    "my cousin works in cambodia as a teacher",
    "how to get a work permit in thailand",
    "are there scams on linkedin",
    "what do I do if I'm trafficked",
    "I'm afraid of getting scammed",
    "help menu",
    "menu",
    "start",
    "/start",
    "what is this bot",
    "do you speak korean",
    "bye",
    "good morning",
    "I'm bored",
    "I locked my phone by mistake",
    "my passport expired, how to renew",
    "can you save my job ad for later",
    "I hate my job, I feel like a prisoner lol",
    "thank you so much you saved my life lol",
    "the company says they provide food and housing",
    "they asked me to pay 300 dollars for training",
    "i need a job urgently",
    "is it a scam if they ask for money",
    "what's the number for the police in vietnam",
    "hello I want to verify a company called golden star",
    "I'm not sure about this offer",
    "my friend went to cambodia last year and came back fine",
    "I heard people get locked in compounds there, true?",
    "help me out here, is this ad legit",
    "we're going to laos for vacation",
    "my husband wants to work abroad",
    "nothing",
    "ok thanks bye",
    "Is it a red flag if the employer keeps my passport?",
    "they said we can't leave the dorm at night, is that a red flag?",
    "Offer: customer service in Cambodia, $2000/month, free housing, HR keeps passport for visa",
    "job ad: no experience, high salary, flight paid, must hand over passport on arrival",
    "The recruiter said workers are not allowed to leave the compound for safety",
    "should I worry if they want to take my passport when I land",
    "what if I can't leave the job once I'm there",
    "how do people end up trapped in scam compounds",
    "signs that a job is human trafficking",
    "can they force me to work extra hours",
    "is it legal to confiscate passports in cambodia",
    "they told me to bring my passport to the interview",
    "what's the police number in cambodia",
    "who do I call in an emergency in laos",
    "emergency contacts for myanmar please",
    "korean embassy in bangkok phone",
    "is the north of thailand safe to travel",
    "any travel warnings for cambodia right now?",
    "what can this bot do",
    "how does this work",
    "are you a real person",
    "I'd like to check a recruiter on facebook",
    "they sent me a contract in chinese",
    "the salary seems too high for data entry",
    "they want me to start next week in sihanoukville",
    "the company is in kk park, have you heard of it?",
    "is golden triangle safe for work",
    "they say accommodation is inside the office building and we don't need to go out",
    "I'm scared to go, my friend said it might be a trap",
    "my friend warned me about being sold to compounds",
    "what happens to people who refuse to scam",
    "how are victims rescued",
    "please explain debt bondage",
    "what does 'confiscate' mean",
    "thanks for helping me",
    "you've been a great help",
    "skip this question",
    "stop the check",
    "I don't want to answer that",
    "cambodia",
    "KH",
    "25000 baht",
    "yes it's on telegram",
    "no they didn't ask for money",
    "the recruiter is called Jenny",
    "I think it's a scam, right?",
    "lol this bot",
    "help?",
    "help me please I don't understand this contract",
    "can you help me find the embassy",
    "I need help checking an offer",
    "they will pay for my ticket and hold my passport until I repay it, ok?",
    "Is it normal that my employer has my passport?",
    "Is it normal that the company holds my passport for the work permit?",
    "they are holding my documents until the visa is done, is that ok?",
    "The company wants my documents before the interview",
    (
        "Hiring now! Customer service reps for Cambodia. Salary $1500-3000. Free food and dorm. "
        "Passport needed. No experience. Contact @hr_jenny"
    ),
    (
        "URGENT HIRING: typing job in Myavaddy, 2500 USD, visa and flight covered, "
        "interview on telegram"
    ),
    "the job is in a compound with a gym, pool and security guards, sounds nice?",
    "they said the dorm has a curfew and guards, is that a red flag",
    "what documents do I need for a cambodian work visa",
    "I want to leave my job in korea and work abroad",
    "my visa application was rejected",
    "I've been waiting for a reply from the recruiter for days",
    "I haven't heard back from the company in a week",
    "the recruiter stopped answering after I asked questions",
    "the agency disappeared after I paid the fee",
    "my money is gone, the recruiter blocked me",
    "I lost my passport in bangkok, what do I do",
    "my passport was stolen at the hostel, where is the embassy",
    "how to get an emergency passport in phnom penh",
    "where can I get help in cambodia",
    "who can help me if something goes wrong abroad",
    "can you give me the hotline for trafficking victims",
    "I'd like to know the emergency numbers for vietnam",
    "what number do I call for the police in thailand",
    "is it safe to take a job in dubai",
    "we will be in cambodia next month for vacation",
    "my friend is traveling in vietnam",
    "my sister works at a hotel in bangkok",
    "my brother is studying in manila",
    "we're not sure if the job is real",
    "I'm not sure I should go",
    "I can't decide",
    "I'm stuck, which option should I choose",
    "they release the salary on the 10th",
    "the first month is training without pay, is that a scam?",
    "they want me to pay 500 dollars for the visa before I leave",
    "they told me I have to pay back the flight if I quit early, legit?",
    "what happens to my contract if I leave early",
    "can I leave the company before the contract ends",
    "how do I escape the rat race lol",
    "this heat is killing me",
    "my phone is dying",
    "the hotel keeps my passport at check in, normal?",
    "how do i keep my passport safe while traveling",
    "help me plan my trip to cambodia",
    "can you help",
    "need some help",
    "I need help",
    "thank you for your help!",
    "help please, how do I use this bot",
    "hi, I need your help with a job offer",
    # Near misses for the coverage categories, as for Korean.
    "the guards at my apartment are friendly",
    "cameras everywhere in the office, is it normal?",
    "can I bring my phone to the interview",
    "my mom checks my phone every night lol",
    "the movie where they shock prisoners was scary",
    "if I quit early do they fine me?",
    "my parents will kill me if I fail the exam",
    "we moved to another office building",
    "they sold me a fake course",
    "is kk park dangerous?",
    "what is a scam compound",
    "please come to my birthday party",
    "they are coming tomorrow for the interview",
    "how do I contact the embassy if something happens",
    "I can't take the subway anymore, too crowded",
    "I can't stand this heat anymore",
    "I can't do this anymore, my job in seoul is killing me",
    "bike padlock recommendations",
    "they lock the office at 6pm",
    "how much does it cost to get my passport back if it's lost",
    "my debt keeps growing from my student loan",
    "the agency drove us across the border for the interview, is that normal?",
    "we are taking a boat across the river on vacation",
    "im so scared of the interview tomorrow",
    "i lost touch with my high school friend",
    "looking for my friend's phone number",
    "help my son with his visa application",
    "my son is in trouble at school",
    "my brother's wedding was held in bangkok",
    "my son got no reply from the recruiter",
    "my daughter never calls me",
    "my husband is stuck at the airport, flight delayed",
    "i dont know where i am going to work next year",
    "my sister works in a gated compound in manila",
    "the company will move me to another branch next year",
    "what number do I call if I get trapped",
    "who do I call if my passport gets taken",
    "they asked for my passport before hiring, is that normal?",
    "how do people end up in scam compounds",
    "my roommate never cleans the kitchen",
    "you guys saved me, thank you",
    "tell me where the embassy is",
    "I heard they beat people in those compounds, is it true?",
    "the security guards at the mall are rude",
    "can they check my phone at the border?",
    "will they take my phone at the airport",
    "my brother will kill me if i break his phone",
    "in the game you get shocked if you fail",
    "they sold me a broken laptop",
    "the company moved us to another office",
    "what is kk park",
    "i read about scam compounds in the news",
    "please come visit us in seoul",
    "come quickly to dinner",
    "how do I tell the police if I see trafficking",
    "padlock for my suitcase",
    "my wrists hurt from typing",
    "how much is a passport replacement fee",
    "my dating app got hacked",
    "we crossed the border for a holiday",
    "i can't take much more of this rain lol",
    "i feel like dying of laughter lol",
    "i'm scared of spiders",
    "if they see my cv will they hire me?",
    "hiding easter eggs for the kids",
    "they feed us well at this company, is it legit?",
    "i beg to differ",
    "my son wants to find a job in vietnam",
    "help my daughter pick a university",
    "my husband went quiet during dinner",
    "i haven't heard back from the recruiter",
    "my father works at a compound in riyadh",
    "my son is in a band",
    "they held my brother's wedding in da nang",
    "how do I find my friend on telegram",
    "my sister never answers her phone lol",
    "we lost him in the crowd at the concert",
    "the embassy hotline number please",
    "is it true they beat people there?",
    "they will take our passports for the visa, is that normal",
    "what happens if I refuse to work overtime",
    "my boss is always watching the clock",
    "they are coming to pick me up at the airport, is that normal",
]


# --------------------------------------------------------------------------------- catalogue


def test_catalogue_sizes() -> None:
    """The brief asks for at least 60 of each kind per language."""
    assert len(KO_SELF) + len(KO_THIRD) >= 60
    assert len(EN_SELF) + len(EN_THIRD) >= 60
    assert len(KO_QUIET) >= 60
    assert len(EN_QUIET) >= 60


@pytest.mark.parametrize("text", KO_SELF + EN_SELF)
def test_writer_in_danger_fires_high(net: SafetyNet, text: str) -> None:
    hit = net.check(text)
    assert hit is not None, text
    assert hit.category in ("self", "sos"), (text, hit)


@pytest.mark.parametrize("text", KO_THIRD + EN_THIRD)
def test_someone_else_fires_third_party(net: SafetyNet, text: str) -> None:
    hit = net.check(text)
    assert hit is not None, text
    assert hit.category == "third_party", (text, hit)


@pytest.mark.parametrize("text", SOS_WORDS)
def test_sos_words_fire(net: SafetyNet, text: str) -> None:
    hit = net.check(text)
    assert hit is not None, text
    assert hit.category == "sos", (text, hit)


@pytest.mark.parametrize("text", KO_QUIET + EN_QUIET)
def test_ordinary_and_near_miss_do_not_fire(net: SafetyNet, text: str) -> None:
    assert net.check(text) is None, (text, net.check(text))


@pytest.mark.parametrize("text", ["", "   ", "ㅠㅠㅠ", "!!!", "👍", "ㅋㅋㅋㅋ"])
def test_empty_and_noise_do_not_fire(net: SafetyNet, text: str) -> None:
    assert net.check(text) is None


def test_sincere_marker_beats_joke_suppressor(net: SafetyNet) -> None:
    assert net.check("회사에 갇혀 있어요ㅋㅋ") is None
    assert net.check("농담 아니에요 회사에 갇혀 있어요ㅋㅋ") is not None
    assert net.check("lol im trapped") is None
    assert net.check("not joking lol im trapped") is not None


def test_first_person_danger_beats_news_suppressor(net: SafetyNet) -> None:
    assert net.check("I read an article about passports being taken") is None
    assert net.check("I read the news, and they took my passport too") is not None
    assert net.check("뉴스에서 봤는데 저도 지금 감금당했어요") is not None


def test_relative_with_first_person_danger_is_self(net: SafetyNet) -> None:
    hit = net.check("my brother and I are locked in a compound")
    assert hit is not None
    assert hit.category == "self"
    hit = net.check("please help me, my son is locked in a compound")
    assert hit is not None
    assert hit.category == "third_party"


def test_suicidal_is_always_self(net: SafetyNet) -> None:
    hit = net.check("my son is missing and i want to die")
    assert hit == NetHit("self", "en_suicidal")


def test_normalise_views() -> None:
    assert normalise("HEEELP!!!!  me") == "help!! me"
    assert normalise("They’re  “locked”") == "theyre locked"
    assert normalise("살려주세요ㅠㅠㅠ") == "살려주세요"
    assert normalise("ㅋㅋㅋㅋㅋ") == "ㅋㅋ"
    assert normalise("ｈｅｌｐ　ｍｅ") == "help me"
    assert normalise("$5000") == "$5000"


# ------------------------------------------------------------------------------- decide()


def test_distress_intents_contract() -> None:
    assert DISTRESS_INTENTS == {"report_distress": HIGH, "report_missing_person": NORMAL}


def test_engine_distress_above_threshold(net: SafetyNet) -> None:
    verdict = decide("hmm", "report_distress", 0.93, net)
    assert verdict == Triage(True, HIGH, "engine", "report_distress 0.93")


def test_engine_distress_below_threshold(net: SafetyNet) -> None:
    verdict = decide("hmm", "report_distress", 0.41, net)
    assert not verdict.escalate
    assert verdict.priority is None
    assert verdict.source == "none"


def test_engine_threshold_is_inclusive_and_configurable(net: SafetyNet) -> None:
    assert decide("hmm", "report_distress", 0.6, net).escalate
    assert not decide("hmm", "report_distress", 0.7, net, threshold=0.8).escalate


def test_engine_missing_person_is_normal(net: SafetyNet) -> None:
    verdict = decide("hmm", "report_missing_person", 0.8, net)
    assert verdict.escalate
    assert verdict.priority == NORMAL
    assert verdict.source == "engine"


def test_engine_down_net_fires(net: SafetyNet) -> None:
    verdict = decide("여권 뺏겼어요", None, None, net)
    assert verdict.escalate
    assert verdict.priority == HIGH
    assert verdict.source == "net"
    assert verdict.detail == "net:self/ko_passport"


def test_engine_down_nothing_fires(net: SafetyNet) -> None:
    verdict = decide("안녕하세요", None, None, net)
    assert verdict == Triage(False, None, "none", "engine:none")


def test_both_sources(net: SafetyNet) -> None:
    verdict = decide("they took my passport", "report_distress", 0.88, net)
    assert verdict.source == "both"
    assert verdict.priority == HIGH
    assert verdict.detail.startswith("report_distress 0.88; net:self/")


def test_third_party_gives_normal(net: SafetyNet) -> None:
    verdict = decide("my son is missing in cambodia", None, None, net)
    assert verdict.escalate
    assert verdict.priority == NORMAL
    assert verdict.source == "net"
    verdict = decide("my son is missing in cambodia", "report_missing_person", 0.9, net)
    assert verdict.priority == NORMAL
    assert verdict.source == "both"


def test_net_self_raises_engine_missing_person_to_high(net: SafetyNet) -> None:
    verdict = decide("살려주세요", "report_missing_person", 0.9, net)
    assert verdict.priority == HIGH


def test_engine_self_raises_net_third_party_to_high(net: SafetyNet) -> None:
    verdict = decide("my son is missing", "report_distress", 0.9, net)
    assert verdict.priority == HIGH


def test_odd_intent_name_is_not_echoed(net: SafetyNet) -> None:
    verdict = decide("hmm", "Kim Minsu's text", 0.5, net)
    assert verdict.detail == "engine:unnamed 0.50"


def test_other_intent_with_net_hit(net: SafetyNet) -> None:
    verdict = decide("help me", "greet", 0.99, net)
    assert verdict.escalate
    assert verdict.source == "net"
    assert verdict.priority == HIGH


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "private"),
    [
        ("My name is Kim Minsu, they took my passport", None, None, ["kim", "minsu"]),
        ("김민수입니다 여권 뺏겼어요 010-1234-5678", "report_distress", 0.77, ["김민수", "1234"]),
        ("my son Park Jisoo is missing", "report_missing_person", 0.65, ["park", "jisoo"]),
        ("Golden Fortune compound, room 305", "greet", 0.5, ["golden", "305"]),
    ],
)
def test_detail_contains_no_user_text(
    net: SafetyNet, text: str, intent: str | None, confidence: float | None, private: list[str]
) -> None:
    detail = decide(text, intent, confidence, net).detail
    assert re.fullmatch(
        r"[a-z_]+ \d\.\d\d(; net:[a-z_]+/[a-z0-9_]+)?|net:[a-z_]+/[a-z0-9_]+"
        r"|engine:none",
        detail,
    ), detail
    for word in private:
        assert word not in detail.lower(), (word, detail)


# ---------------------------------------------------------------------------- the lexicon


def test_lexicon_loads_and_every_rule_is_well_formed() -> None:
    """The shared file and every pack's part: unique ids, patterns that compile, each category."""
    ids: set[str] = set()
    files = [NET_FILE, *(NET_FILE.parent / code / NET_FILE.name for code in _pack_codes())]
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section in ("rules", "markers", "suppressors"):
            for entry in data.get(section) or []:
                assert isinstance(entry["id"], str)
                assert entry["id"] not in ids
                ids.add(entry["id"])
                # A rule of evidence alone ("requires") may have no patterns of its own.
                assert entry.get("patterns") or entry.get("requires"), entry["id"]
                for pattern in entry.get("patterns", []) + entry.get("unless", []):
                    re.compile(pattern)
                assert entry.get("category", "self") in ("self", "third_party", "sos"), entry["id"]
    net = SafetyNet.load(NET_FILE)
    counts = net.counts()
    assert counts["self"]
    assert counts["third_party"]
    assert counts["sos"]
    assert {"ko", "en", "any"} <= {rule.lang for rule in net.rules}


def _pack_codes() -> list[str]:
    """The packs that have safety-net rules."""
    return [p.parent.name for p in sorted(NET_FILE.parent.glob(f"*/{NET_FILE.name}"))]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("rules: [", "not valid YAML"),
        ("- a\n- b\n", "top level must be a mapping"),
        ("rules: []\n", "non-empty list"),
        ("rules:\n  - id: x\n    category: self\n    lang: en\n    patterns: ['(']\n", "compile"),
        ("rules:\n  - id: x\n    category: bad\n    lang: en\n    patterns: ['a']\n", "category"),
        ("rules:\n  - category: self\n    lang: en\n    patterns: ['a']\n", "'id'"),
        ("rules:\n  - id: x\n    category: self\n    lang: en\n    pattern: ['a']\n", "unknown"),
        (
            "rules:\n  - id: x\n    category: self\n    lang: en\n    patterns: ['a']\n"
            "    ignores: [nope]\n",
            "unknown suppressors",
        ),
    ],
)
def test_malformed_file_raises_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "safety_net.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SafetyNetError, match=re.escape(message)) as info:
        SafetyNet.load(path)
    assert str(path) in str(info.value)


def test_missing_file_raises_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SafetyNetError, match="cannot read"):
        SafetyNet.load(tmp_path / "absent.yml")


def test_long_message_is_cut_and_checked_quickly(net: SafetyNet) -> None:
    started = time.perf_counter()
    assert net.check("a " * 100_000) is None
    assert net.check("word " * 900 + "help me") is not None
    assert time.perf_counter() - started < 2.0


# ------------------------------------------------------------------ held-out review (if any)

DISTRESS = ("report_distress", "report_missing_person")
_ENTITY = re.compile(r"\[([^\]]+)\](?:\{[^}]*\}|\([^)]*\))")


def _heldout_examples(path: Path) -> list[tuple[str, str]]:
    """Read Rasa NLU YAML into (intent, plain text) pairs, entity markup stripped."""
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pairs: list[tuple[str, str]] = []
    for block in data.get("nlu") or []:
        if not isinstance(block, dict) or "intent" not in block:
            continue
        for line in str(block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                pairs.append((block["intent"], _ENTITY.sub(r"\1", line[2:].strip())))
    return pairs


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_heldout_review(net: SafetyNet, lang: str) -> None:
    """The net alone (engine down) on the held-out set: recall >= 0.80, false alarms < 5%."""
    path = HELDOUT / f"{lang}.yml"
    if not path.exists():
        pytest.skip(f"{path.relative_to(ROOT)} not written yet")
    pairs = _heldout_examples(path)
    distress = [text for intent, text in pairs if intent in DISTRESS]
    other = [text for intent, text in pairs if intent not in DISTRESS]
    if not distress or not other:
        pytest.skip(f"{path.relative_to(ROOT)} lacks distress or non-distress examples")
    caught = sum(net.check(text) is not None for text in distress)
    alarms = sum(net.check(text) is not None for text in other)
    recall = caught / len(distress)
    false_rate = alarms / len(other)
    print(
        f"\nheld-out {lang}: recall {recall:.3f} ({caught}/{len(distress)}), "
        f"false alarms {false_rate:.3f} ({alarms}/{len(other)})"
    )
    assert recall >= 0.80
    assert false_rate < 0.05


def test_heldout_distress_is_not_copied_into_catalogues_or_lexicon() -> None:
    """The review only measures generalisation if no held-out distress message was pasted here."""
    catalogue = KO_SELF + KO_THIRD + EN_SELF + EN_THIRD + KO_QUIET + EN_QUIET + SOS_WORDS
    ours = {normalise(text).replace(" ", "") for text in catalogue}
    lexicon = NET_FILE.read_text(encoding="utf-8").lower()
    for path in sorted(HELDOUT.glob("*.yml")):
        for intent, text in _heldout_examples(path):
            if intent not in DISTRESS:
                continue
            spaced = normalise(text)
            compact = spaced.replace(" ", "")
            assert compact not in ours, (path.name, text)
            if len(compact) >= 8:
                assert compact not in lexicon, (path.name, text)
                assert spaced not in lexicon, (path.name, text)


def test_entity_markup_is_stripped() -> None:
    assert _ENTITY.sub(r"\1", '[캄보디아]{"entity": "country", "value": "KH"}에 갇혔어요') == (
        "캄보디아에 갇혔어요"
    )
    assert _ENTITY.sub(r"\1", "stuck in [Cambodia](country)") == "stuck in Cambodia"


# ------------------------------------------------------------------- cost on long messages


def test_no_pattern_costs_more_than_linear_time() -> None:
    """No pattern has a shape whose cost grows faster than the message (two repeats sharing
    a long word, a repeated group whose turns can share letters, a match that can start at
    every letter of a run): one such pattern took seconds on a 500-letter message."""
    found = []
    files = [NET_FILE, *(NET_FILE.parent / code / NET_FILE.name for code in _pack_codes())]
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section in ("rules", "markers", "suppressors"):
            for entry in data.get(section) or []:
                for key in ("patterns", "unless"):
                    for pattern in entry.get(key) or []:
                        for piece in alternatives(nfkc(pattern)):
                            found += [f"{entry['id']}: {h}: {piece}" for h in hazards(piece)]
    assert not found, "\n".join(found)


def _normalise_before(text: str) -> str:
    """normalise() as it was written before it was made fast: the reference."""
    text = fold(text)
    out: list[str] = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch == "'" or cat == "Cf":
            continue
        out.append(" " if cat.startswith("P") and ch not in "!?$" else ch)
    text = re.sub(r"[ㅠㅜㅡ]+", "", "".join(out))
    text = re.sub(r"(.)\1{2,}", netviews._collapse, text, flags=re.DOTALL)
    return re.sub(r"\s+", " ", text).strip()


def _bare_before(spaced: str) -> str:
    """bare() as it was written before it was made fast: the reference."""
    letters = str.maketrans({"đ": "d", "ð": "d", "ł": "l", "ø": "o"})
    decomposed = unicodedata.normalize("NFD", spaced.translate(letters))
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", kept)


def _spaced_view_before(text: str) -> str:
    """spaced_view() (place names) as it was written before: the reference."""
    cleaned = "".join(ch if ch.isalnum() else " " for ch in fold(text))
    return " ".join(cleaned.split())


def _odd_texts() -> list[str]:
    """Held-out messages and random ones from every kind of character (seeded)."""
    texts = [text for path in sorted(HELDOUT.glob("*.yml")) for _, text in _heldout_examples(path)]
    pick = random.Random(21)
    kinds = "aé e\u0301ñßİ가각ㅋㅠㅜ\u1100\u1161\u3131'’`´!?$.,-_…「」\u200b\u200d\ufeff\u3000\t\n😀1١ไก่ đłøǅ"
    for _ in range(3000):
        texts.append("".join(pick.choice(kinds) for _ in range(pick.randrange(1, 40))))
    return texts


def test_normalisation_gives_what_it_gave_before() -> None:
    for text in _odd_texts():
        assert normalise(text) == _normalise_before(text), text
        spaced = normalise(text)
        assert netviews.bare(spaced) == _bare_before(spaced), text
        assert spaced_view(text) == _spaced_view_before(text), text


def test_the_shortcuts_of_normalisation_hold_for_every_character() -> None:
    """Normalisation rewrites only what ``_ODD`` finds; ``\\W|_`` is ``not str.isalnum``;
    ``\\s`` is ``str.isspace``; what ``bare`` leaves as it is, bare gives back unchanged."""
    for code in range(0x110000):
        ch = chr(code)
        if netviews._unpunctuated(ch) != ch or unicodedata.category(ch) == "Mn":
            assert netviews._ODD.fullmatch(ch), hex(code)
        assert bool(re.fullmatch(r"\W|_", ch)) == (not ch.isalnum()), hex(code)
        assert bool(re.fullmatch(r"\s", ch)) == ch.isspace(), hex(code)
    already = "".join(chr(c) for c in (*range(128), *range(0x3131, 0x318F), *range(0xAC00, 0xD7A4)))
    assert _bare_before(already) == already
