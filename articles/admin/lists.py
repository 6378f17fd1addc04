"""Admin list pages that stay fast when the table is large, and bulk actions that tell each refusal."""

from django.contrib import messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError


class NarrowRowsChangeList(ChangeList):
    """Reads the page's rows without the long text columns its columns never show.

    The database sorts whole rows before it keeps one page of them: an article's body, its HTML and
    its plain text carried along multiply that work for every row in the table. Only the rows shown
    leave them out; actions are given the admin's full queryset.
    """

    def get_results(self, request):
        deferred = self.model_admin.list_deferred_fields
        if deferred:
            self.queryset = self.queryset.defer(*deferred)
        super().get_results(request)


class NarrowRowsMixin:
    """`list_deferred_fields`: fields (or `relation__field` of list_select_related rows) the list leaves out."""

    list_deferred_fields = ()

    def get_changelist(self, request, **kwargs):
        return NarrowRowsChangeList


def act_on_each(model_admin, request, objects, act, *, not_done, done) -> int:
    """Run act(obj) for each object of a bulk action; return how many went through.

    A refusal (PermissionDenied or ValidationError, as services raise them) stops only its own object,
    and is told in the words not_done(obj, reason) gives; done(count) words the success, if any.
    """
    count = 0
    for obj in objects:
        try:
            act(obj)
            count += 1
        except (PermissionDenied, ValidationError) as refusal:
            reason = " ".join(refusal.messages) if isinstance(refusal, ValidationError) else str(refusal)
            model_admin.message_user(request, not_done(obj, reason), messages.ERROR)
    if count:
        model_admin.message_user(request, done(count), messages.SUCCESS)
    return count
