"""The Markdown editor's preview and upload endpoints, open to signed-in staff only."""

from functools import wraps

from django.http import HttpResponseForbidden
from django.urls import path
from markdownx.views import ImageUploadView, MarkdownifyView


def staff_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return HttpResponseForbidden(
                "Sign in to the editorial site to use the editor.\n", content_type="text/plain"
            )
        return view(request, *args, **kwargs)

    return wrapped


markdownx_urlpatterns = [
    path("upload/", staff_only(ImageUploadView.as_view()), name="markdownx_upload"),
    path("markdownify/", staff_only(MarkdownifyView.as_view()), name="markdownx_markdownify"),
]
