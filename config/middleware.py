"""Clean-ups that hold for every page, before any view reads the request."""

from django.http import QueryDict


def _without_nul(text):
    return text.replace("\x00", "")


class StripNullCharactersMiddleware:
    """Drop NUL characters from the query string's names and values.

    No form or link of the site makes one and nobody can type one, but a hand-made ``?q=%00``
    would reach a query (an admin search or list filter) and fail there: PostgreSQL refuses
    text holding NUL. Dropping it answers such a request as if the NUL had not been sent.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(_without_nul(key), [_without_nul(value) for value in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
