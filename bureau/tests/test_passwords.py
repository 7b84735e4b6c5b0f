"""Passwords built on the person's name in pinyin or their employee number are
refused (bureau.passwords.PersonNameValidator), on the password change form."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from bureau.models import Position
from bureau.passwords import name_tokens, too_similar
from bureau.testing import make_person

URL = "/accounts/password_change/"
OLD = "test-pass-123"


@pytest.fixture
def wang(org):
    person = make_person(
        "wjg", unit=org.organ, position=Position.SECTION_STAFF, name="王建国"
    )
    person.employee_no = "GA2041"
    person.save()
    return person


def change(client, new):
    return client.post(
        URL, {"old_password": OLD, "new_password1": new, "new_password2": new}
    )


@pytest.mark.parametrize(
    "password",
    [
        "wangjianguo2026",  # full name
        "WangJianGuo!",  # any case
        "Jianguo@1980",  # given name
        "jianguowang#7",  # given name first
        "wjg19800101",  # initials padded with digits
        "my-ga2041-pass",  # employee number
        "x2041-river-moon",  # its digits
        "wangjianguoo",  # similar (ratio ≥ 0.7)
    ],
)
def test_password_on_the_name_or_number_is_refused_in_chinese(
    wang, client_for, password
):
    """The change form refuses it with a Chinese message; the password is unchanged."""
    response = change(client_for(wang), password)
    assert response.status_code == 200
    assert "密码与您姓名的拼音或您的工号过于相似。" in response.content.decode()
    wang.user.refresh_from_db()
    assert wang.user.check_password(OLD)


def test_unrelated_password_is_accepted(wang, client_for):
    response = change(client_for(wang), "Tx7#river-moon")
    assert response.status_code == 302
    wang.user.refresh_from_db()
    assert wang.user.check_password("Tx7#river-moon")


def test_help_text_on_the_form_is_chinese(wang, client_for):
    page = client_for(wang).get(URL).content.decode()
    assert "密码不能包含您姓名的拼音或您的工号。" in page


def test_login_without_a_person_is_not_judged_by_name(org):
    """An account with no person (e.g. the superuser) is left to Django's checks."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("root-admin", password="x")
    validate_password("wangjianguo-2026", user)


def test_unsaved_user_is_not_judged(db):
    from django.contrib.auth import get_user_model

    validate_password("wangjianguo-2026", get_user_model()(username="new"))


@pytest.mark.parametrize(
    "name, password, refused",
    [
        ("单雄信", "shanxiongxin88", True),  # polyphonic surname, surname reading
        ("单雄信", "danxiongxin88", True),  # and the common reading
        ("吕伟", "lvwei2020", True),  # ü as v
        ("吕伟", "Luwei!2020", True),  # ü as u
        ("王伟", "wei@123456", True),  # short given name, nothing else
        ("王伟", "weird-blue-42", False),  # short given name inside a word: allowed
        ("欧阳修", "ouyangxiu1", True),  # compound surname
        ("欧阳修", "xiu-sky-lake", False),
        ("王建国", "wang-sky-lake", False),  # surname alone: many share it
        ("王建国", "gjw!2020", False),
    ],
)
def test_name_pinyin_rule_boundaries(name, password, refused):
    assert too_similar(password, name_tokens(name, "T0001x")) is refused


def test_short_employee_number_does_not_forbid_its_letters():
    """An employee number under 3 characters is not searched for inside passwords."""
    assert not too_similar("xylophone-42", name_tokens("王建国", "x"))
    assert too_similar("ab-x00077", name_tokens("王建国", "x00077"))


def test_validator_message_is_chinese(wang):
    with pytest.raises(ValidationError) as caught:
        validate_password("wangjianguo2026", wang.user)
    assert "密码与您姓名的拼音或您的工号过于相似。" in caught.value.messages
