"""Nobody decides or records their own appraisal (issue 8, hole 1: a section head
raised their own grade through the admin). The admin refuses it and so does the
service, whatever page calls it."""

import pytest
from django.urls import reverse

from discipline import rules
from discipline.models import Appraisal, WindowAppraisal
from discipline.services import DisciplineError, appraisal_decide, window_appraisal_save

pytestmark = pytest.mark.django_db

WINDOW = {
    "window": "服务窗口",
    "self_report": "全年受理业务",
    "self_score": 95,
    "democratic_score": 95,
    "peer_score": 95,
}


def test_dis_inspector_cannot_decide_their_own_appraisal(org):
    """The service refuses the inspector's own final grade; nothing is stored."""
    with pytest.raises(DisciplineError):
        appraisal_decide(
            person=org.inspector,
            year=2026,
            grade=rules.EXCELLENT,
            by=org.inspector.user,
        )
    assert not Appraisal.objects.filter(person=org.inspector).exists()


def test_dis7_inspector_cannot_record_their_own_window_appraisal(org):
    with pytest.raises(DisciplineError):
        window_appraisal_save(
            person=org.inspector, year=2026, by=org.inspector.user, **WINDOW
        )
    assert not WindowAppraisal.objects.filter(person=org.inspector).exists()


def test_dis7_admin_refuses_editing_ones_own_window_appraisal(org, client_for):
    """Someone else's record of the inspector exists: the inspector may view it in
    the admin, not change it (403), and is not offered as a person on the add
    form."""
    record = window_appraisal_save(
        person=org.inspector, year=2026, by=org.admin, **WINDOW
    )
    client = client_for(org.inspector)
    change = reverse("admin:discipline_windowappraisal_change", args=[record.pk])
    response = client.post(
        change,
        {**WINDOW, "person": org.inspector.pk, "year": 2026, "self_score": 100},
    )
    assert response.status_code == 403
    record.refresh_from_db()
    assert float(record.self_score) == 95
    add = client.get(reverse("admin:discipline_windowappraisal_add"))
    choices = [
        c[0].value
        for c in add.context["adminform"].form.fields["person"].choices
        if c[0]
    ]
    assert org.inspector.pk not in choices and org.u1.pk in choices
