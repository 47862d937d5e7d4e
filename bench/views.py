from django.http import HttpRequest, HttpResponse

FILLER = "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n"


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
