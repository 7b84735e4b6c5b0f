"""The 15 types of official document of the 公文 rules (党政机关公文处理工作条例, 第八条),
the defaults an administrator may adjust (the types are data: documents.DocumentType).
Put in by the migration 0002_document_types and, when the table is empty (a flushed
test database: a PostgreSQL race test flushes it), after every migrate."""

DEFAULT_TYPES = [
    ("resolution", "决议"),
    ("decision", "决定"),
    ("order", "命令（令）"),
    ("communique", "公报"),
    ("announcement", "公告"),
    ("public_notice", "通告"),
    ("opinion", "意见"),
    ("notice", "通知"),
    ("circular", "通报"),
    ("report", "报告"),
    ("request", "请示"),
    ("reply", "批复"),
    ("motion", "议案"),
    ("letter", "函"),
    ("minutes", "纪要"),
]


def ensure_default_types(DocumentType) -> int:
    """Put the default types in when there are none at all (an administrator's
    removals and renames are kept otherwise); returns how many were made."""
    if DocumentType.objects.exists():
        return 0
    DocumentType.objects.bulk_create(
        DocumentType(code=code, name=name, order=order)
        for order, (code, name) in enumerate(DEFAULT_TYPES, start=1)
    )
    return len(DEFAULT_TYPES)


def after_migrate(sender, **kwargs):
    if sender.name != "documents":
        return
    ensure_default_types(sender.get_model("DocumentType"))
