"""The REST routers of /api/v1, and the operational endpoints outside it."""
