"""Admin pages for the risk tool's configuration: a partnership's own instrument versions (an
upload, validated by the engine and stored through the service) and which courses and practice
group meetings trained people on the tool. Identifications and households are deliberately not
here: the business unit sees only the board's aggregates."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from safeguarding.core.admin import AuditedModelAdmin
from safeguarding.risk.instruments import InstrumentError
from safeguarding.risk.models import InstrumentVersion, MatrixTraining
from safeguarding.risk.services.instruments import (
    instrument_version_load,
    instrument_version_validate,
)


class InstrumentUploadForm(forms.ModelForm):
    file = forms.FileField(
        help_text="The instrument as a YAML or JSON file, e.g. licensed wording."
    )

    class Meta:
        model = InstrumentVersion
        fields = ["partnership"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None or cleaned.get("partnership") is None:
            return cleaned
        try:
            self.text = upload.read().decode("utf-8")
            instrument_version_validate(
                partnership=cleaned["partnership"], filename=upload.name, text=self.text
            )
        except UnicodeDecodeError:
            raise ValidationError({"file": "The file must be UTF-8 text."}) from None
        except InstrumentError as error:
            raise ValidationError({"file": str(error)}) from None
        return cleaned


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "title", "partnership", "loaded_at", "loaded_by"]
    readonly_fields = ["code", "version", "title", "filename", "source", "loaded_at", "loaded_by"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = InstrumentUploadForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["partnership", "file"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False  # a loaded version is never rewritten: load a newer one

    def has_delete_permission(self, request, obj=None):
        return False  # identifications refer to it

    def save_model(self, request, obj, form, change):
        # A race with another upload of the same version ends in the unique constraint.
        saved = instrument_version_load(
            partnership=form.cleaned_data["partnership"],
            filename=form.cleaned_data["file"].name,
            text=form.text,
            actor=request.user,
        )
        obj.pk = saved.pk
        obj.__dict__.update(saved.__dict__)


@admin.register(MatrixTraining)
class MatrixTrainingAdmin(AuditedModelAdmin):
    list_display = ["__str__", "course", "meeting", "partnership"]
    raw_id_fields = ["course", "meeting"]
