"""PyInstaller entry script of the bundle's `reservations-desktop` executable."""

from desktop_app.launch import main

raise SystemExit(main())
