"""Accounts: who is signed in, passwords, and creating people."""
