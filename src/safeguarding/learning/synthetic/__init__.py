"""Synthetic training history for `manage.py generate_synthetic`: ten financial years (by default
April 2016 to March 2026) of a county's multi-agency training programme.

For each county written by the generator:

- the catalogue: levels, fees, the default evaluation forms and about 64 courses (foundation and
  advanced versions of 32 topics; a few start part-way through the decade and a few are retired),
  of which about 60 run in a year;
- venues in every locality (and, from 2020, online sessions);
- the training pool: every trainer is accredited for a few courses, for a period; each session is
  led by one or two trainers accredited for its course on the day and not busy elsewhere;
- sessions spread over each year's working days: enough for about half a booking a year per
  practitioner (a county of 20,000 practitioners gets about 10,000 bookings a year, 100,000 over
  the decade), about 2.5% of them cancelled;
- bookings by practitioners only, with the outcomes registers record: attended, did not attend,
  cancelled before the cut-off, cancelled late, declined by the line manager (courses that need
  approval), places on cancelled sessions, walk-ins on the day, and waiting lists whose offers are
  claimed, expire or are left. No session ever holds more confirmed places than its capacity;
- evaluations for a share of attendances, straight after the session and 6 to 8 weeks later;
- one local practice group per locality, meeting six times a year, with attendance lists;
- an annual conference each year, with its programme and registrations.

Sessions that start after the moment of generation (only when the decade reaches into the present
through `first_year`) are left open: confirmed or awaiting-approval places, people waiting, no
outcomes. With the default decade everything has happened, and the same seed gives the same data.

Rows are written with bulk_create, a year at a time, so memory stays bounded by one year. The
booking services are not used: they rightly refuse to book sessions in the past. Each bulk write
is summarised by one audit entry (the same approach as the demo's training year).
"""

from safeguarding.learning.synthetic.generation import generate

__all__ = ["generate"]
