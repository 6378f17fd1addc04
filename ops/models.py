"""What background tasks have done, so that a task run again (a retry, a second worker) does not do it twice."""

from django.db import models
from django.utils import timezone


class TaskStep(models.Model):
    """One step of a background task that is done, under a key naming it (e.g. one reviewer's reminder of a day).

    `ops.background.step_done` and `record_step` read and write these; old rows can be deleted at any
    time after the task they belong to has stopped running.
    """

    key = models.CharField(max_length=200, unique=True)
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "background task step"

    def __str__(self):
        return self.key
