"""Shared test helpers: a real booking server (subprocess or in-process uvicorn), its fixtures."""
