"""How a source is shown (publisher and date, never a bare article id) and which tokens are numbers."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.core.facts.entries import MAX_SOURCES_SHOWN

__all__ = ["ISO_DATE", "PHONE", "PUBLISHERS", "phone_tokens", "source_label", "source_labels"]

PHONE = re.compile(r"(?<![A-Za-z0-9_.,=/+])\+?\d[\d\-~/]*\d(?!\d|\.?[A-Za-z])")
_DATE_LIKE = re.compile(r"(?:19|20)\d{2}-\d{2}(?:-\d{2})?|\d{4}-\d{2}-\d{2}|(?:19|20)\d{2}")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DOMAIN = re.compile(r"(?<![\w.])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?![\w])")


def phone_tokens(text: str) -> list[str]:
    """Return the phone-like tokens of a text (3+ digits, dates and years left out)."""
    return [
        m.group(0)
        for m in PHONE.finditer(text)
        if sum(c.isdigit() for c in m.group(0)) >= 3 and not _DATE_LIKE.fullmatch(m.group(0))
    ]


# Publishers a reader knows by name rather than by address: (English, Korean).
PUBLISHERS: dict[str, tuple[str, str]] = {
    "0404.go.kr": (
        "Foreign ministry overseas safety travel 0404.go.kr",
        "외교부 해외안전여행 0404.go.kr",
    ),
}
_SOURCE_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SOURCE_MONTH = re.compile(r"\((?:about )?(\d{4}-\d{2})[,)]")
_SOURCE_YEAR = re.compile(r"\((?:about )?(?:[A-Za-z]{3,9}\.? )?((?:19|20)\d{2})[,)]")
_ADDRESS = re.compile(r"^[a-z0-9][a-z0-9.-]*\.[a-z]{2,}/\S+$")


def _publisher(source: str, lang: str) -> str:
    """Who published a source: 'OHCHR via english.news.cn', a known name, a domain, or words."""
    head, sep, tail = source.partition(" via ")
    if sep:
        domain = _DOMAIN.search(tail.lower())
        return f"{head.strip()} via {domain.group(0) if domain else tail.split()[0]}"
    first = source.split()[0] if source.split() else ""
    if _ADDRESS.match(first.lower()):
        return first  # the shared file gives a full address: show it as given
    domain = _DOMAIN.search(source.lower())
    if domain:
        known = PUBLISHERS.get(domain.group(0))
        return (known[1] if lang == "ko" else known[0]) if known else domain.group(0)
    words = []
    for word in source.split():
        if any(c.isdigit() for c in word) or word.startswith("("):
            break
        words.append(word)
    return " ".join(words)


def _source_date(source: str) -> str:
    """The source's own date as the shared file gives it (day, month or year), or ''."""
    for pattern in (_SOURCE_DAY, _SOURCE_MONTH, _SOURCE_YEAR):
        match = pattern.search(source)
        if match:
            return match.group(match.lastindex or 0)
    return ""


def source_label(source: str, lang: str = "en") -> str:
    """One source as a person can use it: publisher and date ('asiae.co.kr, 2025-12-04').

    Never an article id, and an address only where the shared file gives one in full.
    """
    publisher = _publisher(source.strip(), lang)
    if not publisher:
        return ""
    date = _source_date(source)
    return f"{publisher}, {date}" if date and date not in publisher else publisher


def source_labels(sources: Iterable[str], lang: str = "en", limit: int = MAX_SOURCES_SHOWN) -> str:
    """Join the labels of the first ``limit`` sources, each publisher once, in order."""
    labels: list[str] = []
    seen: set[str] = set()
    for source in sources:
        for part in source.split(";"):
            label = source_label(part.strip(), lang)
            publisher = label.split(",")[0]
            if label and publisher not in seen:
                seen.add(publisher)
                labels.append(label)
    sep = " · " if lang == "ko" else "; "
    return sep.join(labels[:limit])
