"""The project form (every field a project has), with skill and link rows that work without JavaScript; finishing."""

from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..domain.people import USERNAME_RE
from ..domain.pickers import find_person, public_mentors, split_label, split_people
from ..forms import BaseForm, choices, one_line, rating_field
from ..models import LinkKind, SkillLevel, Stars, TimeRating
from ..text import is_web_url

MAX_SKILLS = 15
MAX_LINKS = 10
MAX_MENTORS = 6


class SkillRow(Form):
    """One skill the project needs; a row without a name is ignored."""

    name = StringField("Skill", [Optional(), Length(max=60)], filters=[one_line])
    level = SelectField("Level", choices=choices((level.value, level.label) for level in SkillLevel),
                        default=SkillLevel.CONCEPTS.value)
    required = SelectField("Needed", choices=choices([("required", "required"), ("nice", "nice to have")]),
                           default="required")


class LinkRow(Form):
    kind = SelectField("Kind", choices=choices((kind.value, kind.value) for kind in LinkKind),
                       default=LinkKind.REPOSITORY.value)
    url = StringField("Address", [Optional(), Length(max=500)], filters=[one_line])
    title = StringField("Link text", [Optional(), Length(max=200)], filters=[one_line])

    def validate_url(self, field):
        field.data = (field.data or "").strip()
        if field.data and not is_web_url(field.data):
            raise ValidationError("Give an http or https address.")


class ProjectForm(BaseForm):
    title = StringField("Title", [DataRequired(), Length(min=4, max=200)], filters=[one_line],
                        description="Say what gets done, e.g. “NTP client for unikernels”.")
    summary = StringField("Summary", [DataRequired(), Length(max=300)], filters=[one_line],
                          description="One line of plain text, shown in listings.")
    description = TextAreaField("Description", [Optional(), Length(max=20000)],
                                description="Markdown. What the project is, where to start, what to read.")
    outcomes = TextAreaField("Outcomes", [Optional(), Length(max=10000)],
                             description="Markdown. What is done when the project is done.")
    stars = rating_field(RadioField, "Difficulty", Stars, "Let reviewers rate it",
                         lambda star: f"{'★' * star}{'☆' * (5 - star)} {star} — {star.meaning}")
    time_rating = rating_field(RadioField, "Time", TimeRating, "Not sure: let reviewers estimate it",
                               lambda rating: f"{rating.label} ({rating.hours_text})",
                               description="For a newcomer working part-time.")
    area = SelectField("Area", choices=[], validate_choice=False)
    skills = FieldList(FormField(SkillRow), min_entries=1, max_entries=MAX_SKILLS)
    mentors = StringField(
        "Mentors", [Optional(), Length(max=400)], filters=[one_line],
        description="Usernames (or names of mentors, from the suggestions), separated by commas. Keep yours "
                    "to stay a mentor. A new name is invited: that person joins the mentors once they accept.",
    )
    links = FieldList(FormField(LinkRow), min_entries=1, max_entries=MAX_LINKS)
    allow_multiple_claims = BooleanField("Several people may work on it at the same time")

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.area.choices = choices([("", "Choose an area")] + [(area.slug, area.name) for area in areas])

    def validate_summary(self, field):
        field.data = " ".join((field.data or "").split())

    def validate_area(self, field):
        if field.data and field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Choose one of the listed areas.")

    def validate_skills(self, field):
        names = [row.form.name.data.strip().lower() for row in field.entries if (row.form.name.data or "").strip()]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValidationError(f"Name each skill once ({', '.join(repeated)} appears twice).")

    def skill_rows(self):
        """The filled skill rows as (name, level, required)."""
        return [
            (" ".join(row.form.name.data.split()).lower(), SkillLevel(row.form.level.data),
             row.form.required.data == "required")
            for row in self.skills.entries if (row.form.name.data or "").strip()
        ]

    def link_rows(self):
        return [
            (LinkKind(row.form.kind.data), row.form.url.data, (row.form.title.data or "").strip())
            for row in self.links.entries if row.form.url.data
        ]

    def mentor_usernames(self):
        """Read each entry as a username, a picked suggestion "Name (username)", or a public mentor's name."""
        names = []
        for entry in split_people(self.mentors.data):
            _name, key = split_label(entry)
            plain = (key or entry).strip().lstrip("@").lower()
            if not USERNAME_RE.match(plain):
                # Only names already public (mentors of public projects) are looked up: whether another
                # name belongs to an account is never said (proposals/services.plan_mentors).
                pick = find_person(entry, public_mentors())
                plain = pick.found.username if pick.found else plain
            names.append(plain)
        return list(dict.fromkeys(names))


def remove_row(field_list, index):
    """Drop one row of a FieldList and number the rest again, as the page will send them back."""
    kept = [entry.data for position, entry in enumerate(field_list.entries) if position != index]
    field_list.entries, field_list.last_index = [], -1
    for data in kept or [None]:
        field_list.append_entry(data)


class FinishForm(BaseForm):
    actual_hours = IntegerField(
        "Hours it really took", [Optional(), NumberRange(1, 5000, "Give a number of hours between 1 and 5,000.")],
        description="Optional: shown beside the estimate, so the catalogue learns how good its estimates are.",
    )
