"""Admins' pages: accounts and their roles."""
