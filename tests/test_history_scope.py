"""History pages follow the same scope as the records (no leak by typing a URL)."""

import datetime

from django.urls import reverse

from discipline.services import violation_record


def test_dis_history_of_another_sections_violation_is_404(org, client_for):
    """DIS access: head_a sees section A's violation history, not section B's."""
    own = violation_record(
        person=org.a1, occurred_on=datetime.date(2026, 3, 2), kind="attendance.late"
    )
    other = violation_record(
        person=org.b1, occurred_on=datetime.date(2026, 3, 2), kind="attendance.late"
    )
    client = client_for(org.head_a)
    ok = reverse("admin:discipline_violation_history", args=[own.pk])
    leak = reverse("admin:discipline_violation_history", args=[other.pk])
    assert client.get(ok).status_code == 200
    assert client.get(leak).status_code == 404
    assert client_for(org.inspector).get(leak).status_code == 200


def test_org1_person_history_is_the_administrators(org, client_for):
    url = reverse("admin:bureau_person_history", args=[org.b1.pk])
    assert client_for(org.head_a).get(url).status_code in (403, 404)
    assert client_for(org.admin).get(url).status_code == 200
