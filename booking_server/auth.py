"""Passwords (scrypt with a per-user salt) and bearer tokens (random, stored only as a hash)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import secrets

# scrypt cost: ~30 ms and 16 MiB per check here, run off the event loop.
_N, _R, _P, _LEN = 2**14, 8, 1, 32


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=_LEN)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def hash_password_sync(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, _N, _R, _P)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def verify_password_sync(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, base64.b64decode(digest))


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(hash_password_sync, password)


async def verify_password(password: str, stored: str) -> bool:
    return await asyncio.to_thread(verify_password_sync, password, stored)


# Checked against when the username is unknown, so the answer takes as long either way.
DUMMY_HASH = hash_password_sync(secrets.token_hex(8))


def new_token() -> str:
    # 192 random bits, 32 characters: far beyond guessing, and short, since every request of a
    # polling client carries it (an unchanged delta poll is ~190 bytes both ways).
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    """Tokens are stored hashed: a copy of the database does not let anyone sign in."""
    return hashlib.sha256(token.encode()).hexdigest()
