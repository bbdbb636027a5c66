"""A catalogue written for the fit finder: each project is there to be found, or not, by some profile.

Skills are (name, level, required); mentors by key of MENTORS. The ranking suite (test_ranking.py)
states which projects each profile must see first and which it must never see.
"""

from pioneer.database import db
from pioneer.models import ProjectSkill, ProjectStatus, SkillLevel, Stars, TimeRating

from ..factories import make_claim, make_project, make_skill, make_user

C, S, F, X, N = SkillLevel.CONCEPTS, SkillLevel.SOME, SkillLevel.COMFORTABLE, SkillLevel.CHALLENGE, SkillLevel.NONE
AVAILABLE, IN_PROGRESS = ProjectStatus.AVAILABLE, ProjectStatus.IN_PROGRESS

# username: capacity. Chen has no place; Ana has two, Ben one, Dana three.
MENTORS = {"ana": 2, "ben": 1, "chen": 0, "dana": 3}

# slug: (stars, time, area, skills, mentors, status, extra fields)
PROJECTS = {
    "ocaml-first-steps": (1, 1, "Tooling", [("ocaml", C, True)], ["ana"], AVAILABLE, {}),
    "http-router-tests": (2, 2, "Networking", [("ocaml", S, True), ("http", C, True)], ["ben"], AVAILABLE, {}),
    "tls-handshake-fuzzing": (4, 4, "Security", [("ocaml", F, True), ("tls", S, True)], ["ana"], AVAILABLE,
                              {"title": "Fuzzing the TLS handshake"}),
    "xen-console-cleanup": (3, 3, "Platforms", [("xen", S, True), ("c", S, True), ("ocaml", C, False)], ["chen"],
                            AVAILABLE, {}),
    "profiling-tutorial": (1, 2, "Documentation", [("markdown", C, True)], [], AVAILABLE,
                           {"title": "Write a tutorial on profiling unikernels"}),
    "js-dashboard": (2, 3, "Tooling", [("javascript", S, True), ("http", C, False)], ["dana"], AVAILABLE, {}),
    "taken-project": (1, 1, "Tooling", [("ocaml", C, True)], ["ana"], IN_PROGRESS, {}),
    "shared-project": (2, 2, "Tooling", [("ocaml", C, True)], ["dana"], IN_PROGRESS,
                       {"allow_multiple_claims": True}),
    "proposed-project": (1, 1, "Tooling", [("ocaml", C, True)], ["ana"], ProjectStatus.PROPOSED, {}),
    "done-project": (1, 1, "Tooling", [("ocaml", C, True)], ["ana"], ProjectStatus.DONE, {}),
    "archived-project": (1, 1, "Tooling", [("ocaml", C, True)], ["ana"], ProjectStatus.ARCHIVED, {}),
    "compiler-internship": (5, 5, "Tooling", [("ocaml", X, True)], ["dana"], AVAILABLE, {}),
    "issue-triage": (1, 3, "Outreach", [("git", N, True)], ["dana"], AVAILABLE, {}),
    "unrated-ocaml": (None, None, "Tooling", [("ocaml", C, True)], ["ana"], AVAILABLE, {}),
    "donnees-pipeline": (2, 2, "Storage", [("données", S, True)], ["ben"], AVAILABLE,
                         {"title": "Un pipeline de données"}),
    "cpp-bindings": (3, 2, "Platforms", [("c++", S, True)], ["dana"], AVAILABLE, {}),
    "dns-twin-with-places": (2, 2, "Networking", [("dns", C, True)], ["ana"], AVAILABLE, {}),
    "dns-twin-mentor-full": (2, 2, "Networking", [("dns", C, True)], ["chen"], AVAILABLE, {}),
}


def build_corpus():
    """Create the corpus and commit it; return the mentors by username."""
    mentors = {name: make_user(name.capitalize(), username=name, capacity=capacity)
               for name, capacity in MENTORS.items()}
    worker = make_user("Wendy Worker", username="wendy")
    for slug, (stars, time, area, skills, names, status, extra) in PROJECTS.items():
        fields = dict(extra)
        project = make_project(fields.pop("title", slug.replace("-", " ").capitalize()), slug=slug,
                               stars=Stars(stars) if stars else None,
                               time_rating=TimeRating(time) if time else None, status=status, area=area, skills=(),
                               mentors=[mentors[name] for name in names], **fields)
        project.skills = [ProjectSkill(skill=make_skill(name), level=level, required=required, position=index)
                          for index, (name, level, required) in enumerate(skills)]
        if status is IN_PROGRESS:
            make_claim(project, worker)
    db.session.commit()
    return mentors
