"""Pages of the desk floor: kiosks, printed ticket, counter, board, rating panel, figures."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.models import Role
from onestop.models import CounterRating, QueueTicket, TicketStatus
from onestop.services import ticket_call_next, ticket_issue, ticket_serve
from onestop.templatetags.queue_tags import counter_label
from procedures.models import ProcedureLevel
from procedures.services import procedure_save
from tests.factories import make_desk, make_dossier, make_procedure, make_user
from tests.onestop.queue_builders import make_clerk, make_floor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def test_kiosk_ticket_lists_groups_without_site_nav_when_opened(client):
    desk, _, _, _ = make_floor()
    response = client.get(f"/mot-cua/{desk.pk}/lay-so/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hộ tịch - Chứng thực" in html and "Đất đai" in html
    assert "site-header" not in html and "kiosk-bar" in html


def test_kiosk_ticket_issues_and_redirects_to_printable_ticket_when_group_picked(client):
    desk, group_a, _, _ = make_floor()
    response = client.post(
        f"/mot-cua/{desk.pk}/lay-so/", {"group": group_a.pk, "paper": "58", "cccd": ""}
    )
    ticket = QueueTicket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        f"/mot-cua/{desk.pk}/lay-so/ve/{ticket.pk}/?paper=58&print=1&ma={ticket.rating_secret}"
    )


def test_kiosk_ticket_shows_error_when_cccd_is_invalid(client):
    desk, group_a, _, _ = make_floor()
    response = client.post(f"/mot-cua/{desk.pk}/lay-so/", {"group": group_a.pk, "cccd": "12ab"})
    assert response.status_code == 400
    assert "12 chữ số" in response.content.decode()
    assert not QueueTicket.objects.exists()


@pytest.mark.parametrize(("paper", "css"), [("58", "ticket-58.css"), ("80", "ticket-80.css")])
def test_ticket_print_loads_paper_stylesheet_when_paper_is_chosen(client, paper, css):
    desk, group_a, _, _ = make_floor()
    ticket = ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=timezone.now())
    response = client.get(f"/mot-cua/{desk.pk}/lay-so/ve/{ticket.pk}/?paper={paper}&print=1")
    html = response.content.decode()
    assert css in html and "A001" in html and "data-auto-print" in html


def test_ticket_print_returns_404_when_ticket_is_from_another_desk(client):
    desk, group_a, _, _ = make_floor()
    ticket = ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=timezone.now())
    other = make_desk()
    assert client.get(f"/mot-cua/{other.pk}/lay-so/ve/{ticket.pk}/").status_code == 404


def test_board_page_renders_polling_board_when_opened(client):
    desk, group_a, _, _ = make_floor()
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=timezone.now())
    html = client.get(f"/mot-cua/{desk.pk}/bang-hien-thi/").content.decode()
    assert f'data-board-url="/api/v1/desks/{desk.pk}/board/"' in html
    assert "A001" in html and "board.js" in html


def test_counter_page_redirects_to_login_when_anonymous(client):
    _, _, _, (counter1, _) = make_floor()
    response = client.get(f"/mot-cua/quay/{counter1.pk}/")
    assert response.status_code == 302


def test_counter_page_returns_403_when_clerk_is_from_another_desk(client):
    _, _, _, (counter1, _) = make_floor()
    client.force_login(make_clerk(desk=make_desk()))
    assert client.get(f"/mot-cua/quay/{counter1.pk}/").status_code == 403


def test_counter_action_calls_next_ticket_when_clerk_presses_call(client):
    desk, group_a, _, (counter1, _) = make_floor()
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=timezone.now())
    client.force_login(make_clerk(desk=desk))
    response = client.post(f"/mot-cua/quay/{counter1.pk}/call-next/", follow=True)
    assert QueueTicket.objects.get().status == TicketStatus.CALLED
    assert "Đã gọi số A001" in response.content.decode()


def test_counter_action_warns_when_nothing_to_call(client):
    desk, _, _, (counter1, _) = make_floor()
    client.force_login(make_clerk(desk=desk))
    response = client.post(f"/mot-cua/quay/{counter1.pk}/call-next/", follow=True)
    assert "Không còn ai" in response.content.decode()


def test_counter_link_dossier_links_when_code_belongs_to_desk(client):
    desk, group_a, _, (counter1, _) = make_floor()
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=timezone.now())
    ticket = ticket_call_next(counter_id=counter1.pk, actor=None, now=timezone.now())
    dossier = make_dossier(desk=desk)
    client.force_login(make_clerk(desk=desk))
    client.post(
        f"/mot-cua/quay/{counter1.pk}/gan-ho-so/",
        {"ticket": ticket.pk, "dossier_code": dossier.code},
    )
    assert QueueTicket.objects.get().dossier_code == dossier.code


def test_rating_panel_records_tap_when_ticket_was_just_served(client):
    desk, group_a, _, (counter1, _) = make_floor()
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=timezone.now())
    ticket_call_next(counter_id=counter1.pk, actor=None, now=timezone.now())
    ticket = ticket_serve(counter_id=counter1.pk, now=timezone.now())
    page = client.get(f"/mot-cua/quay/{counter1.pk}/danh-gia/").content.decode()
    assert "A001" in page and "Rất hài lòng" in page
    response = client.post(
        f"/mot-cua/quay/{counter1.pk}/danh-gia/", {"ticket": ticket.pk, "level": "very_satisfied"}
    )
    assert "Cảm ơn" in response.content.decode()
    assert CounterRating.objects.get().level == "very_satisfied"


def test_rating_panel_refuses_when_ticket_is_not_the_pending_one(client):
    desk, group_a, _, (counter1, counter2) = make_floor()
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=timezone.now())
    ticket_call_next(counter_id=counter1.pk, actor=None, now=timezone.now())
    ticket = ticket_serve(counter_id=counter1.pk, now=timezone.now())
    response = client.post(
        f"/mot-cua/quay/{counter2.pk}/danh-gia/", {"ticket": ticket.pk, "level": "unsatisfied"}
    )
    assert "không còn chờ đánh giá" in response.content.decode()
    assert not CounterRating.objects.exists()


def test_kiosk_procedures_finds_desk_level_procedure_when_query_has_no_diacritics(client):
    desk, _, _, _ = make_floor()  # a province-level desk
    for name, level in [
        ("Đăng ký khai sinh có yếu tố nước ngoài", ProcedureLevel.PROVINCE),
        ("Đăng ký khai sinh", ProcedureLevel.COMMUNE),
        ("Cấp giấy phép xây dựng", ProcedureLevel.PROVINCE),
    ]:
        procedure_save(procedure=make_procedure(name=name, level=level))
    url = f"/mot-cua/{desk.pk}/tra-cuu-thu-tuc/"
    html = client.get(url, {"q": "KHAI SINH"}).content.decode()
    assert "khai sinh có yếu tố nước ngoài" in html
    assert "Đăng ký khai sinh</span>" not in html and "xây dựng" not in html
    assert 'data-osk="kiosk-q"' in html
    everywhere = client.get(url, {"q": "khai sinh", "all": "1"}).content.decode()
    assert "Đăng ký khai sinh</span>" in everywhere


def test_kiosk_procedure_detail_returns_404_when_procedure_is_unpublished(client):
    desk, _, _, _ = make_floor()
    procedure = make_procedure(is_published=False)
    assert client.get(f"/mot-cua/{desk.pk}/tra-cuu-thu-tuc/{procedure.code}/").status_code == 404


def test_desk_figures_page_shows_totals_when_desk_head_opens(client):
    desk, group_a, _, (counter1, _) = make_floor()
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=timezone.now())
    client.force_login(make_user(role=Role.DESK_HEAD, desk=desk))
    response = client.get(f"/mot-cua/{desk.pk}/so-lieu-quay/")
    assert response.status_code == 200
    assert "Số đã cấp" in response.content.decode()


def test_desk_figures_page_returns_403_when_citizen_opens(client):
    desk, _, _, _ = make_floor()
    client.force_login(make_user(role=Role.CITIZEN))
    assert client.get(f"/mot-cua/{desk.pk}/so-lieu-quay/").status_code == 403


def test_floor_index_lists_device_pages_when_clerk_of_desk_opens(client):
    desk, _, _, (counter1, counter2) = make_floor()
    client.force_login(make_clerk(desk=desk))
    html = client.get(f"/mot-cua/{desk.pk}/thiet-bi/").content.decode()
    assert f"/mot-cua/{desk.pk}/bang-hien-thi/" in html
    assert f"/mot-cua/quay/{counter2.pk}/" in html
    assert f"/api/v1/desks/{desk.pk}/tickets/" in html


def test_floor_index_returns_403_when_clerk_of_another_desk_opens(client):
    desk, _, _, _ = make_floor()
    client.force_login(make_clerk(desk=make_desk()))
    assert client.get(f"/mot-cua/{desk.pk}/thiet-bi/").status_code == 403


def test_my_floor_redirects_to_own_desk_when_clerk(client):
    desk, _, _, _ = make_floor()
    client.force_login(make_clerk(desk=desk))
    assert client.get("/mot-cua/thiet-bi/")["Location"] == f"/mot-cua/{desk.pk}/thiet-bi/"


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("", "Quầy 2"),
        ("Quầy 2", "Quầy 2"),
        ("Quầy 2 - Sở Xây dựng", "Quầy 2 - Sở Xây dựng"),
        ("Tư pháp", "Quầy 2 — Tư pháp"),
    ],
)
def test_counter_label_names_counter_once_when_name_repeats_number(name, label):
    desk, _, _, (_, counter2) = make_floor()
    counter2.name = name
    assert counter_label(counter2) == label


def test_kiosk_ticket_refuses_when_too_many_tickets_in_a_minute(client):
    desk, group_a, _, _ = make_floor()
    url = f"/mot-cua/{desk.pk}/lay-so/"
    statuses = [client.post(url, {"group": group_a.pk}).status_code for _ in range(31)]
    assert statuses[:30] == [302] * 30
    assert statuses[30] == 429
    assert QueueTicket.objects.count() == 30


def test_kiosk_ticket_asks_for_a_group_when_none_is_picked(client):
    desk, _, _, _ = make_floor()
    response = client.post(f"/mot-cua/{desk.pk}/lay-so/", {"group": "x"})
    assert response.status_code == 400
    assert "Vui lòng chọn nhóm dịch vụ" in response.content.decode()
