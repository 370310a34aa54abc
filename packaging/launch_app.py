"""PyInstaller entry script of the bundle's `reservations-desktop` executable."""

from desktop_app.app import main

raise SystemExit(main())
