"""Instrument versions loaded by a partnership, households, identifications, outcomes, shares
and reviews."""

__all__: list[str] = []
