"""Accounts: register, sign in and out, the account pages; sessions, passwords and throttling."""
