"""The gaps page: where the list is thin, and the call for projects sent to the community's list."""

from html.parser import HTMLParser

from pioneer.database import db
from pioneer.models import CallForProjects, ProjectStatus, Role

from .factories import make_area, make_claim, make_intern, make_project, make_round, make_user
from .query_counter import counted_queries

LIST = "list@example.org"


class Tables(HTMLParser):
    """Read every table of a page by its caption: rows of cells with their visible text, classes and link."""

    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.tables, self._rows, self._cell, self._caption, self._spans = {}, None, None, None, []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = {"text": "", "all": "", "classes": set((attrs.get("class") or "").split()), "href": None}
        elif tag == "a" and self._cell is not None:
            self._cell["href"] = self._cell["href"] or attrs.get("href")
        elif tag == "span":
            self._spans.append("visually-hidden" in (attrs.get("class") or ""))

    def handle_endtag(self, tag):
        if tag == "span" and self._spans:
            self._spans.pop()
        elif tag == "caption" and isinstance(self._caption, list):
            self._caption = " ".join("".join(self._caption).split())
        elif tag in ("td", "th") and self._cell is not None:
            self._cell["text"] = " ".join(self._cell["text"].split())
            self._cell["all"] = " ".join(self._cell["all"].split())
            self._rows[-1].append(self._cell)
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._caption] = self._rows
            self._rows = None

    def handle_data(self, data):
        if isinstance(self._caption, list):
            self._caption.append(data)
        if self._cell is not None:
            self._cell["all"] += data
            if not any(self._spans):
                self._cell["text"] += data

    def table(self, caption_start):
        return next(rows for caption, rows in self.tables.items() if caption.startswith(caption_start))

    def row(self, caption_start, header):
        """The cells after the row header that reads header."""
        return next(row[1:] for row in self.table(caption_start) if row and row[0]["text"] == header)


STARS = "Available projects by stars"


def make_catalogue():
    """Storage has two 1-star projects, Networking one but a fully booked mentor, Security and Tooling none."""
    storage_mentor = make_user("Sam Storage", capacity=3)
    busy = make_user("Bea Busy", capacity=1)
    for area in ("Storage", "Security", "Tooling", "Networking"):
        make_area(area)
    make_project("Faster block reads", stars=1, time_rating=1, area="Storage", mentors=[storage_mentor])
    make_project("Checksum the superblock", stars=1, time_rating=2, area="Storage", mentors=[storage_mentor])
    make_project("A journaling layer", stars=3, time_rating=3, area="Storage", mentors=[storage_mentor])
    make_project("Rate me please", stars=None, time_rating=2, area="Storage", mentors=[storage_mentor])
    make_project("Tidy the DHCP client", stars=1, time_rating=2, area="Networking", mentors=[busy])
    taken = make_project("TCP window scaling", stars=2, time_rating=3, area="Networking", mentors=[busy],
                         status=ProjectStatus.IN_PROGRESS)
    make_claim(taken, make_user("Nina Newcomer"))
    make_project("Audit the TLS stack", stars=4, time_rating=4, area="Security", status=ProjectStatus.IN_PROGRESS)
    make_project("A proposal only", stars=1, time_rating=1, area="Security", status=ProjectStatus.PROPOSED)
    make_project("Loose end", stars=1, time_rating=1, area=None)
    db.session.commit()


REVIEWER_REPLY_TO = "Rita Reviewer <rita.reviewer@example.org>"


def reviewer():
    return make_user("Rita Reviewer", email="rita.reviewer@example.org", roles=[Role.REVIEWER])


def signed_in_reviewer(auth):
    user = reviewer()
    db.session.commit()
    auth.login(user)
    return user


def page_of(response):
    return response.get_data(as_text=True)


def capacity_section(client):
    """The part of the gaps page that lists areas without a mentoring place."""
    return page_of(client.get("/review/gaps")).split('id="capacity-title"')[1].split("</section>")[0]


def test_the_stars_by_area_table_counts_available_projects_and_marks_empty_cells(auth, client, ctx):
    make_catalogue()
    signed_in_reviewer(auth)
    response = client.get("/review/gaps")
    assert response.status_code == 200
    page = page_of(response)
    assert "<h1>Where the list is thin</h1>" in page
    tables = Tables(page)
    header = tables.table(STARS)[0]
    # Stars look as they do everywhere, with their words for screen readers.
    assert [cell["all"] for cell in header][:2] == ["Area", "★☆☆☆☆1 of 5 stars"]
    assert [cell["text"] for cell in header][-2:] == ["Not rated", "All"]
    storage = tables.row(STARS, "Storage")
    assert [cell["text"] for cell in storage] == ["2", "0", "1", "0", "0", "1", "4"]
    assert storage[0]["href"] == "/projects?area=storage&stars=1&status=available"
    assert "gap-empty" not in storage[0]["classes"] and "gap-empty" in storage[1]["classes"]
    security = tables.row(STARS, "Security")
    assert security[0]["text"] == "0" and "gap-empty" in security[0]["classes"]
    assert security[0]["all"] == "0 none yet" and security[0]["href"] is None
    # An unrated count of zero is good news, not a gap.
    assert "gap-empty" not in security[5]["classes"]
    assert [cell["text"] for cell in tables.row(STARS, "Networking")][:2] == ["1", "0"]
    assert [cell["text"] for cell in tables.row(STARS, "No area")] == ["1", "0", "0", "0", "0", "0", "1"]
    totals = tables.row(STARS, "All areas")
    assert [cell["text"] for cell in totals] == ["4", "0", "1", "0", "0", "1", "6"]
    assert "gap-empty" in totals[4]["classes"] and totals[0]["href"] == "/projects?stars=1&status=available"


def test_time_levels_no_capacity_areas_and_estimates(auth, client, ctx):
    make_catalogue()
    done = [(1, 6), (1, 12), (2, 30), (2, 35), (2, 60), (5, 400)]
    for number, (level, hours) in enumerate(done):
        make_project(f"Finished {number}", time_rating=level, status=ProjectStatus.DONE, actual_hours=hours,
                     area="Storage")
    make_project("Finished without hours", time_rating=3, status=ProjectStatus.DONE, area="Storage")
    signed_in_reviewer(auth)
    page = page_of(client.get("/review/gaps"))
    tables = Tables(page)
    times = tables.table("Available projects by how long")
    assert [cell["text"] for cell in times[1]] == ["2", "3", "1", "0", "0", "0"]
    assert "gap-empty" in times[1][4]["classes"] and times[1][0]["href"] == "/projects?time=1&status=available"

    capacity = page.split('id="capacity-title"')[1].split("</section>")[0]
    assert "Networking</a>: its one mentor is fully booked" in capacity
    assert "Security</a>: no project names a mentor" in capacity
    assert "Storage" not in capacity and "Tooling" not in capacity

    assert ("4 of 6 done projects with reported hours (67%) took as long as their time rating said."
            in " ".join(page.split()))
    day = tables.row("Hours reported on done projects", "a day (up to 8 hours)")
    assert [cell["text"] for cell in day] == ["2", "9", "1 (50%)", "1", "0"]
    week = tables.row("Hours reported on done projects", "a week (up to 40 hours)")
    assert [cell["text"] for cell in week] == ["3", "35", "2 (67%)", "1", "0"]
    internship = tables.row("Hours reported on done projects", "an internship (175 hours and beyond)")
    assert [cell["text"] for cell in internship] == ["1", "400", "1 (100%)", "0", "0"]
    season = tables.row("Hours reported on done projects", "a season (up to 175 hours)")
    assert [cell["text"] for cell in season] == ["0", "—", "—", "—", "—"]


def test_a_mentor_with_capacity_one_and_one_claim_leaves_the_area_without_capacity(auth, client, ctx):
    mentor = make_user("Only Mentor", capacity=1)
    project = make_project("Xen event channels", area="Xen", mentors=[mentor], status=ProjectStatus.IN_PROGRESS)
    make_project("Xen console", area="Xen", mentors=[mentor])
    signed_in_reviewer(auth)
    assert "Every area with projects has a mentor with a place left." in capacity_section(client)
    make_claim(project, make_user("Claimant"))
    db.session.commit()
    assert "Xen</a>: its one mentor is fully booked" in capacity_section(client)


def test_an_intern_counts_against_the_mentors_capacity(auth, client, ctx):
    mentor = make_user("Intern Mentor", capacity=1)
    project = make_project("Unikernel NTP", area="Networking", mentors=[mentor], status=ProjectStatus.IN_PROGRESS)
    make_intern(make_round(), project, mentors=[mentor])
    signed_in_reviewer(auth)
    assert "Networking</a>: its one mentor is fully booked" in page_of(client.get("/review/gaps"))


def test_the_draft_names_the_thin_cells(auth, client, ctx):
    make_catalogue()
    signed_in_reviewer(auth)
    page = page_of(client.get("/review/gaps"))
    assert ('value="Call for starter projects: 1-star projects wanted in Security and Tooling"' in page)
    body = page.split('name="body"')[1].split("</textarea>")[0]
    assert "Pioneer lists 6 available projects for newcomers. We are short of some:" in body
    assert "- 1-star projects: we have 2 in Storage, 1 in Networking and none in Security and Tooling." in body
    assert "- 2-star, 4-star and 5-star projects: none available." in body
    assert "- Projects that take a season or an internship: none available." in body
    assert "- Areas whose mentors are fully booked: Networking." in body
    assert "- Areas with projects but no mentor: Security." in body
    assert "http://127.0.0.1:5000/projects/new" in body and "Rita Reviewer" in body


def test_only_reviewers_see_the_page_or_send(auth, client, ctx):
    someone = make_user("Mo Mentor")
    db.session.commit()
    for response in (client.get("/review/gaps"), client.post("/review/gaps", data={"action": "keep"})):
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    auth.login(someone)
    assert client.get("/review/gaps").status_code == 403
    call = CallForProjects(subject="Private", body="Reviewers only.")
    db.session.add(call)
    db.session.commit()
    assert client.get(f"/review/gaps/calls/{call.id}").status_code == 403
    response = client.post("/review/gaps", data={"subject": "Hi", "body": "Hello", "action": "keep"})
    assert response.status_code == 403
    assert db.session.execute(db.select(db.func.count(CallForProjects.id))).scalar_one() == 1


def draft_from(page):
    subject = page.split('name="subject"')[1].split('value="')[1].split('"')[0]
    body = page.split('name="body"')[1].split(">", 1)[1].split("</textarea>")[0].lstrip("\r\n")
    return subject, body


def test_sending_the_call_delivers_it_to_the_list_with_the_gaps_and_the_edits(app, auth, client, ctx, mail_server):
    app.config.update(mail_server.config() | {"LIST_ADDRESS": LIST})
    make_catalogue()
    signed_in_reviewer(auth)
    page = page_of(client.get("/review/gaps"))
    assert f"Send to {LIST}</button>" in page and 'id="call-copy"' not in page
    subject, body = draft_from(page)
    body = body.replace("Hello all,", "Hello all,\n\nA word from Rita: storage folk, we need you.")
    response = client.post("/review/gaps", data={"subject": subject + " (June)", "body": body, "action": "send"})
    assert response.status_code == 302 and response.headers["Location"] == "/review/gaps"
    received = mail_server.wait_for(1)
    assert len(received) == 1 and received[0].recipients == [LIST]
    message = received[0].message
    assert message["Subject"] == "Call for starter projects: 1-star projects wanted in Security and Tooling (June)"
    # On one line as sent, not folded at 78 characters; answers go to the reviewer who wrote it.
    assert (b"Subject: Call for starter projects: 1-star projects wanted in Security and Tooling (June)\r\n"
            in received[0].raw)
    assert message["Reply-To"] == REVIEWER_REPLY_TO
    text = message.get_content()
    assert "none in Security and Tooling" in text and "storage folk, we need you." in text
    page = page_of(client.get("/review/gaps"))
    assert f"The call for projects is sent to {LIST}." in page
    calls = Tables(page).table("Calls for projects, newest first")
    assert [cell["text"] for cell in calls[1][1:]] == [
        "Call for starter projects: 1-star projects wanted in Security and Tooling (June)", "Rita Reviewer",
        f"sent to {LIST}"]
    call = db.session.execute(db.select(CallForProjects)).scalar_one()
    assert call.sent_at is not None and call.sent_to == LIST and call.author.name == "Rita Reviewer"


def test_without_mail_the_page_shows_the_text_to_copy_and_keeps_the_call(auth, client, ctx):
    make_catalogue()
    signed_in_reviewer(auth)
    page = page_of(client.get("/review/gaps"))
    assert "This site cannot send the call" in page and "Send to" not in page
    copy = page.split('<label for="call-copy">Text to copy</label>')[1].split("</textarea>")[0]
    assert "readonly" in copy
    assert "Subject: Call for starter projects: 1-star projects wanted in Security and Tooling" in copy
    assert "none in Security and Tooling." in copy
    response = client.post("/review/gaps", data={"subject": "Projects wanted", "body": "Edited by hand.",
                                                 "action": "keep"}, follow_redirects=True)
    assert response.status_code == 200
    kept = page_of(response)
    assert "The call is kept." in kept and "Kept as a draft" in kept
    assert "Subject: Projects wanted\n\nEdited by hand.</textarea>" in kept
    calls = Tables(page_of(client.get("/review/gaps"))).table("Calls for projects, newest first")
    assert [cell["text"] for cell in calls[1][1:]] == ["Projects wanted", "Rita Reviewer", "kept as a draft"]
    assert db.session.execute(db.select(CallForProjects.sent_at)).scalar_one() is None


def test_a_mail_server_that_is_down_keeps_the_call_with_the_reason_and_the_typed_text(app, auth, client, ctx):
    app.config.update({"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 9, "MAIL_TIMEOUT": 2, "LIST_ADDRESS": LIST})
    signed_in_reviewer(auth)
    response = client.post("/review/gaps", data={"subject": "Wanted: projects", "body": "My careful words.",
                                                 "action": "send"})
    assert response.status_code == 200
    page = page_of(response)
    assert "The call was not sent: could not reach the mail server 127.0.0.1:9" in page
    assert 'value="Wanted: projects"' in page and "My careful words.</textarea>" in page
    assert "Subject: Wanted: projects\n\nMy careful words.</textarea>" in page
    call = db.session.execute(db.select(CallForProjects)).scalar_one()
    assert call.sent_at is None and call.sent_to == LIST
    assert call.delivery_note.startswith("could not reach the mail server 127.0.0.1:9")
    row = Tables(page).table("Calls for projects, newest first")[1]
    assert row[3]["text"].startswith("not sent: could not reach the mail server")


def test_a_blank_subject_is_refused_beside_the_field_and_keeps_the_body(auth, client, ctx):
    signed_in_reviewer(auth)
    response = client.post("/review/gaps", data={"subject": "  ", "body": "Keep these words.", "action": "keep"})
    assert response.status_code == 422
    page = page_of(response)
    assert '<p class="field-error" id="subject-error">Write a subject for the message.</p>' in page
    assert 'aria-invalid="true"' in page and "Keep these words.</textarea>" in page
    assert db.session.execute(db.select(db.func.count(CallForProjects.id))).scalar_one() == 0


def test_calls_are_listed_newest_first_twenty_a_page(auth, client, ctx):
    author = signed_in_reviewer(auth)
    for number in range(23):
        db.session.add(CallForProjects(subject=f"Call {number:02d}", body="Text.", author=author))
    db.session.commit()
    page = page_of(client.get("/review/gaps"))
    rows = Tables(page).table("Calls for projects, newest first")[1:]
    assert len(rows) == 20 and rows[0][1]["text"] == "Call 22" and rows[-1][1]["text"] == "Call 03"
    rows = Tables(page_of(client.get("/review/gaps?page=2"))).table("Calls for projects, newest first")[1:]
    assert [row[1]["text"] for row in rows] == ["Call 02", "Call 01", "Call 00"]


def grow_areas(count):
    round_ = make_round(f"Round of {count}")
    reviewer_ = db.session.execute(db.select(CallForProjects.author_id)).scalar()
    for number in range(count):
        area = f"Area {count}-{number}"
        mentors = [make_user(f"Mentor {count}-{number}-{i}", capacity=1) for i in range(2)]
        for stars in (1, 2, 3):
            make_project(f"Project {count}-{number}-{stars}", stars=stars, time_rating=stars, area=area,
                         mentors=mentors)
        busy = make_project(f"Busy {count}-{number}", area=area, mentors=mentors, status=ProjectStatus.IN_PROGRESS)
        make_claim(busy, make_user(f"Claimant {count}-{number}"))
        make_intern(round_, busy, mentors=mentors[1:], name=f"Intern {count}-{number}")
        make_project(f"Done {count}-{number}", area=area, time_rating=2, status=ProjectStatus.DONE,
                     actual_hours=10 + number, mentors=mentors)
        make_project(f"Orphan {count}-{number}", area=area, status=ProjectStatus.IN_PROGRESS)
        db.session.add(CallForProjects(subject=f"Call {count}-{number}", body="Text.", author_id=reviewer_))
    db.session.commit()


def test_the_page_runs_as_many_queries_with_twelve_areas_as_with_three(auth, client, ctx):
    user = signed_in_reviewer(auth)
    db.session.add(CallForProjects(subject="First", body="Text.", author=user))
    db.session.commit()
    counts = []
    for size in (3, 12):
        grow_areas(size)
        db.session.expire_all()
        with counted_queries() as statements:
            response = client.get("/review/gaps")
        assert response.status_code == 200 and f"Area {size}-0" in page_of(response)
        counts.append(len(statements))
    assert counts[0] == counts[1] and counts[1] <= 14, counts
