"""Realtime: live reads shared by every subscriber of the same request, woken by change
events. The GraphQL surface serves them over WebSocket."""

from __future__ import annotations

from .broadcast import Broadcast, Listener, RedisBroadcast
from .hub import Live, LiveHub, Sink

__all__ = ["Broadcast", "Listener", "Live", "LiveHub", "RedisBroadcast", "Sink"]
