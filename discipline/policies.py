"""The chapter's parameters that are not ladders, as policies with effective dates
(DIS-4, DIS-7). Imported by DisciplineConfig.ready(); defaults from RULES.md.

The ladders' policies (DIS-1, DIS-2, DIS-3, DIS-5 here; ATT-11 and ATT-12 by
attendance) are registered with their ladders through `discipline.registry`."""

from django.utils.translation import gettext_lazy

from bureau.policies import register
from discipline import rules

register(
    rules.DIS4_KEY,
    rules.DEFAULT_DIS4,
    label=gettext_lazy("Efficiency warnings and grade caps"),
    rule="DIS-4",
    description=(
        gettext_lazy(
            "Efficiency warnings in a year → grade cap; from the set number of "
            "warnings on, an administrative warning or heavier is proposed."
        )
    ),
    validator=rules.validate_dis4,
)
register(
    rules.WINDOW_KEY,
    rules.DEFAULT_WINDOW,
    label=gettext_lazy("Township window appraisal"),
    rule="DIS-7",
    description=gettext_lazy(
        "Township window appraisal: weights of the inputs and grade thresholds."
    ),
    validator=rules.validate_window,
)
