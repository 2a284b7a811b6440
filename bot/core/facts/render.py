"""The blocks an answer is made of: a contact, an advisory and its areas, a sourced list, with dates."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.facts.entries import Advisory, Area, Contact, Sourced
from bot.core.facts.sources import source_labels
from bot.core.texts import t

__all__ = ["advisory_block", "contact_block", "contact_line", "short", "since", "sourced_list"]

# --------------------------------------------------------------------------- rendering


def _checked(date: str, lang: str) -> str:
    """'checked on 2026-11-25' / '확인일 2026-11-25'."""
    return t("facts.checked", lang, date=date)


def short(text: str, limit: int = 60) -> str:
    """The start of a sentence, for a list staff skim."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _provenance(source: Iterable[str], checked: str, lang: str) -> str:
    """'(source: asiae.co.kr, 2025-12-04; checked on 2026-12-06)'."""
    labels = source_labels(source, lang)
    sep = " · " if lang == "ko" else "; "
    return f"({t('facts.source', lang, labels=labels)}{sep}{_checked(checked, lang)})"


def since(advisory: Advisory, lang: str) -> str:
    """When an advisory took effect, or that its source shows no date (with the checked date)."""
    if advisory.since:
        return t("facts.since", lang, date=advisory.since)
    return t("facts.no_since", lang, checked=advisory.checked)


def contact_block(contact: Contact, lang: str) -> str:
    """A contact with its name, number, note and provenance, for the full list."""
    lines = [f"• {contact.name(lang)}: {contact.number_in(lang)}"]
    note = contact.note(lang)
    if note:
        lines.append(f"  {note}")
    lines.append(f"  {_provenance(contact.source, contact.checked, lang)}")
    return "\n".join(lines)


def contact_line(contact: Contact, lang: str) -> str:
    """A contact on one line, for the short emergency message."""
    return f"• {contact.name(lang)}: {contact.number_in(lang)}"


def _area_line(area: Area, lang: str) -> str:
    """'• Level 4 (travel ban): Poipet'."""
    return f"• {area.level_name(lang)}: {area.name(lang)}"


def _grouped_lines(areas: list[Area], lang: str) -> list[str]:
    """'• Level 4 (travel ban): Bavet, Poipet': one line per level, in the order given."""
    groups: dict[str, list[str]] = {}
    for area in areas:
        groups.setdefault(area.level_name(lang), []).append(area.name(lang))
    sep = ", "
    return [f"• {level}: {sep.join(names)}" for level, names in groups.items()]


def advisory_block(
    advisory: Advisory, chosen: tuple[list[Area], list[Area]] | None, lang: str
) -> str:
    """Area lines (all, or those of a place and inside it), effective date, penalty, source."""
    if chosen is None:
        own = sorted(advisory.areas, key=lambda a: (-a.level, a.special))
        own += [advisory.rest] if advisory.rest is not None else []
        inner: list[Area] = []
    else:
        own, inner = chosen
    lines = _grouped_lines(own, lang)
    if inner:
        lines.append(t("facts.but_inside", lang))
        lines.extend(_area_line(a, lang) for a in inner)
    effective = (advisory.effective_ko if lang == "ko" else "") or advisory.effective
    announced = t("facts.announced", lang, date=advisory.announced) if advisory.announced else ""
    effective = effective or since(advisory, lang)
    lines.append(t("facts.effective", lang, effective=effective, announced=announced))
    penalty = (advisory.penalty_ko if lang == "ko" else "") or advisory.penalty_en
    if penalty and any(a.level == 4 and not a.special for a in own + inner):
        lines.append(penalty)
    lines.append(t("facts.check_today", lang))
    lines.append(_provenance(advisory.source, advisory.checked, lang))
    return "\n".join(lines)


def sourced_list(title: str, items: Iterable[Sourced], lang: str) -> str:
    """A titled bulleted list of confirmed sentences, each with its source and date."""
    lines = [title]
    for item in items:
        if item.stated:
            lines.append(f"• {item.text(lang)} {_provenance(item.source, item.checked, lang)}")
    return "\n".join(lines)
