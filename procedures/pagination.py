"""A paginator that reads the page and the total in one query (COUNT(*) OVER ()).

The catalog's search scans every candidate row; Django's Paginator would scan twice (count, then
page). Used by the catalog page and the API list.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Window
from rest_framework.pagination import PageNumberPagination


class WindowCountPaginator(Paginator):
    def page(self, number):
        try:
            index = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if index >= 1 and "count" not in self.__dict__:
            bottom = (index - 1) * self.per_page
            rows = list(
                self.object_list.annotate(_total=Window(Count("pk")))[
                    bottom : bottom + self.per_page
                ]
            )
            if rows:
                self.__dict__["count"] = rows[0]._total
                return self._get_page(rows, index, self)
        return super().page(number)

    def get_page(self, number):
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.num_pages)


class CatalogPagination(PageNumberPagination):
    django_paginator_class = WindowCountPaginator
