"""The demo's handovers (DOC-6), loaded after the chapters whose matters they list:
head2's leave handover acknowledged by the colleague named (leave.demo started it),
staff1's still waiting for the document clerk, head1's business trip next week
handed over to staff1 by hand, waiting on staff1's home page, and fagui2's
training trip this week handed over to staff1 and acknowledged: in force today,
so staff1 opens fagui2's returned draft and petition cases (the identity shown and
logged, PET-7) from 交接给我的事项."""

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
    # DOC-6 in force: fagui2 is away this week; staff1 has acknowledged and acts
    # on fagui2's matters until the last day.
    soon = workdays.working_days_in(
        ctx.today + datetime.timedelta(days=1), ctx.today + datetime.timedelta(days=14)
    )
    away = handover_open(
        by=people["fagui2"].user,
        colleague=people["staff1"],
        start_date=ctx.today,
        end_date=soon[1],
        kind=Handover.Kind.TRIP,
        note="赴省卫健委参加依法行政培训，退回的报告和在办信访件请代为办理。",
    )
    handover_acknowledge(handover=away, by=people["staff1"].user)
