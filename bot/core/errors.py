"""Haven's exceptions, all under one base so callers can catch what is ours.

HavenError
├── ConfigError          a setting is missing or malformed; start-up stops with its message
│   └── DataKeyError       the key of the sealed text is missing, wrong or unsafe to use
├── EngineError          the Rasa engine could not answer
│   └── EngineUnavailable  it is down, or slower than the configured timeout
├── ServiceError         a managed process (engine, action server) failed to start
│   └── PortInUse          its port is already taken
├── StoreError           the case store refused an operation
│   ├── CaseNotFound       no case with that number
│   ├── CaseResolved       the case is resolved already: no claim, unclaim or second resolve
│   ├── StoreUnavailable   the database could not be read or written (disk full, locked, I/O)
│   │   └── CaseNotRecorded  a case could not be opened; staff were alerted directly if
│   │                        ``alerted``, and Haven keeps trying to record it
│   ├── SchemaTooNew       the file was written by a newer Haven; start-up stops
│   ├── StoreUnreadable    the file is not a database Haven can open; start-up stops
│   └── BackupError        a backup could not be made, verified or restored (what and why)
├── DataFileError        a staff-edited file in content/ cannot be used; the message names the
│   │                    file and the entry
│   ├── FactsError         facts.yml or countries.yml; a reload keeps the last good version
│   ├── SafetyNetError     safety_net.yml
│   ├── JobFlagsError      job_flags.yml
│   ├── LanguagesError     a pack's pack.yml (the language's names, its vetted reply)
│   ├── PackError          content/<code>/: a language pack's folder or part
│   └── CannedError        canned.yml (the staff's canned replies)
├── DeliveryError        Telegram did not take a message; ``retry_after`` says when to try
│   │                    again, ``permanent`` that trying again cannot help
│   ├── RateLimited        429: wait ``retry_after`` seconds
│   └── Refused            400/403: permanent
│       ├── TooLong          the text or caption is over Telegram's limit
│       ├── SourceGone       the message to copy or delete no longer exists
│       ├── ChatMigrated     the group became a supergroup: ``new_chat_id``
│       ├── Blocked          the user blocked the bot, or it was removed from the chat
│       ├── TopicClosed      the forum topic is closed: reopen it first
│       ├── TopicGone        the forum topic does not exist (any more)
│       └── NoTopics         the group has no topics, or the bot may not manage them
└── NotAuthorized        someone who is not staff tried a staff action
    └── MembershipUnknown  Telegram could not say whether they are in the staff group: refused,
                           and nothing about it is remembered
"""

from __future__ import annotations

__all__ = [
    "BackupError",
    "Blocked",
    "CannedError",
    "CaseNotFound",
    "CaseNotRecorded",
    "CaseResolved",
    "ChatMigrated",
    "ConfigError",
    "DataFileError",
    "DataKeyError",
    "DeliveryError",
    "EngineError",
    "EngineUnavailable",
    "FactsError",
    "HavenError",
    "JobFlagsError",
    "LanguagesError",
    "MembershipUnknown",
    "NoTopics",
    "NotAuthorized",
    "PackError",
    "PictureBroken",
    "PictureError",
    "PictureTooBig",
    "PictureUnavailable",
    "PortInUse",
    "RateLimited",
    "Refused",
    "SafetyNetError",
    "SchemaTooNew",
    "ServiceError",
    "SourceGone",
    "StoreError",
    "StoreUnavailable",
    "StoreUnreadable",
    "TooLong",
    "TopicClosed",
    "TopicGone",
]


class HavenError(Exception):
    """Base of every error Haven raises on purpose."""


class ConfigError(HavenError):
    """A setting is missing or malformed."""


class DataKeyError(ConfigError):
    """The data key is missing, wrong or unsafe: the sealed text cannot be read safely."""


class EngineError(HavenError):
    """The engine could not answer a message."""


class EngineUnavailable(EngineError):
    """The engine is down or slower than the timeout; the safety net takes over."""


class ServiceError(HavenError):
    """A managed process failed to start or stopped."""


class PortInUse(ServiceError):
    """A port Haven needs is taken by another process."""


class StoreError(HavenError):
    """The case store refused an operation."""


class CaseNotFound(StoreError):
    """No case with the given number."""


class CaseResolved(StoreError):
    """The case is resolved already: it cannot be claimed, given back or resolved again."""


class StoreUnavailable(StoreError):
    """SQLite failed to read or write (disk full, database locked, I/O error)."""


class CaseNotRecorded(StoreUnavailable):
    """A case could not be written; ``alerted`` tells whether staff got a direct alert."""

    def __init__(self, message: str, *, alerted: bool) -> None:
        """Say whether the best-effort alert reached the staff group."""
        super().__init__(message)
        self.alerted = alerted


class SchemaTooNew(StoreError):
    """The database has more migrations than this Haven knows: a newer Haven wrote it."""


class StoreUnreadable(StoreError):
    """The database file cannot be opened as a Haven database (corrupt, not SQLite, no access)."""


class BackupError(StoreError):
    """A backup could not be made, verified or restored; the message says what to do."""


class DataFileError(HavenError):
    """A staff-edited data file cannot be used; the message names the file and the entry."""


class FactsError(DataFileError):
    """The facts or place-names file is malformed."""


class SafetyNetError(DataFileError):
    """The safety net lexicon is malformed."""


class JobFlagsError(DataFileError):
    """The job red-flag texts are malformed."""


class LanguagesError(DataFileError):
    """The languages file (names for staff, vetted replies) is malformed."""


class PackError(DataFileError):
    """A language pack (content/<code>/) is malformed: its folder, pack.yml or a part."""


class CannedError(DataFileError):
    """The canned replies file is malformed (an entry without both languages, say)."""


class NotAuthorized(HavenError):
    """A staff action came from someone who is not staff (named and in the staff group)."""


class MembershipUnknown(NotAuthorized):
    """Telegram could not say whether someone is in the staff group (an error, a timeout).

    Not knowing is never taken as yes: the staff action is refused and the answer not cached.
    """


class DeliveryError(HavenError):
    """Telegram did not take a message (or a deletion); the Telegram layer raises only these."""

    def __init__(
        self, message: str, *, retry_after: float | None = None, permanent: bool = False
    ) -> None:
        """Describe the failure; ``retry_after`` is Telegram's requested wait in seconds."""
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent


class RateLimited(DeliveryError):
    """Telegram asked to wait before the next message (429)."""

    def __init__(self, message: str, retry_after: float) -> None:
        """Remember the wait Telegram asked for."""
        super().__init__(message, retry_after=retry_after)


class Refused(DeliveryError):
    """Telegram refused the request itself: sending it again unchanged cannot succeed."""

    def __init__(self, message: str) -> None:
        """A permanent refusal."""
        super().__init__(message, permanent=True)


class TooLong(Refused):
    """The text or caption is longer than Telegram accepts."""


class SourceGone(Refused):
    """The message to copy, edit or delete does not exist (any more)."""


class ChatMigrated(Refused):
    """The group was upgraded to a supergroup; messages go to ``new_chat_id`` now."""

    def __init__(self, message: str, new_chat_id: int) -> None:
        """Remember where the chat moved."""
        super().__init__(message)
        self.new_chat_id = new_chat_id


class Blocked(Refused):
    """The user blocked the bot, or the bot was removed from the chat."""


class TopicClosed(Refused):
    """The forum topic is closed; messages go in only after it is reopened."""


class TopicGone(Refused):
    """The forum topic does not exist (someone deleted it): the case needs a new one."""


class NoTopics(Refused):
    """The staff group has no topics, or the bot lacks the "manage topics" right."""


class PictureError(HavenError):
    """A picture a user sent could not be read; the person is told which way, honestly."""


class PictureTooBig(PictureError):
    """The file is over the byte limit, or the picture over the pixel limit."""


class PictureBroken(PictureError):
    """The file is not a picture that can be decoded (corrupt, truncated, another format)."""


class PictureUnavailable(PictureError):
    """Telegram refused the file, or the download failed: the picture never arrived."""
