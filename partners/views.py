"""The agreement list and agreement documents: pages with partners' data only.

The catalogue, the partner page and the agreement page show mobility figures too, so they are in
exchanges/partner_views.py (same URL names, in the "partners" namespace).
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone

from core import cache
from core.roles import is_international_office
from partners.filters import AgreementFilter
from partners.models import Agreement, AgreementDocument


def _paginate(request: HttpRequest, queryset):
    # get_page() turns a page number past the end into the last page and rubbish into the first.
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def agreement_list(request: HttpRequest) -> HttpResponse:
    cache.page_query(request, [*AgreementFilter.base_filters, "page"])

    def content():
        agreements = Agreement.objects.filter(is_archived=False).select_related(
            "partner", "department"
        )
        agreement_filter = AgreementFilter(request.GET, queryset=agreements)
        page = _paginate(request, agreement_filter.qs)
        context = {
            "filter": agreement_filter,
            "page_obj": page,
            "agreements": page.object_list,
            "today": timezone.localdate(),
        }
        return render_to_string("partners/agreement_list_content.html", context, request)

    # Every signed-in person sees the same list (statuses change with the day, in the key).
    html = cache.cached(request, "agreement-list", scope=cache.EVERYONE, build=content)
    return render(request, "partners/agreement_list.html", {"content": html})


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
