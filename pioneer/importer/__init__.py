"""Importing catalogues: parse a file into drafts, then apply the drafts to the database."""

from .apply import Importer, ImportReport
from .wiki import ParseResult, ProjectDraft, parse_wiki

__all__ = ["ImportReport", "Importer", "ParseResult", "ProjectDraft", "parse_wiki"]
