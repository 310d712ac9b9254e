"""The risk API's serializers: instruments, the calculator's input and output, identifications."""

from __future__ import annotations

from rest_framework import serializers

from safeguarding.risk.models import Identification


class QuestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    section = serializers.CharField()
    text = serializers.CharField()
    help = serializers.CharField()
    answer_type = serializers.ChoiceField(
        choices=["yes_no_dont_know", "yes_no", "text", "date", "date_list", "number"]
    )
    kind = serializers.ChoiceField(
        choices=["indicator", "modifier", "protective_factor", "context"]
    )
    scale = serializers.IntegerField(allow_null=True)
    required = serializers.BooleanField()


class LevelSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    code = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()
    actions = serializers.ListField(child=serializers.CharField())


class InstrumentSerializer(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.IntegerField()
    title = serializers.CharField()
    licence = serializers.CharField()
    levels = LevelSerializer(many=True)
    questions = QuestionSerializer(many=True)


class EvaluateSerializer(serializers.Serializer):
    instrument = serializers.CharField(help_text="An instrument code, e.g. dash-2009.")
    version = serializers.IntegerField(required=False, min_value=1)
    answers = serializers.DictField(
        help_text='{question code: value}; yes / no questions take "yes", "no" or "dont_know".'
    )
    assessed_on = serializers.DateField(
        required=False, help_text="The day the windows are counted back from (default today)."
    )


class ReasonSerializer(serializers.Serializer):
    question = serializers.CharField(source="question_code")
    text = serializers.CharField()
    effect = serializers.CharField()


class EvaluationSerializer(serializers.Serializer):
    instrument = serializers.CharField()
    version = serializers.IntegerField()
    level = serializers.CharField(help_text="standard/medium/high, or no_indicator/scale_1..4.")
    level_label = serializers.CharField()
    reasons = ReasonSerializer(many=True)
    actions = serializers.ListField(child=serializers.CharField())
    marac_criteria = serializers.ListField(
        child=serializers.ChoiceField(
            choices=[
                "visible_high_risk",
                "professional_judgement",
                "potential_escalation",
                "repeat",
            ]
        )
    )
    information_gaps = serializers.IntegerField(help_text='How many answers were "dont_know".')
    information_gap_questions = serializers.ListField(child=serializers.CharField())
    details = serializers.DictField()


class IdentificationSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    agency = serializers.CharField(source="agency.name", read_only=True)
    author = serializers.EmailField(source="author.email", read_only=True)
    status = serializers.CharField(
        read_only=True, help_text="in_progress, awaiting_countersignature or completed."
    )

    class Meta:
        model = Identification
        fields = [
            "id",
            "reference",
            "agency",
            "author",
            "instrument_code",
            "instrument_version",
            "status",
            "assessed_on",
            "suggested_level",
            "suggested_label",
            "confirmed_level",
            "confirmed_label",
        ]


class IdentificationDetailSerializer(IdentificationSerializer):
    class Meta(IdentificationSerializer.Meta):
        fields = [
            *IdentificationSerializer.Meta.fields,
            "answers",
            "answer_notes",
            "rationale",
            "evaluation",
        ]
