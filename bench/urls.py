from django.urls import path

from bench.views import rename, trivial
from mobility_portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("bench/rename/", rename, name="bench-rename"),
    *portal_urlpatterns,
]
