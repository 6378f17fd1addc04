"""An admin registered only for the pages it adds (get_urls): no list, no add, change, view or delete page."""


class PagesOnlyAdminMixin:
    """Answers no to every one of the admin's own pages; the model admin's get_urls adds what it serves."""

    def has_module_permission(self, request):
        return False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return False
