"""The partner catalogue, the partner page and the agreement page.

They show partners' data with mobility figures (participants, mobility by year, quota places used,
programs), so they live here, above both apps; their URLs keep the "partners" namespace
(exchanges/partner_urls.py). The agreement list and document downloads show only partners' data
and stay in partners/views.py.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone

from core import cache
from core.periods import academic_year_label, academic_year_of
from core.roles import is_international_office
from exchanges.filters import PartnerFilter
from exchanges.models import MobilityRecord, Program
from partners.choices import Direction
from partners.history import agreement_changes
from partners.models import Agreement, Partner


def partner_list(request: HttpRequest) -> HttpResponse:
    cache.page_query(request, [*PartnerFilter.base_filters, "page"])

    def content():
        partners = (
            Partner.objects.active()
            .annotate_active_agreement_count()
            .annotate(participant_count=MobilityRecord.objects.counted().count_per("partner"))
            .order_by("name")
        )
        partner_filter = PartnerFilter(request.GET, queryset=partners)
        # get_page() turns a page number past the end into the last page, rubbish into the first.
        page = Paginator(partner_filter.qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
        context = {"filter": partner_filter, "page_obj": page, "partners": page.object_list}
        return render_to_string("exchanges/partner_list_content.html", context, request)

    # Every signed-in person sees the same catalogue.
    html = cache.cached(request, "partner-list", scope=cache.EVERYONE, build=content)
    return render(request, "exchanges/partner_list.html", {"content": html})


def _get_partner_for_user(request: HttpRequest, slug: str) -> Partner:
    """Archived partners too: a link to one keeps working, and the page says it is archived.

    The partner comes with `first_signed`, the day its first agreement was signed.
    """
    return get_object_or_404(Partner.objects.annotate_first_signed(), slug=slug)


def _mobility_by_year(partner: Partner) -> tuple[list[dict], int | None]:
    """Counted mobility per calendar year of the start, both directions, newest year first; and
    the participants since the partner's first agreement was signed (None without one)."""
    years: dict[int, dict] = {}
    total_since_first = 0
    for row in MobilityRecord.objects.yearly_counts_for(partner, since=partner.first_signed):
        year = years.setdefault(
            row["year"], {"year": row["year"], Direction.OUTGOING: 0, Direction.INCOMING: 0}
        )
        year[row["direction"]] = row["n"]
        total_since_first += row["since"]
    by_year = [
        {
            "year": year["year"],
            "outgoing": year[Direction.OUTGOING],
            "incoming": year[Direction.INCOMING],
            "total": year[Direction.OUTGOING] + year[Direction.INCOMING],
        }
        for year in sorted(years.values(), key=lambda y: y["year"], reverse=True)
    ]
    return by_year, (total_since_first if partner.first_signed else None)


def partner_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # The same page for every signed-in person; an unknown slug is a 404, never cached.
    page = cache.cached(
        request,
        "partner-detail",
        scope=cache.EVERYONE,
        build=lambda: _partner_page(request, slug),
        extra=[slug],
    )
    return render(request, "exchanges/partner_detail.html", page)


def _partner_page(request: HttpRequest, slug: str) -> dict:
    """The partner page's title and content, with its yearly counts."""
    partner = _get_partner_for_user(request, slug)
    agreements = list(
        partner.agreements.select_related("department")
        .annotate(participant_count=MobilityRecord.objects.counted().count_per("agreement"))
        .order_by("is_archived", "-valid_from")
    )
    # Archived agreements are listed as such: the participants counted since the first
    # agreement came under them, and the page must not say there were none.
    mobility_by_year, total_since_first = _mobility_by_year(partner)
    context = {
        "partner": partner,
        "contacts": partner.contacts.all(),
        "agreements": agreements,
        "archived_agreement_count": sum(agreement.is_archived for agreement in agreements),
        "programs": Program.objects.published()
        .filter(host_institution=partner)
        .select_related("department"),
        "mobility_by_year": mobility_by_year,
        "first_signed": partner.first_signed,
        "total_since_first": total_since_first,
        "today": timezone.localdate(),
    }
    return {
        "title": partner.display_name,
        "content": render_to_string("exchanges/partner_detail_content.html", context, request),
    }


def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Archived agreements too: the page says so, and a link to one keeps working.
    agreements = Agreement.objects.select_related("partner", "department", "coordinator")
    agreement = get_object_or_404(agreements, pk=pk)
    today = timezone.localdate()
    this_year = academic_year_of(today)
    quotas = MobilityRecord.objects.quotas_with_usage(agreement)
    may_download = agreement.documents_accessible_to(request.user)
    is_office = is_international_office(request.user)
    context = {
        "agreement": agreement,
        "status": agreement.status_on(today),
        "days_to_expiry": agreement.days_to_expiry(today),
        "subject_areas": agreement.subject_areas.all(),
        "this_year_label": academic_year_label(this_year),
        "quotas_this_year": [q for q in quotas if q.academic_year == this_year],
        "quotas_other_years": [q for q in quotas if q.academic_year != this_year],
        "programs": Program.objects.published().filter(agreement=agreement),
        "documents": agreement.documents.unarchived() if may_download else None,
        "history": agreement_changes(agreement) if is_office else None,
    }
    return render(request, "exchanges/agreement_detail.html", context)
