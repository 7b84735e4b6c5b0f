"""The demo shows the new parts: receipts with their committed-date clocks (open,
met) and, on a working day when two people are away all day, a window left empty,
flagged on its unit's whereabouts board."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bureau.models import Person
from bureau.workdays import TZ, is_working_day
from deadlines.models import Deadline
from window.models import COMMITTED_DEADLINE, Receipt, Window

pytestmark = pytest.mark.django_db


def test_svc1_svc4_demo_has_receipt_clocks_and_an_empty_window_on_the_board(client):
    call_command("load_demo", "--commit", stdout=io.StringIO())
    clocks = Deadline.objects.filter(kind=COMMITTED_DEADLINE)
    assert clocks.count() == Receipt.objects.count() > 0
    assert clocks.filter(state=Deadline.State.OPEN).exists()
    assert clocks.filter(state=Deadline.State.MET).exists()
    empty = Window.objects.filter(name="流动人口婚育证明窗口").first()
    today = timezone.localdate()
    if empty is None or not is_working_day(today):
        return  # fewer than two people away all day today: nothing to flag
    client.force_login(Person.objects.get(user__username="director").user)
    morning = datetime.datetime.combine(today, datetime.time(9, 30), tzinfo=TZ)
    with time_machine.travel(morning, tick=False):
        page = client.get(reverse("attendance:board", args=[empty.unit_id]))
    assert page.status_code == 200
    assert 'id="board-notices"' in page.content.decode()
    assert "流动人口婚育证明窗口" in page.content.decode()
