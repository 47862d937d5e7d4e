from django.urls import path

from bench.views import trivial
from mobility_portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [path("bench/trivial/", trivial, name="bench-trivial"), *portal_urlpatterns]
