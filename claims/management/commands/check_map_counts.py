"""`manage.py check_map_counts`: the evidence maps' kept counts recomputed from scratch; any drift reported
(and the command fails), or repaired with --fix."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims import map_counts
from claims.models import Condition, EvidenceStatus


class Command(BaseCommand):
    help = (
        "Recompute which published claims the evidence maps show and how many per condition and grade, from the "
        "published claims themselves, and compare with what claims.map_counts kept. Reports each difference and "
        "fails when there is one; --fix repairs them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Repair the flags and counts that drifted.")

    def handle(self, *args, fix, **options):
        with transaction.atomic():
            found = map_counts.drift(fix=fix)
        conditions = dict(Condition.objects.values_list("pk", "name"))
        grades = dict(EvidenceStatus.objects.values_list("pk", "name"))
        lines = []
        for label, what in (
            ("flagged wrongly", "Published claims flagged as mapped that no map shows"),
            ("unflagged wrongly", "Published claims a map shows that are not flagged"),
            ("order date wrong", "Mapped claims ordered by a date other than their article's publication"),
        ):
            if found[label]:
                lines.append(f"{what}: {found[label]}")
        for (condition, grade), (kept, true) in sorted(found["counts"].items()):
            lines.append(
                f"{conditions.get(condition, condition)}, {grades.get(grade, grade)}: kept {kept}, counted {true}"
            )
        if not lines:
            self.stdout.write("No drift: the evidence maps' counts match their published claims.")
            return
        for line in lines:
            self.stdout.write(line)
        if fix:
            self.stdout.write(f"Repaired {len(lines)} difference{'' if len(lines) == 1 else 's'}.")
            return
        raise CommandError(f"The evidence maps' counts drift in {len(lines)} place(s); run with --fix to repair.")
