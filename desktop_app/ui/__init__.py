"""The Qt face of the app: the bookings table model, the main window, dialogs and status widgets."""
