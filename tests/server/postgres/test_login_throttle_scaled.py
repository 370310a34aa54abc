"""The login throttle is shared by the processes of one deployment (Redis): failures counted on
one process block the account on another."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx

from tests.support.services import ScaledServer, fresh_database


def test_failures_on_one_process_block_the_account_on_another(
    tmp_path: Path, redis_url: str
) -> None:
    prefix = f"test:{uuid.uuid4().hex}:"
    with fresh_database() as database:
        first = ScaledServer(tmp_path / "a", database, redis_url=redis_url, redis_prefix=prefix)
        second = ScaledServer(
            tmp_path / "b", database, redis_url=redis_url, redis_prefix=prefix, demo=False
        )
        with first, second:
            body = {"username": "carl", "password": "guess"}
            for _ in range(5):
                assert httpx.post(f"{first.api_url}/auth/login", json=body).status_code == 401
            refused = httpx.post(f"{second.api_url}/auth/login", json=body)
            assert refused.status_code == 429, refused.text
            assert refused.headers["retry-after"] == "1"
