"""Hand-written mutants of what mutmut does not mutate: module-level tables and headers.

Each is (name, file, text, replacement, tests): `text` must occur exactly once in the file; the
mutant is killed when the tests fail with it in place. mutation/run.py runs them.
"""

SECURITY = "pioneer/security.py"
WORKFLOW = "pioneer/domain/workflow.py"
PERMISSIONS = "pioneer/domain/permissions.py"
ACCESS = "pioneer/access.py"

HEADER_TESTS = ["tests/test_security_headers.py"]
WORKFLOW_TESTS = ["tests/domain/test_workflow.py", "tests/test_review.py"]
PERMISSION_TESTS = ["tests/test_permissions.py"]
MENTOR_TABLE = ("MENTOR_PERMISSIONS = {Permission.VIEW_PROJECT, Permission.VIEW_PROJECT_HISTORY, "
                "Permission.EDIT_PROJECT}")


def _security(name, text, replacement):
    return (f"CSP/headers: {name}", SECURITY, text, replacement, HEADER_TESTS)


def _transition(name, text, replacement):
    return (f"transitions: {name}", WORKFLOW, text, replacement, WORKFLOW_TESTS)


def _permission(name, text, replacement):
    return (f"permissions: {name}", PERMISSIONS, text, replacement, PERMISSION_TESTS)


def _access(name, text, replacement):
    return (f"access: {name}", ACCESS, text, replacement, PERMISSION_TESTS)


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
    _security("every page frameable like the embed", 'FRAMEABLE_PREFIX = "/embed/"', 'FRAMEABLE_PREFIX = "/"'),
    _security("the embed keeps DENY", 'if name != "X-Frame-Options"}', "}"),
    _security("the embed not frameable", '"frame-ancestors *" if directive', '"frame-ancestors \'none\'" if directive'),
    _transition("submit from any status", "ReviewAction.SUBMIT: Transition(frozenset({ProjectStatus.DRAFT})",
                "ReviewAction.SUBMIT: Transition(frozenset({ProjectStatus.DRAFT, ProjectStatus.REJECTED})"),
    _transition("resubmit lands in draft",
                "frozenset({ProjectStatus.CHANGES_REQUESTED}), ProjectStatus.PROPOSED, \"mentor\"",
                "frozenset({ProjectStatus.CHANGES_REQUESTED}), ProjectStatus.DRAFT, \"mentor\""),
    _transition("mentors approve", "ProjectStatus.AVAILABLE, \"reviewer\"),\n    ReviewAction.REQUEST_CHANGES",
                "ProjectStatus.AVAILABLE, \"mentor\"),\n    ReviewAction.REQUEST_CHANGES"),
    _transition("approve an archived project", "ReviewAction.APPROVE: Transition(frozenset({ProjectStatus.PROPOSED})",
                "ReviewAction.APPROVE: Transition(frozenset({ProjectStatus.PROPOSED, ProjectStatus.ARCHIVED})"),
    _transition("mentors request changes", "ProjectStatus.CHANGES_REQUESTED, \"reviewer\"),\n    ReviewAction.REJECT",
                "ProjectStatus.CHANGES_REQUESTED, \"mentor\"),\n    ReviewAction.REJECT"),
    _transition("reject only proposals",
                "frozenset({ProjectStatus.PROPOSED, ProjectStatus.CHANGES_REQUESTED}), ProjectStatus.REJECTED",
                "frozenset({ProjectStatus.PROPOSED}), ProjectStatus.REJECTED"),
    _transition("mentors archive", "ProjectStatus.ARCHIVED,\n        \"reviewer\"),",
                "ProjectStatus.ARCHIVED,\n        \"mentor\"),"),
    _transition("archive leaves done projects",
                "frozenset({ProjectStatus.AVAILABLE, ProjectStatus.IN_PROGRESS, ProjectStatus.DONE}), "
                "ProjectStatus.ARCHIVED",
                "frozenset({ProjectStatus.AVAILABLE, ProjectStatus.IN_PROGRESS}), ProjectStatus.ARCHIVED"),
    _transition("restore to proposed",
                "frozenset({ProjectStatus.ARCHIVED, ProjectStatus.REJECTED}), ProjectStatus.AVAILABLE",
                "frozenset({ProjectStatus.ARCHIVED, ProjectStatus.REJECTED}), ProjectStatus.PROPOSED"),
    _transition("start a draft", "ReviewAction.START: Transition(frozenset({ProjectStatus.AVAILABLE})",
                "ReviewAction.START: Transition(frozenset({ProjectStatus.AVAILABLE, ProjectStatus.DRAFT})"),
    _transition("release to done",
                "ReviewAction.RELEASE: Transition(frozenset({ProjectStatus.IN_PROGRESS}), ProjectStatus.AVAILABLE",
                "ReviewAction.RELEASE: Transition(frozenset({ProjectStatus.IN_PROGRESS}), ProjectStatus.DONE"),
    _transition("finish an available project", "ReviewAction.FINISH: Transition(frozenset({ProjectStatus.IN_PROGRESS})",
                "ReviewAction.FINISH: Transition(frozenset({ProjectStatus.IN_PROGRESS, ProjectStatus.AVAILABLE})"),
    _transition("only reviewers finish", "ProjectStatus.DONE, \"mentor\"),\n}",
                "ProjectStatus.DONE, \"reviewer\"),\n}"),
    _transition("confirm a proposal",
                "CONFIRMABLE = frozenset({ProjectStatus.AVAILABLE, ProjectStatus.IN_PROGRESS, ProjectStatus.DONE})",
                "CONFIRMABLE = frozenset({ProjectStatus.AVAILABLE, ProjectStatus.IN_PROGRESS, ProjectStatus.DONE, "
                "ProjectStatus.PROPOSED})"),
    _transition("cannot confirm done projects",
                "CONFIRMABLE = frozenset({ProjectStatus.AVAILABLE, ProjectStatus.IN_PROGRESS, ProjectStatus.DONE})",
                "CONFIRMABLE = frozenset({ProjectStatus.AVAILABLE, ProjectStatus.IN_PROGRESS})"),
    # Decorators run at import time, before mutmut can switch a mutant on: mutated here instead.
    _access("role check forgets sign-in", "        return login_required(wrapped)", "        return wrapped"),
    _access("role check skipped", "            if not has_permission(g.user, permission):",
                "            if False:"),
    _access("sign-in check skipped", "        if g.get(\"user\") is None:", "        if False:"),
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
