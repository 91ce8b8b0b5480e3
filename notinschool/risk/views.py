"""The rule table, changing a threshold, re-running the rules, and a manager's tier override.

Who may open what (docs/product.md): the rule table is readable by everyone who reads reports
(officers, managers, partnership analysts: it holds no child's data); only a team manager
changes thresholds (`CHANGE_RULES`) and overrides tiers (`OVERRIDE_TIER`)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notinschool.accounts.roles import Cap
from notinschool.core.errors import DomainError
from notinschool.people.models import Child
from notinschool.people.pages import child_or_404
from notinschool.risk.forms import EndOverrideForm, RuleSettingForm, TierOverrideForm
from notinschool.risk.selectors import (
    rule_setting_history,
    rule_table_page,
    tier_override_in_force,
)
from notinschool.risk.services import rule_setting_change, rule_table_current
from notinschool.risk.thresholds import threshold_for
from notinschool.web.access import actor, requires
from notinschool.workflow.assessment import (
    risk_assessment_run_recorded,
    tier_override_choices,
    tier_override_create,
    tier_override_end,
)


@requires(Cap.VIEW_REPORTS)
def rules(request: HttpRequest) -> HttpResponse:
    return render(request, "risk/rules.html", {"page": rule_table_page(),
                                               "can_change": actor(request).can(Cap.CHANGE_RULES)})


@requires(Cap.CHANGE_RULES)
def rule_setting_edit(request: HttpRequest, setting: str) -> HttpResponse:
    threshold = threshold_for(setting)
    if threshold is None:
        raise Http404("No such setting")
    current = getattr(rule_table_current().settings, setting)
    form = RuleSettingForm(request.POST or None, threshold=threshold)
    if request.method == "POST" and form.is_valid():
        try:
            change = rule_setting_change(actor=actor(request), name=setting,
                                         value=form.cleaned_data["value"],
                                         reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error("value", str(error))
        else:
            messages.success(request, f"{threshold.label} changed from {change.previous_value} to "
                                      f"{change.value} {threshold.unit}. The rule version is now "
                                      f"{change.rule_version_after}.")
            return redirect("rules_changed")
    return render(request, "risk/setting_edit.html", {
        "form": form, "threshold": threshold, "current": current,
        "history": rule_setting_history(name=setting)})


@requires(Cap.CHANGE_RULES)
def rules_changed(request: HttpRequest) -> HttpResponse:
    """After a change: the version now in force against the one the stored assessments used,
    and the button to re-run the rules."""
    page = rule_table_page()
    return render(request, "risk/rules_changed.html", {"page": page})


@requires(Cap.CHANGE_RULES)
@require_POST
def rules_rerun(request: HttpRequest) -> HttpResponse:
    run = risk_assessment_run_recorded(actor=actor(request), child_ids=None)
    children = "1 child" if run.children == 1 else f"{run.children} children"
    messages.success(request, f"The rules were run over {children} in {run.seconds:.1f} seconds.")
    return redirect("rules_changed")


def _child(request: HttpRequest, child_id: str) -> Child:
    return child_or_404(request, child_id)


@requires(Cap.OVERRIDE_TIER)
def child_override(request: HttpRequest, child_id: str) -> HttpResponse:
    child = _child(request, child_id)
    if not child.is_open:
        raise Http404("Only children with an open record are assessed")
    choices = tier_override_choices(child=child)
    allowed = [tier for tier in choices.ends if tier < choices.computed_tier]
    form = TierOverrideForm(request.POST or None, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            tier_override_create(actor=actor(request), child=child, tier=form.cleaned_data["tier"],
                                 rationale=form.cleaned_data["rationale"])
        except DomainError as error:
            form.add_error("tier", str(error))
        else:
            messages.success(request, f"Tier overridden to {form.cleaned_data['tier']}.")
            return redirect("child_detail", child_id=child.pk)
    return render(request, "risk/override.html", {
        "child": child, "form": form, "choices": choices, "allowed": allowed,
        "in_force": tier_override_in_force(child=child)})


@requires(Cap.OVERRIDE_TIER)
def child_override_end(request: HttpRequest, child_id: str) -> HttpResponse:
    child = _child(request, child_id)
    override = tier_override_in_force(child=child)
    if override is None:
        raise Http404("This child has no override in force")
    form = EndOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tier_override_end(actor=actor(request), override=override,
                              reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, "The override has ended; the tier the rules give stands.")
            return redirect("child_detail", child_id=child.pk)
    return render(request, "risk/override_end.html", {"child": child, "form": form,
                                                      "override": override})
