"""The command line: every setting is an option, plus --screenshot and --version."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.app.about import app_version
from desktop_app.settings import Settings, load_settings

# Options whose command-line name differs from the setting's name.
_FLAGS = {"server_url": "--server", "config_file": "--config"}


def build_parser() -> argparse.ArgumentParser:
    """Every setting is an option (`--poll-active-seconds 3`, ...), plus --screenshot/--version.

    Options default to None, so an option not given leaves the environment, the settings file or
    the default in charge (see `desktop_app.settings`)."""
    parser = argparse.ArgumentParser(
        prog="reservations-desktop",
        description="Run your day's bookings, synced in real time.",
        epilog="Each option also reads RESERVATIONS_<NAME> and the settings file; "
        "see docs/configuration.md.",
    )
    for name, info in Settings.model_fields.items():
        flag = _FLAGS.get(name, "--" + name.replace("_", "-"))
        if info.annotation is bool:  # a switch: --demo
            parser.add_argument(
                flag, dest=name, action="store_const", const=True, help=info.description
            )
        else:
            parser.add_argument(flag, dest=name, default=None, help=info.description)
    parser.add_argument(
        "--screenshot",
        type=Path,
        help="render the main window to this PNG after the first successful sync, then exit 0",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {app_version()}")
    return parser


def settings_of(options: argparse.Namespace) -> Settings:
    """The settings with the command line on top; `SettingsError` if any value is unusable."""
    return load_settings(**{name: getattr(options, name) for name in Settings.model_fields})
