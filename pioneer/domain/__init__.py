"""The domain: the rules of the catalogue, below every page (docs/architecture.md).

Modules here use the models and the database only: no request, no template, no page package.
They change objects and never commit; the request or command that called them commits.
"""
