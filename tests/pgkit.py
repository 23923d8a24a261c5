"""A throwaway PostgreSQL database per test, on the server named by $BLUEBOOK_TEST_POSTGRESQL.

Without that variable the PostgreSQL tests skip, saying how to run them (``bash
.ci/run`` starts a server and sets it); with $BLUEBOOK_REQUIRE_POSTGRESQL=1, as
in CI, a missing or unreachable server fails them instead, so CI cannot pass
by skipping them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

PG_ENV = "BLUEBOOK_TEST_POSTGRESQL"  # e.g. postgresql://postgres@127.0.0.1:5433/postgres
REQUIRE_ENV = "BLUEBOOK_REQUIRE_POSTGRESQL"


def _unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"PostgreSQL is required here (${REQUIRE_ENV}=1): {reason}")
    pytest.skip(reason)


def admin_url() -> str:
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        _unavailable(f"no PostgreSQL server: set ${PG_ENV} to a superuser URL on 127.0.0.1 "
                     "(bash .ci/run starts one)")
    return url


def with_database(url: str, name: str) -> str:
    from urllib.parse import quote

    from psycopg import conninfo

    parts = conninfo.conninfo_to_dict(url)
    parts["dbname"] = name
    query = "&".join(f"{k}={quote(str(v))}" for k, v in parts.items() if v is not None)
    return f"postgresql://?{query}"


@contextmanager
def fresh_database() -> Iterator[str]:
    """A new, empty database (dropped afterwards, connections and all); its URL."""
    import psycopg

    admin = admin_url()
    name = f"bbtest_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        _unavailable(f"cannot reach ${PG_ENV}: {exc}")
    try:
        yield with_database(admin, name)
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
