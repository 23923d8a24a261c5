"""The daily-post state, on both backends: durable, versioned, the ledger's exactly-once
rules, and one leader among the processes sharing it."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from bot.core.daily.backoff import retry_at
from bot.core.daily.schedule import (
    DEFAULT_GRACE,
    Due,
    Schedule,
    Slot,
    Status,
    next_slot,
    plan,
)
from bot.storage.state import DailyState, SqliteState, StateError, open_state
from bot.storage.state.sqlite_schema import SCHEMA_VERSION

UTC = dt.UTC
DAY = dt.date(2026, 5, 1)
SLOT = dt.datetime(2026, 4, 30, 22, 30, tzinfo=UTC)  # 07:30 in Tokyo on 1 May
M = dt.timedelta(minutes=1)


def sched(sid: str = "yaml-1001", source: str = "yaml", **kw: object) -> Schedule:
    kw.setdefault("time", dt.time(7, 30))
    return Schedule(sid, source, 1001, timezone="Asia/Tokyo", **kw)  # type: ignore[arg-type]


def opened(location: str) -> DailyState:
    """The state, leading (as the bot's only process would)."""
    st = open_state(location)
    assert st.try_lead()
    return st


@pytest.fixture
def state(state_location: str) -> DailyState:
    with opened(state_location) as st:
        yield st  # type: ignore[misc]


def due_now(st: DailyState, schedules: list[Schedule], now: dt.datetime) -> list[Due]:
    return plan(now, schedules, st.snapshot(), DEFAULT_GRACE).due


def test_new_file_is_created_in_wal_mode_at_the_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "state.db"
    with SqliteState(path) as st:
        assert st.previous_version == 0
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    with SqliteState(path) as st:  # reopening migrates nothing
        assert st.previous_version == SCHEMA_VERSION


def test_a_file_from_a_newer_bot_or_not_a_database_is_refused(tmp_path: Path) -> None:
    newer = tmp_path / "newer.db"
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StateError, match="newer than this bot"):
        SqliteState(newer)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StateError, match="not a usable database"):
        SqliteState(junk)


def test_one_post_begin_confirm_and_the_deck_moves_with_it(state: DailyState) -> None:
    s = [sched()]
    (due,) = due_now(state, s, SLOT)
    attempt = state.begin(due, 1001, SLOT)
    assert attempt is not None and (attempt.nonce, attempt.resend) == (due.nonce, False)
    assert state.rotation("yaml-1001") is None
    assert state.confirm(
        "yaml-1001", DAY, message_id=555, channel_id=1001, guild_id=42,
        rotation={"order": ["a", "b"], "position": 1}, now=SLOT,
    )  # fmt: skip
    assert state.rotation("yaml-1001") == {"order": ["a", "b"], "position": 1}
    assert due_now(state, s, SLOT + M) == []
    assert state.begin(due, 1001, SLOT + M) is None  # a stale plan cannot post twice
    row = state.status()["yaml-1001"]
    assert (row.last_status, row.sent_date) == (Status.SENT, DAY)
    assert row.jump_url == "https://discord.com/channels/42/1001/555"


def test_confirm_twice_does_not_advance_the_deck_twice(state: DailyState) -> None:
    (due,) = due_now(state, [sched()], SLOT)
    state.begin(due, 1001, SLOT)
    kw = {"message_id": 1, "channel_id": 1001, "guild_id": 42, "now": SLOT}
    assert state.confirm("yaml-1001", DAY, rotation={"position": 1}, **kw)  # type: ignore[arg-type]
    assert not state.confirm("yaml-1001", DAY, rotation={"position": 2}, **kw)  # type: ignore[arg-type]
    assert state.rotation("yaml-1001") == {"position": 1}


def test_crash_between_send_and_confirm_resends_with_the_same_nonce(state_location: str) -> None:
    path = state_location
    s = [sched()]
    with opened(path) as st:
        (due,) = due_now(st, s, SLOT)
        first = st.begin(due, 1001, SLOT)
        # ... the card is sent; the process is killed before confirm ...
    with opened(path) as st:
        assert st.snapshot()["yaml-1001"].status is Status.PENDING
        (again,) = due_now(st, s, SLOT + M)
        assert again.resend and again.nonce == due.nonce and not again.check_history
        attempt = st.begin(again, 1001, SLOT + M)
        assert first is not None and attempt is not None
        assert (attempt.nonce, attempt.resend, attempt.attempt) == (first.nonce, True, 2)
        assert attempt.first_tried_at == SLOT  # where to look for an earlier copy
        st.confirm(
            "yaml-1001", DAY, message_id=9, channel_id=1001, guild_id=42,
            rotation={"position": 1}, now=SLOT + M,
        )  # fmt: skip
        assert st.rotation("yaml-1001") == {"position": 1}
        assert due_now(st, s, SLOT + 2 * M) == []


def test_failures_keep_the_deck_show_in_status_and_are_retried(state: DailyState) -> None:
    s = [sched()]
    (due,) = due_now(state, s, SLOT)
    state.begin(due, 1001, SLOT)
    assert state.fail(
        "yaml-1001", DAY, error="403 Forbidden: Missing Access",
        next_retry_at=retry_at(SLOT, 1, True), permanent=True, now=SLOT,
    )  # fmt: skip
    row = state.status()["yaml-1001"]
    assert (row.last_status, row.last_error, row.permanent) == (
        Status.FAILED, "403 Forbidden: Missing Access", True,
    )  # fmt: skip
    assert row.sent_date is None and row.jump_url is None
    assert state.rotation("yaml-1001") is None
    assert due_now(state, s, SLOT + 29 * M) == []
    (retry,) = due_now(state, s, SLOT + 30 * M)
    assert retry.retry and retry.nonce == due.nonce and not retry.resend
    attempt = state.begin(retry, 1001, SLOT + 30 * M)
    assert attempt is not None and attempt.attempt == 2 and not attempt.resend


def test_ambiguous_failure_asks_the_next_late_retry_to_check_the_channel(
    state: DailyState,
) -> None:
    s = [sched()]
    (due,) = due_now(state, s, SLOT)
    state.begin(due, 1001, SLOT)
    state.fail(
        "yaml-1001", DAY, error="timeout", next_retry_at=SLOT + 4 * M,
        permanent=False, now=SLOT, uncertain=True,
    )  # fmt: skip
    (retry,) = due_now(state, s, SLOT + 4 * M)
    assert retry.check_history and not retry.resend


def test_repeated_errors_are_logged_once(
    state: DailyState, caplog: pytest.LogCaptureFixture
) -> None:
    s = [sched()]
    now = SLOT
    for _ in range(4):
        (due,) = due_now(state, s, now)
        state.begin(due, 1001, now)
        state.fail(
            "yaml-1001", DAY, error="503 Service Unavailable",
            next_retry_at=now + M, permanent=False, now=now,
        )  # fmt: skip
        now += 2 * M
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "503" in warnings[0].getMessage()


def test_skip_marks_the_next_slot_but_never_one_being_sent(state: DailyState) -> None:
    s = sched()
    now = SLOT - 60 * M
    slot = next_slot(now, s, state.snapshot().get(s.id))
    assert slot is not None and slot.local_date == DAY
    assert state.skip(slot, now)
    assert due_now(state, [s], SLOT) == []
    nxt = next_slot(SLOT, s, state.snapshot().get(s.id))
    assert nxt is not None and nxt.local_date == DAY + dt.timedelta(days=1)
    (due,) = due_now(state, [s], nxt.at)
    state.begin(due, 1001, nxt.at)
    assert not state.skip(nxt, nxt.at)  # pending: it may be in the channel already


def test_missed_slot_is_recorded_once(state: DailyState) -> None:
    s = [sched(since=SLOT - 60 * M)]
    result = plan(SLOT + 13 * 60 * M, s, state.snapshot(), DEFAULT_GRACE)
    (missed,) = result.missed
    assert state.mark_missed(missed, SLOT + 13 * 60 * M)
    assert not state.mark_missed(missed, SLOT + 13 * 60 * M)
    assert plan(SLOT + 13 * 60 * M, s, state.snapshot(), DEFAULT_GRACE).missed == []
    assert state.status()[s[0].id].last_status is Status.MISSED


def test_command_schedules_persist_across_reopen(state_location: str) -> None:
    path = state_location
    made = sched("cmd-2002", "command", topic="security", days=frozenset({0, 2, 4}))
    created = SLOT + 60 * M
    with opened(path) as st:
        st.save_schedule(made, created)
    with opened(path) as st:
        (got,) = st.schedules([], created + 60 * M)
        assert got.id == "cmd-2002" and got.source == "command"
        assert (got.time, got.timezone, got.days, got.topic) == (
            dt.time(7, 30), "Asia/Tokyo", frozenset({0, 2, 4}), "security",
        )  # fmt: skip
        assert got.since == created  # made at 08:30: today's 07:30 is not caught up
        st.save_schedule(sched("cmd-2002", "command", time=dt.time(9, 0)), created + 5 * M)
        (edited,) = st.schedules([], created + 60 * M)
        assert edited.time == dt.time(9, 0) and edited.since == created
        assert st.remove_schedule("cmd-2002")
        assert not st.remove_schedule("cmd-2002")
        assert st.schedules([], created) == []


def test_save_refuses_config_schedules(state: DailyState) -> None:
    with pytest.raises(ValueError, match="command-made"):
        state.save_schedule(sched(), SLOT)


def test_config_schedules_start_when_first_seen_and_pause_persists(
        state_location: str) -> None:
    path = state_location
    first = SLOT + 120 * M
    with opened(path) as st:
        (s,) = st.schedules([sched()], first)
        assert s.since == first and not s.paused
        assert plan(first, [s], st.snapshot()).due == []  # added after today's slot
        assert st.set_paused(s.id, True, first)
        assert not st.set_paused(s.id, True, first)
    with opened(path) as st:
        (s,) = st.schedules([sched()], first + 60 * M)
        assert s.paused and s.since == first
        resumed = first + 24 * 60 * M
        assert st.set_paused(s.id, False, resumed)
        (s,) = st.schedules([sched()], resumed)
        assert not s.paused and s.since == resumed


def test_a_simulated_fortnight_through_the_real_file(state_location: str) -> None:
    """plan() and the state together: one post per day, the deck advancing daily."""
    path = state_location
    now = SLOT - 60 * M
    posts: list[dt.date] = []
    with opened(path) as st:
        config = [sched()]
        for _ in range(2000):
            schedules = st.schedules(config, now)
            result = plan(now, schedules, st.snapshot())
            for due in result.due:
                attempt = st.begin(due, 1001, now)
                assert attempt is not None
                deck = st.rotation(due.schedule_id) or {"position": 0}
                posts.append(due.local_date)
                st.confirm(
                    due.schedule_id, due.local_date, message_id=len(posts), channel_id=1001,
                    guild_id=42, rotation={"position": deck["position"] + 1}, now=now,
                )  # fmt: skip
            if not result.due:
                now = result.wake_at
            if now >= SLOT + 14 * 24 * 60 * M - M:
                break
        assert posts == [DAY + dt.timedelta(days=i) for i in range(14)]
        assert st.rotation("yaml-1001") == {"position": 14}


def test_one_process_leads_and_the_other_cannot_claim_a_post(state_location: str) -> None:
    with opened(state_location) as first, open_state(state_location) as second:
        assert first.leading and not second.try_lead() and not second.leading
        (due,) = due_now(second, [sched()], SLOT)
        assert second.begin(due, 1001, SLOT) is None  # standby: never sends
        assert second.snapshot() == {}
        assert second.leader()  # it can say who leads
        attempt = first.begin(due, 1001, SLOT)
        assert attempt is not None
        # The standby still serves the admin commands on the shared state.
        second.save_schedule(sched("cmd-2002", "command"), SLOT)
        assert [s.id for s in first.schedules([], SLOT)] == ["cmd-2002"]
        assert not second.skip(Slot("yaml-1001", DAY, SLOT, due.nonce), SLOT)  # being sent
        first.close()  # the leader stops (a crash drops the lock the same way)
        assert second.try_lead() and second.leading
        (again,) = due_now(second, [sched()], SLOT + M)
        assert again.resend and again.nonce == due.nonce  # the same post, not a second one
        assert second.begin(again, 1001, SLOT + M) is not None


def test_a_newer_postgresql_schema_is_refused() -> None:
    import psycopg

    from bot.storage.state.postgresql_schema import SCHEMA_VERSION as PG_VERSION
    from tests.pgkit import fresh_database

    with fresh_database() as state_location, opened(state_location) as st:
        assert st.previous_version == 0
        st.close()
        with psycopg.connect(state_location, autocommit=True) as conn:
            conn.execute("INSERT INTO schema_migrations (version) VALUES (%s)",
                         (PG_VERSION + 1,))
        with pytest.raises(StateError, match="newer than this bot"):
            open_state(state_location)


def test_a_postgresql_leader_whose_connection_drops_reconnects_and_leads_again() -> None:
    import psycopg

    from tests.pgkit import fresh_database

    with fresh_database() as url, opened(url) as st:
        with psycopg.connect(url, autocommit=True) as admin:  # the server ends the session
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                          " WHERE application_name LIKE 'bluebook-bot%'")
        with pytest.raises(StateError, match="cannot check the lead"):
            st.try_lead()  # noticed, and no longer leading: nothing is posted meanwhile
        assert not st.leading
        assert st.try_lead()  # a new session takes the lock again
        (due,) = due_now(st, [sched()], SLOT)
        assert st.begin(due, 1001, SLOT) is not None
