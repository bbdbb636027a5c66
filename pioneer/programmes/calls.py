"""Calls and invitations (being written)."""
