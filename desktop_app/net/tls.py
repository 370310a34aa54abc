"""The TLS trust the app uses for an https:// server and its wss:// socket.

By default: the certificate authorities httpx trusts (certifi's bundle) for REST and the system's
for the socket, as before. With the `ca_file` setting (a PEM file: a company's or a self-signed
server's own CA), that CA is trusted too, by one context shared by REST and the socket; hostname
checks and certificate verification stay on.
"""

from __future__ import annotations

import functools
import ssl
from pathlib import Path

import certifi

from desktop_app.net.errors import ConfigurationError


@functools.cache
def client_context(ca_file: Path) -> ssl.SSLContext:
    """A verifying client context trusting the usual CAs and the one in `ca_file`."""
    context = ssl.create_default_context(cafile=certifi.where())
    try:
        context.load_verify_locations(cafile=str(ca_file))
    except (OSError, ssl.SSLError) as exc:
        raise ConfigurationError(f"cannot use the CA certificate {ca_file}: {exc}") from exc
    return context
