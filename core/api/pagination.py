from rest_framework import pagination

from core.pagination import IdsFirstPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """Lists answer {"count", "next", "previous", "results"}; `page_size=` up to 500."""

    django_paginator_class = IdsFirstPaginator
    page_size_query_param = "page_size"
    max_page_size = 500
