from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
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


log = logging.getLogger(__name__)
DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The Thai 503 page: a static template, rendered without the database or the session
    (no request context, so no context processor reads the user)."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if not language or not translation.check_for_language(language):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        body = render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view that finds the database unreachable answers the 503 page, not a traceback.

    Errors raised in other middleware (the session, the signed-in user) reach
    `osm.views.server_error` (handler500), which answers the same page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            log.error("database unavailable: %s", exception)
            return database_unavailable(request)
        return None


class HtmxMessagesMiddleware:
    """After an htmx request that swaps a fragment, render the pending flash messages into
    the page's messages region (an out-of-band swap) and so consume them: they are shown
    once, where the person is, instead of piling up for the next full page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        htmx = getattr(request, "htmx", None)
        if (
            not htmx
            or htmx.boosted
            or response.status_code in (204, 301, 302, 303, 307, 308)
            or getattr(response, "streaming", False)
            or "text/html" not in response.get("Content-Type", "")
            or "HX-Redirect" in response
            or "HX-Location" in response
        ):
            return response
        from django.contrib.messages import get_messages
        from django.template.loader import render_to_string

        storage = get_messages(request)
        if not list(storage):  # reading marks the messages used
            return response
        region = render_to_string(
            "osm/_messages.html", {"messages": storage, "oob": True}, request=request
        )
        response.content = response.content + region.encode(response.charset or "utf-8")
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
