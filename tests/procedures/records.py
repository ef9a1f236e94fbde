"""Builders of raw records shaped like procedures-real.json, for importer and search tests."""

import copy
import itertools

_seq = itertools.count(1)


def raw_record(**overrides) -> dict:
    n = next(_seq)
    record = {
        "code": f"8.{n:06d}",
        "name": f"Thủ tục mẫu số {n}",
        "decision_number": "163/QĐ-BTP",
        "implementation_levels": ["Cấp xã"],
        "procedure_type": "TTHC được luật giao quy định chi tiết",
        "field": "Hộ tịch",
        "applicant_types": ["Công dân Việt Nam"],
        "competent_authority": "Ủy ban nhân dân cấp xã",
        "implementing_agency": "Ủy ban nhân dân cấp xã",
        "delegated_agency": "",
        "coordinating_agency": "",
        "receiving_address": "",
        "related_procedures": "",
        "steps": "- Bước 1: Nộp hồ sơ.\n- Bước 2: Nhận kết quả.",
        "submission_methods": [
            {
                "channel": "Trực tiếp",
                "processing_time": "3 Ngày làm việc",
                "fee": "Miễn phí",
                "details": "",
            },
            {
                "channel": "Trực tuyến",
                "processing_time": "3 Ngày làm việc",
                "fee": "Miễn phí",
                "details": "",
            },
        ],
        "processing_time": "3 Ngày làm việc",
        "required_documents": [
            {"group": "* Giấy tờ phải nộp:", "name": "Tờ khai theo mẫu", "quantity": "1 bản chính"},
            {"group": "* Lưu ý:", "name": "Ghi chú cho người nộp", "quantity": "0 bản chính"},
        ],
        "required_documents_raw": "",
        "conditions": "",
        "results": [{"name": "Giấy chứng nhận", "code": "KQ.1"}],
        "results_keywords": "",
        "results_description": "",
        "legal_basis_codes": ["60/2014/QH13"],
        "legal_basis_raw": "Luật Hộ tịch 60/2014/QH13",
        "source_url": "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/x",
        "portal_id": "",
        "ministry_group": "bo-tu-phap",
        "source": "chatbot-tthc/chatbot_tthc",
        "as_of": "2026-07",
    }
    record.update(copy.deepcopy(overrides))
    return record
