"""The site's URLs plus one view that fails, for the 500 page tests."""

from django.urls import path

from tracker.urls import urlpatterns as site_urlpatterns


def fail(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("fail/", fail), *site_urlpatterns]
