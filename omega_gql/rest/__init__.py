"""The REST shim: every model under ``/api/`` with Django REST framework's conventions."""

from __future__ import annotations

from .views import RestAPI

__all__ = ["RestAPI"]
