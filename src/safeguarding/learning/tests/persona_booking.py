from safeguarding.core.tests.personas import Route, everyone, expect

# POST only: a signed-in GET is refused (405) before anything is looked up.
_post_only = {**everyone(405), "anonymous": 302}
_managers = expect(admin=403, practitioner_a=403, practitioner_b=403, auditor=403)
# Everyone signed in may book, or ask to wait, for themselves: the answer is a redirect with a
# message (booked, already booked, or "there are places left: book one instead").
_everyone_acts = everyone(302)
# practitioner_a's waiting-list entry: they, their line manager and the business unit may act on
# it (a redirect, with a message when there is nothing to do); anyone else gets 404.
_entry_owners = {**everyone(302), "practitioner_b": 404, "auditor": 404}


def _waiting_a(world) -> list[int]:
    """practitioner_a's place on the world session's waiting list (made on first use)."""
    from safeguarding.learning.models import WaitingListEntry

    entry, _ = WaitingListEntry.objects.get_or_create(
        session=world["session"],
        person=world["practitioner_a"],
        status=WaitingListEntry.Status.WAITING,
    )
    return [entry.pk]


ROUTES = {
    "learning:book": Route(_post_only, args=lambda w: [w["session"].pk], post=_everyone_acts),
    "learning:waiting-list-join": Route(
        _post_only, args=lambda w: [w["session"].pk], post=_everyone_acts
    ),
    "learning:waiting-list-leave": Route(_post_only, args=_waiting_a, post=_entry_owners),
    "learning:waiting-list-claim": Route(_post_only, args=_waiting_a, post=_entry_owners),
    # booking_a is practitioner_a's: they, their line manager and the business unit may cancel
    # it; anyone else may not know it exists.
    "learning:booking-cancel": Route(
        expect(practitioner_b=404, auditor=404), args=lambda w: [w["booking_a"].pk]
    ),
    "learning:my-training": Route(expect()),
    "learning:approvals": Route(expect(practitioner_a=403, practitioner_b=403, auditor=403)),
    "learning:approval-decide": Route(
        expect(practitioner_a=403, practitioner_b=404, auditor=404),
        args=lambda w: [w["booking_a"].pk],
    ),
    "learning:team-training": Route(_managers),
}
