"""PyInstaller entry script of the bundle's `booking-server` executable, which the frozen app
starts as its embedded server (the app never imports the server: import-linter keeps them apart)."""

from booking_server.cli import main

raise SystemExit(main())
