"""Reservations Desktop: the PySide6 client."""
