"""The demo's handovers (DOC-6), loaded after the chapters whose matters they list:
head2's leave handover acknowledged by the colleague named (leave.demo started it),
staff1's still waiting for the document clerk, and head1's business trip next week
handed over to staff1 by hand, waiting on staff1's home page."""

import datetime

from django.utils import translation

from bureau import workdays
from handovers.models import Handover
from handovers.services import handover_acknowledge, handover_open


def load(ctx) -> None:
    with translation.override("zh-hans"):
        _load(ctx)


def _load(ctx) -> None:
    people = ctx.people
    for handover in Handover.objects.filter(
        person=people["head2"], status=Handover.Status.WAITING
    ).select_related("colleague__user"):
        handover_acknowledge(handover=handover, by=handover.colleague.user)
    ahead = workdays.working_days_in(
        ctx.today + datetime.timedelta(days=7), ctx.today + datetime.timedelta(days=21)
    )
    handover_open(
        by=people["head1"].user,
        colleague=people["staff1"],
        start_date=ahead[0],
        end_date=ahead[2],
        kind=Handover.Kind.TRIP,
        note="赴市卫健委参加统计业务培训，督办事项和待阅文件请代为跟进。",
    )
