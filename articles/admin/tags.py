"""Topics (taggit tags) in the admin: taggit's own admin, with merging kept to those who may change tags."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from .ids import CheckedIdsMixin

SELECTION_KEY = "selected_tag_ids"  # where taggit's merge action leaves the chosen tags for its merge page

admin.site.unregister(Tag)


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_name(self):
        name = self.cleaned_data["name"]
        if "," in name:
            # The article form separates tags with commas (articles.tagging): such a tag would split in two.
            raise forms.ValidationError("A tag cannot contain a comma: commas separate tags in the article form.")
        return name


@admin.register(Tag)
class TagAdmin(CheckedIdsMixin, TaggitTagAdmin):
    form = TagForm

    @admin.action(description="Merge selected tags", permissions=["change"])
    def render_tag_form(self, request, queryset):
        return super().render_tag_form(request, queryset)

    def merge_tags_view(self, request):
        """taggit's merge page checks no permission and fails on a stale selection; both are settled here first."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        chosen = [pk for pk in request.session.get(SELECTION_KEY, "").split(",") if pk.strip().isdigit()]
        tags = Tag.objects.filter(pk__in=chosen)
        if not tags.exists():
            return self._back_to_list(request, "Select the tags to merge in the list of tags first.")
        if request.method == "POST":
            # Merging into one of the chosen tags must keep that tag's own articles: taggit would untag them.
            target = request.POST.get("new_tag_name", "").strip()
            tags = tags.exclude(name=target)
            if not tags.exists():
                return self._back_to_list(request, f"The selected tags are all “{target}”: nothing to merge.")
        request.session[SELECTION_KEY] = ",".join(str(pk) for pk in tags.values_list("pk", flat=True))
        return super().merge_tags_view(request)

    def _back_to_list(self, request, message):
        self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(reverse("admin:taggit_tag_changelist"))
