"""Rounds and interns (being written)."""
