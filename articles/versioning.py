"""Optimistic locking: every save of an article or claim raises its version, and a form saved
against an older version is refused instead of overwriting what someone else saved meanwhile.

Services and signal handlers save unconditionally (they lock the row and read it fresh, so they
never overwrite anything) but still raise the version, so that an editor's form opened before a
reviewer's decision or a re-anchoring is refused. Only the admin's change forms check.
"""

from dataclasses import dataclass, field

from django import forms
from django.db import models, router, transaction
from django.db.models import F
from django.utils.functional import cached_property

from .history import collapse_unchanged, count_changes, diff_text

VERSION_HELP = "Goes up by one with every save: a form opened on an older version is refused, never saved over."
LONG_TEXT = 120  # characters: longer values are compared line by line rather than side by side


class EditConflict(Exception):
    """The stored row is no longer at the version the form was opened on."""

    def __init__(self, instance, expected):
        super().__init__(f"{instance._meta.verbose_name} {instance.pk} is no longer at version {expected}.")
        self.instance, self.expected = instance, expected


def take_version(instance, expected) -> None:
    """Raise the stored version from `expected` by one, or raise EditConflict when it is not `expected`.

    One conditional UPDATE, so that of two saves made on the same version exactly one gets through
    (PostgreSQL makes the second wait for the first and then finds the version changed). The row
    stays locked until the caller's transaction ends; its own save then writes the version taken.
    """
    model = type(instance)
    taken = model._base_manager.filter(pk=instance.pk, version=expected).update(version=F("version") + 1)
    if taken != 1:
        raise EditConflict(instance, expected)
    instance.version = expected + 1
    instance._version_taken = True


_NOT_EXPECTED = object()


def expect_version(instance, expected) -> None:
    """Have the instance's next save write only over version `expected`, raising EditConflict otherwise.

    take_version's check made by the save's own UPDATE (`WHERE id = … AND version = …`): one statement
    rather than two, with the same outcome, since of two saves made on the same version only one matches.
    """
    instance._expected_version = expected
    instance.version = (expected or 0) + 1
    instance._version_taken = True


def version_of_locked(instance) -> None:
    """Take the next version of a row read with select_for_update in the current transaction.

    The locked copy holds the stored version, and nobody can save the row until the transaction ends, so
    the next one is known without raising and reading it back: the save then writes it.
    """
    instance.version += 1
    instance._version_taken = True


class VersionedModel(models.Model):
    """Saves of an existing row raise its version by one in the database, never from a stale copy."""

    version = models.PositiveIntegerField(default=1, editable=False, help_text=VERSION_HELP)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None:
            return super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version"}
        if getattr(self, "_version_taken", False):
            # The version was taken in the caller's transaction (take_version, version_of_locked), which still
            # holds the row: the save writes it, with nothing else to keep together.
            self._version_taken = False
            return super().save(*args, **kwargs)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            self._raise_version(using)
            return super().save(*args, **kwargs)

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        expected = self.__dict__.pop("_expected_version", _NOT_EXPECTED)
        if expected is _NOT_EXPECTED:
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        if not super()._do_update(
            base_qs.filter(version=expected), using, pk_val, values, update_fields, forced_update
        ):
            raise EditConflict(self, expected)
        return True

    def _raise_version(self, using):
        # Raised in the database first, then read back: the row stays locked until the save below,
        # and the history row written after it records the version this save made.
        stored = type(self)._base_manager.using(using).filter(pk=self.pk)
        if stored.update(version=F("version") + 1):
            self.version = stored.values_list("version", flat=True).get()


def last_saved(instance):
    """The history row of the instance's current version (the latest one when no row has that version)."""
    history = instance.history.select_related("history_user")
    return history.filter(version=instance.version).first() or history.first()


def opened_revision(instance, version):
    """The history row of the version an editor opened, when there is one."""
    if version is None:
        return None
    return instance.history.filter(version=version).order_by("-history_date").first()


def person(user):
    if user is None:
        return "the system"
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


@dataclass
class Difference:
    """One field as the editor typed it and as it is stored now."""

    label: str
    yours: str
    saved: str

    @property
    def is_long(self):
        return "\n" in self.yours or "\n" in self.saved or max(len(self.yours), len(self.saved)) > LONG_TEXT

    @cached_property
    def rows(self):
        """Line by line, "removed" being what only the saved version has and "added" what only yours has."""
        return collapse_unchanged(diff_text(self.saved, self.yours))

    @cached_property
    def counts(self):
        return count_changes(diff_text(self.saved, self.yours))


@dataclass
class Conflict:
    """What the editor is shown when their form was opened on an older version."""

    current: models.Model
    yours: int | None
    compare: object  # callable returning [(label, yours, saved)], run when the page is drawn
    notes: list = field(default_factory=list)

    @cached_property
    def revision(self):
        return last_saved(self.current)

    @property
    def saved_by(self):
        return person(self.revision.history_user) if self.revision else "someone"

    @cached_property
    def differences(self):
        return [Difference(label, yours, saved) for label, yours, saved in self.compare() if yours != saved]

    @property
    def short_differences(self):
        """Side by side in one table."""
        return [difference for difference in self.differences if not difference.is_long]

    @property
    def long_differences(self):
        """Each compared line by line."""
        return [difference for difference in self.differences if difference.is_long]


class VersionedForm(forms.ModelForm):
    """A change form carrying the version it was opened on, in the hidden field `base_version`.

    When the stored row has moved on, the form is invalid, keeps everything typed, and now carries
    the current version: saving it again (after merging by hand) goes through.
    """

    # Not named `version`: a model form may not list the model's non-editable field.
    base_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    conflict = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("base_version", self.instance.version)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        yours = cleaned.get("base_version")
        # The copy loaded for this request must be the one the editor opened too: it is what gets saved. When it
        # is, it was read moments ago and is not read again: a save made since then is caught by take_version,
        # whose EditConflict has the view run again, and then this check sees the newer version.
        if yours is not None and yours == self.instance.version:
            return cleaned
        current = self.fresh_instance()
        if current is None or current.version == yours == self.instance.version:
            return cleaned
        self.conflict = Conflict(
            current=current,
            yours=yours,
            compare=lambda: self.differences_from(current),
            notes=self.conflict_notes(current, opened_revision(current, yours)),
        )
        self.data = self.data.copy()
        self.data[self.add_prefix("base_version")] = str(current.version)
        name = self.instance._meta.verbose_name
        self.add_error(
            None,
            f"This {name} was saved by someone else after you opened it, so your changes were not saved. "
            f"Everything you typed is still in the form below. Compare it with the saved version, merge "
            f"the changes you want to keep, and save again.",
        )
        return cleaned

    def fresh_instance(self):
        """The row as stored now, read again: the form's own instance is about to receive the typed values."""
        return type(self.instance)._base_manager.filter(pk=self.instance.pk).first()

    def typed(self, name):
        """A field's value as cleaned, or as typed when it did not validate; line ends made alike."""
        value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        if not isinstance(value, str):
            value = self.data.get(self.add_prefix(name), "")
        return comparable(value)

    def differences_from(self, current) -> list[tuple[str, str, str]]:
        """(label, yours, saved) for each field the editor could have changed; subclasses list theirs."""
        raise NotImplementedError

    def conflict_notes(self, current, opened) -> list[str]:
        """What else changed since the editor opened the form (`opened`: that version's revision, or None)."""
        return []


def comparable(value):
    """Text as compared in a conflict: browsers send CRLF line ends, the database may hold either."""
    return str(value if value is not None else "").replace("\r\n", "\n").strip()


class VersionedAdminMixin:
    """Admin change forms for versioned models: carry the version, refuse stale saves, show the conflict."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            return fieldsets  # read only: nothing to save
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "base_version"]}), *rest]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # Someone saved between the form's check and this save's write, and this save's transaction
            # was rolled back: nothing of it was written. Once more, the check now sees the newer
            # version and shows the comparison with the editor's text.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["edit_conflict"] = getattr(context["adminform"].form, "conflict", None)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def take_version(self, obj, form):
        """Claim the next version for this save, or raise EditConflict (see take_version)."""
        take_version(obj, form.cleaned_data.get("base_version"))

    def expect_version(self, obj, form):
        """Have this save write only over the version the form was opened on, or raise EditConflict."""
        expect_version(obj, form.cleaned_data.get("base_version"))
