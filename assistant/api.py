"""POST /api/v1/assistant/ask/: the assistant for apps and the chat panel."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assistant.services import MAX_MESSAGE, assistant_ask
from onestop.client_address import client_ip
from onestop.throttling import ScopedRateThrottle


class AskInput(serializers.Serializer):
    message = serializers.CharField(max_length=MAX_MESSAGE, allow_blank=False)
    conversation = serializers.UUIDField(required=False, allow_null=True)


class ProcedureCard(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    level_label = serializers.CharField()
    online = serializers.BooleanField()
    score = serializers.FloatField(allow_null=True)
    url = serializers.CharField()
    submit_url = serializers.CharField(help_text="Empty when the procedure is not online.")


class Link(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField()


class AskOutput(serializers.Serializer):
    text = serializers.CharField()
    intent = serializers.ChoiceField(
        ["procedure", "documents", "fee", "time", "where", "online", "follow", "status"]
    )
    conversation = serializers.UUIDField()
    confidence = serializers.FloatField()
    low_confidence = serializers.BooleanField()
    procedures = ProcedureCard(many=True)
    alternatives = ProcedureCard(many=True)
    items = serializers.ListField(child=serializers.CharField())
    links = Link(many=True)
    source = Link(allow_null=True)
    status = serializers.DictField(allow_null=True)
    throttled = serializers.BooleanField()


class AskApi(APIView):
    """Answer a question about procedures or a dossier; pass `conversation` back for follow-ups.

    No authentication (and so no CSRF): the assistant serves everyone the same way.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]  # per real client address
    throttle_scope = "assistant"

    @extend_schema(request=AskInput, responses={200: AskOutput, 429: AskOutput})
    def post(self, request: Request) -> Response:
        data = AskInput(data=request.data)
        data.is_valid(raise_exception=True)
        conversation = data.validated_data.get("conversation")
        answer = assistant_ask(
            message=data.validated_data["message"],
            conversation_id=str(conversation) if conversation else None,
            client=client_ip(request) or "unknown",
        )
        code = status.HTTP_429_TOO_MANY_REQUESTS if answer.throttled else status.HTTP_200_OK
        return Response(AskOutput(answer.as_dict()).data, status=code)
