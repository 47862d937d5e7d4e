"""Pages for programs, applications, the decision queue and the dashboard.

Views fetch, check, act and respond; the workflows themselves live in exchanges/services.py.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import cache
from core.periods import calendar_year_bounds
from core.roles import is_international_office
from exchanges import services
from exchanges.filters import ProgramFilter, ReviewFilter
from exchanges.forms import ApplicationForm, DecisionForm, MobilityReportForm
from exchanges.models import (
    ALREADY_APPLIED,
    REPORT_BEFORE_THE_END,
    Application,
    ApplicationAttachment,
    MobilityRecord,
    MobilityReportAttachment,
    Program,
)
from partners.choices import Direction
from partners.models import Agreement
from people.models import Profile
from people.roles import is_reviewer

DASHBOARD_ROWS = 10


def _programs_for(user):
    """Programs ever published, archived ones included (their pages say so); the international
    office also sees drafts."""
    office = is_international_office(user)
    programs = Program.objects.all() if office else Program.objects.ever_published()
    return programs.select_related("host_institution", "agreement", "department")


def _get_program_for_user(request: HttpRequest, slug: str) -> Program:
    return get_object_or_404(_programs_for(request.user).annotate_places_taken(), slug=slug)


def _get_application_for_user(request: HttpRequest, pk: int) -> Application:
    """The signed-in person's own application; anybody else's is a 404."""
    return get_object_or_404(
        Application.objects.select_related(
            "program__host_institution", "program__department", "department"
        ),
        pk=pk,
        applicant=request.user,
    )


def _get_application_for_reviewer(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.for_reviewer(request.user).select_related(
            "applicant__profile", "department", "decided_by", "program__host_institution"
        ),
        pk=pk,
    )


def _refuse(request: HttpRequest, error: services.WorkflowRefused, form=None) -> None:
    if form is not None and error.field in form.fields:
        form.add_error(error.field, error.message)
    else:
        messages.error(request, error.message)


def _mobility_figures(year: int) -> dict:
    first, last = calendar_year_bounds(year)
    return (
        MobilityRecord.objects.counted()
        .starting_between(first, last)
        # Counting start_date, not pk: the partial index of counted records answers it alone.
        .aggregate(
            outgoing=Count("start_date", filter=Q(direction=Direction.OUTGOING)),
            incoming=Count("start_date", filter=Q(direction=Direction.INCOMING)),
        )
    )


def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    cache.page_query(request, [])

    def content():
        open_programs = (
            Program.objects.published()
            .call_open()
            .select_related("host_institution")
            .annotate_places_taken()
            .order_by("call_closes", "title")[:DASHBOARD_ROWS]
        )
        context = {
            "open_programs": open_programs,
            "applied_program_ids": set(
                Application.objects.live()
                .filter(applicant=user)
                .values_list("program_id", flat=True)
            ),
            "my_applications": Application.objects.filter(applicant=user).select_related("program")[
                :DASHBOARD_ROWS
            ],
        }
        if is_reviewer(user):
            context.update(_reviewer_sections(user))
        return render_to_string("dashboard_content.html", context, request)

    # This person's view: their applications, and for a reviewer their queue and agreements.
    html = cache.cached(request, "dashboard", scope=cache.person_scope(user), build=content)
    return render(request, "dashboard.html", {"content": html})


def _reviewer_sections(user) -> dict:
    expiring = Agreement.objects.expiring_within(settings.EXPIRY_WARNING_DAYS)
    expiring = expiring.filter(is_archived=False).select_related("partner")
    if not is_international_office(user):
        # A subquery, not a join: no duplicate rows to remove with DISTINCT.
        departments = user.coordinated_departments.values("pk")
        expiring = expiring.filter(Q(department__in=departments) | Q(coordinator=user))
    year = timezone.localdate().year
    return {
        "reviewer_sections": True,
        "awaiting": Application.objects.for_reviewer(user)
        .awaiting_decision()
        .select_related("applicant", "program")
        .order_by("submitted_at")[:DASHBOARD_ROWS],
        "expiring_agreements": expiring.order_by("valid_until")[:DASHBOARD_ROWS],
        "expiry_days": settings.EXPIRY_WARNING_DAYS,
        "figures_year": year,
        "figures": _mobility_figures(year),
    }


def program_list(request: HttpRequest) -> HttpResponse:
    cache.page_query(request, [*ProgramFilter.base_filters, "page"])

    def content():
        programs = Program.objects.published().select_related("host_institution")
        filterset = ProgramFilter(request.GET, queryset=programs.annotate_places_taken())
        paginator = Paginator(filterset.qs.order_by("-starts_on", "title"), settings.PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        context = {"filterset": filterset, "page_obj": page, "programs": page.object_list}
        return render_to_string("exchanges/program_list_content.html", context, request)

    # Published programs only: the same list for every signed-in person.
    html = cache.cached(request, "program-list", scope=cache.EVERYONE, build=content)
    return render(request, "exchanges/program_list.html", {"content": html})


def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    program = _get_program_for_user(request, slug)
    existing = services.live_application_of(applicant=request.user, program=program)
    profile = Profile.objects.for_user(request.user)
    return render(
        request,
        "exchanges/program_detail.html",
        {
            "program": program,
            "existing_application": existing,
            "refusal": program.refusal_for(profile=profile, existing=existing),
            "profile_refusal": program.profile_refusal(profile),
        },
    )


def _refuse_for_profile(
    request: HttpRequest, program: Program, refusal: str, application: Application | None = None
) -> HttpResponse:
    """The application form's page for a person whose profile keeps them out: why, and where
    to complete it; nothing is written."""
    return render(
        request,
        "exchanges/application_form.html",
        {"program": program, "application": application, "profile_refusal": refusal},
    )


def application_create(request: HttpRequest, slug: str) -> HttpResponse:
    program = _get_program_for_user(request, slug)
    existing = services.live_application_of(applicant=request.user, program=program)
    if existing is not None:
        messages.info(request, ALREADY_APPLIED)
        return redirect(existing)
    profile = Profile.objects.for_user(request.user)
    refusal = program.refusal_for(profile=profile)
    if refusal and refusal == program.profile_refusal(profile):
        return _refuse_for_profile(request, program, refusal)
    if refusal:
        messages.error(request, refusal)
        return redirect(program)
    form = ApplicationForm(
        request.POST or None, request.FILES or None, initial={"department": profile.department_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.create_application(
                applicant=request.user,
                program=program,
                department=form.cleaned_data["department"],
                motivation=form.cleaned_data["motivation"],
                files=form.cleaned_data["attachments"],
                submit=request.POST.get("action") == "submit",
                build_url=request.build_absolute_uri,
            )
        except services.WorkflowRefused as error:
            _refuse(request, error, form)
        else:
            return _after_save(request, application)
    return render(request, "exchanges/application_form.html", {"form": form, "program": program})


def _after_save(request: HttpRequest, application: Application) -> HttpResponse:
    if application.status == Application.Status.SUBMITTED:
        messages.success(request, _("Your application was submitted."))
    else:
        messages.success(request, _("Your application was saved as a draft."))
    return redirect(application)


def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get_application_for_user(request, pk)
    program = application.program
    if application.is_archived:
        messages.error(request, services.ARCHIVED_APPLICATION_MESSAGE)
        return redirect(application)
    if application.status != Application.Status.DRAFT:
        messages.error(request, _("Only a draft can be changed."))
        return redirect(application)
    profile_refusal = program.profile_refusal(Profile.objects.for_user(request.user))
    if profile_refusal:
        return _refuse_for_profile(request, program, profile_refusal, application)
    attachments = list(application.attachments.unarchived())
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        initial=ApplicationForm.initial_from(application),
        attached=len(attachments),
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.update_draft(
                application=application,
                department=form.cleaned_data["department"],
                motivation=form.cleaned_data["motivation"],
                files=form.cleaned_data["attachments"],
                submit=request.POST.get("action") == "submit",
                build_url=request.build_absolute_uri,
            )
        except services.WorkflowRefused as error:
            _refuse(request, error, form)
        else:
            return _after_save(request, application)
    return render(
        request,
        "exchanges/application_form.html",
        {"form": form, "program": program, "application": application, "attachments": attachments},
    )


@require_POST
def application_attachment_remove(
    request: HttpRequest, pk: int, attachment_pk: int
) -> HttpResponse:
    application = _get_application_for_user(request, pk)
    # What the office archived is kept for the record: not the applicant's to remove.
    attachment = get_object_or_404(application.attachments.unarchived(), pk=attachment_pk)
    try:
        services.remove_draft_attachment(attachment=attachment)
    except services.WorkflowRefused as error:
        messages.error(request, error.message)
        return redirect(application)
    messages.success(request, _("%(name)s was removed.") % {"name": attachment})
    return redirect("exchanges:application-edit", pk=application.pk)


def application_list(request: HttpRequest) -> HttpResponse:
    cache.page_query(request, ["page"])

    def content():
        applications = (
            Application.objects.filter(applicant=request.user)
            .select_related("program__host_institution", "mobility_record")
            .order_by("-created_at")
        )
        page = Paginator(applications, settings.PAGE_SIZE).get_page(request.GET.get("page"))
        context = {"page_obj": page, "applications": page.object_list}
        return render_to_string("exchanges/application_list_content.html", context, request)

    # A person's own applications: their own entry, never shared.
    scope = cache.person_scope(request.user)
    html = cache.cached(request, "application-list", scope=scope, build=content)
    return render(request, "exchanges/application_list.html", {"content": html})


def _status_changes(application: Application) -> list:
    """(when, status, by whom) each time the status changed, oldest first."""
    changes, previous = [], None
    for entry in application.history.select_related("history_user").order_by("history_date"):
        if entry.status != previous:
            changes.append(entry)
            previous = entry.status
    return changes


def _mobility_record_of(application: Application) -> MobilityRecord | None:
    try:
        return application.mobility_record
    except MobilityRecord.DoesNotExist:
        return None


def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get_application_for_user(request, pk)
    record = _mobility_record_of(application)
    return render(
        request,
        "exchanges/application_detail.html",
        {
            "application": application,
            "history": _status_changes(application),
            "attachments": application.attachments.unarchived(),
            "record": record,
            "report_attachments": record.report_attachments.unarchived() if record else [],
            "may_report": record is not None and record.has_ended(),
        },
    )


@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get_application_for_user(request, pk)
    try:
        services.submit_application(application=application, build_url=request.build_absolute_uri)
    except services.WorkflowRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your application was submitted."))
    return redirect(application)


def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get_application_for_user(request, pk)
    if request.method != "POST":
        return render(request, "exchanges/application_withdraw.html", {"application": application})
    try:
        services.withdraw_application(application=application)
    except services.WorkflowRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your application was withdrawn."))
    return redirect(application)


def mobility_report(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get_application_for_user(request, pk)
    record = _mobility_record_of(application)
    if record is None or not record.has_ended():
        messages.error(request, REPORT_BEFORE_THE_END)
        return redirect(application)
    initial = {"activities": record.report_activities, "outcomes": record.report_outcomes}
    form = MobilityReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_mobility_report(
                record=record,
                activities=form.cleaned_data["activities"],
                outcomes=form.cleaned_data["outcomes"],
                files=form.cleaned_data["attachments"],
            )
        except services.WorkflowRefused as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you: your report was saved."))
        return redirect(application)
    return render(
        request,
        "exchanges/mobility_report_form.html",
        {"form": form, "application": application, "record": record},
    )


# Each kind of attachment, fetched with what its download rule reads.
_ATTACHMENTS = {
    "application": ApplicationAttachment.objects.select_related("application"),
    "report": MobilityReportAttachment.objects.select_related("record__application"),
}


def attachment_download(request: HttpRequest, kind: str, pk: int) -> FileResponse:
    if kind not in _ATTACHMENTS:
        raise Http404
    attachment = get_object_or_404(_ATTACHMENTS[kind], pk=pk)
    # Not allowed looks exactly like not there: a 404 never tells that the file exists.
    if not attachment.may_be_downloaded_by(request.user):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    # SecurityMiddleware (SECURE_CONTENT_TYPE_NOSNIFF) adds X-Content-Type-Options to it.
    return FileResponse(
        handle, as_attachment=True, filename=attachment.original_name or attachment.file.name
    )


def _review_scope(user) -> str:
    """Whose queue it is: the office's (all of it), or that of a set of departments, which is
    all a coordinator's queue depends on (Application.objects.for_reviewer)."""
    if is_international_office(user):
        return "office"
    return cache.departments_scope(user.coordinated_departments.values_list("pk", flat=True))


def review_list(request: HttpRequest) -> HttpResponse:
    if not is_reviewer(request.user):
        raise PermissionDenied
    cache.page_query(request, [*ReviewFilter.base_filters, "page"])

    def content():
        applications = (
            Application.objects.for_reviewer(request.user)
            .select_related("applicant", "department", "program__host_institution")
            .order_by("-submitted_at", "-created_at")
        )
        filterset = ReviewFilter(request.GET, queryset=applications)
        page = Paginator(filterset.qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
        context = {"filterset": filterset, "page_obj": page, "applications": page.object_list}
        return render_to_string("exchanges/review_list_content.html", context, request)

    scope = _review_scope(request.user)
    html = cache.cached(request, "review-list", scope=scope, build=content)
    return render(request, "exchanges/review_list.html", {"content": html})


def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get_application_for_reviewer(request, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decide = (
            services.approve_application
            if form.cleaned_data["action"] == DecisionForm.APPROVE
            else services.reject_application
        )
        try:
            decide(
                application=application,
                reviewer=request.user,
                comment=form.cleaned_data["comment"],
                build_url=request.build_absolute_uri,
            )
        except services.WorkflowRefused as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The decision was recorded and the applicant informed."))
        return redirect("exchanges:review-detail", pk=application.pk)
    program = Program.objects.annotate_places_taken().get(pk=application.program_id)
    return render(
        request,
        "exchanges/review_detail.html",
        {
            "application": application,
            "program": program,
            "form": form,
            "attachments": application.attachments.unarchived(),
            "record": _mobility_record_of(application),
        },
    )
