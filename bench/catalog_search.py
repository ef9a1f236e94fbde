"""Benchmark: catalog search latency for 50 typical citizen queries (README: "Benchmark").

Run: `.venv/bin/python bench/catalog_search.py` (SQLite file var/bench-catalog.sqlite3), or with
DATABASE_URL=postgres://... for PostgreSQL. The database is migrated and seeded with the catalog
if it does not hold it yet. Each query runs what the API list does (first page of 20 with its
total count), in-process, over the 1,911 published procedures and over every imported one.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-catalog.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from procedures import seed_catalog  # noqa: E402
from procedures.models import Procedure  # noqa: E402
from procedures.pagination import WindowCountPaginator  # noqa: E402
from procedures.selectors import CatalogFilters, procedure_list  # noqa: E402

QUERIES = [
    "đăng ký khai sinh",
    "dang ky khai sinh",
    "ĐĂNG KÝ KẾT HÔN",
    "dang ky ket hon",
    "khai tử",
    "khai tu",
    "trích lục hộ tịch",
    "cap ban sao trich luc",
    "xác nhận tình trạng hôn nhân",
    "xac nhan tinh trang hon nhan",
    "đăng ký thường trú",
    "dang ky tam tru",
    "xóa đăng ký thường trú",
    "chứng thực bản sao",
    "chung thuc chu ky",
    "chứng thực hợp đồng",
    "hộ kinh doanh",
    "dang ky thanh lap ho kinh doanh",
    "giấy phép xây dựng",
    "giay phep xay dung nha o",
    "cấp giấy chứng nhận quyền sử dụng đất",
    "dat dai",
    "chuyển mục đích sử dụng đất",
    "tach thua",
    "đăng ký biến động",
    "cấp đổi giấy phép lái xe",
    "doi bang lai xe",
    "hộ chiếu",
    "ho chieu pho thong",
    "căn cước",
    "can cuoc cong dan",
    "đăng ký xe",
    "bảo hiểm y tế",
    "bao hiem xa hoi",
    "trợ cấp",
    "nguoi co cong",
    "hợp tác xã",
    "thành lập doanh nghiệp",
    "khai thue",
    "hoàn thuế",
    "lý lịch tư pháp",
    "ly lich tu phap",
    "công chứng",
    "nuôi con nuôi",
    "giám hộ",
    "thay doi cai chinh ho tich",
    "khiếu nại",
    "phòng cháy chữa cháy",
    "kiểm dịch động vật",
    "1.001193",
]
RUNS = 5
PAGE = 20


def ensure_catalog() -> None:
    call_command("migrate", verbosity=0)
    if Procedure.objects.filter(is_published=True).count() != seed_catalog.PUBLISHED_TARGET:
        print("Seeding the catalog…", file=sys.stderr)
        with transaction.atomic():
            seed_catalog.run(sys.stderr)


def one(q: str, *, include_unpublished: bool) -> int:
    queryset = procedure_list(filters=CatalogFilters(q=q, include_unpublished=include_unpublished))
    page = WindowCountPaginator(queryset, PAGE).get_page(1)
    list(page.object_list)
    return page.paginator.count


def measure(include_unpublished: bool) -> tuple[list[float], list[float], int]:
    """Wall-clock and CPU milliseconds per query (CPU time shows the cost on a busy machine;
    on SQLite it includes the database work, on PostgreSQL only the client side)."""
    for q in QUERIES:  # warm-up: connection, statement caches
        one(q, include_unpublished=include_unpublished)
    wall, cpu, hits = [], [], 0
    for _ in range(RUNS):
        for q in QUERIES:
            start, start_cpu = time.perf_counter(), time.process_time()
            hits += one(q, include_unpublished=include_unpublished) > 0
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu, hits // RUNS


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    ensure_catalog()
    vendor = connection.vendor
    print(
        f"\nCatalog search, {len(QUERIES)} queries × {RUNS} runs, count + first page "
        f"of {PAGE}, database: {vendor}\n"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"(load average at start: {load:.2f} on {os.cpu_count()} CPUs)\n")
    print(
        "| database | scope | procedures | queries with hits | p50 ms | p95 ms | max ms "
        "| CPU p50 ms | CPU p95 ms |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for include_unpublished, label in ((False, "published"), (True, "all imported")):
        total = procedure_list(
            filters=CatalogFilters(include_unpublished=include_unpublished)
        ).count()
        wall, cpu, hits = measure(include_unpublished)
        print(
            f"| {vendor} | {label} | {total:,} | {hits}/{len(QUERIES)} | "
            f"{statistics.median(wall):.2f} | {percentile(wall, 95):.2f} | {max(wall):.2f} | "
            f"{statistics.median(cpu):.2f} | {percentile(cpu, 95):.2f} |"
        )


if __name__ == "__main__":
    main()
