from safeguarding.core.tests.personas import Route, everyone, expect


def _certificate_a(world):
    """practitioner_a's certificate for booking_a, issued on first use (the world fixture has
    no attended booking of its own)."""
    from safeguarding.learning.models import Booking
    from safeguarding.learning.services import records

    booking = world["booking_a"]
    Booking.objects.filter(pk=booking.pk).update(attendance=Booking.Attendance.ATTENDED)
    booking.refresh_from_db()
    return records.certificate_issue(booking=booking, actor=None)


ROUTES: dict = {
    "learning:training-record": Route(expect()),
    # The holder and the business unit only; nobody else may know the certificate exists.
    "learning:certificate-pdf": Route(
        expect(admin=200, practitioner_a=200, practitioner_b=404, line_manager_a=404, auditor=404),
        args=lambda w: [_certificate_a(w).pk],
    ),
    "learning:certificate-verify": Route(
        everyone(200), args=lambda w: [_certificate_a(w).code], public=True
    ),
}
