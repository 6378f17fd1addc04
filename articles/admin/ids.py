"""Ids that arrive in the admin's forms and addresses are checked before they reach the database.

Django's admin passes some request values to a query as they were typed: the autocomplete widget
redrawing a refused form, a list's lookup through a relation (`?condition=…`), the rows an action was
chosen for, list_editable's rows and the history pages. Text there fails the query, and a number past
the column's range overflows SQLite's 64-bit integers; either was a server error. Here a value that
cannot name a row is refused as Django refuses other bad values: a form error, the list's "?e=1" page,
the "does not exist" redirect.
"""

from django import forms
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection, models
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404

# Lookups that compare a column with the values given; other lookups (isnull, year…) take other values.
COMPARING = {"exact", "iexact", "in", "gt", "gte", "lt", "lte"}
DATE_PARTS = ("year", "month", "day")


def as_id(field, value):
    """`value` as a value of the model field `field` (a key column), or None when it can name no row."""
    if isinstance(value, str) and not value.isascii():
        return None  # "１" or "²": int() reads some, a relation's lookup would send them to the database as text
    try:
        value = field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return None
    if value is None or value == "":
        return None
    if isinstance(field, models.IntegerField):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        if (low is not None and value < low) or (high is not None and value > high):
            return None
    return value


def _key_column(field):
    """The column a value given for `field` is compared with: a relation's key on the other side."""
    if isinstance(field, models.ForeignKey):
        return field.target_field
    if field.is_relation:
        return field.related_model._meta.pk if field.related_model is not None else None
    return field


def compared_column(model, name):
    """For a list lookup such as `condition`, `sources__in` or `pk`: (column, lookup), or (None, None)
    when the name is not a lookup of the model's fields or compares them through a transform."""
    opts, field = model._meta, None
    parts = name.split(LOOKUP_SEP)
    while parts:
        try:
            field = opts.pk if parts[0] == "pk" else opts.get_field(parts[0])
        except FieldDoesNotExist:
            break
        parts.pop(0)
        if not field.is_relation or field.related_model is None:
            break
        opts = field.related_model._meta
    if field is None or len(parts) > 1 or (parts and parts[0] not in COMPARING):
        return None, None
    return _key_column(field), (parts[0] if parts else "exact")


def refused_lookup(model, query):
    """Why a list's query string cannot be run (a relation or key compared with what names no row), or None."""
    for name, values in query.lists():
        column, lookup = compared_column(model, name)
        if not isinstance(column, models.IntegerField):
            continue
        for value in values:
            for item in value.split(",") if lookup == "in" else [value]:
                if as_id(column, item) is None:
                    return f"{name} takes a number that names a row, not “{item[:40]}”."
    return None


class IdsOnlyAutocompleteMixin:
    """Draws only the chosen values that can be ids: the others go to the form's error, not to a query."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field.model._meta
        column = remote.get_field(getattr(self.field.remote_field, "field_name", None) or remote.pk.name)
        return super().optgroups(name, [v for v in value if as_id(column, v) is not None], attr)


class IdsOnlyAutocompleteSelect(IdsOnlyAutocompleteMixin, AutocompleteSelect):
    pass


class IdsOnlyAutocompleteSelectMultiple(IdsOnlyAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class IdsOnlyModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses a value that is not an id before looking the values up: a huge number overflows SQLite."""

    def _check_values(self, value):
        opts = self.queryset.model._meta
        column = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for item in value:
            if as_id(column, item) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                )
        return super()._check_values(value)


class CheckedIdsMixin:
    """For ModelAdmins: every id taken from the request is checked before a query uses it."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = IdsOnlyAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = IdsOnlyAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        kwargs.setdefault("form_class", IdsOnlyModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changelist_instance(self, request):
        refusal = refused_lookup(self.model, request.GET) or self._refused_date(request)
        if refusal:
            raise IncorrectLookupParameters(refusal)
        return super().get_changelist_instance(request)

    def _refused_date(self, request):
        # Django builds a date from these and fails with an overflow, not a ValueError, past int range.
        for part in DATE_PARTS if self.date_hierarchy else ():
            value = request.GET.get(f"{self.date_hierarchy}__{part}")
            if value is not None and not (value.isascii() and value.isdigit() and len(value) <= 4):
                return f"The {part} is a number of at most four digits."
        return None

    def response_action(self, request, queryset):
        chosen = request.POST.getlist(ACTION_CHECKBOX_NAME)
        ids = [value for value in chosen if as_id(self.opts.pk, value) is not None]
        if ids != chosen:  # Django then says that no rows were chosen, if none is left
            request.POST = request.POST.copy()
            request.POST.setlist(ACTION_CHECKBOX_NAME, ids)
        return super().response_action(request, queryset)

    def _get_list_editable_queryset(self, request, prefix):
        # Django's own check (pk.to_python) lets a number past the column's range through to a query.
        queryset = super()._get_list_editable_queryset(request, prefix)
        if any(as_id(self.opts.pk, pk) is None for pk in self._get_edited_object_pks(request, prefix)):
            return self.get_queryset(request)
        return queryset

    def history_view(self, request, object_id, extra_context=None):
        if as_id(self.opts.pk, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history's page of one revision.
        if as_id(self.opts.pk, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        history = self.model._meta.simple_history_manager_attribute
        if as_id(getattr(self.model, history).model._meta.pk, unquote(version_id)) is None:
            raise Http404("No such revision.")
        return super().history_form_view(request, object_id, version_id, extra_context)
