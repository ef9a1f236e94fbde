"""Action forms shared by the citizen's and the clerk's dossier pages."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import hooks, selectors
from dossiers.declarations import (
    declaration_display,
    declaration_for,
)
from dossiers.forms import (
    OPTIONAL_ITEMS_ACTIONS,
    action_form_class,
)
from dossiers.models import Dossier
from dossiers.services import (
    DossierError,
    DossierValidationError,
    dossier_perform_action,
)
from dossiers.views.common import dossier_lookup_url
from procedures.models import RequiredDocument


def detail_context(request: HttpRequest, dossier: Dossier) -> dict[str, Any]:
    documents = list(
        dossier.documents.select_related("required_document").order_by("uploaded_at", "pk")
    )
    declaration = declaration_for(dossier.procedure.code)
    return {
        "dossier": dossier,
        "documents": documents,
        "events": list(selectors.dossier_timeline(dossier=dossier)),
        "declaration": declaration,
        "declaration_rows": declaration_display(declaration, dossier.form_data)
        if declaration
        else [],
        "lookup_url": dossier_lookup_url(request, dossier.code) if dossier.code else "",
        "now": timezone.now(),
        "extra_panels": hooks.detail_panels(dossier=dossier, user=request.user),
    }


def document_choices(dossier: Dossier) -> list[str]:
    return list(
        RequiredDocument.objects.filter(procedure_id=dossier.procedure_id, is_note=False)
        .order_by("position")
        .values_list("name", flat=True)
    )


def action_forms(dossier: Dossier, allowed: list, bound: dict) -> list[dict[str, Any]]:
    choices = (
        document_choices(dossier)
        if any(f.kind == "items" for s in allowed for f in s.fields)
        else []
    )
    forms_ = []
    for spec in allowed:
        defaults = hooks.action_defaults(dossier=dossier, action=spec.name)
        form = bound.get(spec.name) or action_form_class(spec, document_choices=choices)(
            prefix=spec.name, initial=defaults.initial
        )
        forms_.append(
            {
                "spec": spec,
                "form": form,
                "has_items": "item_document_0" in form.fields,
                "notes": defaults.notes,
            }
        )
    return forms_


def _payload(spec, cleaned: dict) -> dict[str, Any]:
    """The engine's input from a valid action form (ids for objects, items as dicts)."""
    payload: dict[str, Any] = {}
    if spec.name in OPTIONAL_ITEMS_ACTIONS and cleaned.get("items"):
        # The refusal service takes one text: the general reason, then one line per document.
        lines = [f"- {item['document']}: {item['reason']}" for item in cleaned["items"]]
        cleaned = {**cleaned, "reason": "\n".join([cleaned.get("reason", ""), *lines]).strip()}
    for item in spec.fields:
        if item.kind == "items":
            payload["items"] = cleaned.get("items", [])
        elif item.kind == "id":
            value = cleaned.get(item.name)
            payload[item.name] = value.pk if value is not None else None
        else:
            value = cleaned.get(item.name)
            if value not in (None, "", []):
                payload[item.name] = value
    return payload


def action_form_perform(
    request: HttpRequest,
    dossier: Dossier,
    action: str,
    *,
    back: Callable[[], HttpResponse],
    again: Callable[[dict], HttpResponse],
) -> HttpResponse:
    """Validate the action's form, run it through the engine, and say what happened."""
    allowed = {
        s.name: s for s in selectors.dossier_allowed_actions(dossier=dossier, user=request.user)
    }
    spec = allowed.get(action)
    if spec is None:
        messages.error(
            request, _("Thao tác này không còn thực hiện được với hồ sơ ở trạng thái hiện tại.")
        )
        return back()
    form = action_form_class(spec, document_choices=document_choices(dossier))(
        request.POST, request.FILES, prefix=spec.name
    )
    if form.is_valid():
        try:
            dossier_perform_action(
                dossier_id=dossier.pk,
                actor=request.user,
                action=action,
                payload=_payload(spec, form.cleaned_data),
                now=timezone.now(),
            )
        except DossierValidationError as error:
            target = error.field if error.field in form.fields else None
            if error.field == "items":
                target = "item_document_0"
            form.add_error(target, error.message)
        except DossierError as error:
            messages.error(request, error.message)
            return back()
        else:
            messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": spec.label})
            return back()
    return again({action: form})
