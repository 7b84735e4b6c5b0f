import datetime

import time_machine

from petitions import services
from petitions.models import Case
from petitions.tests.conftest import (
    DAY0,
    at,
    conclude,
    decide,
    deliver,
    register,
    route,
)


def test_pet2_whole_journey(pet):
    case = register(pet)
    assert case.number.startswith("测计生信〔2026〕1号")
    route(pet, case)
    decide(pet, case, on=DAY0 + datetime.timedelta(days=14))
    conclude(pet, case, on=DAY0 + datetime.timedelta(days=30))
    deliver(pet, case, on=DAY0 + datetime.timedelta(days=31))
    later = DAY0 + datetime.timedelta(days=62)
    with time_machine.travel(at(later), tick=False):
        services.case_close(case=case, by=pet.officer.user, on=later)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
