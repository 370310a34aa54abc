"""`python -m tests.support.tls_server DATABASE_URL PORT CERTFILE KEYFILE`: the booking server
with demo data on 127.0.0.1, serving TLS (uvicorn's ssl options), announcing `listening on
https://…` as `booking-server serve` does."""

from __future__ import annotations

import asyncio
import sys

from booking_server.app import create_app
from booking_server.server import announce, make_server
from booking_server.settings import Settings


def main(argv: list[str]) -> int:
    database_url, port, cert_file, key_file = argv
    settings = Settings(host="127.0.0.1", port=int(port), database_url=database_url, demo=True)
    server = make_server(
        create_app(settings),
        settings,
        on_listening=lambda url: announce(url.replace("http://", "https://", 1)),
    )
    server.config.ssl_certfile = cert_file
    server.config.ssl_keyfile = key_file
    asyncio.run(server.serve())
    return 0 if server.started else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
