"""Writes of outcomes (a referral, early help or none) and of shares with other agencies.

Every function is keyword-only, atomic and records an audit entry; it raises ValidationError
(with field names where it can) and leaves nothing half-saved. Access (who may call which) is
checked by the views through risk.access; services check the rules of the record itself.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.core.audit import record
from safeguarding.people.models import Agency
from safeguarding.risk.models import (
    Identification,
    IdentificationShare,
    Outcome,
)


def outcome_record(
    *,
    identification: Identification,
    kind: str,
    date: datetime.date,
    reference: str,
    receiving_agency: Agency | None,
    actor,
) -> Outcome:
    if not identification.is_completed:
        raise ValidationError("Confirm the level before recording the outcome.")
    if kind not in Outcome.Kind.values:
        raise ValidationError({"kind": "Choose the outcome."})
    if date > timezone.localdate():
        raise ValidationError({"date": "The date must be today or in the past."})
    if date < identification.assessed_on:
        raise ValidationError({"date": "The date must be on or after the identification."})
    if kind == Outcome.Kind.NONE:
        receiving_agency = None
    elif kind != Outcome.Kind.EARLY_HELP and not reference.strip():
        raise ValidationError({"reference": "Enter the referral's reference."})
    if receiving_agency and receiving_agency.partnership_id != identification.agency.partnership_id:
        raise ValidationError({"receiving_agency": "Choose an agency in this partnership."})
    outcome = Outcome.objects.create(
        identification=identification,
        kind=kind,
        date=date,
        reference=reference.strip(),
        receiving_agency=receiving_agency,
        recorded_by=actor,
    )
    record(
        action="risk.identification.outcome_recorded",
        obj=identification,
        actor=actor,
        changes={"kind": kind, "date": date, "reference": outcome.reference},
    )
    if receiving_agency and receiving_agency.pk != identification.agency_id:
        _share(
            identification=identification,
            agency=receiving_agency,
            reason=IdentificationShare.Reason.REFERRAL,
            note=f"{outcome.get_kind_display()} {outcome.reference}".strip(),
            actor=actor,
        )
    return outcome


def _share(*, identification, agency, reason, note, actor) -> IdentificationShare:
    share, created = IdentificationShare.objects.get_or_create(
        identification=identification,
        agency=agency,
        defaults={"reason": reason, "note": note, "shared_by": actor},
    )
    if created:
        record(
            action="risk.identification.shared",
            obj=identification,
            actor=actor,
            changes={"agency": agency, "reason": reason, "note": note},
        )
    return share


@transaction.atomic
def identification_share(
    *, identification: Identification, agency: Agency, note: str, actor
) -> IdentificationShare:
    if agency.pk == identification.agency_id:
        raise ValidationError({"agency": "Choose another agency: this one made it."})
    if agency.partnership_id != identification.agency.partnership_id:
        raise ValidationError({"agency": "Choose an agency in this partnership."})
    if not note.strip():
        raise ValidationError({"note": "Say why you are sharing it (the lawful basis and need)."})
    if identification.shares.filter(agency=agency).exists():
        raise ValidationError({"agency": f"It is already shared with {agency}."})
    return _share(
        identification=identification,
        agency=agency,
        reason=IdentificationShare.Reason.SHARE,
        note=note.strip(),
        actor=actor,
    )
