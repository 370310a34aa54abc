"""The store's exceptions. A corrupt file is not one of them: it is moved aside, never raised.

StoreError   the store cannot be written or opened now (disk full, locked by another app):
             nothing was half-written; tell the user, keep the data in memory, try again later
"""

from __future__ import annotations


class StoreError(Exception):
    """A read or write failed for a reason other than a corrupt file; nothing was changed."""
