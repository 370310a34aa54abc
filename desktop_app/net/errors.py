"""The network layer's exceptions, one root split by what the caller should do.

Translated at the edge from httpx / websockets / subprocess errors, so callers never see those::

    NetError
    ├── TransportError       retry later, with backoff: refused, reset, DNS, timeouts, 5xx at login
    │   └── RequestTimeoutError  the same, the request (connect/read/write/pool) timed out
    ├── AuthError            the server refused the credentials or the token: sign in again
    ├── ProtocolError        the server answered outside the protocol: do not retry, report a bug
    ├── ConfigurationError   the server URL (or another setting) is unusable: fix the settings
    └── EmbeddedServerError  the embedded server could not be started
"""

from __future__ import annotations


class NetError(Exception):
    """Root of every error the network layer raises."""


class TransportError(NetError):
    """The request may not have reached the server, or its reply was lost: retrying is safe
    for idempotent requests and for mutations that carry their Idempotency-Key."""


class RequestTimeoutError(TransportError):
    """No answer in time (connect, read, write or pool timeout)."""


class AuthError(NetError):
    """The server refused the username/password or the token (HTTP 401)."""


class ProtocolError(NetError):
    """The server's answer does not follow docs/protocol.md (bad JSON, unexpected status)."""


class ConfigurationError(NetError):
    """A setting (server URL, scheme) cannot work; retrying will not help."""


class EmbeddedServerError(NetError):
    """The embedded booking server did not start; the message carries its stderr tail."""
