"""Any Markdown is safe to import: parse_wiki never crashes, and what it returns is well formed."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pioneer.importer import parse_wiki
from pioneer.models import Stars, TimeRating
from pioneer.text import slugify

FRAGMENTS = [
    "#", "##", "###", "####", "# ", "## ", "### ", "#### ", "##### ", "###### ", "**", "__", "*", "- ", "* ", "1. ",
    "|", "| --- |", "|---|---|", "```", "~~~", "[", "]", "(", ")", "[@ann][]", "[@ann]: https://github.com/ann",
    "[x](mailto:a@b.c)", "[x](javascript:alert(1))", "https://example.org", "@handle", ":", "::", "Difficulty:",
    "**Difficulty:**", "Mentors:", "Mentor(s):", "Expected size of project:", "Project size:", "Skills required:",
    "Expected outcomes:", "Intensity", "Involves", "Project", "Title", "Time:", "Stars:", "Hours:", "Status:",
    "Outcomes:", "Repository:", "How to apply", "Past editions", "Template", "Possible projects:", "Abstract",
    "Medium (175 hours)", "Large projects", "easy", "medium to hard", "3/5", "0/0", "99/5", "★★★", "☆",
    "175 hours", "90 or 175 hours", "2 weeks", "9999 months", "TBD", "To be confirmed", "-", "N/A", "(", "((",
    "Name (GitHub: @x, Email: y@z.org)", "<br>", "<!--", "-->", "\\|", "\t", "  ", "é", "日本語", "\u202e", "\x00",
    "\r", "\n", "\n\n", "(3-star)", "[Taken in 2024]", "3.", "3)",
]

markdown = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=80).map("".join)
lines = st.lists(
    st.lists(st.sampled_from(FRAGMENTS), max_size=6).map(" ".join), max_size=60
).map("\n".join)


def check(text):
    result = parse_wiki(text)
    count = len(text.splitlines()) or 1
    slugs = [project.slug for project in result.projects]
    assert len(slugs) == len(set(slugs)) and all(slugs)
    for project in result.projects:
        assert project.title and slugify(project.title)
        assert project.stars is None or isinstance(project.stars, Stars)
        assert project.time_rating is None or isinstance(project.time_rating, TimeRating)
        assert len(project.mentors) == len(project.mentor_details)
        assert all(name and "\x00" not in name for name in project.mentors)
        assert isinstance(project.description, str) and isinstance(project.summary, str)
        for _, level, required in project.skills:
            assert level is not None and required in (True, False)
    for report in [*result.problems, *result.skipped]:
        assert 1 <= report.line <= count
        assert str(report).startswith(f"line {report.line}: ")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown)
def test_arbitrary_markdown_never_crashes_the_parser(text):
    check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines)
def test_pages_made_of_real_looking_lines_never_crash_the_parser(text):
    check(text)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_never_crashes_the_parser(text):
    check(text)
