"""Haven's exceptions, all under one base so callers can catch what is ours.

HavenError
├── ConfigError          a setting is missing or malformed; start-up stops with its message
├── EngineError          the Rasa engine could not answer
│   └── EngineUnavailable  it is down, or slower than the configured timeout
├── ServiceError         a managed process (engine, action server) failed to start
│   └── PortInUse          its port is already taken
├── StoreError           the case store refused an operation
│   └── CaseNotFound       no case with that number
├── DeliveryError        Telegram (or the way to it) did not take a send or a delete; try again
│   ├── RetryLater         Telegram asked to wait ``seconds`` first (HTTP 429)
│   └── DeliveryRefused    Telegram refused it as it is (bad request, bot blocked)
├── DataFileError        a staff-edited file in content/ cannot be used; the message names the
│   │                    file and the entry
│   ├── FactsError         facts.yml or countries.yml; a reload keeps the last good version
│   ├── SafetyNetError     safety_net.yml
│   └── JobFlagsError      job_flags.yml
└── NotAuthorized        someone outside the staff group tried a staff action
"""

from __future__ import annotations


class HavenError(Exception):
    """Base of every error Haven raises on purpose."""


class ConfigError(HavenError):
    """A setting is missing or malformed."""


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


class DeliveryError(HavenError):
    """Telegram did not take a send or a delete; trying again later may work."""


class RetryLater(DeliveryError):
    """Telegram asked to wait before the next try."""

    def __init__(self, message: str, seconds: float) -> None:
        """Keep the wait Telegram asked for, in seconds."""
        super().__init__(message)
        self.seconds = seconds


class DeliveryRefused(DeliveryError):
    """Telegram refused the request as it is (bad request, bot blocked by the user)."""


class DataFileError(HavenError):
    """A staff-edited data file cannot be used; the message names the file and the entry."""


class FactsError(DataFileError):
    """The facts or place-names file is malformed."""


class SafetyNetError(DataFileError):
    """The safety net lexicon is malformed."""


class JobFlagsError(DataFileError):
    """The job red-flag texts are malformed."""


class NotAuthorized(HavenError):
    """A staff action came from someone who is not staff."""
