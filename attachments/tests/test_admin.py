"""The generic inline: uploads through the service for who may attach, read-only for
others; the administrators' audit list."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from attachments.admin import AttachmentInline
from attachments.models import Attachment
from attachments.services import attachment_add
from attachments.testing import EXE, upload
from bureau.models import Section

pytestmark = pytest.mark.django_db


def _formset(user, section, purpose, file):
    request = RequestFactory().post("/")
    request.user = user
    inline = AttachmentInline(Section, admin.site)
    formset_class = inline.get_formset(request, section)
    prefix = formset_class.get_default_prefix()
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-purpose": purpose,
    }
    files = {f"{prefix}-0-upload": file}
    return inline, formset_class(data, files, instance=section, prefix=prefix)


def test_inline_uploads_through_the_service_for_who_may_attach(org, sections_own_files):
    _inline, formset = _formset(org.head_a.user, org.section_a, "invoice", upload())
    assert "upload" in formset.forms[0].fields
    assert formset.is_valid(), formset.errors
    formset.save()
    attachment = Attachment.objects.get()
    assert attachment.owner == org.section_a and attachment.purpose == "invoice"
    assert attachment.uploaded_by == org.head_a.user


def test_inline_refuses_a_bad_file_with_its_message(org, sections_own_files):
    _inline, formset = _formset(
        org.head_a.user, org.section_a, "invoice", upload("a.pdf", EXE)
    )
    assert not formset.is_valid()
    assert "不是 PDF" in str(formset.errors)
    assert not Attachment.objects.exists()


def test_inline_is_read_only_for_who_may_not_attach(org, sections_own_files):
    attachment_add(by=org.head_a.user, obj=org.section_a, file=upload())
    request = RequestFactory().get("/")
    request.user = org.a1.user
    inline = AttachmentInline(Section, admin.site)
    assert not inline.has_add_permission(request, org.section_a)
    assert not inline.has_change_permission(request, org.section_a)
    assert not inline.has_delete_permission(request, org.section_a)
    formset = inline.get_formset(request, org.section_a)
    assert formset.extra == 0 and "upload" not in formset.form.base_fields


def test_audit_list_is_for_administrators_only_and_counts_duplicates(
    org, sections_own_files, client_for
):
    attachment_add(by=org.head_a.user, obj=org.section_a, file=upload())
    attachment_add(by=org.head_b.user, obj=org.section_b, file=upload("again.pdf"))
    changelist = reverse("admin:attachments_attachment_changelist")
    assert client_for(org.head_a).get(changelist).status_code == 403
    page = client_for(org.admin).get(changelist)
    assert page.status_code == 200
    assert "again.pdf" in page.content.decode()
    assert [r.elsewhere for r in page.context["cl"].result_list] == [1, 1]
