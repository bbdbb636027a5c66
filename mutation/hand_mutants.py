"""Hand-written mutants of what mutmut does not mutate: module-level tables and headers.

Each is (name, file, text, replacement, tests): `text` must occur exactly once in the file; the
mutant is killed when the tests fail with it in place. mutation/run.py runs them.
"""

SECURITY = "pioneer/security.py"
WORKFLOW = "pioneer/workflow.py"
PERMISSIONS = "pioneer/permissions.py"

HEADER_TESTS = ["tests/test_security_headers.py"]
WORKFLOW_TESTS = ["tests/test_workflow.py", "tests/test_review.py"]
PERMISSION_TESTS = ["tests/test_permissions.py"]
MENTOR_TABLE = ("MENTOR_PERMISSIONS = {Permission.VIEW_PROJECT, Permission.VIEW_PROJECT_HISTORY, "
                "Permission.EDIT_PROJECT}")


def _security(name, text, replacement):
    return (f"CSP/headers: {name}", SECURITY, text, replacement, HEADER_TESTS)


def _transition(name, text, replacement):
    return (f"transitions: {name}", WORKFLOW, text, replacement, WORKFLOW_TESTS)


def _permission(name, text, replacement):
    return (f"permissions: {name}", PERMISSIONS, text, replacement, PERMISSION_TESTS)


HAND_MUTANTS = [
    _security("default-src *", "\"default-src 'self'\"", '"default-src *"'),
    _security("https: scripts allowed", "\"script-src 'self'\"", "\"script-src 'self' https:\""),
    _security("inline scripts allowed", "\"script-src 'self'\"", "\"script-src 'self' 'unsafe-inline'\""),
    _security("inline styles allowed", "\"style-src 'self'\"", "\"style-src 'self' 'unsafe-inline'\""),
    _security("img-src *", "\"img-src 'self' https: data:\"", '"img-src *"'),
    _security("no object-src", "    \"object-src 'none'\",\n", ""),
    _security("no base-uri", "    \"base-uri 'none'\",\n", ""),
    _security("no form-action", "    \"form-action 'self'\",\n", ""),
    _security("framing allowed", "\"frame-ancestors 'none'\"", "\"frame-ancestors *\""),
    _security("no nosniff", '    "X-Content-Type-Options": "nosniff",\n', ""),
    _security("full referrer", '"strict-origin-when-cross-origin"', '"unsafe-url"'),
    _security("no X-Frame-Options", '    "X-Frame-Options": "DENY",\n', ""),
    _security("no COOP", '    "Cross-Origin-Opener-Policy": "same-origin",\n', ""),
    _transition("submit from any status", "A.SUBMIT: Transition(frozenset({S.DRAFT})",
                "A.SUBMIT: Transition(frozenset({S.DRAFT, S.REJECTED})"),
    _transition("resubmit lands in draft", "A.RESUBMIT: Transition(frozenset({S.CHANGES_REQUESTED}), S.PROPOSED",
                "A.RESUBMIT: Transition(frozenset({S.CHANGES_REQUESTED}), S.DRAFT"),
    _transition("mentors approve", "S.AVAILABLE, \"reviewer\"),\n    A.REQUEST_CHANGES",
                "S.AVAILABLE, \"mentor\"),\n    A.REQUEST_CHANGES"),
    _transition("approve an archived project", "A.APPROVE: Transition(frozenset({S.PROPOSED})",
                "A.APPROVE: Transition(frozenset({S.PROPOSED, S.ARCHIVED})"),
    _transition("mentors request changes", "S.CHANGES_REQUESTED, \"reviewer\"),\n    A.REJECT",
                "S.CHANGES_REQUESTED, \"mentor\"),\n    A.REJECT"),
    _transition("reject only proposals", "A.REJECT: Transition(frozenset({S.PROPOSED, S.CHANGES_REQUESTED})",
                "A.REJECT: Transition(frozenset({S.PROPOSED})"),
    _transition("mentors archive", "S.ARCHIVED, \"reviewer\"),\n    A.RESTORE",
                "S.ARCHIVED, \"mentor\"),\n    A.RESTORE"),
    _transition("archive leaves done projects", "A.ARCHIVE: Transition(frozenset({S.AVAILABLE, S.IN_PROGRESS, S.DONE})",
                "A.ARCHIVE: Transition(frozenset({S.AVAILABLE, S.IN_PROGRESS})"),
    _transition("restore to proposed", "frozenset({S.ARCHIVED, S.REJECTED}), S.AVAILABLE",
                "frozenset({S.ARCHIVED, S.REJECTED}), S.PROPOSED"),
    _transition("start a draft", "A.START: Transition(frozenset({S.AVAILABLE})",
                "A.START: Transition(frozenset({S.AVAILABLE, S.DRAFT})"),
    _transition("release to done", "A.RELEASE: Transition(frozenset({S.IN_PROGRESS}), S.AVAILABLE",
                "A.RELEASE: Transition(frozenset({S.IN_PROGRESS}), S.DONE"),
    _transition("finish an available project", "A.FINISH: Transition(frozenset({S.IN_PROGRESS})",
                "A.FINISH: Transition(frozenset({S.IN_PROGRESS, S.AVAILABLE})"),
    _transition("only reviewers finish", "S.DONE, \"mentor\"),\n}", "S.DONE, \"reviewer\"),\n}"),
    _transition("confirm a proposal", "CONFIRMABLE = frozenset({S.AVAILABLE, S.IN_PROGRESS, S.DONE})",
                "CONFIRMABLE = frozenset({S.AVAILABLE, S.IN_PROGRESS, S.DONE, S.PROPOSED})"),
    _transition("cannot confirm done projects", "CONFIRMABLE = frozenset({S.AVAILABLE, S.IN_PROGRESS, S.DONE})",
                "CONFIRMABLE = frozenset({S.AVAILABLE, S.IN_PROGRESS})"),
    # Decorators run at import time, before mutmut can switch a mutant on: mutated here instead.
    _permission("role check forgets sign-in", "        return login_required(wrapped)", "        return wrapped"),
    _permission("role check skipped", "            if not has_permission(g.user, permission):",
                "            if False:"),
    _permission("sign-in check skipped", "        if g.get(\"user\") is None:", "        if False:"),
    _permission("reviewers lose history", "Permission.REVIEW_PROJECTS, Permission.VIEW_PROJECT, "
                "Permission.VIEW_PROJECT_HISTORY, Permission.EDIT_PROJECT,",
                "Permission.REVIEW_PROJECTS, Permission.VIEW_PROJECT, Permission.EDIT_PROJECT,"),
    _permission("reviewers cannot edit", "Permission.VIEW_PROJECT_HISTORY, Permission.EDIT_PROJECT,\n",
                "Permission.VIEW_PROJECT_HISTORY,\n"),
    _permission("reviewers see no hidden project", "Permission.REVIEW_PROJECTS, Permission.VIEW_PROJECT, ",
                "Permission.REVIEW_PROJECTS, "),
    _permission("coordinators review", "Role.COORDINATOR: {Permission.MANAGE_PROGRAMMES}",
                "Role.COORDINATOR: {Permission.MANAGE_PROGRAMMES, Permission.REVIEW_PROJECTS}"),
    _permission("coordinators see hidden projects", "Role.COORDINATOR: {Permission.MANAGE_PROGRAMMES}",
                "Role.COORDINATOR: {Permission.MANAGE_PROGRAMMES, Permission.VIEW_PROJECT}"),
    _permission("coordinators lose programmes", "Role.COORDINATOR: {Permission.MANAGE_PROGRAMMES}",
                "Role.COORDINATOR: set()"),
    _permission("admins edit projects", "Role.ADMIN: {Permission.MANAGE_ACCOUNTS,",
                "Role.ADMIN: {Permission.EDIT_PROJECT, Permission.MANAGE_ACCOUNTS,"),
    _permission("admins lose accounts", "Role.ADMIN: {Permission.MANAGE_ACCOUNTS, ", "Role.ADMIN: {"),
    _permission("admins see no history",
                "Permission.MANAGE_ACCOUNTS, Permission.VIEW_PROJECT, Permission.VIEW_PROJECT_HISTORY}",
                "Permission.MANAGE_ACCOUNTS, Permission.VIEW_PROJECT}"),
    _permission("mentors cannot edit",
                MENTOR_TABLE,
                "MENTOR_PERMISSIONS = {Permission.VIEW_PROJECT, Permission.VIEW_PROJECT_HISTORY}"),
    _permission("mentors see no history",
                MENTOR_TABLE,
                "MENTOR_PERMISSIONS = {Permission.VIEW_PROJECT, Permission.EDIT_PROJECT}"),
    _permission("mentors cannot see their drafts",
                MENTOR_TABLE,
                "MENTOR_PERMISSIONS = {Permission.VIEW_PROJECT_HISTORY, Permission.EDIT_PROJECT}"),
]
