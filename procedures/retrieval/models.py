"""Data the engine keeps in the database: the colloquial lexicon and the procedure vectors.

Imported from procedures.models so Django registers them under the `procedures` app.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ColloquialTerm(models.Model):
    """A citizen's word and the catalog's word for it, e.g. "cắt khẩu" → "xóa đăng ký thường trú".

    The query keeps its own words and gains the catalog's, so a term never hides a match.
    """

    phrase = models.CharField(_("cách nói của người dân"), max_length=200, unique=True)
    expansion = models.CharField(_("cách nói trong danh mục"), max_length=300)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["phrase"]
        verbose_name = _("từ ngữ thông dụng")
        verbose_name_plural = _("từ điển từ ngữ thông dụng")

    def __str__(self) -> str:
        return f"{self.phrase} → {self.expansion}"


class ProcedureVector(models.Model):
    """The sentence embedding of a procedure's text; `text_hash` says when to recompute it."""

    procedure = models.OneToOneField(
        "procedures.Procedure", on_delete=models.CASCADE, related_name="vector"
    )
    model_name = models.CharField(max_length=100)
    text_hash = models.CharField(max_length=64)
    vector = models.BinaryField(help_text="float32, L2-normalised")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("véc-tơ thủ tục")
        verbose_name_plural = _("véc-tơ thủ tục")

    def __str__(self) -> str:
        return f"{self.procedure_id} ({self.model_name})"
