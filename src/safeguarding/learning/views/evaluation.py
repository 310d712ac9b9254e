"""Evaluations: the person who attended answers the questionnaire straight after the session and
again 6 to 8 weeks later; the business unit reads the results by course, trainer and session."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.core import charts
from safeguarding.core.forms import apply_errors
from safeguarding.learning.forms.evaluation import EvaluationForm, ResultsFilterForm
from safeguarding.learning.models import Questionnaire
from safeguarding.learning.selectors import evaluation as selectors
from safeguarding.learning.services import evaluation as services
from safeguarding.people.permissions import is_business_unit
from safeguarding.people.selectors import partnership_for


@never_cache
@require_http_methods(["GET", "POST"])
def evaluate(request, pk, stage):
    if stage not in selectors.STAGES:
        raise Http404("No such evaluation")
    booking = selectors.booking_for_evaluation(request.user, pk)
    session = booking.session
    context = {
        "booking": booking,
        "session": session,
        "stage": stage,
        "stage_label": Questionnaire.Stage(stage).label,
        "is_follow_up": stage == Questionnaire.Stage.FOLLOW_UP,
    }
    response = selectors.evaluation_for(booking, stage)
    if response is not None:
        context.update(response=response, answers=selectors.answered_questions(response))
        return render(request, "learning/evaluation/already_sent.html", context)
    is_open, reason = services.evaluation_is_open(booking, stage)
    if not is_open:
        context.update(reason=reason, opens_at=selectors.follow_up_opens_at(session))
        return render(request, "learning/evaluation/not_open.html", context)

    questionnaire = services.questionnaire_for(partnership=session.course.partnership, stage=stage)
    form = EvaluationForm(
        request.POST if request.method == "POST" else None, questionnaire=questionnaire
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_submit(
                booking=booking, stage=stage, answers=form.cleaned_data, actor=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Thank you: your evaluation has been sent.")
            return redirect("learning:evaluate", pk=booking.pk, stage=stage)
    context.update(form=form, questionnaire=questionnaire)
    return render(request, "learning/evaluation/form.html", context)


def _chart(rating: dict, stage: str) -> dict:
    labels = selectors.rating_labels(rating)
    average = "no answers" if rating["average"] is None else f"average {rating['average']:.2f}"
    return {
        **rating,
        "rows": list(zip(labels, rating["counts"], strict=True)),
        # The ratings table above the charts gives these figures: the page shows only the SVG.
        "chart": charts.bar_chart(
            labels,
            rating["counts"],
            title=f"{rating['text']}: answers by rating",
            name="Answers",
            value_label="Answers",
            description=f"{rating['answered']} answered, {average} out of 5.",
            chart_id=f"chart-{stage}-{rating['code']}",
        ),
    }


@require_safe
def results(request):
    if not is_business_unit(request.user):
        raise PermissionDenied("Only the business unit can see evaluation results.")
    partnership = partnership_for(request.user)
    form = ResultsFilterForm(request.GET or None, partnership=partnership)
    valid = not form.is_bound or form.is_valid()
    start, end, period_label = form.period()
    filters = {}
    if form.is_bound and valid:
        filters = {name: form.cleaned_data.get(name) for name in ("course", "trainer", "session")}
    summary = selectors.evaluation_summary(partnership=partnership, start=start, end=end, **filters)
    comments = selectors.evaluation_comments(
        partnership=partnership, start=start, end=end, **filters
    )
    stages = [
        {
            "code": stage,
            "label": Questionnaire.Stage(stage).label,
            **summary[stage],
            "charts": [_chart(rating, stage) for rating in summary[stage]["ratings"]],
            "comments": comments[stage],
        }
        for stage in selectors.STAGES
    ]
    return render(
        request,
        "learning/evaluation/results.html",
        {
            "form": form if form.is_bound and form.errors else None,
            "filter_form": form,
            "filtered": form.is_bound,
            "start": start,
            "end": end,
            "period_label": period_label,
            "filters": {name: value for name, value in filters.items() if value is not None},
            "summary": summary,
            "stages": stages,
        },
    )
