"""DOC-6 with PET-7: while a handover the colleague acknowledged is in force, the
colleague is a handler of the handler's open cases — the case and the
petitioner's identity open to them, and every view of it is logged like anyone
else's. Before the acknowledgement, after the last day and for anyone else: 404."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from handovers.services import handover_acknowledge, handover_open
from petitions import selectors
from petitions.models import IdentityAccess
from petitions.tests.conftest import DAY0, at, register, route

pytestmark = pytest.mark.django_db

LAST_DAY = DAY0 + datetime.timedelta(days=4)


@pytest.fixture
def case(pet):
    case = register(pet)
    route(pet, case, handler=pet.org.b1)
    case.refresh_from_db()
    return case


@pytest.fixture
def handover(pet, case):
    """b1 hands over to a1 for the week of DAY0, not yet acknowledged."""
    with time_machine.travel(at(DAY0), tick=False):
        return handover_open(
            by=pet.org.b1.user,
            colleague=pet.org.a1,
            start_date=DAY0,
            end_date=LAST_DAY,
        )


def _views(case, user):
    return IdentityAccess.objects.filter(case=case, user=user).count()


def test_pet7_doc6_colleague_handles_the_case_and_every_view_is_logged(
    pet, case, handover, client_for
):
    """PET-7: before acknowledging, a1 gets 404 and nothing is logged; once
    acknowledged, a1 sees the case with the petitioner's name, each view logged
    under a1; a2 still 404; after the last day 404 again, nothing more logged."""
    org = pet.org
    url = reverse("petitions:detail", args=[case.pk])
    colleague = client_for(org.a1)
    with time_machine.travel(at(DAY0 + datetime.timedelta(days=1)), tick=False):
        assert colleague.get(url).status_code == 404
        assert _views(case, org.a1.user) == 0
        handover_acknowledge(handover=handover, by=org.a1.user)
        page = colleague.get(url)
        assert page.status_code == 200
        assert "张三" in page.content.decode()
        colleague.get(url)
        assert _views(case, org.a1.user) == 2
        assert selectors.identities_visible_to(org.a1.user).filter(case=case).exists()
        assert client_for(org.a2).get(url).status_code == 404
        # A handler for the period sees; deciding stays with the section.
        assert not selectors.may_handle(org.a1.user, case)
    with time_machine.travel(at(LAST_DAY + datetime.timedelta(days=1)), tick=False):
        assert colleague.get(url).status_code == 404
        assert (
            not selectors.identities_visible_to(org.a1.user).filter(case=case).exists()
        )
    assert _views(case, org.a1.user) == 2


def test_pet7_doc6_cancelled_handover_opens_nothing(pet, case, handover, client_for):
    org = pet.org
    url = reverse("petitions:detail", args=[case.pk])
    with time_machine.travel(at(DAY0 + datetime.timedelta(days=1)), tick=False):
        handover_acknowledge(handover=handover, by=org.a1.user)
        handover.refresh_from_db()
        handover.status = "cancelled"
        handover.save(update_fields=["status"])
        assert client_for(org.a1).get(url).status_code == 404
    assert _views(case, org.a1.user) == 0
