"""Accounts on PostgreSQL, below the HTTP layer: a password reset revokes every token but the one
kept, a disabled account's tokens stop working and it is listed as disabled, enabling it again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio

from booking_core.events import BookingUpdated
from booking_core.models import Role
from booking_server.store import UserRecord
from booking_server.store.postgres import PostgresStore

pytestmark = pytest.mark.asyncio
NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=1)


async def _ignore(events: list[BookingUpdated]) -> None:
    return None


@pytest_asyncio.fixture
async def store(postgres_url: str) -> AsyncIterator[PostgresStore]:
    opened = PostgresStore(postgres_url, _ignore)
    await opened.open()
    await opened.add_user(UserRecord("u1", "mia", Role.MASTER, "Mia", "old-hash"))
    for name in ("t1", "t2", "t3"):
        await opened.add_token(name, "u1", LATER)
    yield opened
    await opened.close()


async def test_a_password_reset_revokes_every_token_but_the_kept_one(store: PostgresStore) -> None:
    assert sorted(await store.set_password("u1", "new-hash", keep_token="t2")) == ["t1", "t3"]
    user = await store.user_by_name("mia")
    assert user is not None
    assert user.password_hash == "new-hash"
    assert await store.token_user("t1", NOW) is None
    assert await store.token_user("t2", NOW) == user
    assert sorted(await store.revoked_within(3600)) == ["t1", "t3"]


async def test_a_disabled_account_is_shut_out_until_enabled(store: PostgresStore) -> None:
    assert sorted(await store.set_disabled("u1", True, NOW)) == ["t1", "t2", "t3"]
    [listed] = await store.users()
    assert listed.disabled
    assert await store.token_user("t1", NOW) is None
    assert await store.set_disabled("u1", False, NOW) == []
    user = await store.user_by_name("mia")
    assert user is not None
    assert not user.disabled
    await store.add_token("t4", "u1", LATER)
    assert await store.token_user("t4", NOW) == user
