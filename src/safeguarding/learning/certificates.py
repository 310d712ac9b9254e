"""Certificates of attendance as PDF (A4 landscape), drawn with reportlab."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

from safeguarding.learning.models import Certificate
from safeguarding.learning.selectors.records import trainer_names

BRAND = colors.HexColor("#1d4f5c")
MARGIN = 18 * mm


def verification_url(certificate: Certificate) -> str:
    return settings.SITE_URL + reverse("learning:certificate-verify", args=[certificate.code])


def _duration(session) -> str:
    minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    length = " ".join(parts) or "less than a minute"
    return f"{session.course.get_duration_display()}, {start:%H:%M} to {end:%H:%M} ({length})"


def _day(value) -> str:
    local = timezone.localtime(value)
    return f"{local:%A} {local.day} {local:%B %Y}"


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName="Helvetica", fontSize=11, leading=14)
    centred = ParagraphStyle("centred", parent=base, alignment=TA_CENTER)
    return {
        "partnership": ParagraphStyle(
            "partnership",
            parent=centred,
            fontName="Helvetica-Bold",
            fontSize=14,
            leading=18,
            textColor=BRAND,
        ),
        "title": ParagraphStyle(
            "title", parent=centred, fontName="Helvetica-Bold", fontSize=30, leading=36
        ),
        "text": ParagraphStyle("text", parent=centred, fontSize=12, leading=16),
        "name": ParagraphStyle(
            "name", parent=centred, fontName="Helvetica-Bold", fontSize=24, leading=30
        ),
        "course": ParagraphStyle(
            "course", parent=centred, fontName="Helvetica-Bold", fontSize=18, leading=23
        ),
        "heading": ParagraphStyle("heading", parent=base, fontName="Helvetica-Bold"),
        "outcome": ParagraphStyle("outcome", parent=base, fontSize=10, leading=13),
        "small": ParagraphStyle("small", parent=centred, fontSize=9, leading=12),
    }


def _border(canvas, doc) -> None:
    width, height = landscape(A4)
    canvas.saveState()
    canvas.setStrokeColor(BRAND)
    canvas.setLineWidth(3)
    canvas.rect(8 * mm, 8 * mm, width - 16 * mm, height - 16 * mm)
    canvas.setLineWidth(0.75)
    canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    canvas.restoreState()


def certificate_pdf(certificate: Certificate, *, compress: bool = True) -> bytes:
    """The certificate as PDF bytes. `compress=False` leaves the text readable in the file."""
    booking = certificate.booking
    session = booking.session
    course = session.course
    person = booking.person
    style = _styles()
    trainers = trainer_names(session)
    url = verification_url(certificate)

    story = [
        Paragraph(escape(settings.PARTNERSHIP_NAME), style["partnership"]),
        Spacer(1, 5 * mm),
        Paragraph("Certificate of attendance", style["title"]),
        Spacer(1, 5 * mm),
        Paragraph("This is to certify that", style["text"]),
        Spacer(1, 2 * mm),
        Paragraph(escape(person.full_name or person.email), style["name"]),
        Spacer(1, 2 * mm),
        Paragraph("attended", style["text"]),
        Spacer(1, 2 * mm),
        Paragraph(escape(course.title), style["course"]),
        Spacer(1, 3 * mm),
        Paragraph(f"on {escape(_day(session.starts_at))}", style["text"]),
        Paragraph(escape(_duration(session)), style["text"]),
    ]
    if trainers:
        label = "Trainers" if len(trainers) > 1 else "Trainer"
        story.append(Paragraph(f"{label}: {escape(', '.join(trainers))}", style["text"]))
    if course.outcomes:
        story += [
            Spacer(1, 5 * mm),
            Paragraph("Learning outcomes", style["heading"]),
            ListFlowable(
                [ListItem(Paragraph(escape(o), style["outcome"])) for o in course.outcomes],
                bulletType="bullet",
                start="•",
                leftIndent=12,
            ),
        ]
    story += [
        Spacer(1, 6 * mm),
        Paragraph(
            f"Verification code: <b>{escape(certificate.code)}</b>. "
            f"Check this certificate at {escape(url)}",
            style["small"],
        ),
        Paragraph(f"Issued on {escape(_day(certificate.issued_at))}", style["small"]),
    ]

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"Certificate of attendance: {course.title}",
        author=settings.PARTNERSHIP_NAME,
        subject=f"{person.full_name or person.email}, {_day(session.starts_at)}",
        pageCompression=1 if compress else 0,
    )
    document.build(story, onFirstPage=_border, onLaterPages=_border)
    return buffer.getvalue()
