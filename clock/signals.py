"""Signals the clock sends to the rest of the service."""

from django.dispatch import Signal

# Sent after the transaction that added or removed a closure or opening commits. Keyword arguments:
# calendar_name (str), day (date), kind ("closure" | "opening"), change ("added" | "removed").
# Receivers recompute stored due dates of requests counted on that calendar.
calendar_changed = Signal()
