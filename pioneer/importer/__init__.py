"""Importing catalogues: parse a file into drafts, then apply the drafts to the database."""

from ..domain.records import project_record
from .apply import Importer, ImportReport, MentorRef
from .export import export_csv, export_json, export_markdown, projects_to_export
from .json_format import JsonFormatError, parse_json
from .preview import preview_lines
from .wiki import ParseResult, ProjectDraft, parse_wiki

__all__ = [
    "ImportReport",
    "Importer",
    "JsonFormatError",
    "MentorRef",
    "ParseResult",
    "ProjectDraft",
    "export_csv",
    "export_json",
    "export_markdown",
    "parse_json",
    "parse_wiki",
    "preview_lines",
    "project_record",
    "projects_to_export",
]
