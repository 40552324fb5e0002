from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from osm.lib import display


class DisplayPreferencesMiddleware:
    """Applies the signed-in person's display choices (Thai digits) for this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        wants = bool(user is not None and user.is_authenticated and user.thai_digits)
        token = display.thai_digits_enabled.set(wants)
        try:
            return self.get_response(request)
        finally:
            display.thai_digits_enabled.reset(token)


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    """Thai unless the person chose otherwise (language cookie or session).

    Django's LocaleMiddleware would follow the browser's Accept-Language, which on most
    office computers says English; OSM is Thai first.
    """

    def process_request(self, request: HttpRequest) -> None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not language or not translation.check_for_language(language):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
