"""IO building blocks of the desktop app: REST client, WebSocket client, reachability hint,
the embedded server process. Plain async APIs and callbacks; the controller maps them to the
sync engine's inputs."""
