"""The referral summary of a completed identification, as DOCX (python-docx) and PDF
(reportlab, in the house style of learning/certificates.py): the household, the level suggested
and confirmed with the reasons, the answers given, actions, outcomes and the next review."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from docx import Document
from docx.shared import Pt, RGBColor
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from safeguarding.risk.models import Identification
from safeguarding.risk.selectors.identifications import answer_rows

BRAND = colors.HexColor("#1d4f5c")


def _day(value) -> str:
    return f"{value:%-d %B %Y}" if value else ""


def summary_content(identification: Identification, instrument) -> dict:
    """Everything the summary says, as plain text, shared by both formats."""
    household = identification.household
    evaluation = identification.evaluation or {}
    people = [
        (
            f"{m.given_name} {m.family_name}",
            m.get_role_display(),
            _day(m.date_of_birth),
        )
        for m in household.members.all()
    ]
    answers = [
        (
            row["section"].title,
            item["question"].text,
            item["answer"],
            "; ".join(filter(None, [item["source"], item["comment"]])),
        )
        for row in answer_rows(instrument, identification)
        for item in row["items"]
    ]
    review = identification.reviews.filter(done_on__isnull=True, replaced_on__isnull=True).first()
    return {
        "title": f"Referral summary: {instrument.title}",
        "facts": [
            ("Reference", identification.reference),
            ("Agency", str(identification.agency)),
            ("Completed by", f"{identification.author} ({identification.author.email})"),
            ("Date of identification", _day(identification.assessed_on)),
            ("Instrument", f"{instrument.code} version {instrument.version}"),
            ("Address", household.address.replace("\n", ", ") + f" {household.postcode}"),
            ("Suggested level", identification.suggested_label),
            ("Confirmed level", identification.confirmed_label),
            ("Rationale for a different level", identification.rationale or "None needed"),
            (
                "Countersigned by",
                f"{identification.countersigned_by} on {_day(identification.countersigned_at)}"
                if identification.countersigned_by
                else "Not needed",
            ),
            ("Next review", _day(review.due_on) if review else "None set"),
        ],
        "people": people,
        "subject": str(identification.subject) if identification.subject else "",
        "children": [str(c) for c in identification.children.all()],
        "reasons": [r["text"] for r in evaluation.get("reasons", [])],
        "actions": list(evaluation.get("actions", [])),
        "marac": evaluation.get("details", {}).get("marac_criteria", []),
        "answers": answers,
        "outcomes": [
            f"{o.get_kind_display()} on {_day(o.date)}"
            + (f", reference {o.reference}" if o.reference else "")
            + (f", to {o.receiving_agency}" if o.receiving_agency else "")
            for o in identification.outcomes.select_related("receiving_agency")
        ],
        "licence": instrument.licence,
        "generated": f"{timezone.localtime():%-d %B %Y %H:%M}",
    }


_MARAC_LABELS = {
    "visible_high_risk": "Visible high risk",
    "professional_judgement": "Professional judgement",
    "potential_escalation": "Potential escalation",
    "repeat": "Repeat",
}


def summary_docx(identification: Identification, instrument) -> bytes:
    content = summary_content(identification, instrument)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    header = doc.sections[0].header.paragraphs[0]
    header.text = f"{settings.PARTNERSHIP_NAME} – OFFICIAL-SENSITIVE"
    heading = doc.add_heading(content["title"], level=1)
    for run in heading.runs:
        run.font.color.rgb = RGBColor(0x1D, 0x4F, 0x5C)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in content["facts"]:
        row = table.add_row().cells
        row[0].text, row[1].text = label, value
    doc.add_heading("People in the household", level=2)
    people = doc.add_table(rows=1, cols=3)
    people.style = "Table Grid"
    for cell, text in zip(people.rows[0].cells, ["Name", "Who", "Date of birth"], strict=True):
        cell.text = text
    for person in content["people"]:
        for cell, text in zip(people.add_row().cells, person, strict=True):
            cell.text = text
    if content["subject"]:
        doc.add_paragraph(f"Adult experiencing abuse: {content['subject']}")
    if content["children"]:
        doc.add_paragraph(
            f"Children this identification is about: {', '.join(content['children'])}"
        )
    doc.add_heading("Why this level", level=2)
    for reason in content["reasons"] or ["No indicator was answered yes."]:
        doc.add_paragraph(reason, style="List Bullet")
    if content["marac"]:
        doc.add_heading("MARAC referral criteria met", level=2)
        for code in content["marac"]:
            doc.add_paragraph(_MARAC_LABELS.get(code, code), style="List Bullet")
    doc.add_heading("Actions", level=2)
    for action in content["actions"]:
        doc.add_paragraph(action, style="List Bullet")
    doc.add_heading("Answers", level=2)
    answers = doc.add_table(rows=1, cols=4)
    answers.style = "Table Grid"
    for cell, text in zip(
        answers.rows[0].cells, ["Section", "Question", "Answer", "Source and comment"], strict=True
    ):
        cell.text = text
    for row in content["answers"]:
        for cell, text in zip(answers.add_row().cells, row, strict=True):
            cell.text = text
    doc.add_heading("Outcome", level=2)
    for outcome in content["outcomes"] or ["Not recorded yet."]:
        doc.add_paragraph(outcome, style="List Bullet")
    small = doc.add_paragraph(f"{content['licence']} Produced {content['generated']}.")
    for run in small.runs:
        run.font.size = Pt(8)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def summary_pdf(identification: Identification, instrument) -> bytes:
    content = summary_content(identification, instrument)
    base = ParagraphStyle("base", fontName="Helvetica", fontSize=10, leading=13)
    title = ParagraphStyle(
        "title", parent=base, fontName="Helvetica-Bold", fontSize=16, leading=20, textColor=BRAND
    )
    heading = ParagraphStyle(
        "heading",
        parent=base,
        fontName="Helvetica-Bold",
        fontSize=12,
        leading=16,
        spaceBefore=8,
        spaceAfter=4,
        textColor=BRAND,
    )
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=10)

    def p(text, style=base):
        return Paragraph(escape(str(text)), style)

    def table(rows, widths, header=False):
        t = Table([[p(c) for c in row] for row in rows], colWidths=widths, repeatRows=header)
        styles = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        if header:
            styles.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f0f2")))
        t.setStyle(TableStyle(styles))
        return t

    story = [
        p(f"{settings.PARTNERSHIP_NAME} – OFFICIAL-SENSITIVE", small),
        Spacer(1, 4),
        p(content["title"], title),
        Spacer(1, 6),
        table(content["facts"], [50 * mm, 124 * mm]),
        p("People in the household", heading),
        table(
            [("Name", "Who", "Date of birth"), *content["people"]],
            [60 * mm, 64 * mm, 50 * mm],
            True,
        ),
    ]
    if content["subject"]:
        story.append(p(f"Adult experiencing abuse: {content['subject']}"))
    if content["children"]:
        story.append(p(f"Children this identification is about: {', '.join(content['children'])}"))
    story.append(p("Why this level", heading))
    story += [p(f"• {r}") for r in content["reasons"] or ["No indicator was answered yes."]]
    if content["marac"]:
        story.append(p("MARAC referral criteria met", heading))
        story += [p(f"• {_MARAC_LABELS.get(c, c)}") for c in content["marac"]]
    story.append(p("Actions", heading))
    story += [p(f"• {a}") for a in content["actions"]]
    story.append(p("Answers", heading))
    story.append(
        table(
            [("Section", "Question", "Answer", "Source and comment"), *content["answers"]],
            [34 * mm, 80 * mm, 22 * mm, 38 * mm],
            True,
        )
    )
    story.append(p("Outcome", heading))
    story += [p(f"• {o}") for o in content["outcomes"] or ["Not recorded yet."]]
    story += [Spacer(1, 8), p(f"{content['licence']} Produced {content['generated']}.", small)]
    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=content["title"],
        author=settings.PARTNERSHIP_NAME,
    ).build(story)
    return out.getvalue()
