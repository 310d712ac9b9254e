"""Validating and importing a file of people (accounts, memberships, teams, roles, managers)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower

from safeguarding.people import services
from safeguarding.people.models import (
    Agency,
    Membership,
    Partnership,
    Role,
    Team,
    User,
)

from .files import PEOPLE, Table, check_columns
from .report import ImportReport, RowReport, _check_importable, _record_completed
from .rows import ROLE_LABELS, ROLES, _change, _email, _key, _row_errors, _split_list, _text, _tidy

# People ----------------------------------------------------------------------------------------


def validate_people(table: Table, partnership: Partnership) -> ImportReport:
    """Check every row of a people file; nothing is written."""
    check_columns(table, PEOPLE)
    agencies = {_key(a.name): a for a in Agency.objects.filter(partnership=partnership)}
    teams = {
        (t.agency_id, _key(t.name)): t for t in Team.objects.filter(agency__partnership=partnership)
    }

    # Every valid address in the file, and the accounts that already exist for them or for the
    # line managers the file names.
    file_emails: dict[str, int] = {}
    for row in table.rows:
        email = _email(row.get("email"))
        if email and email not in file_emails:
            file_emails[email] = row.number
    wanted = set(file_emails)
    wanted.update(e for e in (_email(r.get("line_manager_email")) for r in table.rows) if e)
    users = _users_by_email(wanted)
    memberships = {
        (m.user_id, m.agency_id): m
        for m in Membership.objects.filter(user__in=users.values())
        .select_related("agency", "team", "line_manager")
        .prefetch_related("role_grants")
    }

    seen: dict[str, int] = {}
    new_teams: set[tuple[int, str]] = set()
    rows = []
    for row in table.rows:
        errors: list[str] = []
        email_text = row.get("email").strip()
        email = _email(email_text)
        if not email_text:
            errors.append("email is missing.")
        elif email is None:
            errors.append(f"email “{email_text}” is not a valid e-mail address.")
        elif email in seen:
            errors.append(
                f"{email} is also on row {seen[email]}: a person can only be in the file once."
            )
        else:
            seen[email] = row.number
        given_name = _text(row, "given_name", errors, max_length=100, required=True)
        family_name = _text(row, "family_name", errors, max_length=100, required=True)

        agency_text = _tidy(row.get("agency"))
        agency = agencies.get(_key(agency_text)) if agency_text else None
        if not agency_text:
            errors.append("agency is missing.")
        elif agency is None:
            errors.append(
                f"agency “{agency_text}” is not an agency in the service. Import or "
                "add the agency first."
            )
        elif not agency.is_active:
            errors.append(f"agency {agency.name} is inactive.")

        team_name = _text(row, "team", errors, max_length=200)
        job_title = _text(row, "job_title", errors, max_length=200)

        roles: list[str] = []
        for text in _split_list(row.get("roles")):
            code = ROLES.get(_key(text))
            if code is None:
                errors.append(
                    f"roles: “{text}” is not a role. Use one of the codes or names in "
                    "the list of roles."
                )
            elif code not in roles:
                roles.append(code)

        manager_text = row.get("line_manager_email").strip()
        manager_email = _email(manager_text) if manager_text else None
        if manager_text:
            if manager_email is None:
                errors.append(f"line_manager_email “{manager_text}” is not a valid e-mail address.")
            elif manager_email == email:
                errors.append("A person cannot be their own line manager.")
            elif manager_email not in file_emails and manager_email not in users:
                errors.append(
                    f"line_manager_email {manager_email} is not someone with an "
                    "account or someone in this file."
                )
            elif manager_email not in file_emails and not users[manager_email].is_active:
                errors.append(f"line manager {manager_email} has a deactivated account.")

        label = email or email_text or "(no e-mail address)"
        if given_name or family_name:
            label = f"{given_name} {family_name}".strip() + f" ({label})"
        report_row = RowReport(number=row.number, label=label, errors=errors)
        rows.append(report_row)
        if errors:
            continue

        team = teams.get((agency.pk, _key(team_name))) if team_name else None
        new_team = team_name if team_name and team is None else ""
        report_row.data = {
            "email": email,
            "given_name": given_name,
            "family_name": family_name,
            "agency": agency,
            "team": team,
            "new_team": new_team,
            "job_title": job_title or None,
            "roles": roles or None,
            "line_manager_email": manager_email,
            "membership": None,
        }
        details = report_row.details
        if new_team and (agency.pk, _key(new_team)) not in new_teams:
            new_teams.add((agency.pk, _key(new_team)))
            details.append(f"New team “{new_team}” will be created in {agency.name}.")
        user = users.get(email)
        if user is None:
            details.append(f"Agency: {agency.name}")
            details.append(
                "Roles: " + ", ".join(ROLE_LABELS[r] for r in roles or [Role.PRACTITIONER])
            )
            if team_name:
                details.append(f"Team: {team.name if team else new_team}")
            if manager_email:
                details.append(f"Line manager: {manager_email}")
            continue
        report_row.existing = user
        membership = memberships.get((user.pk, agency.pk))
        report_row.data["membership"] = membership
        details.extend(_person_changes(user, membership, report_row.data))
    return ImportReport(kind=PEOPLE, partnership=partnership, rows=rows, file_name=table.file_name)


def _users_by_email(emails: set[str]) -> dict[str, User]:
    found: dict[str, User] = {}
    emails = sorted(emails)
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        for user in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=chunk):
            found[user.email.lower()] = user
    return found


def _person_changes(user: User, membership: Membership | None, data: dict[str, Any]) -> list:
    changes = []
    if (user.given_name, user.family_name) != (data["given_name"], data["family_name"]):
        changes.append(
            _change("Name", user.full_name, f"{data['given_name']} {data['family_name']}")
        )
    if not user.is_active:
        changes.append("This account is deactivated and stays deactivated.")
    agency = data["agency"]
    team_name = data["team"].name if data["team"] else data["new_team"]
    if membership is None:
        roles = data["roles"] or [Role.PRACTITIONER]
        changes.append(
            f"Will be added to {agency.name} ({', '.join(ROLE_LABELS[r] for r in roles)})."
        )
        if data["line_manager_email"]:
            changes.append(f"Line manager: {data['line_manager_email']}")
        return changes
    if team_name and (membership.team is None or _key(membership.team.name) != _key(team_name)):
        changes.append(_change("Team", membership.team.name if membership.team else "", team_name))
    if data["job_title"] is not None and data["job_title"] != membership.job_title:
        changes.append(_change("Job title", membership.job_title, data["job_title"]))
    if data["roles"] is not None:
        current = sorted(membership.role_codes)
        if current != sorted(data["roles"]):
            changes.append(
                _change(
                    "Roles",
                    [ROLE_LABELS.get(r, r) for r in current],
                    [ROLE_LABELS[r] for r in sorted(data["roles"])],
                )
            )
    manager = data["line_manager_email"]
    current_manager = membership.line_manager.email if membership.line_manager else ""
    if manager and manager != current_manager.lower():
        changes.append(_change("Line manager", current_manager, manager))
    return changes or ["No changes"]


def import_people(report: ImportReport, actor) -> ImportReport:
    """Write a validated people report through people.services, in one transaction.

    New people get no password and no e-mail: they choose a password with the password reset
    link. Line managers are set after everyone in the file exists.
    """
    _check_importable(report, PEOPLE)
    teams: dict[tuple[int, str], Team] = {}
    people: dict[str, User] = {}
    later: list[tuple[RowReport, Membership, str]] = []
    with transaction.atomic():
        for row in report.rows:
            data = row.data
            with _row_errors(row):
                agency = data["agency"]
                team = data["team"]
                if team is None and data["new_team"]:
                    key = (agency.pk, _key(data["new_team"]))
                    if key not in teams:
                        teams[key] = services.team_create(
                            agency=agency, name=data["new_team"], actor=actor
                        )
                    team = teams[key]
                manager_email = data["line_manager_email"]
                manager = _find_user(manager_email, people) if manager_email else None
                membership = data["membership"]
                if row.existing is None:
                    user = services.person_create(
                        email=data["email"],
                        given_name=data["given_name"],
                        family_name=data["family_name"],
                        agency=agency,
                        roles=data["roles"] or [Role.PRACTITIONER],
                        job_title=data["job_title"] or "",
                        team=team,
                        line_manager=manager,
                        actor=actor,
                    )
                    membership = Membership.objects.get(user=user, agency=agency)
                else:
                    user = services.person_update(
                        user=row.existing,
                        actor=actor,
                        given_name=data["given_name"],
                        family_name=data["family_name"],
                    )
                    if membership is None:
                        membership = services.membership_create(
                            user=user,
                            agency=agency,
                            roles=data["roles"] or [Role.PRACTITIONER],
                            job_title=data["job_title"] or "",
                            team=team,
                            line_manager=manager,
                            actor=actor,
                        )
                    else:
                        values: dict[str, Any] = {}
                        if team is not None:
                            values["team"] = team
                        if data["job_title"] is not None:
                            values["job_title"] = data["job_title"]
                        if manager is not None:
                            values["line_manager"] = manager
                        services.membership_update(
                            membership=membership, actor=actor, roles=data["roles"], **values
                        )
                people[data["email"]] = user
                if manager_email and manager is None:
                    later.append((row, membership, manager_email))
        for row, membership, manager_email in later:
            with _row_errors(row):
                manager = _find_user(manager_email, people)
                if manager is None:
                    raise ValidationError(f"The line manager {manager_email} was not found.")
                services.membership_update(membership=membership, actor=actor, line_manager=manager)
        report.teams_created = len(teams)
        _record_completed(report, actor)
    report.imported = True
    return report


def _find_user(email: str, people: dict[str, User]) -> User | None:
    if email in people:
        return people[email]
    return User.objects.filter(email__iexact=email).first()
