"""The booking server: REST + WebSocket over a store and an event bus (docs/protocol.md)."""
