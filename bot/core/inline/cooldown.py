"""The cooldown that keeps a busy channel quiet: after an inline answer, the same
channel and the same member get no new one for a while. Pure: the caller says what
time it is (a monotonic clock, in seconds)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Cooldown:
    """At most one new answer per channel, and per member, every *seconds*.

    Memory stays bounded: entries whose time is up are dropped whenever the table
    has grown past :attr:`prune_at` entries."""

    seconds: float
    prune_at: int = 10_000
    _channels: dict[int, float] = field(default_factory=dict)
    _members: dict[int, float] = field(default_factory=dict)

    def allow(self, channel_id: int, member_id: int, now: float) -> bool:
        """Whether an answer may go out now; if so, the cooldown starts for both."""
        if self.seconds <= 0:
            return True
        if (now < self._channels.get(channel_id, float("-inf"))
                or now < self._members.get(member_id, float("-inf"))):
            return False
        until = now + self.seconds
        self._channels[channel_id] = until
        self._members[member_id] = until
        if len(self._channels) + len(self._members) > self.prune_at:
            self._prune(now)
        return True

    def release(self, channel_id: int, member_id: int) -> None:
        """Give back a cooldown :meth:`allow` started, when no answer went out after all."""
        self._channels.pop(channel_id, None)
        self._members.pop(member_id, None)

    def _prune(self, now: float) -> None:
        for table in (self._channels, self._members):
            for key in [k for k, until in table.items() if until <= now]:
                del table[key]
