from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

from devdata.generator import PREFIX
from partners.models import Partner

FILLER = "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n"
# What the mixed load's writes add to and take from the busiest partner's name, in turns.
RENAME_MARK = " (bench)"


def trivial(request: HttpRequest) -> HttpResponse:
    """The baseline of the throughput runs: the same middleware (sign-in required, session
    saved, CSP, security headers) and a page of the requested size, but no query and no template.
    """
    try:
        size = min(max(int(request.GET.get("size", 20_000)), 0), 5_000_000)
    except ValueError:
        size = 20_000
    body = (FILLER * (size // len(FILLER) + 1))[:size]
    return HttpResponse(body, content_type="text/html; charset=utf-8")


@csrf_exempt  # wrk's requests carry the session cookie only; bench.urls alone routes here
def rename(request: HttpRequest) -> HttpResponse:
    """The write of the mixed load (bench/mixed.lua): the busiest partner, the one the partner
    page shows, renamed through the ORM in its own transaction as an office edit is. Its mark
    comes and goes in turns; `?restore=1` takes it off."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    with transaction.atomic():
        partner = (
            Partner.objects.select_for_update().filter(slug__startswith=PREFIX).order_by("pk")[0]
        )
        if partner.name.endswith(RENAME_MARK):
            partner.name = partner.name.removesuffix(RENAME_MARK)
        elif request.GET.get("restore"):
            return HttpResponse(status=204)
        else:
            partner.name += RENAME_MARK
        partner.save()
    return HttpResponse(status=204)
