"""`python -m booking_server serve ...`: the same as the `booking-server` command."""

from booking_server.cli import main

raise SystemExit(main())
