"""Issue 16 item 5: a policy editor per rule shape, with a preview before saving."""

from __future__ import annotations

import datetime
import os
import re

import lxml.html
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from attendance.models import SessionRecord
from attendance.tests.test_policy_preview import late_in_last_month
from bureau.models import Policy
from bureau.policies import ORIGIN_DATE, policy_in_force, registry
from bureau.policy_editor import PolicyValueForm, has_json_box, shape_hint
from bureau.testing import UserFactory

D = datetime.date
LATE = "attendance.late_limit_minutes"
TABLE = "attendance.allowance_table"
CHAIN = "attendance.going_out_chain"
# A day a new version may take effect on (within the date bounds, after today).
NEXT = datetime.date(datetime.date.today().year + 1, 1, 1)
SLUG = re.compile(r"^[a-z][a-z0-9_.#]*$")
DEFINITIONS = registry.definitions()


def form_data(html: str) -> dict:
    """What a browser sends for the form as shown (selected options, checked boxes)."""
    doc = lxml.html.fromstring(f"<form>{html}</form>")
    data: dict = {}
    for element in doc.iter("input", "select", "textarea"):
        name = element.get("name")
        if not name:
            continue
        if element.tag == "select":
            chosen = [
                o.get("value")
                for o in element.iter("option")
                if o.get("selected") is not None
            ]
            data[name] = chosen[0] if chosen else element.xpath(".//option/@value")[0]
        elif element.tag == "textarea":
            data[name] = element.text or ""
        elif element.get("type") == "checkbox":
            if element.get("checked") is not None:
                data.setdefault(name, []).append(element.get("value", "on"))
        elif element.get("type") != "submit":
            data[name] = element.get("value", "")
    return data


def page_data(response) -> dict:
    doc = lxml.html.fromstring(response.content.decode())
    form = doc.get_element_by_id("policy-editor-form")
    return form_data(lxml.html.tostring(form, encoding="unicode"))


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.key)
def test_every_registered_policy_has_a_form_that_round_trips(definition):
    """No JSON box for any policy of the product; the form as shown gives back the
    rulebook default unchanged."""
    with translation.override("zh-hans"):
        form = PolicyValueForm(definition, definition.default)
        assert not has_json_box(form), definition.key
        html = str(form.render_value())
        again = PolicyValueForm(definition, definition.default, data=form_data(html))
        assert again.is_valid(), again.errors
        assert again.value == definition.default


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.key)
def test_every_label_and_choice_is_in_words(definition):
    """Fields and choices are labelled in Chinese: never an internal key or slug."""
    with translation.override("zh-hans"):
        form = PolicyValueForm(definition, definition.default)
        for name, field in form.fields.items():
            if field.widget.is_hidden:
                continue
            assert not SLUG.match(str(field.label)), (definition.key, name, field.label)
            for value, label in getattr(field, "choices", []):
                if value:
                    assert not SLUG.match(str(label)), (definition.key, name, label)
        assert not SLUG.match(shape_hint(definition))


def test_every_description_is_translated():
    """The rulebook's text beside the form is in Chinese."""
    with translation.override("zh-hans"):
        english = [
            d.key
            for d in DEFINITIONS
            if not d.key.startswith("toy")  # the test chapters' own keys
            and re.search(
                r"[A-Za-z]{4,}", re.sub(r"[A-Z]+-\d+|SYS", "", str(d.description))
            )
            and not re.search(r"[\u4e00-\u9fff]", str(d.description))
        ]
    assert not english


def test_a_registered_shape_names_the_kind_of_rule():
    definition = registry.register(
        "toy.editor_chain",
        {"steps": [{"action": "approve", "who": "director"}], "top": "director"},
        rule="SYS",
        description="toy",
        shape="chain",
    )
    try:
        with translation.override("en"):
            assert "approval chain" in shape_hint(definition)
    finally:
        registry.unregister("toy.editor_chain")


def test_an_unknown_shape_falls_back_to_an_advanced_json_box():
    definition = registry.register(
        "toy.editor_odd", [[1, "a"], "b"], rule="SYS", description="toy"
    )
    try:
        form = PolicyValueForm(definition, definition.default)
        assert has_json_box(form)
        with translation.override("zh-hans"):
            assert "高级" in str(form.render_value())
    finally:
        registry.unregister("toy.editor_odd")


# --- the page --------------------------------------------------------------------


def editor(key):
    return reverse("admin:bureau_policy_editor", args=[key])


@pytest.fixture
def admin_client(org, client_for):
    return client_for(org.admin)


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.key)
def test_every_policy_page_shows_without_json(definition, admin_client):
    response = admin_client.get(editor(definition.key))
    assert response.status_code == 200
    assert b"policy-json" not in response.content
    assert definition.rule.encode() in response.content


def post(client, key, changes, *, day=None, extra=None):
    page = client.get(editor(key))
    data = page_data(page)
    data.update(
        {
            "effective_from": day or NEXT.isoformat(),
            "note": "test",
            **changes,
            **(extra or {}),
        }
    )
    return client.post(editor(key), data)


def errors_of(response) -> str:
    doc = lxml.html.fromstring(response.content.decode())
    return " ".join(e.text_content() for e in doc.find_class("errorlist"))


def test_sys_editor_preview_then_save_records_the_version(admin_client):
    """Preview first (nothing saved), then save what was previewed, from the day."""
    before = Policy.objects.count()
    response = post(admin_client, LATE, {"v": "12", "_preview": "1"})
    assert response.status_code == 200
    assert b'id="policy-preview"' in response.content
    assert Policy.objects.count() == before
    data = page_data(response)
    data["_save"] = "1"
    saved = admin_client.post(editor(LATE), data)
    assert saved.status_code == 302
    assert policy_in_force(LATE, NEXT).value == 12
    assert policy_in_force(LATE, NEXT - datetime.timedelta(days=1)).value == 15


def test_sys_editor_a_value_changed_after_the_preview_is_previewed_again(admin_client):
    response = post(admin_client, LATE, {"v": "12", "_preview": "1"})
    data = page_data(response)
    data.update({"v": "11", "_save": "1"})
    again = admin_client.post(editor(LATE), data)
    assert again.status_code == 200  # the preview of 11, not saved
    assert not Policy.objects.filter(key=LATE, effective_from=NEXT).exists()


@pytest.mark.parametrize(
    ("key", "changes", "words"),
    [
        (LATE, {"v": "-5"}, "大于或等于"),
        (TABLE, {"v-1-1": "9"}, "重叠"),
        (CHAIN, {"v-steps-0-1": "nobody"}, "选择一个有效的选项"),
    ],
    ids=["negative_minutes", "overlapping_bands", "unknown_relation"],
)
def test_sys_editor_bad_input_is_refused_in_chinese(admin_client, key, changes, words):
    before = list(Policy.objects.order_by("pk").values_list("pk", "value"))
    for button in ("_preview", "_save"):
        response = post(
            admin_client, key, changes, extra={button: "1", "previewed": "x"}
        )
        assert response.status_code == 200
        assert words in errors_of(response), errors_of(response)
    assert list(Policy.objects.order_by("pk").values_list("pk", "value")) == before


def test_sys_editor_a_date_before_the_current_version_is_refused(admin_client):
    Policy.objects.create(key=LATE, effective_from=D(2020, 1, 1), value=14)
    before = Policy.objects.count()
    with time_machine.travel(datetime.datetime(2026, 12, 10, 9, 0), tick=False):
        response = post(
            admin_client, LATE, {"v": "12", "_preview": "1"}, day="2019-06-01"
        )
    assert response.status_code == 200
    assert "2020-01-01" in errors_of(response)
    assert Policy.objects.count() == before


def test_sys_editor_is_for_the_administrator_only(org, client_for):
    staff = UserFactory(username="staffer", is_staff=True)
    for who in (org.a1, org.head_a, staff):
        client = client_for(who)
        for url in (editor(LATE), reverse("admin:bureau_policy_editor_index")):
            response = client.get(url)
            assert response.status_code in (302, 403), (who, url)
            assert b"policy-editor" not in response.content
        before = Policy.objects.count()
        client.post(
            editor(LATE), {"v": "3", "effective_from": NEXT.isoformat(), "_save": "1"}
        )
        assert Policy.objects.count() == before


def test_sys_editor_unknown_key_is_404(admin_client):
    assert admin_client.get(editor("no.such")).status_code == 404


def test_sys_add_form_sends_to_the_editor(admin_client):
    response = admin_client.get(reverse("admin:bureau_policy_add"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:bureau_policy_editor_index")
    index = admin_client.get(response["Location"])
    assert editor(LATE).encode() in index.content


def test_sys_stored_version_is_shown_in_words_not_rewritten(admin_client):
    version = Policy.objects.get(key=TABLE, effective_from=ORIGIN_DATE)
    page = admin_client.get(reverse("admin:bureau_policy_change", args=[version.pk]))
    assert page.status_code == 200
    assert b'name="value"' not in page.content


@pytest.mark.browser
def test_sys_administrator_changes_a_minute_band_previews_and_saves(
    org, browser_login, artifacts_dir, live_server
):
    """The administrator opens the late limit, types 11, sees in the preview the
    exact number of people whose last month would change, chooses the effective date
    and saves."""
    day = late_in_last_month(
        org, today=timezone.localdate(), sign_out=True
    )  # a month to recompute
    # Who changes, from the data set up: a session signed in more than 11 minutes
    # after the start but within the limit in force (15), and signed out, was a
    # lateness and becomes a half-day absence with 11 (ATT-3); a session already
    # absent (no sign-in, no sign-out) stays absent: nobody else's month moves.
    new_limit = datetime.timedelta(minutes=11)
    old_limit = datetime.timedelta(minutes=policy_in_force(LATE, day).value)
    rows = SessionRecord.objects.filter(
        date__year=day.year,
        date__month=day.month,
        signed_in_at__isnull=False,
        signed_out_at__isnull=False,
    )
    expected = len(
        {
            r.person_id
            for r in rows
            if new_limit < r.signed_in_at - r.starts_at <= old_limit
        }
    )
    assert expected == 1  # a1's 12-minute arrival
    page = browser_login("admin")
    page.goto(live_server.url + editor(LATE))
    assert "迟到时限" in page.locator("h1").inner_text()
    assert page.locator("#policy-rulebook").is_visible()
    page.fill("#id_v", "11")
    page.fill("#id_effective_from", NEXT.isoformat())
    page.click("#policy-preview-button")
    page.wait_for_load_state("networkidle")
    impact = page.locator("#policy-impacts .impact").inner_text()
    counted = re.search(r"(\d+) 人", impact)
    assert counted and int(counted.group(1)) == expected, impact
    page.screenshot(
        path=os.path.join(artifacts_dir, "policy-preview.png"), full_page=True
    )
    assert not Policy.objects.filter(key=LATE, effective_from=NEXT).exists()
    page.click("#policy-save-button")
    page.wait_for_load_state("networkidle")
    assert policy_in_force(LATE, NEXT).value == 11
    assert policy_in_force(LATE, NEXT - datetime.timedelta(days=1)).value == 15


def test_dis3_a_ladder_step_is_added_in_the_empty_row(admin_client):
    """DIS-3: the empty last row adds a step; shown again, another empty row follows."""
    key = "discipline.ladder.efficiency"
    response = post(
        admin_client,
        key,
        {"v-steps-2-0": ["sanction_proposal"], "v-steps-2-1": "unfit", "_preview": "1"},
    )
    assert response.status_code == 200, errors_of(response)
    assert b'id="policy-preview"' in response.content
    assert b'name="v-steps-3-1"' in response.content
    data = page_data(response)
    data["_save"] = "1"
    assert admin_client.post(editor(key), data).status_code == 302
    steps = policy_in_force(key, NEXT).value["steps"]
    assert steps[-1] == {"outcomes": ["sanction_proposal"], "cap": "unfit"}
    assert len(steps) == 3
