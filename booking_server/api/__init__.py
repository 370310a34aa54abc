"""The HTTP and WebSocket interface: routes, dependencies, problem answers, the socket hub."""
