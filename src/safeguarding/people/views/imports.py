"""Importing agencies and people from CSV or Excel: upload, check the report, confirm.

The file is read and checked on upload and nothing is written. A file with no rejected rows is
kept in the (server-side) session until the user confirms; on confirmation it is checked again
against the database as it is then and imported in one transaction. The logic is in
people.imports.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from django import forms
from django.contrib import messages
from django.forms.utils import ErrorDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safeguarding.core.forms import GovukForm
from safeguarding.people import imports
from safeguarding.people.models import Role, Sector
from safeguarding.people.permissions import MANAGE_PEOPLE, capability_required
from safeguarding.people.selectors import partnership_for

_SESSION_KEY = "people.import.{kind}"

_KINDS = {
    imports.AGENCIES: {
        "title": "Import agencies",
        "noun": "agencies",
        "singular": "agency",
        "list_url": "people:agency-list",
        "url": "people:agency-import",
    },
    imports.PEOPLE: {
        "title": "Import people",
        "noun": "people",
        "singular": "person",
        "list_url": "people:person-list",
        "url": "people:person-import",
    },
}


def _file_field(kind: str) -> forms.FileField:
    size = imports.MAX_FILE_BYTES // (1024 * 1024)
    return forms.FileField(
        label="Upload a file",
        help_text=(
            f"A CSV file (.csv) or an Excel workbook (.xlsx), smaller than {size} MB. The first "
            f"row must contain the column names: {', '.join(imports.column_names(kind))}."
        ),
        widget=forms.FileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,application/"
                "vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class ImportUploadForm(GovukForm):
    """The upload: the file is read and its columns checked here, so problems with the file as a
    whole show in the error summary. `problem` shows a later problem (on confirmation) the same
    way."""

    kind = ""

    def __init__(self, *args, problem: str = "", **kwargs):
        self.problem = problem
        self.table: imports.Table | None = None
        self.file_bytes = b""
        if problem:
            kwargs.setdefault("data", {})
        super().__init__(*args, **kwargs)

    def full_clean(self):
        if self.problem:
            self._errors = ErrorDict()
            self.cleaned_data = {}
            self.add_error("file", self.problem)
            return
        super().full_clean()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_FILE_BYTES:
            raise forms.ValidationError(imports.too_big_message())
        upload.seek(0)
        data = upload.read(imports.MAX_FILE_BYTES + 1)
        try:
            table = imports.parse_table(data, upload.name)
            imports.check_columns(table, self.kind)
        except imports.ImportFileError as error:
            raise forms.ValidationError(error.message) from None
        self.table, self.file_bytes = table, data
        return upload


class AgencyImportForm(ImportUploadForm):
    kind = imports.AGENCIES
    file = _file_field(imports.AGENCIES)


class PeopleImportForm(ImportUploadForm):
    kind = imports.PEOPLE
    file = _file_field(imports.PEOPLE)


_FORMS = {imports.AGENCIES: AgencyImportForm, imports.PEOPLE: PeopleImportForm}


def _session_key(kind: str) -> str:
    return _SESSION_KEY.format(kind=kind)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _store(request, kind: str, table: imports.Table, data: bytes) -> str:
    """Keep a checked file for the confirmation step. Returns its digest for the form."""
    digest = _digest(data)
    request.session[_session_key(kind)] = {
        "name": table.file_name,
        "data": base64.b64encode(data).decode("ascii"),
        "digest": digest,
    }
    return digest


def _stored(request, kind: str, digest: str) -> tuple[str, bytes] | None:
    stored = request.session.get(_session_key(kind))
    if not isinstance(stored, dict) or not digest or stored.get("digest") != digest:
        return None
    try:
        data = base64.b64decode(stored["data"], validate=True)
    except (KeyError, TypeError, ValueError, binascii.Error):
        return None
    if len(data) > imports.MAX_FILE_BYTES or _digest(data) != digest:
        return None
    return stored.get("name", ""), data


def _forget(request, kind: str) -> None:
    request.session.pop(_session_key(kind), None)


def _page_context(kind: str, form) -> dict:
    return {
        "kind": kind,
        "form": form,
        "columns": imports.COLUMNS[kind],
        "kind_choices": Sector.choices if kind == imports.AGENCIES else Role.choices,
        "max_rows": f"{imports.MAX_ROWS:,}",
        **_KINDS[kind],
    }


def _upload_page(request, kind: str, form):
    return render(request, "people/import.html", _page_context(kind, form))


def _report_page(request, kind: str, report: imports.ImportReport, digest: str = ""):
    context = _page_context(kind, _FORMS[kind]())
    context.update(report=report, digest=digest)
    return render(request, "people/import_report.html", context)


def _confirm(request, kind: str):
    found = _stored(request, kind, request.POST.get("digest", ""))
    if found is None:
        problem = "The file you checked is no longer available. Upload it again."
        return _upload_page(request, kind, _FORMS[kind](problem=problem))
    name, data = found
    try:
        table = imports.parse_table(data, name)
        report = imports.confirm_import(kind, table, partnership_for(request.user), request.user)
    except imports.ImportFileError as error:
        _forget(request, kind)
        return _upload_page(request, kind, _FORMS[kind](problem=error.message))
    except imports.ImportFailed as error:
        _forget(request, kind)
        problem = f"Nothing was imported. {error}"
        return _upload_page(request, kind, _FORMS[kind](problem=problem))
    _forget(request, kind)
    if not report.imported:
        # Something changed since the file was checked: show the new problems.
        return _report_page(request, kind, report)
    messages.success(
        request,
        f"{report.file_name or 'The file'} has been imported: {len(report.to_create)} added, "
        f"{len(report.to_update)} updated.",
    )
    return redirect(_KINDS[kind]["list_url"])


def _import(request, kind: str):
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _confirm(request, kind)
    if request.method == "GET":
        _forget(request, kind)
        return _upload_page(request, kind, _FORMS[kind]())
    form = _FORMS[kind](request.POST, request.FILES)
    if not form.is_valid():
        _forget(request, kind)
        return _upload_page(request, kind, form)
    report = imports.VALIDATORS[kind](form.table, partnership_for(request.user))
    digest = ""
    if report.is_valid:
        digest = _store(request, kind, form.table, form.file_bytes)
    else:
        _forget(request, kind)
    return _report_page(request, kind, report, digest)


@require_http_methods(["GET", "POST"])
@capability_required(MANAGE_PEOPLE)
def agency_import(request):
    return _import(request, imports.AGENCIES)


@require_http_methods(["GET", "POST"])
@capability_required(MANAGE_PEOPLE)
def person_import(request):
    return _import(request, imports.PEOPLE)
