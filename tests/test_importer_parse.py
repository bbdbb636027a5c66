"""Reading a wiki page of projects: what a person importing their page gets back from `parse_wiki`.

These tests call the parser directly on small pages shaped like real wiki copies (bold labels, list
items, odd spacing, Unicode titles): no app and no database. tests/test_importer.py covers the
`pioneer import` command around it.
"""

import textwrap

import pytest

from pioneer.importer.wiki import Problem, parse_wiki
from pioneer.models import LinkKind, ProjectStatus, SkillLevel, Stars, TimeRating

STATUS_CHOICES = "draft, proposed, changes requested, rejected, available, in progress, done, archived"
TIME_CHOICES = "a day, a week, a few weeks, a season, an internship"
LEVEL_CHOICES = "none needed, concepts, some experience, comfortable, a challenge"


def parse(text):
    """Parse a page written as an indented triple-quoted string."""
    return parse_wiki(textwrap.dedent(text).lstrip("\n"))


def page(*lines):
    """A page given line by line, to keep its spacing exact."""
    return "\n".join(lines)


def messages(result):
    return [str(problem) for problem in result.problems]


def only_project(text):
    """The one project of a page that reads without problems."""
    result = parse(text)
    assert messages(result) == []
    assert len(result.projects) == 1
    return result.projects[0]


def project_with(*lines, title="### Ethernet bridge"):
    """A page of one project whose body is lines; returns (project, problem messages)."""
    result = parse_wiki(page("## Networking", title, "A bridge between two interfaces.", "", *lines))
    assert len(result.projects) == 1
    return result.projects[0], messages(result)


# --- Headings: areas, titles, levels -------------------------------------------------------------


def test_a_page_reads_areas_titles_and_the_text_of_each_project():
    result = parse(
        """
        # Starter projects (wiki copy)

        Copied from the old wiki; ask in the chat room if anything looks stale.

        ## Networking

        ###   ICMP echo   rate limiter   (2-star)

        Rate-limit echo replies. Make the rate configurable.

        ## Storage

        ### Café résumé store
        Keep résumés in a café.
        """
    )
    assert result.problems == []
    assert [(p.title, p.area, p.line) for p in result.projects] == [
        ("ICMP echo rate limiter", "Networking", 7),
        ("Café résumé store", "Storage", 13),
    ]
    first, second = result.projects
    assert first.stars == Stars.TWO
    assert first.description == "Rate-limit echo replies. Make the rate configurable."
    assert second.stars is None
    assert second.slug == "cafe-resume-store"
    assert second.description == "Keep résumés in a café."


def test_the_introduction_before_the_first_project_belongs_to_no_project():
    result = parse(
        """
        Some words before any heading.
        Mentors: Nobody Here
        ## Tooling
        An area's introduction.
        ### Compiler pass
        The pass itself.
        """
    )
    [project] = result.projects
    assert project.description == "The pass itself."
    assert project.mentors == []
    assert result.problems == []


def test_a_project_before_any_area_heading_has_no_area():
    project = only_project(
        """
        ### Lonely project
        Text.
        """
    )
    assert project.area is None
    assert project.title == "Lonely project"


def test_area_names_and_titles_have_their_spacing_tidied():
    result = parse_wiki("##   Operating    systems  ##\n###  Boot   loader  ###\nText.\n")
    [project] = result.projects
    assert (project.area, project.title) == ("Operating systems", "Boot loader")


def test_a_top_level_heading_ends_the_project_and_makes_none():
    result = parse(
        """
        ## Networking
        ### First project
        Its text.
        # Archive
        Old text that belongs to nobody.
        ### Second project
        More text.
        """
    )
    assert [p.title for p in result.projects] == ["First project", "Second project"]
    first, second = result.projects
    assert first.description == "Its text."
    assert second.area == "Networking"  # A `#` heading leaves the area as it was.


def test_deeper_headings_are_part_of_the_description():
    project = only_project(
        """
        ### Packet capture
        Capture packets.
        #### Hints
        Look at the pcap format.
        """
    )
    assert project.description == "Capture packets.\n#### Hints\nLook at the pcap format."


def test_an_area_heading_without_a_name_is_reported_and_the_projects_below_have_no_area():
    result = parse_wiki("## Networking\n### One\nx\n##\n### Two\ny\n")
    assert [(p.title, p.area) for p in result.projects] == [("One", "Networking"), ("Two", None)]
    assert messages(result) == ["line 4: an area heading (##) with no name; the projects below keep no area"]


@pytest.mark.parametrize("heading", ["###", "###   ", "### (3-star)", "### ★★"])
def test_a_project_heading_without_a_title_is_reported_and_its_text_skipped(heading):
    result = parse_wiki(f"## Storage\n### Kept project\nKept text.\n{heading}\nLost text.\nMentors: Soren\n")
    [project] = result.projects
    assert project.title == "Kept project"
    assert project.description == "Kept text."
    assert project.mentors == []
    assert messages(result) == ["line 4: a project heading (###) with no title; skipped up to the next heading"]


def test_a_title_without_letters_or_digits_is_reported_and_skipped():
    result = parse_wiki("## Storage\n### 日本語\nText.\nMentors: Ann\n### Next one\nNext text.\n")
    assert [p.title for p in result.projects] == ["Next one"]
    assert result.projects[0].description == "Next text."
    assert messages(result) == [
        "line 2: the title '日本語' has no letters or digits to make an address from; skipped"
    ]


def test_a_second_project_with_the_same_address_is_reported_and_skipped():
    result = parse(
        """
        ## Storage

        ### Disk tool (2-star)
        The first one.

        ### Disk  Tool!
        The second one.
        Mentors: Ann
        """
    )
    [project] = result.projects
    assert (project.title, project.description, project.mentors) == ("Disk tool", "The first one.", [])
    assert messages(result) == ["line 6: 'Disk Tool!' has the same address as the project on line 3; skipped"]


def test_windows_line_endings_and_trailing_spaces_are_read():
    result = parse_wiki("## Net  \r\n### Echo   (1-star)   \r\nFirst line.   \r\nSecond line.\r\nTime: a day  \r\n")
    [project] = result.projects
    assert (project.area, project.title, project.stars) == ("Net", "Echo", Stars.ONE)
    assert project.description == "First line.\nSecond line."
    assert project.time_rating == TimeRating.DAY


# --- Stars in the heading --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "title", "stars"),
    [
        ("### Echo server (1-star)", "Echo server", Stars.ONE),
        ("### Echo server (5-star)", "Echo server", Stars.FIVE),
        ("### Echo server (3 stars)", "Echo server", Stars.THREE),
        ("### Echo server ( 2 - Star )", "Echo server", Stars.TWO),
        ("### Echo server (★★★)", "Echo server", Stars.THREE),
        ("### Echo server ★★★★", "Echo server", Stars.FOUR),
        ("### Echo server ★", "Echo server", Stars.ONE),
        ("### Echo server (★★☆☆☆)", "Echo server", Stars.TWO),
        ("### Echo server ★★★☆☆", "Echo server", Stars.THREE),
        ("### Xen console – (2-star)", "Xen console", Stars.TWO),
        ("### Xen console: ★★", "Xen console", Stars.TWO),
        ("### Xen console - (4-star)", "Xen console", Stars.FOUR),
        ("### Über-fast TCP ★★", "Über-fast TCP", Stars.TWO),
        ("### Echo server", "Echo server", None),
        ("### Echo server (unrated)", "Echo server", None),
        ("### Echo server (Not Rated)", "Echo server", None),
        ("### Echo server (UNRATED)", "Echo server", None),
        ("### Xen stars", "Xen stars", None),
    ],
)
def test_stars_are_read_off_the_end_of_the_heading(heading, title, stars):
    project, problems = project_with(title=heading)
    assert (project.title, project.stars) == (title, stars)
    assert problems == []


@pytest.mark.parametrize(
    ("heading", "value"),
    [("### Echo server (0-star)", "0"), ("### Echo server (6-star)", "6"), ("### Echo server (☆☆☆)", "☆☆☆")],
)
def test_stars_outside_one_to_five_leave_the_project_unrated_and_are_reported(heading, value):
    project, problems = project_with(title=heading)
    assert (project.title, project.stars) == ("Echo server", None)
    assert problems == [f"line 2: {value!r} is not a star rating from 1 to 5; the project is left unrated"]


# --- Labelled lines -------------------------------------------------------------------------------


def test_labels_are_read_in_bold_in_list_items_and_in_any_case():
    project = only_project(
        """
        ## Networking
        ### VLAN tagging
        Support 802.1Q tags.

        **Mentors:** Olga Brandt
        - TIME: a week
        __Status__: in progress
        * **Skills**: ocaml
        +  Repo :  https://example.org/vlan
        Time  Rating : a few weeks
        """
    )
    assert project.mentors == ["Olga Brandt"]
    assert project.time_rating == TimeRating.FEW_WEEKS
    assert project.status == ProjectStatus.IN_PROGRESS
    assert project.skills == [("ocaml", SkillLevel.CONCEPTS, True)]
    assert project.links == [(LinkKind.REPOSITORY, "https://example.org/vlan", "")]
    assert project.description == "Support 802.1Q tags."


def test_lines_with_unknown_labels_stay_in_the_description():
    project = only_project(
        """
        ### Path MTU discovery
        Large segments are dropped.
        Note: ask Femi first.
        Prerequisites: none.
        """
    )
    assert project.description == "Large segments are dropped.\nNote: ask Femi first.\nPrerequisites: none."
    assert project.summary == "Large segments are dropped."


def test_the_description_keeps_its_paragraphs_and_indentation_without_blank_edges():
    [project] = parse_wiki(
        page(
            "### Syslog reporter",
            "",
            "",
            "Send log lines over UDP.   ",
            "Reuse the old branch.",
            "",
            "    logger.send(line)",
            "",
            "Mentors: Lucia",
        )
    ).projects
    assert project.description == "Send log lines over UDP.\nReuse the old branch.\n\n    logger.send(line)"


# --- Summary ---------------------------------------------------------------------------------------


def test_an_explicit_summary_is_kept_over_the_first_sentence():
    project, _ = project_with("Summary:   A bridge, in one plain line.  ")
    assert project.summary == "A bridge, in one plain line."


def test_a_summary_is_cut_at_300_characters():
    project, _ = project_with("Summary: " + "s" * 400)
    assert project.summary == "s" * 300


@pytest.mark.parametrize(
    ("description", "summary"),
    [
        ("Add a limiter. Make it configurable.", "Add a limiter."),
        ("Is this fast? Measure it.", "Is this fast?"),
        ("It works! Ship it.", "It works!"),
        ("Version 2.0 of the stack. Port it.", "Version 2.0 of the stack."),
        ("No full stop at all", "No full stop at all"),
        ("The first line\ngoes on here. Then more.", "The first line goes on here."),
        ("Port [MirageOS](https://mirage.io) to RISC-V. Soon.", "Port MirageOS to RISC-V."),
        ("Use **bold** and `code` and _this_ # here.", "Use bold and code and this here."),
        ("> Quoted text. More.", "Quoted text."),
        ("Ends with a full stop.", "Ends with a full stop."),
    ],
)
def test_without_a_summary_the_first_sentence_of_the_description_is_used(description, summary):
    project = only_project(f"### Some project\n{description}\n")
    assert project.summary == summary


def test_a_long_first_sentence_is_cut_at_a_word_with_an_ellipsis():
    words = " ".join(["word"] * 60) + "."  # 300 characters
    project = only_project(f"### Some project\n{words}\n")
    assert project.summary == " ".join(["word"] * 39) + "…"
    assert len(project.summary) <= 200


def test_a_first_sentence_of_exactly_200_characters_is_kept_whole():
    sentence = "a" * 199 + "."
    project = only_project(f"### Some project\n{sentence} Next.\n")
    assert project.summary == sentence


def test_a_first_sentence_of_201_characters_is_cut():
    sentence = "x" * 10 + " " + "y" * 190  # 201 characters
    project = only_project(f"### Some project\n{sentence}\n")
    assert project.summary == "x" * 10 + "…"


def test_a_long_first_sentence_cut_just_after_a_word_keeps_that_word():
    # The first 199 characters end with a space, right after the word of y's.
    sentence = "x" * 100 + " " + "y" * 97 + " " + "z" * 50 + "."
    project = only_project(f"### Some project\n{sentence}\n")
    assert project.summary == "x" * 100 + " " + "y" * 97 + "…"


def test_a_project_with_no_text_has_an_empty_summary():
    project = only_project("### Some project\n")
    assert (project.summary, project.description) == ("", "")


# --- Time -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rating"),
    [
        ("a day", TimeRating.DAY),
        ("A  Few   Weeks", TimeRating.FEW_WEEKS),
        ("an internship", TimeRating.INTERNSHIP),
        ("3", TimeRating.FEW_WEEKS),
        ("level 4", TimeRating.SEASON),
        ("Level 1", TimeRating.DAY),
        ("5", TimeRating.INTERNSHIP),
        ("8 hours", TimeRating.DAY),
        ("about 9h", TimeRating.WEEK),
        ("~ 40 hrs", TimeRating.WEEK),
        ("60 hours", TimeRating.FEW_WEEKS),
        ("175 Hours", TimeRating.SEASON),
        ("400 hours", TimeRating.INTERNSHIP),
    ],
)
def test_time_is_read_as_a_label_a_level_or_hours(value, rating):
    project, problems = project_with(f"Time: {value}")
    assert project.time_rating == rating
    assert problems == []


@pytest.mark.parametrize("value", ["forever and a day", "6", "level 0", "two weeks", "60"])
def test_an_unknown_time_is_reported_and_leaves_no_rating(value):
    project, problems = project_with("Time: a week", f"Time: {value}")
    assert project.time_rating is None
    assert problems == [
        f"line 6: unknown time {value!r} (expected one of: {TIME_CHOICES}, or hours such as '30 hours'); "
        + "the project has no time rating"
    ]


# --- Stars on their own line ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "stars"),
    [
        ("1", Stars.ONE),
        ("5", Stars.FIVE),
        ("3 of 5", Stars.THREE),
        ("★★★★", Stars.FOUR),
        ("★★☆☆☆", Stars.TWO),
        ("unrated", None),
        ("Not Rated", None),
        ("none", None),
        ("", None),
    ],
)
def test_a_stars_line_sets_the_stars_over_the_heading(value, stars):
    project, problems = project_with(f"Stars: {value}", title="### Ethernet bridge (2-star)")
    assert project.stars == stars
    assert problems == []


def test_difficulty_is_another_name_for_stars():
    project, _ = project_with("Difficulty: ★★★")
    assert project.stars == Stars.THREE


@pytest.mark.parametrize("value", ["0", "6", "10", "15 (hard)", "²", "three", "☆☆"])
def test_a_stars_line_outside_one_to_five_is_reported_and_keeps_the_heading_stars(value):
    project, problems = project_with(f"Stars: {value}", title="### Ethernet bridge (2-star)")
    assert project.stars == Stars.TWO
    assert problems == [f"line 5: {value!r} is not a star rating from 1 to 5; left as it was"]


# --- Mentors --------------------------------------------------------------------------------------


def test_mentors_are_split_on_commas_semicolons_ampersands_and_the_word_and():
    project, _ = project_with("Mentors:  Olga Brandt ,@femi; Lucia Marchetti & Sandy Anderson and @Xavier Leroy")
    assert project.mentors == ["Olga Brandt", "femi", "Lucia Marchetti", "Sandy Anderson", "Xavier Leroy"]


@pytest.mark.parametrize("words", ["", "-", "none", "None", "Nobody", "TBD", "n/a", "N/A", "wanted", "Needed"])
def test_words_that_mean_no_mentor_give_no_mentor(words):
    project, problems = project_with(f"Mentors: {words}")
    assert project.mentors == []
    assert problems == []


def test_no_mentor_words_are_dropped_from_a_list_of_names():
    project, _ = project_with("Mentor: Ann, TBD, , @bo, wanted")
    assert project.mentors == ["Ann", "bo"]


# --- Status ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "status"),
    [("done", ProjectStatus.DONE), ("In-Progress", ProjectStatus.IN_PROGRESS),
     ("in progress", ProjectStatus.IN_PROGRESS)],
)
def test_status_is_read_in_a_persons_words(value, status):
    project, problems = project_with(f"Status: {value}")
    assert project.status == status
    assert problems == []


def test_without_a_status_line_the_project_has_none():
    project, _ = project_with()
    assert project.status is None


def test_an_unknown_status_is_reported_and_the_earlier_one_kept():
    project, problems = project_with("Status: done", "Status: finished")
    assert project.status == ProjectStatus.DONE
    assert problems == [f"line 6: unknown status 'finished' (expected one of: {STATUS_CHOICES}); left as it was"]


# --- Outcomes -------------------------------------------------------------------------------------


def test_outcomes_go_on_over_the_following_lines_until_a_blank_line():
    project, _ = project_with("Outcomes: A limiter.", "- with a unit test", "- and docs", "",
                              "Back to the description.")
    assert project.outcomes == "A limiter.\n- with a unit test\n- and docs"
    assert project.description == "A bridge between two interfaces.\n\n\nBack to the description."


@pytest.mark.parametrize(
    ("lines", "outcomes"),
    [
        (["- a released package", "- an example"], "- a released package\n- an example"),
        (["  - a released package", "  - an example"], "  - a released package\n  - an example"),
        (["Xen guests boot from the image."], "Xen guests boot from the image."),
    ],
)
def test_outcomes_may_start_on_the_line_after_the_label(lines, outcomes):
    project, _ = project_with("Outcomes:", *lines)
    assert project.outcomes == outcomes


def test_outcomes_stop_at_the_next_label():
    project, _ = project_with("Outcomes: A limiter.", "Mentors: Ann", "More about the bridge.")
    assert project.outcomes == "A limiter."
    assert project.mentors == ["Ann"]
    assert project.description == "A bridge between two interfaces.\n\nMore about the bridge."


def test_outcomes_stop_at_the_next_project():
    result = parse_wiki("### First\nText.\nOutcomes: Done well.\n### Second\nSecond text.\n")
    first, second = result.projects
    assert first.outcomes == "Done well."
    assert (second.outcomes, second.description) == ("", "Second text.")


# --- Area on its own line -------------------------------------------------------------------------


def test_an_area_line_moves_the_project_to_another_area():
    project, _ = project_with("Area:   Operating   systems ")
    assert project.area == "Operating systems"


def test_an_empty_area_line_keeps_the_heading_area():
    project, _ = project_with("Area:")
    assert project.area == "Networking"


# --- Hours actually spent -------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "hours"), [("1", 1), ("about 120 h", 120), ("1,200", 1200), ("9999", 9999)])
def test_hours_are_read_as_a_number(value, hours):
    project, problems = project_with(f"Hours: {value}")
    assert project.actual_hours == hours
    assert problems == []


@pytest.mark.parametrize("value", ["0", "10000", "lots", ""])
def test_hours_that_are_not_a_sensible_number_are_reported(value):
    project, problems = project_with(f"Hours: {value}")
    assert project.actual_hours is None
    assert problems == [f"line 5: {value!r} is not a number of hours"]


# --- Skills ---------------------------------------------------------------------------------------


def test_skills_have_a_level_and_are_required_unless_said_otherwise():
    project, problems = project_with(
        "Skills: OCaml (comfortable) ,  tcp/ip (some experience, required), `Block  Devices` (concepts, nice to have),"
        " git (none needed), lwt"
    )
    assert project.skills == [
        ("ocaml", SkillLevel.COMFORTABLE, True),
        ("tcp/ip", SkillLevel.SOME, True),
        ("block devices", SkillLevel.CONCEPTS, False),
        ("git", SkillLevel.NONE, True),
        ("lwt", SkillLevel.CONCEPTS, True),
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("details", "level", "required"),
    [
        ("a challenge", SkillLevel.CHALLENGE, True),
        ("challenging", SkillLevel.CHALLENGE, True),
        ("basics", SkillLevel.CONCEPTS, True),
        ("Some  Experience, Optional", SkillLevel.SOME, False),
        ("nice-to-have", SkillLevel.CONCEPTS, False),
        ("bonus, comfortable", SkillLevel.COMFORTABLE, False),
        ("nice to have, required", SkillLevel.CONCEPTS, True),
        ("optional, must", SkillLevel.CONCEPTS, True),
        ("optional, must have", SkillLevel.CONCEPTS, True),
        (" , optional", SkillLevel.CONCEPTS, False),
        ("", SkillLevel.CONCEPTS, True),
    ],
)
def test_skill_details_give_the_level_and_whether_it_is_required(details, level, required):
    project, problems = project_with(f"Skills: ocaml ({details})")
    assert project.skills == [("ocaml", level, required)]
    assert problems == []


def test_skills_without_spaces_after_commas_are_all_read():
    project, _ = project_with("Skills: ocaml,lwt,,udp,")
    assert [name for name, _, _ in project.skills] == ["ocaml", "lwt", "udp"]


def test_a_skill_named_twice_is_kept_once_with_its_first_level():
    project, _ = project_with("Skills: ocaml (comfortable), OCaml (a challenge), lwt")
    assert project.skills == [("ocaml", SkillLevel.COMFORTABLE, True), ("lwt", SkillLevel.CONCEPTS, True)]


def test_a_long_skill_name_is_cut_at_60_characters():
    project, _ = project_with("Skills: " + "x" * 70)
    assert project.skills == [("x" * 60, SkillLevel.CONCEPTS, True)]


def test_an_unknown_skill_level_is_reported_and_the_skill_kept():
    project, problems = project_with("Skills: ocaml (expert, nice to have)")
    assert project.skills == [("ocaml", SkillLevel.CONCEPTS, False)]
    assert problems == [
        f"line 5: unknown level 'expert' for the skill 'ocaml' (expected one of: {LEVEL_CHOICES}, "
        + "and 'required' or 'nice to have')"
    ]


def test_a_skill_that_cannot_be_read_is_reported_and_the_others_kept():
    project, problems = project_with("Skills: ocaml,  (comfortable), lwt")
    assert [name for name, _, _ in project.skills] == ["ocaml", "lwt"]
    assert problems == ["line 5: could not read the skill '(comfortable)'"]


def test_a_stray_closing_parenthesis_does_not_swallow_the_next_skill():
    project, problems = project_with("Skills: ocaml), lwt (comfortable, nice to have), udp")
    assert [name for name, _, _ in project.skills] == ["lwt", "udp"]
    assert project.skills[0] == ("lwt", SkillLevel.COMFORTABLE, False)
    assert problems == ["line 5: could not read the skill 'ocaml)'"]


def test_a_comma_inside_nested_parentheses_does_not_split_the_skill():
    project, problems = project_with("Skills: tcp/ip (concepts (RFC 793), nice to have), ocaml")
    assert project.skills == [("tcp/ip", SkillLevel.CONCEPTS, False), ("ocaml", SkillLevel.CONCEPTS, True)]
    assert problems == [
        f"line 5: unknown level 'concepts (rfc 793)' for the skill 'tcp/ip' (expected one of: {LEVEL_CHOICES}, "
        + "and 'required' or 'nice to have')"
    ]


def test_a_later_skills_line_replaces_the_earlier_one():
    project, _ = project_with("Skills: ocaml", "Skills: rust")
    assert [name for name, _, _ in project.skills] == ["rust"]


# --- Links ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Repository", LinkKind.REPOSITORY),
        ("Repo", LinkKind.REPOSITORY),
        ("Code", LinkKind.REPOSITORY),
        ("Issue", LinkKind.ISSUE),
        ("Issues", LinkKind.ISSUE),
        ("Reading", LinkKind.READING),
        ("Background", LinkKind.READING),
        ("Docs", LinkKind.READING),
        ("Link", LinkKind.OTHER),
        ("Links", LinkKind.OTHER),
    ],
)
def test_each_link_label_gives_a_kind_of_link(label, kind):
    project, problems = project_with(f"{label}: https://example.org/x")
    assert project.links == [(kind, "https://example.org/x", "")]
    assert problems == []


def test_links_are_read_as_markdown_links_and_bare_addresses_without_trailing_punctuation():
    project, problems = project_with(
        "Reading: [ The RFC ](https://www.rfc-editor.org/rfc/rfc791), see https://en.wikipedia.org/wiki/TeX;"
        " https://example.org/a, and HTTPS://EXAMPLE.ORG/B.",
        "Links: mailto:ann@example.org",
    )
    assert project.links == [
        (LinkKind.READING, "https://www.rfc-editor.org/rfc/rfc791", "The RFC"),
        (LinkKind.READING, "https://en.wikipedia.org/wiki/TeX", ""),
        (LinkKind.READING, "https://example.org/a", ""),
        (LinkKind.READING, "HTTPS://EXAMPLE.ORG/B", ""),
        (LinkKind.OTHER, "mailto:ann@example.org", ""),
    ]
    assert problems == []


def test_links_that_are_not_web_or_mail_are_left_out_and_reported():
    project, problems = project_with(
        "Links: ftp://example.org/old, [click](javascript:alert), https://example.org/ok, data:text/html,x"
    )
    assert project.links == [(LinkKind.OTHER, "https://example.org/ok", "")]
    assert problems == [
        "line 5: the link 'javascript:alert' is not http, https or mailto; left out",
        "line 5: the link 'ftp://example.org/old' is not http, https or mailto; left out",
        "line 5: the link 'data:text/html,x' is not http, https or mailto; left out",
    ]


@pytest.mark.parametrize("value", ["", "on the old server", "ask Soren"])
def test_a_link_label_without_an_address_is_reported(value):
    project, problems = project_with(f"Repository: {value}")
    assert project.links == []
    assert problems == [f"line 5: no link found in {value!r}"]


def test_text_glued_to_a_markdown_link_is_not_read_as_another_address():
    project, problems = project_with("Issue: tracker:[#42](https://example.org/issues/42)")
    assert project.links == [(LinkKind.ISSUE, "https://example.org/issues/42", "#42")]
    assert problems == []


def test_long_link_addresses_and_titles_are_cut():
    url = "https://example.org/" + "p" * 600
    project, _ = project_with(f"Links: [{'t' * 250}]({url})")
    assert project.links == [(LinkKind.OTHER, url[:500], "t" * 200)]


# --- Problems -------------------------------------------------------------------------------------


def test_problems_name_their_line_and_the_page_is_still_read():
    result = parse(
        """
        # Projects

        ## Networking
        ### Echo (7-star)
        Echo things.

        Time: soon
        Mentors: Ann

        ### Bridge
        Bridge things.
        Links: nowhere
        """
    )
    assert messages(result) == [
        "line 4: '7' is not a star rating from 1 to 5; the project is left unrated",
        f"line 7: unknown time 'soon' (expected one of: {TIME_CHOICES}, or hours such as '30 hours'); "
        + "the project has no time rating",
        "line 12: no link found in 'nowhere'",
    ]
    assert [(p.title, p.line, p.mentors) for p in result.projects] == [("Echo", 4, ["Ann"]), ("Bridge", 10, [])]
    assert result.problems[0] == Problem(4, "'7' is not a star rating from 1 to 5; the project is left unrated")


def test_an_empty_page_has_no_projects_and_no_problems():
    result = parse_wiki("")
    assert (result.projects, result.problems) == ([], [])
