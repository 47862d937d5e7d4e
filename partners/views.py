"""Partner catalogue, partner pages, agreements and their documents."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import ExtractYear
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from core.periods import academic_year_label, academic_year_of
from core.roles import is_international_office
from partners.choices import COUNTED_RECORDS, Direction
from partners.filters import AgreementFilter, PartnerFilter
from partners.models import Agreement, AgreementDocument, Partner

PAGE_SIZE = settings.PAGE_SIZE


def _paginate(request: HttpRequest, queryset):
    # get_page() turns a page number past the end into the last page and rubbish into the first.
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def partner_list(request: HttpRequest) -> HttpResponse:
    partners = Partner.objects.active().annotate_catalogue_counts().order_by("name")
    partner_filter = PartnerFilter(request.GET, queryset=partners)
    page = _paginate(request, partner_filter.qs)
    return render(
        request,
        "partners/partner_list.html",
        {"filter": partner_filter, "page_obj": page, "partners": page.object_list},
    )


def _get_partner_for_user(request: HttpRequest, slug: str) -> Partner:
    """Archived partners are for the international office only; anybody else gets a 404.

    The partner comes with `first_signed`, the day its first agreement was signed.
    """
    first_signed = (
        Agreement.objects.filter(partner=OuterRef("pk"))
        .order_by()
        .values("partner")
        .annotate(first=Min("signed_on"))
        .values("first")
    )
    partners = Partner.objects.annotate(first_signed=Subquery(first_signed))
    if not is_international_office(request.user):
        partners = partners.active()
    return get_object_or_404(partners, slug=slug)


def _mobility_by_year(partner: Partner) -> tuple[list[dict], int | None]:
    """Counted mobility per calendar year of the start, both directions, newest year first; and
    the participants since the partner's first agreement was signed (None without one).

    One grouped query for both: the partner's records are read once from their covering index.
    """
    first_signed = partner.first_signed
    since_first = Count("pk", filter=Q(start_date__gte=first_signed)) if first_signed else Value(0)
    rows = (
        partner.mobility_records.filter(COUNTED_RECORDS)
        .order_by()
        .values("direction", year=ExtractYear("start_date"))
        .annotate(n=Count("pk"), since_first=since_first)
    )
    years: dict[int, dict] = {}
    total_since_first = 0
    for row in rows:
        year = years.setdefault(
            row["year"], {"year": row["year"], Direction.OUTGOING: 0, Direction.INCOMING: 0}
        )
        year[row["direction"]] = row["n"]
        total_since_first += row["since_first"]
    by_year = [
        {
            "year": year["year"],
            "outgoing": year[Direction.OUTGOING],
            "incoming": year[Direction.INCOMING],
            "total": year[Direction.OUTGOING] + year[Direction.INCOMING],
        }
        for year in sorted(years.values(), key=lambda y: y["year"], reverse=True)
    ]
    return by_year, (total_since_first if first_signed else None)


def partner_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partner = _get_partner_for_user(request, slug)
    agreements = (
        partner.agreements.select_related("department")
        .annotate_participant_count()
        .order_by("-valid_from")
    )
    if not is_international_office(request.user):
        agreements = agreements.filter(is_archived=False)
    mobility_by_year, total_since_first = _mobility_by_year(partner)
    context = {
        "partner": partner,
        "contacts": partner.contacts.all(),
        "agreements": agreements,
        "programs": partner.hosted_programs.published().select_related("department"),
        "mobility_by_year": mobility_by_year,
        "first_signed": partner.first_signed,
        "total_since_first": total_since_first,
        "today": timezone.localdate(),
    }
    return render(request, "partners/partner_detail.html", context)


def agreement_list(request: HttpRequest) -> HttpResponse:
    agreements = Agreement.objects.filter(is_archived=False).select_related("partner", "department")
    agreement_filter = AgreementFilter(request.GET, queryset=agreements)
    page = _paginate(request, agreement_filter.qs)
    return render(
        request,
        "partners/agreement_list.html",
        {
            "filter": agreement_filter,
            "page_obj": page,
            "agreements": page.object_list,
            "today": timezone.localdate(),
        },
    )


def _agreement_changes(agreement: Agreement) -> list[dict]:
    """The agreement's history, newest first, each entry with the fields it changed.

    Consecutive historical records are diffed in memory: one query for the records and their
    users, one per related model whose value changed, never one per entry.
    """
    records = list(
        agreement.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        changes = newer.diff_against(older).changes if older is not None else []
        entries.append({"record": newer, "changes": changes})
    fields = {field.name: field for field in Agreement._meta.concrete_fields}
    related_ids: dict[type, set] = {}
    for entry in entries:
        for change in entry["changes"]:
            field = fields.get(change.field)
            if field is not None and field.is_relation:
                ids = related_ids.setdefault(field.related_model, set())
                ids.update(v for v in (change.old, change.new) if v is not None)
    related = {model: model._default_manager.in_bulk(ids) for model, ids in related_ids.items()}

    def shown(field, value):
        if value is None or value == "":
            return "—"
        if field is None:
            return value
        if field.is_relation:
            return related[field.related_model].get(value, value)
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return value

    for entry in entries:
        entry["changes"] = [
            {
                "field": fields[c.field].verbose_name if c.field in fields else c.field,
                "old": shown(fields.get(c.field), c.old),
                "new": shown(fields.get(c.field), c.new),
            }
            for c in entry["changes"]
        ]
    return entries


def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreements = Agreement.objects.select_related("partner", "department", "coordinator")
    if not is_international_office(request.user):
        agreements = agreements.filter(is_archived=False)
    agreement = get_object_or_404(agreements, pk=pk)
    today = timezone.localdate()
    this_year = academic_year_of(today)
    quotas = agreement.quotas_with_usage()
    may_download = agreement.documents_accessible_to(request.user)
    context = {
        "agreement": agreement,
        "status": agreement.status_on(today),
        "days_to_expiry": agreement.days_to_expiry(today),
        "subject_areas": agreement.subject_areas.all(),
        "this_year_label": academic_year_label(this_year),
        "quotas_this_year": [q for q in quotas if q.academic_year == this_year],
        "quotas_other_years": [q for q in quotas if q.academic_year != this_year],
        "programs": agreement.programs.published(),
        "documents": agreement.documents.unarchived() if may_download else None,
        "history": _agreement_changes(agreement) if is_international_office(request.user) else None,
    }
    return render(request, "partners/agreement_detail.html", context)


def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(
        AgreementDocument.objects.select_related("agreement__department"), pk=pk
    )
    # Not allowed looks exactly like not there: a 404 never tells that the document exists.
    if not document.agreement.documents_accessible_to(request.user):
        raise Http404
    # An archived document is withdrawn from the portal; the office may still fetch it.
    if document.is_archived and not is_international_office(request.user):
        raise Http404
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError) as missing:
        raise Http404 from missing
    # SecurityMiddleware (SECURE_CONTENT_TYPE_NOSNIFF) adds X-Content-Type-Options to it.
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name or document.file.name.rsplit("/", 1)[-1],
    )
