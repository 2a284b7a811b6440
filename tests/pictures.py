"""Pictures made for the tests, the eval and the bench: chat screenshots, posters and notes.

Drawn with Pillow and Debian's Nanum fonts (fonts-nanum), never downloaded: a recruiter's
message in a chat bubble saved as a phone screenshot JPEG, a channel's poster, a note written
on paper and photographed slightly crooked and blurred. Each is made from a seed, so a test
gets the same picture every run.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONTS = Path("/usr/share/fonts/truetype/nanum")
GOTHIC = FONTS / "NanumGothic.ttf"
BARUN = FONTS / "NanumBarunGothic.ttf"
MYEONGJO = FONTS / "NanumMyeongjo.ttf"
SCREEN = (720, 1280)
# Chat backgrounds: KakaoTalk's blue-grey, Telegram's green wallpaper, a dark theme, white.
BACKGROUNDS = {
    "kakao": ((178, 199, 217), (255, 255, 255), (25, 25, 25)),
    "telegram": ((196, 213, 170), (239, 254, 221), (20, 20, 20)),
    "dark": ((16, 22, 30), (33, 48, 66), (235, 235, 235)),
    "white": ((250, 250, 250), (235, 235, 240), (10, 10, 10)),
}
"""name: (screen, bubble, text) colours."""

KOREAN_AD = (
    "캄보디아 고수익 알바 모집",
    "월 1000만원 보장, 경력 무관",
    "항공권 숙소 무료 제공",
    "여권은 현지에서 회사가 보관",
    "텔레그램으로 연락 주세요",
)
ENGLISH_AD = (
    "URGENT HIRING in Cambodia",
    "Customer service, no experience",
    "Salary 3000 USD per month",
    "Free flight ticket and visa",
    "Contact us on Telegram now",
)
KOREAN_NOTE = ("살려주세요", "캄보디아 건물에", "갇혀 있어요")
ENGLISH_NOTE = ("Please help me", "I am locked in", "a room in Cambodia")


@dataclass(frozen=True)
class Sample:
    """A generated picture and the text drawn on it."""

    name: str
    lang: str
    text: str
    data: bytes


def font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """A Nanum font at ``size`` pixels."""
    return ImageFont.truetype(str(path), size)


def encode(image: Image.Image, kind: str = "JPEG", quality: int = 70) -> bytes:
    """The picture's file bytes, as a phone would save it."""
    out = io.BytesIO()
    if kind == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=quality)
    else:
        image.save(out, kind)
    return out.getvalue()


def chat_bubble(
    lines: tuple[str, ...],
    theme: str = "kakao",
    quality: int = 70,
    size: tuple[int, int] = SCREEN,
    top: int = 220,
    text_size: int = 30,
) -> bytes:
    """A phone screenshot of a chat: a header bar, one message bubble, saved as JPEG."""
    screen, bubble, ink = BACKGROUNDS[theme]
    image = Image.new("RGB", size, screen)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0], 110), fill=tuple(max(0, c - 30) for c in screen))
    draw.text((40, 40), "Recruiter ✓", font=font(BARUN, 34), fill=ink)
    face = font(GOTHIC, text_size)
    step = int(text_size * 1.5)
    width = max(int(draw.textlength(line, font=face)) for line in lines) + 70
    bottom = top + 40 + step * len(lines)
    draw.rounded_rectangle((40, top, 40 + width, bottom), radius=26, fill=bubble)
    for index, line in enumerate(lines):
        draw.text((75, top + 22 + index * step), line, font=face, fill=ink)
    korean = any("\uac00" <= char <= "\ud7a3" for line in lines for char in line)
    clock = "오후 3:12" if korean else "3:12 PM"  # the phone speaks the language of the chat
    draw.text((50 + width, bottom - 30), clock, font=font(GOTHIC, 18), fill=ink)
    return encode(image, "JPEG", quality)


def poster(lines: tuple[str, ...], theme: str = "white", kind: str = "PNG") -> bytes:
    """A channel's poster: big bold lines on a plain background."""
    screen, _bubble, ink = BACKGROUNDS[theme]
    image = Image.new("RGB", (1080, 1080), screen)
    draw = ImageDraw.Draw(image)
    face = font(FONTS / "NanumGothicBold.ttf", 52)
    for index, line in enumerate(lines):
        draw.text((70, 160 + index * 110), line, font=face, fill=ink)
    return encode(image, kind)


def note(
    lines: tuple[str, ...], angle: float = 4.0, blur: float = 1.0, seed: int = 1, quality: int = 80
) -> bytes:
    """A note written on lined paper, photographed a little crooked and out of focus.

    Each character wavers a little in height and size, as handwriting does.
    """
    rng = random.Random(seed)
    image = Image.new("RGB", (900, 700), (236, 230, 214))
    draw = ImageDraw.Draw(image)
    for y in range(130, 700, 90):
        draw.line((40, y + 58, 860, y + 58), fill=(170, 190, 215), width=2)
    for index, line in enumerate(lines):
        x = 80.0
        for char in line:
            face = font(MYEONGJO, rng.randint(50, 56))
            y = 130 + index * 90 + rng.randint(-3, 3)
            draw.text((x, y), char, font=face, fill=(35, 40, 70))
            x += draw.textlength(char, font=face) + rng.uniform(0, 3)
    photo = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=(90, 80, 70))
    if blur:
        photo = photo.filter(ImageFilter.GaussianBlur(blur))
    return encode(photo, "JPEG", quality)


def corrupt_jpeg(seed: int = 3) -> bytes:
    """A JPEG cut off after its header, with noise where the picture should be."""
    whole = chat_bubble(KOREAN_AD)
    rng = random.Random(seed)
    return whole[:600] + bytes(rng.randrange(256) for _ in range(2000))


def eval_set() -> list[Sample]:
    """At least twenty pictures, both languages: bubbles, posters, notes; blur and rotation."""
    ads_ko = (
        KOREAN_AD,
        (
            "해외 고액 알바 급구",
            "하루 4시간 근무, 월 800만원",
            "비자 없이 바로 출국 가능",
            "선불 수수료 50만원",
        ),
        (
            "태국 카지노 직원 채용",
            "숙식 제공, 항공권 지원",
            "여권 맡기면 바로 출근",
            "나이 경력 무관",
        ),
    )
    ads_en = (
        ENGLISH_AD,
        (
            "Work from Bangkok, easy job",
            "Earn 5000 USD a month",
            "No interview, fly next week",
            "Pay a small deposit first",
        ),
        (
            "Online sales team in Myanmar",
            "High salary, free housing",
            "We keep your passport safe",
            "Message me on WhatsApp",
        ),
    )
    notes = (
        ("ko", KOREAN_NOTE),
        ("ko", ("도와주세요", "여권을 뺏겼어요")),
        ("en", ENGLISH_NOTE),
        ("en", ("Help us", "they took our passports")),
    )
    samples: list[Sample] = []
    themes = tuple(BACKGROUNDS)
    for lang, ads in (("ko", ads_ko), ("en", ads_en)):
        for index, lines in enumerate(ads):
            theme = themes[index % len(themes)]
            samples.append(
                Sample(f"bubble-{lang}-{theme}", lang, "\n".join(lines), chat_bubble(lines, theme))
            )
            theme = themes[(index + 1) % len(themes)]
            samples.append(
                Sample(
                    f"bubble-q40-{lang}-{theme}",
                    lang,
                    "\n".join(lines),
                    chat_bubble(lines, theme, quality=40),
                )
            )
            samples.append(Sample(f"poster-{lang}-{index}", lang, "\n".join(lines), poster(lines)))
    for index, (lang, lines) in enumerate(notes):
        for angle, blur in ((3.0, 0.8), (-5.0, 1.4)):
            samples.append(
                Sample(
                    f"note-{lang}-{index}-{angle:+.0f}deg-blur{blur}",
                    lang,
                    "\n".join(lines),
                    note(lines, angle=angle, blur=blur, seed=index),
                )
            )
    return samples
