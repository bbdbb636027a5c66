"""Register, sign in, sign out, and the account's own pages."""

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from werkzeug.exceptions import TooManyRequests

from .. import notify
from ..access import login_required
from ..database import db
from ..domain.alerts import SavedSearchError, search_from_token
from ..domain.alerts import save_search as keep_search
from ..domain.passwords import hash_password, verify_password
from ..domain.people import create_user, find_user
from ..forms import csrf_exempt
from ..models import AlertFrequency, Frequency, NoticeKind, utcnow
from . import bp, queries, services, throttle
from .forms import (
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
    SavedSearchForm,
    notice_form,
)
from .redirects import safe_next
from .session import sign_in, sign_out

WRONG_LOGIN = "That username or email and password do not match an account."
DISABLED = "This account is disabled: ask the site's admins if you think it should not be."
# The same words whether the email is free or taken (the owner of a taken one is told by mail instead).
REGISTERED = "Thanks for registering. We sent a message to the address you gave: follow its link to confirm it."
NO_STORE = {"Cache-Control": "no-store"}
RESET_SENT = ("If an account uses that email, a link to set a new password is on its way there. "
              "It works once, for an hour.")


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Open registration: a new account can propose projects right away."""
    if g.user is not None:
        return redirect(url_for("accounts.show_account"))
    form = RegisterForm()
    if request.method == "POST":
        # Counted per client address in the database: each new account, and each form refused because
        # its username or email is taken (probing which ones are).
        keys = throttle.registration_keys(request.remote_addr)
        wait = throttle.retry_after(keys)
        if wait:
            raise _too_many(wait, "Too many accounts were opened from this network.")
        if form.validate():
            owner = find_user(form.email.data)
            throttle.record_failure(keys)
            if owner is not None and owner.email and owner.email.lower() == form.email.data.lower():
                # No account, and the same answer: only the owner of the address learns of the attempt.
                services.queue_taken_email_notice(form.email.data, owner)
                db.session.commit()
                flash(REGISTERED, "success")
                return redirect(url_for("accounts.registered"))
            user = create_user(form.email.data, form.name.data, form.password.data, username=form.username.data)
            db.session.flush()
            services.queue_verification(user)
            sign_in(user)
            db.session.commit()
            flash(REGISTERED, "success")
            return redirect(url_for("accounts.registered", next=safe_next(request.args.get("next"), None) or None))
        if form.found_existing:
            throttle.record_failure(keys)
            db.session.commit()
    return render_template("accounts/register.html", form=form), 422 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with a username or email; throttled per account and per address across processes."""
    form = LoginForm(next=request.args.get("next", ""))
    if request.method == "POST" and form.validate():
        user = find_user(form.login.data)
        keys = throttle.keys_for(form.login.data, request.remote_addr, user)
        wait = throttle.retry_after(keys)
        if wait:
            raise _too_many(wait, "Too many failed sign-ins for this account or from this network.")
        # Always one hash to verify (a dummy one without an account that may sign in): every answer
        # takes as long, so the time taken does not tell who has an account.
        password_matches = verify_password(user.password_hash if user else None, form.password.data)
        if user is not None and user.can_sign_in and password_matches:
            throttle.forget_account_failures(user)
            sign_in(user)
            db.session.commit()
            return redirect(safe_next(form.next.data, url_for("accounts.show_account")))
        if user is not None and not user.is_active and user.password_hash and password_matches:
            # Only someone who knows the password learns the account is disabled.
            db.session.rollback()
            form.password.errors.append(DISABLED)
            return render_template("accounts/login.html", form=form), 403
        # The same words for an unknown account and a wrong password: no one learns who has an account.
        throttle.record_failure(keys)
        db.session.commit()
        form.password.errors.append(WRONG_LOGIN)
    return render_template("accounts/login.html", form=form), 422 if form.errors else 200


def _too_many(wait, reason):
    minutes = max(1, -(-wait // 60))
    return TooManyRequests(
        f"{reason} Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
        retry_after=wait,
    )


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    """Sign out on every device: only a POST with its token does; GET and HEAD show the confirmation.

    HEAD passes the CSRF check like GET, so it must not sign anyone out either.
    """
    if request.method != "POST":
        return render_template("accounts/logout.html")
    if g.user is not None:
        sign_out(g.user)
        db.session.commit()
    flash("You are signed out, on every device.", "success")
    return redirect(url_for("catalogue.home"))


@bp.get("/account")
@login_required
def show_account():
    """The signed-in person's page: their projects by status, claims, interns, and their profile."""
    return render_template("accounts/account.html", **queries.for_user(g.user))


@bp.post("/account/invitations/<int:invitation_id>")
@login_required
def answer_invitation(invitation_id):
    """Accept or decline an invitation to co-mentor a project: only then is the invitee listed."""
    invitation = queries.invitation_to(g.user, invitation_id) or abort(404)
    action = request.form.get("action")
    if action not in ("accept", "decline"):
        abort(400)
    project = invitation.project
    if action == "accept" and g.user not in project.mentors:
        project.mentors.append(g.user)
    db.session.delete(invitation)
    db.session.commit()
    if action == "accept":
        flash(f"You now co-mentor “{project.title}”.", "success")
        return redirect(url_for("catalogue.show_project", slug=project.slug))
    flash(f"You declined to co-mentor “{project.title}”.", "success")
    return redirect(url_for("accounts.show_account"))


@bp.route("/account/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    form = ProfileForm(user=g.user)
    if request.method == "GET":
        form.process(obj=g.user)
        form.links.data = "\n".join(g.user.links or [])
    if request.method == "POST" and form.validate():
        user = g.user
        email_changed = form.email.data.lower() != (user.email or "")
        user.name, user.email = form.name.data.strip(), form.email.data.lower()
        user.bio, user.availability = form.bio.data or "", (form.availability.data or "").strip()
        user.timezone, user.capacity = form.timezone.data or None, form.capacity.data
        user.links = form.link_list
        for name in ("contact_chat", "contact_forum", "public_email", "office_hours", "office_hours_url"):
            setattr(user, name, (form[name].data or "").strip())
        if email_changed:
            user.email_verified_at = None
            services.queue_verification(user)
        db.session.commit()
        flash("Your profile is saved." + (" We mailed a link to confirm the new email." if email_changed else ""),
              "success")
        return redirect(url_for("accounts.show_account"))
    return render_template("accounts/profile.html", form=form), 422 if form.errors else 200


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password, which ends every other session of the account."""
    form = PasswordChangeForm(user=g.user)
    if request.method == "POST" and form.validate():
        if not verify_password(g.user.password_hash, form.current_password.data):
            form.current_password.errors.append("This is not your current password.")
        else:
            g.user.password_hash = hash_password(form.password.data)
            g.user.end_all_sessions()
            sign_in(g.user)
            db.session.commit()
            current_app.logger.info("Password changed for %s", g.user.username)
            flash("Your password is changed; other devices are signed out.", "success")
            return redirect(url_for("accounts.show_account"))
    return render_template("accounts/password.html", form=form), 422 if form.errors else 200



@bp.get("/register/sent")
def registered():
    """What registration answers, whether the email was free or taken."""
    next_url = safe_next(request.args.get("next"), None)
    return render_template("accounts/registered.html", next_url=next_url)


@bp.route("/password/reset", methods=["GET", "POST"])
def request_password_reset():
    """Ask for a link to set a new password; known and unknown emails get the same answer."""
    form = ResetRequestForm()
    if request.method == "POST" and form.validate():
        keys = throttle.reset_keys(request.remote_addr)
        wait = throttle.retry_after(keys)
        if wait:
            raise _too_many(wait, "Too many reset links were asked for from this network.")
        throttle.record_failure(keys)
        user = find_user(form.email.data)
        if user is not None and user.email and user.email.lower() == form.email.data.lower() and user.can_sign_in:
            services.queue_reset(user)
        db.session.commit()
        flash(RESET_SENT, "success")
        return redirect(url_for("accounts.request_password_reset"))
    return render_template("accounts/reset_request.html", form=form), 422 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    """Set a new password from the mailed link; it works once and expires."""
    user = services.user_for_reset(token)
    if user is None:
        return render_template("accounts/reset_password.html", form=None), 410, NO_STORE
    form = ResetPasswordForm(user=user)
    if request.method == "POST" and form.validate():
        user.password_hash = hash_password(form.password.data)
        # The mail reached its owner: the address is confirmed too.
        user.email_verified_at = user.email_verified_at or utcnow()
        user.end_all_sessions()
        throttle.forget_account_failures(user)
        db.session.commit()
        flash("Your new password is set; every device was signed out. Sign in with it now.", "success")
        return redirect(url_for("accounts.login"))
    # The page's address holds the token: keep it out of caches.
    return render_template("accounts/reset_password.html", form=form), 422 if form.errors else 200, NO_STORE


@bp.get("/account/verify/<token>")
def confirm_email(token):
    """Confirm an email address from the mailed link."""
    user = services.verify_email(token)
    if user is None:
        flash("This confirmation link has expired or no longer matches your email: send a new one from your "
              "account page.", "error")
        return redirect(url_for("accounts.show_account"))
    db.session.commit()
    flash("Your email address is confirmed: you will get the notices you chose.", "success")
    return redirect(url_for("accounts.show_account"))


@bp.post("/account/verify")
@login_required
def resend_verification():
    """Mail a new confirmation link to the signed-in person's address."""
    if not g.user.email_verified:
        services.queue_verification(g.user)
        db.session.commit()
    flash("A confirmation link is on its way to your email address.", "success")
    return redirect(url_for("accounts.show_account"))


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def edit_notifications():
    """Choose, per kind of notice, to get it at once, in a daily digest, or never."""
    form = notice_form(notify.settings_of(g.user))
    if request.method == "POST" and form.validate():
        for kind in NoticeKind:
            notify.choose(g.user, kind, Frequency(form[kind.value].data))
        db.session.commit()
        flash("Your choices are saved.", "success")
        return redirect(url_for("accounts.edit_notifications"))
    return render_template("accounts/notifications.html", form=form), 422 if form.errors else 200


@bp.post("/account/searches")
@login_required
def save_search():
    """Keep the /projects or /start search the person is looking at, with the alerts they chose."""
    form = SavedSearchForm()
    if form.validate():
        try:
            saved = keep_search(g.user, form.kind.data, form.query.data, form.name.data, form.frequency.data)
        except SavedSearchError as error:
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Search “{saved.name}” saved: {saved.frequency.label}. Your account page lists it.", "success")
            return redirect(saved.path)
    return render_template("accounts/save_search.html", form=form), 422


@bp.post("/account/searches/<int:search_id>")
@login_required
def change_search(search_id):
    """Change how often a saved search mails, or delete it: only its owner may."""
    saved = queries.saved_search_of(g.user, search_id) or abort(404)
    action = request.form.get("action")
    if action == "delete":
        db.session.delete(saved)
        message = f"Search “{saved.name}” deleted."
    elif action == "update" and request.form.get("frequency") in {value.value for value in AlertFrequency}:
        saved.frequency = AlertFrequency(request.form["frequency"])
        message = f"Search “{saved.name}”: {saved.frequency.label}."
    else:
        abort(400, description="Choose how often to be emailed (never, at once or weekly), or delete the search.")
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("accounts.show_account") + "#searches-title")


@bp.route("/alerts/unsubscribe/<token>", methods=["GET", "POST"])
@csrf_exempt
def unsubscribe(token):
    """Stop a saved search's emails from the link in one of them, signed in or not (docs/fit.md).

    GET only asks (mail scanners follow links); the button, or a mail client's RFC 8058 one-click POST,
    stops the emails. The signed token in the address is the permission, so the form needs no CSRF token.
    """
    saved = search_from_token(token, current_app.secret_key) or abort(404)
    done = request.method == "POST"
    if done:
        saved.frequency = AlertFrequency.NEVER
        db.session.commit()
    return render_template("accounts/unsubscribe.html", saved=saved, done=done)
