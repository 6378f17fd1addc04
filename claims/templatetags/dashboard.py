"""The admin home's dashboard (claims/dashboard.py), drawn by templates/admin/index.html."""

from django import template

from ..dashboard import sections

register = template.Library()


@register.inclusion_tag("admin/claims/dashboard.html", takes_context=True)
def role_dashboard(context):
    """The sections of work the signed-in person's roles give them: an editor's, a reviewer's, or both."""
    return {"sections": sections(context["request"].user)}
