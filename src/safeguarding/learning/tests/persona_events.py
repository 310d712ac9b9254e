"""Local practice groups and the annual conference: everyone signed in may see the groups, the
meetings, the figures and the conferences; only the business unit adds meetings (and sees names
on attendance lists, which the persona table cannot see: test_events.py checks that)."""

from safeguarding.core.tests.personas import Route, expect


def _meeting(world) -> list[int]:
    """The world's practice group meeting: world["meeting"], made on first use if the world
    fixture does not have one."""
    if "meeting" not in world:
        import datetime

        from django.utils import timezone

        from safeguarding.learning.services import events

        partnership = world["course"].partnership
        group = events.practice_group_ensure(
            locality=partnership.localities.order_by("name").first(), actor=None
        )
        world["meeting"] = events.meeting_create(
            group=group,
            starts_at=timezone.now() - datetime.timedelta(days=7),
            venue="Northtown children's centre",
            topics="Learning from serious case reviews\nMissing children",
            actor=None,
        )
    return [world["meeting"].pk]


def _conference(world) -> list[int]:
    """The world's conference: world["conference"], made on first use if the world fixture
    does not have one."""
    if "conference" not in world:
        import datetime

        from django.utils import timezone

        from safeguarding.learning.services import events

        session = world["session"]
        start = session.starts_at + datetime.timedelta(days=14)
        world["conference"] = events.conference_create(
            partnership=session.course.partnership,
            title=f"Annual conference {timezone.localtime(start).year}",
            theme="E-safety: keeping youngsters safe online",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=6),
            venue=session.venue,
            capacity=200,
            actor=None,
        )
    return [world["conference"].pk]


_business_unit_only = expect(
    practitioner_a=403, practitioner_b=403, line_manager_a=403, auditor=403
)

ROUTES = {
    "learning:practice-groups": Route(expect()),
    "learning:meeting-detail": Route(expect(), args=_meeting),
    "learning:meeting-create": Route(_business_unit_only),
    "learning:conference-list": Route(expect()),
    "learning:conference-detail": Route(expect(), args=_conference),
}
