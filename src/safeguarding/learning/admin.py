"""Admin pages for the training programme's configuration; every change is audited."""

from django import forms
from django.contrib import admin

from safeguarding.core.admin import AuditedModelAdmin
from safeguarding.learning.models import FeeSchedule, Level, Questionnaire, Venue
from safeguarding.learning.services.evaluation import questionnaire_validate


@admin.register(Level)
class LevelAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "order", "partnership"]


@admin.register(FeeSchedule)
class FeeScheduleAdmin(AuditedModelAdmin):
    list_display = [
        "partnership",
        "school_day_rate",
        "other_day_rate",
        "late_cancellation_charge",
        "no_show_charge",
        "free_places_per_trainer_day",
    ]


@admin.register(Venue)
class VenueAdmin(AuditedModelAdmin):
    list_display = ["name", "postcode", "locality"]
    search_fields = ["name", "address"]


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["partnership", "name", "stage", "questions", "is_default"]

    def clean_questions(self):
        # Every problem is listed against the field, naming the question.
        return questionnaire_validate(self.cleaned_data["questions"])


@admin.register(Questionnaire)
class QuestionnaireAdmin(AuditedModelAdmin):
    form = QuestionnaireForm
    list_display = ["name", "stage", "is_default", "partnership"]
