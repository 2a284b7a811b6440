"""One consistent version of the facts, and everything said from it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bot.core.facts.entries import (
    CALL_CENTER_ID,
    DEFAULT_STALE_DAYS,
    HOME,
    MAIN_RISK_COUNTRY,
    Advisory,
    Area,
    Contact,
    Country,
    Place,
    Sourced,
    StaleEntry,
)
from bot.core.facts.places import Places
from bot.core.facts.render import (
    advisory_block,
    contact_block,
    contact_line,
    short,
    since,
    sourced_list,
)
from bot.core.facts.sources import phone_tokens
from bot.core.texts import t

__all__ = ["Facts"]

# ------------------------------------------------------------------------------- facts


class Facts(Places):
    """One consistent version of the facts and place names, and everything said from them."""

    def __init__(
        self,
        contacts: tuple[Contact, ...],
        call_center: Contact,
        advisories: tuple[Advisory, ...],
        red_flags: tuple[Sourced, ...],
        how_to_verify: tuple[Sourced, ...],
        countries: dict[str, Country],
        places: tuple[Place, ...],
        figures: tuple[Sourced, ...] = (),
    ) -> None:
        """Keep validated entries; use ``load_facts`` to build one from the files."""
        self.contacts = contacts
        self.call_center = call_center
        self.advisories = advisories
        self.red_flags = red_flags
        self.how_to_verify = how_to_verify
        self.figures = figures
        super().__init__(countries, places)

    def stated_contacts(self, country: str | None) -> list[Contact]:
        """The confirmed contacts of a country, in file order, without the call center."""
        if country is None:
            return []
        code = country.upper()
        return [
            c for c in self.contacts if c.stated and c.country == code and c.id != CALL_CENTER_ID
        ]

    def contact_lines(self, ids: Iterable[str], lang: str) -> str:
        """The named confirmed contacts, one line each, with one checked date ('' if none)."""
        wanted = list(ids)
        chosen = sorted(
            (c for c in self.contacts if c.stated and c.id in wanted),
            key=lambda c: wanted.index(c.id),
        )
        if not chosen:
            return ""
        lines = [contact_line(c, lang) for c in chosen]
        lines.append(t("facts.numbers_checked", lang, date=min(c.checked for c in chosen)))
        return "\n".join(lines)

    def call_center_line(self, lang: str) -> str:
        """The Consular Call Center on one line, for a short answer's "who to call"."""
        return "📞 " + contact_line(self.call_center, lang).removeprefix("• ")

    def serving(self, language: str) -> list[Contact]:
        """Confirmed contacts whose name says they answer in ``language`` (ISO 639-1)."""
        return [c for c in self.contacts if c.stated and language in c.serves]

    def stale(self, today: dt.date, days: int = DEFAULT_STALE_DAYS) -> list[StaleEntry]:
        """Entries shown to people whose checked date is more than ``days`` old, advisories
        first (a level is the fact that changes most often), then contacts, then the rest."""
        limit = today - dt.timedelta(days=days)
        found: list[StaleEntry] = []

        def old(checked: str) -> bool:
            try:
                return dt.date.fromisoformat(checked) < limit
            except ValueError:
                return True  # no readable date: as good as stale

        for advisory in self.advisories:
            if advisory.stated and old(advisory.checked):
                found.append(StaleEntry("advisory", advisory.id, advisory.checked))
        for contact in self.contacts:
            if contact.stated and old(contact.checked):
                found.append(StaleEntry("contact", contact.id, contact.checked))
        for kind, items in (
            ("red_flag", self.red_flags),
            ("how_to_verify", self.how_to_verify),
            ("figure", self.figures),
        ):
            for item in items:
                if item.stated and old(item.checked):
                    found.append(StaleEntry(kind, short(item.text_en), item.checked))
        return found

    def phone_numbers(self) -> set[str]:
        """Every phone-like token a reply may contain: those of confirmed contacts only."""
        numbers: set[str] = set()
        for contact in self.contacts:
            if contact.stated:
                for lang in ("en", "ko"):
                    text = f"{contact.number_in(lang)} {contact.note(lang)} {contact.name(lang)}"
                    numbers.update(phone_tokens(text))
        return numbers

    def render_contacts(self, country: str | None, lang: str) -> str:
        """Answer "who do I call": the call center first, then the country's verified numbers."""
        code = country.upper() if country else None
        title = t("facts.contacts_title", lang)
        if code:
            title += f": {self.country_name(code, lang)}"
        blocks = [title, contact_block(self.call_center, lang)]
        local = self.stated_contacts(code)
        blocks.extend(contact_block(c, lang) for c in local)
        if code is None:
            blocks.append(t("facts.pick_country", lang))
        elif not local:
            blocks.append(t("facts.no_numbers", lang, country=self.country_name(code, lang)))
        elif code != HOME and not any(c.role == "embassy" for c in local):
            blocks.append(t("facts.no_embassy", lang, country=self.country_name(code, lang)))
        return "\n\n".join(blocks)

    def render_emergency(self, country: str | None, lang: str, speaker: str | None = None) -> str:
        """The short list shown right after a distress alert: call center and local help.

        With no country, or Korea (people held abroad write "I can't go back to Korea"), it
        also lists the main risk country's numbers, saying which country they are for. A
        person who writes another language (``speaker``, ISO 639-1) first gets the lines whose
        names say they answer in it; the Consular Call Center is for Koreans.
        """
        code = country.upper() if country else None
        lines = [t("facts.emergency_title", lang)]
        serving = [] if speaker in (None, "ko", "en") else self.serving(speaker or "")
        if serving:
            lines.append(t("facts.in_your_language", lang))
            lines.extend(contact_line(c, lang) for c in serving)
        lines.append(contact_line(self.call_center, lang))
        before = len(lines)
        if code is not None and code != MAIN_RISK_COUNTRY:
            lines.extend(self._local_emergency(code, "facts.in_country", lang))
        if code in (None, HOME, MAIN_RISK_COUNTRY):
            key = "facts.in_country" if code == MAIN_RISK_COUNTRY else "facts.if_in_country"
            lines.extend(self._local_emergency(MAIN_RISK_COUNTRY, key, lang))
        if code is None:
            lines.extend(self._local_emergency(HOME, "facts.if_in_country", lang))
        listed = {contact_line(c, lang) for c in serving}
        lines[before:] = [line for line in lines[before:] if line not in listed]
        shown = [self.call_center, *(c for c in self.contacts if c.stated and c.emergency)]
        oldest = min(c.checked for c in shown)
        lines.append(t("facts.numbers_checked", lang, date=oldest))
        return "\n".join(lines)

    def render_for_family(self, lang: str) -> str:
        """The numbers for a family in Korea whose relative is held: the police, then the
        Consular Call Center, which reaches the embassy."""
        police = [contact_line(c, lang) for c in self.stated_contacts(HOME) if c.emergency]
        return "\n".join(
            [t("facts.family_title", lang), *police, contact_line(self.call_center, lang)]
        )

    def _local_emergency(self, code: str, heading: str, lang: str) -> list[str]:
        """A country's emergency contacts under a heading, or an honest 'none verified'."""
        name = self.country_name(code, lang)
        local = [c for c in self.stated_contacts(code) if c.emergency]
        if not local:
            return [t("facts.no_local_numbers", lang, country=name)]
        return [t(heading, lang, country=name), *(contact_line(c, lang) for c in local)]

    # Advisories -------------------------------------------------------------------------

    def _advisories_for(self, country: str, city: str | None = None) -> list[Advisory]:
        """The confirmed advisories of a country, and those naming the place (a border
        region such as the Golden Triangle lies in several countries)."""
        around = {city, *self._ancestors(city)} if city else set()
        return [
            a
            for a in self.advisories
            if a.stated
            and (
                country.upper() in a.countries
                or any(around.intersection(area.places) for area in a.areas)
            )
        ]

    def _areas_for(self, advisory: Advisory, city: str) -> tuple[list[Area], list[Area]]:
        """The advisory's areas covering the place (or a province it lies in), and those inside it."""
        around = {city, *self._ancestors(city)}
        inside = self._inside(city)
        covering = [area for area in advisory.areas if around.intersection(area.places)]
        within = [
            area
            for area in advisory.areas
            if not around.intersection(area.places) and inside.intersection(area.places)
        ]
        return covering, within

    def advisory_areas(self, country: str | None, city: str | None) -> list[tuple[Advisory, Area]]:
        """The confirmed areas (with their advisory) at or inside a place, highest level first."""
        if country is None or not city:
            return []
        pairs = [
            (advisory, area)
            for advisory in self._advisories_for(country, city)
            for areas in self._areas_for(advisory, city)
            for area in areas
        ]
        return sorted(pairs, key=lambda pair: (-pair[1].level, pair[1].special))

    def advisory_line(self, country: str | None, city: str | None, lang: str) -> str:
        """One dated line for the highest level at a place ('Myawaddy: Level 4 (travel ban),
        since …'), or '' when no confirmed advisory covers it."""
        pairs = self.advisory_areas(country, city)
        if not pairs:
            return ""
        advisory, area = pairs[0]
        return t(
            "facts.advisory_line",
            lang,
            area=area.name(lang),
            level=area.level_name(lang),
            since=since(advisory, lang),
        )

    def advisory_level(self, country: str | None, city: str | None) -> int | None:
        """The advisory level for scoring a job offer: 4, 3, 2, or None when unknown.

        A special travel advisory counts as 3. A province counts at the highest level of any
        area inside it (an offer "in Kampot" may well be at Bokor). A country without a city
        gets the level of "the rest of" it, or None when the sources give none.
        """
        if country is None:
            return None
        advisories = self._advisories_for(country, city)
        if city:
            levels = [
                area.level
                for advisory in advisories
                for areas in self._areas_for(advisory, city)
                for area in areas
            ]
            if levels:
                return max(levels)
        rests = [a.rest.level for a in advisories if a.rest is not None]
        return max(rests) if rests else None

    def render_advisory(self, country: str, city: str | None, lang: str) -> str:
        """The foreign ministry advisory level for a place, dated and sourced, or 'no data'."""
        code = country.upper()
        where = self._where(code, city, lang)
        advisories = self._advisories_for(code, city)
        if not advisories:
            return t("facts.no_advisory", lang, place=where) + " " + t("facts.check_today", lang)
        if city is None:
            return self._advisory_summary(where, advisories, lang)
        blocks = [t("facts.advisory_title", lang, place=where)]
        for advisory in advisories:
            own, inner = self._areas_for(advisory, city)
            if not own and advisory.rest is not None:
                own = [advisory.rest]
            if own or inner:
                blocks.append(advisory_block(advisory, (own, inner), lang))
        if len(blocks) == 1:
            return self._no_city_advisory(where, advisories, lang)
        return "\n\n".join(blocks)

    def _advisory_summary(self, where: str, advisories: list[Advisory], lang: str) -> str:
        """Every area of every advisory for a country, highest level first."""
        blocks = [t("facts.advisory_title", lang, place=where)]
        blocks.extend(advisory_block(a, None, lang) for a in advisories)
        if all(a.rest is None for a in advisories):
            blocks.append(t("facts.no_rest", lang, place=where))
        return "\n\n".join(blocks)

    def _no_city_advisory(self, where: str, advisories: list[Advisory], lang: str) -> str:
        """No level for this place: say so, and show the areas of the country that have one."""
        text = t("facts.no_advisory", lang, place=where)
        blocks = [text, t("facts.elsewhere", lang)]
        blocks.extend(advisory_block(a, None, lang) for a in advisories)
        return "\n\n".join(blocks)

    def _where(self, code: str, city: str | None, lang: str) -> str:
        """'Sihanoukville, Cambodia' / '캄보디아 시아누크빌'."""
        country = self.country_name(code, lang)
        if not city:
            return country
        place = self.place_name(city, lang)
        return f"{country} {place}" if lang == "ko" else f"{place}, {country}"

    # Red flags and verification ---------------------------------------------------------

    def render_red_flags(self, lang: str) -> str:
        """The sourced warning signs of a fake job offer, as a dated list."""
        return sourced_list(t("facts.red_flags_title", lang), self.red_flags, lang)

    def render_how_to_verify(self, lang: str) -> str:
        """The sourced official ways to check an employer or agency, as a dated list."""
        return sourced_list(t("facts.verify_title", lang), self.how_to_verify, lang)

    def render_figures(self, lang: str) -> str:
        """How big the problem is: the confirmed counts and estimates, each sourced and dated.

        Only the sentences of the facts file are said, word for word: no figure is ever
        completed, rounded or computed here.
        """
        if not any(item.stated for item in self.figures):
            return t("facts.no_figures", lang)
        return sourced_list(t("facts.figures_title", lang), self.figures, lang)
