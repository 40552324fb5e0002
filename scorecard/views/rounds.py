"""Reporting rounds: list and open, detail, close and reopen, and the Excel round trip."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osm import access, audit
from osm.http import AuthedRequest, apply_errors, xlsx_response
from osm.imports import import_step
from osm.lib import dates, spreadsheets
from osm.lib.locking import StaleVersion
from osm.models import Province
from scorecard import selectors, services, sheets
from scorecard.forms import (
    ReasonForm,
    RoundCloseForm,
    RoundForm,
    RoundReopenForm,
    UploadConfirmForm,
    UploadForm,
)
from scorecard.models import ReportingRound, Result
from scorecard.views._common import (
    get_cluster_for_user,
    get_round_for_user,
)


@login_required
@require_http_methods(["GET", "POST"])
def round_list(request: AuthedRequest, pk: int) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, pk)
    can_edit = access.scope_for(request.user).can_edit_cluster(cluster.pk)
    current = dates.current_fiscal_year()
    years = list(range(current - 1, current + 2))
    period = dates.fiscal_quarter_of(timezone.localdate())
    form = RoundForm(
        request.POST or None,
        years=years,
        initial={
            "fiscal_year": period.year,
            "quarter": period.quarter,
            "deadline": services.default_deadline(period.year, period.quarter),
        },
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                created = services.round_open(cluster=cluster, by=request.user, **form.cleaned_data)
            except ValidationError as err:
                apply_errors(form, err)
            else:
                messages.success(request, _("The reporting round is open."))
                asked = form.cleaned_data["deadline"]
                if created.deadline != asked:
                    reason = dates.holiday_name(asked, language=translation.get_language()) or _(
                        "a weekend"
                    )
                    messages.info(
                        request,
                        _(
                            "The deadline moved from %(asked)s to %(deadline)s because it "
                            "fell on %(reason)s."
                        )
                        % {
                            "asked": dates.format_date(asked, style="long"),
                            "deadline": dates.format_date(created.deadline, style="long"),
                            "reason": reason,
                        },
                    )
                return redirect(created)
    context = {
        "cluster": cluster,
        "rounds": selectors.rounds_of_cluster(cluster),
        "form": form,
        "can_edit": can_edit,
    }
    return render(request, "scorecard/round_list.html", context)


@login_required
@require_GET
def round_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    reporting_round = get_round_for_user(request.user, pk)
    return render(request, "scorecard/round_detail.html", _round_page(request, reporting_round))


def _round_page(
    request: AuthedRequest, reporting_round: ReportingRound, **extra: Any
) -> dict[str, Any]:
    """The round page's context; a failed upload shows the same page with its errors."""
    scope = access.scope_for(request.user)
    own = scope.officer_provinces
    context: dict[str, Any] = {
        "round": reporting_round,
        "can_edit": scope.can_edit_cluster(reporting_round.cluster_id),
        "reopen_form": ReasonForm(),
        "upload_form": UploadForm(),
        "history": audit.history_for_user(request.user, reporting_round),
    }
    if own:
        context["results"] = selectors.round_results_for_province(reporting_round, own)
    if scope.can_read_cluster(reporting_round.cluster_id):
        context["progress"] = selectors.round_progress(reporting_round)
        context["cluster_results"] = selectors.round_cluster_results(reporting_round)
    return context | extra


@login_required
@require_POST
def round_close(request: AuthedRequest, pk: int) -> HttpResponse:
    reporting_round = get_round_for_user(request.user, pk, edit=True)
    form = RoundCloseForm(request.POST, lock_version=reporting_round.lock_version)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()))
        return redirect(reporting_round)
    try:
        services.round_close(
            reporting_round=reporting_round, lock_version=form.cleaned_data["lock_version"]
        )
    except StaleVersion as error:
        _round_conflict(request, error)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("The round is closed."))
    return redirect(reporting_round)


def _round_conflict(request: AuthedRequest, error: StaleVersion) -> None:
    """Somebody changed the round first: say so; the round page shows it as it is now."""
    messages.error(
        request,
        _(
            "Somebody else changed this round in the meantime (it is now %(state)s). "
            "Nothing of yours was done; check the round as it is now."
        )
        % {"state": error.current.get_state_display()},
    )


@login_required
@require_POST
def round_reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    reporting_round = get_round_for_user(request.user, pk, edit=True)
    form = RoundReopenForm(request.POST, lock_version=reporting_round.lock_version)
    if form.is_valid():
        try:
            services.round_reopen(reporting_round=reporting_round, **form.cleaned_data)
        except StaleVersion as error:
            _round_conflict(request, error)
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("The round is open again."))
    elif form.non_field_errors():
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()))
    else:
        messages.error(request, _("Give a reason for reopening the round."))
    return redirect(reporting_round)


def _upload_provinces(user: Any, reporting_round: ReportingRound) -> frozenset[int]:
    """The round's provinces this person reports for (administrators: all of them)."""
    scope = access.scope_for(user)
    provinces = Province.objects.filter(cluster_id=reporting_round.cluster_id)
    if not scope.is_superuser:
        provinces = provinces.filter(pk__in=scope.officer_provinces)
    return frozenset(provinces.values_list("pk", flat=True))


@login_required
@require_GET
def round_workbook(request: AuthedRequest, pk: int) -> HttpResponse:
    """The round's results the person may see, as a pre-filled workbook."""
    reporting_round = get_round_for_user(request.user, pk)
    scope = access.scope_for(request.user)
    results = access.visible(request.user, Result).filter(
        round=reporting_round, province__isnull=False
    )
    if not scope.can_read_cluster(reporting_round.cluster_id):
        results = results.filter(province_id__in=scope.officer_provinces)
    results = results.select_related("indicator", "province", "province_target").order_by(
        "province__name_th", *selectors.INDICATOR_ORDER
    )
    content = spreadsheets.export_workbook(
        sheets.ResultSheet(), sheets.workbook_rows(results), locked=sheets.LOCKED_COLUMNS
    )
    filename = (
        f"ผลการดำเนินงาน-{reporting_round.cluster.name_th}-"
        f"{reporting_round.fiscal_year}-ไตรมาส{reporting_round.quarter}.xlsx"
    )
    return xlsx_response(content, filename)


@login_required
@require_POST
def round_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    """A province uploads the filled-in workbook: a preview of the rows it changes, then, once
    confirmed, every changed row saved as a draft (or submitted), or none."""
    reporting_round = get_round_for_user(request.user, pk)
    provinces = _upload_provinces(request.user, reporting_round)
    if not provinces:
        raise PermissionDenied
    context = sheets.UploadContext(reporting_round, request.user, provinces)
    step = None
    if reporting_round.is_open:
        step = import_step(
            request,
            sheets.ResultSheet(),
            context=context,
            owner=f"{request.user.pk}:scorecard.round:{reporting_round.pk}",
            upload_form_class=UploadForm,
            confirm_form_class=UploadConfirmForm,
            configure=lambda options: setattr(context, "submit", bool(options.get("submit"))),
        )
        if step.saved:
            message = (
                _("%(n)s results were submitted.")
                if context.submit
                else _("%(n)s results were saved as drafts. Check them and submit.")
            )
            messages.success(request, message % {"n": len(context.saved)})
            return redirect(reporting_round)
    upload_form = step.upload_form if step else UploadForm()
    if step is None:
        upload_form.add_error(None, _("The reporting round is closed."))
    # The round page as usual, with the upload's preview or its mistakes.
    page = _round_page(request, reporting_round, upload_form=upload_form, import_step=step)
    page["results"] = selectors.round_results_for_province(reporting_round, provinces)
    status = 400 if step is None or step.status == 400 or not step.preview else 200
    return render(request, "scorecard/round_detail.html", page, status=status)
