"""`python -m desktop_app`: the app, as `reservations-desktop` starts it (the login session's
autostart entry uses it when the command is not installed)."""

import sys

from desktop_app.launch import main

sys.exit(main())
