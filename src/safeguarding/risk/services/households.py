"""Writes of households and their members.

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
from safeguarding.risk.access import agencies_using_tool
from safeguarding.risk.models import (
    Household,
    HouseholdMember,
)


def household_create(*, agency: Agency, address: str, postcode: str, actor) -> Household:
    if agency.pk not in agencies_using_tool(actor):
        raise ValidationError({"agency": "You can only record households for your own agency."})
    household = Household.objects.create(
        agency=agency, created_by=actor, address=address.strip(), postcode=postcode.strip().upper()
    )
    record(action="risk.household.created", obj=household, actor=actor)
    return household


@transaction.atomic
def household_member_add(
    *,
    household: Household,
    role: str,
    given_name: str,
    family_name: str,
    date_of_birth: datetime.date | None,
    actor,
) -> HouseholdMember:
    today = timezone.localdate()
    if role != HouseholdMember.Role.UNBORN and date_of_birth and date_of_birth > today:
        raise ValidationError({"date_of_birth": "Date of birth must be today or in the past."})
    if role == HouseholdMember.Role.CHILD and date_of_birth is None:
        raise ValidationError({"date_of_birth": "Enter the child's date of birth."})
    member = HouseholdMember(
        household=household,
        role=role,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        date_of_birth=date_of_birth,
    )
    member.full_clean()
    member.save()
    record(
        action="risk.household.member_added",
        obj=household,
        actor=actor,
        changes={"member": member.pk, "role": role},
    )
    return member
