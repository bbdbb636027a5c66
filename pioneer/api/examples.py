"""Examples for the OpenAPI description: what the demo catalogue answers (shortened)."""

PROJECT = {
    "slug": "more-tests-for-the-tcp-ip-stack",
    "title": "More tests for the TCP/IP stack",
    "summary": "Move the stack's tests onto virtual interfaces.",
    "description": "The stack's tests need a real network today. …",
    "outcomes": "The tests run in CI without a network.",
    "stars": 1,
    "time": 2,
    "hours": None,
    "area": "Networking",
    "status": "available",
    "mentors": [{"name": "Mary Preston", "username": "mpreston"}],
    "skills": [{"name": "ocaml", "level": "some", "required": True},
               {"name": "tcp/ip", "level": "concepts", "required": False}],
    "links": [{"title": "", "url": "https://github.com/mirage/mirage-tcpip", "kind": "repository"}],
    "created_at": "2026-11-02T09:30:00Z",
    "approved_at": "2026-11-03T14:05:12Z",
    "url": "https://pioneer.example.org/projects/more-tests-for-the-tcp-ip-stack",
}

PROJECT_PAGE = {
    "projects": [PROJECT],
    "total": 12,
    "page": 1,
    "per_page": 1,
    "links": {
        "self": "https://pioneer.example.org/api/v1/projects?stars=1&per_page=1&page=1",
        "next": "https://pioneer.example.org/api/v1/projects?stars=1&per_page=1&page=2",
        "prev": None,
    },
}

MENTOR_SUMMARY = {"username": "mpreston", "name": "Mary Preston", "projects": 3, "places_left": 1,
                  "url": "https://pioneer.example.org/mentors/mpreston"}

MENTOR_PAGE = {
    "mentors": [MENTOR_SUMMARY], "total": 14, "page": 1, "per_page": 30,
    "links": {"self": "https://pioneer.example.org/api/v1/mentors?page=1", "next": None, "prev": None},
}

MENTOR = {**MENTOR_SUMMARY, "bio": "Works on the network stack.", "availability": "Tuesdays, 14:00 UTC",
          "capacity": 2, "mentored": [{"slug": PROJECT["slug"], "title": PROJECT["title"], "url": PROJECT["url"]}]}

AREAS = {"areas": [{"slug": "networking", "name": "Networking", "projects": 9}]}

SKILLS = {"skills": [{"name": "ocaml", "projects": 31}, {"name": "tcp/ip", "projects": 6}]}

ROUNDS = {"rounds": [{"slug": "outreachy-december-2015", "name": "Outreachy December 2015 – March 2016",
                      "starts_on": "2015-12-07", "ends_on": "2016-03-07", "description": "",
                      "url": "https://pioneer.example.org/rounds/outreachy-december-2015"}]}

CALLS = {"calls": [{"id": 3, "title": "Weekly call", "starts_at": "2026-12-09T16:00:00Z", "duration_minutes": 60,
                    "join_url": "https://meet.example.org/pioneer", "agenda_url": "",
                    "url": "https://pioneer.example.org/calls/3"}]}

PROBLEMS = {
    400: {"type": "about:blank", "title": "Bad Request", "status": 400,
          "detail": "stars: stars goes from 1 to 5, or 0 for not rated.",
          "invalid-params": [{"name": "stars", "reason": "stars goes from 1 to 5, or 0 for not rated."}]},
    404: {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "No public project has this slug."},
    500: {"type": "about:blank", "title": "Internal Server Error", "status": 500,
          "detail": "Something went wrong on our side; it has been logged."},
    503: {"type": "about:blank", "title": "Service Unavailable", "status": 503,
          "detail": "The database is locked; try again in 10 seconds."},
}
