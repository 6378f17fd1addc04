"""Admin list pages that stay fast when the table is large."""

from django.contrib.admin.views.main import ChangeList


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
