"""Revisions in the admin can be read, never restored through django-simple-history's own form."""

from django.http import HttpResponseNotAllowed


class ReadOnlyHistoryMixin:
    """simple-history's revert writes every old field back, bypassing the checks a change goes through
    (an article's status, a claim's review). Its revision page is shown to read; restoring goes through
    the product's own paths (an article's revert from its diff page, a claim changed in its form)."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        return super().history_form_view(request, object_id, version_id, extra_context)
