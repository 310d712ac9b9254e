"""The demo partnership's training year, 2013/14, as the seed report tells it: 57 courses run by
local practitioners from the training pool for nearly 800 attendees, four local practice groups
with over 500 attendances, and the annual conference on e-safety for 200 practitioners (March 2014).
Also a few sessions in the coming weeks, so that the booking journeys can be tried.

Historic bookings, registers and evaluations are written in bulk (one audit entry per bulk
write), since the booking services rightly refuse to book sessions in the past."""

from safeguarding.learning.demo.year import load

__all__ = ["load"]
