"""Report gaps and duplicates in the register of numbers, per series and year.

    manage.py numbering_audit [--series KEY] [--year 2026]

Read-only. Exits with status 1 when anything is found, so a scheduled run can alert.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from numbering import rules
from numbering.audit import audit
from numbering.registry import get_series


class Command(BaseCommand):
    help = "Report gaps and duplicates in the register of numbers."

    def add_arguments(self, parser):
        parser.add_argument("--series", help="only this series (its key)")
        parser.add_argument("--year", type=int, help="only this year")

    def handle(self, *args, series=None, year=None, **options):
        findings, texts = audit(series=series, year=year)
        problems = 0
        for f in findings:
            spec = get_series(f.series)
            name = f"{f.series} ({spec.label})" if spec else f.series
            line = _(
                "%(series)s %(year)s: %(count)s numbers, up to %(highest)s, "
                "%(voided)s voided"
            ) % {
                "series": name,
                "year": f.year,
                "count": f.count,
                "highest": f.highest,
                "voided": f.voided,
            }
            if f.ok:
                self.stdout.write(line + " · " + _("no gap, no duplicate"))
                continue
            problems += 1
            self.stdout.write(line)
            if f.gaps:
                self.stdout.write(
                    "  " + _("gaps: %(gaps)s") % {"gaps": rules.ranges_text(f.gaps)}
                )
            if f.duplicates:
                self.stdout.write(
                    "  "
                    + _("duplicates: %(numbers)s")
                    % {"numbers": ", ".join(map(str, f.duplicates))}
                )
            if f.counter_behind:
                self.stdout.write(
                    "  "
                    + _(
                        "the counter is at %(counter)s but the register reaches "
                        "%(highest)s: the next number would collide"
                    )
                    % {
                        "counter": f.counter if f.counter is not None else "—",
                        "highest": f.highest,
                    }
                )
        for text, times in sorted(texts.items()):
            problems += 1
            self.stdout.write(
                _("duplicate printed number: %(text)s (%(times)s times)")
                % {"text": text, "times": times}
            )
        if not findings:
            self.stdout.write(_("The register is empty."))
        if problems:
            raise CommandError(
                _("%(n)s problems found in the register.") % {"n": problems},
                returncode=1,
            )
