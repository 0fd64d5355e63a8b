"""A scripted DynamoDB answering parallel scans: segments of pages of items."""

from __future__ import annotations

import threading
from typing import Any

from tests.support.fakes import ServiceError


class PagedSegments:
    """Answers Scan requests: ``segments`` segments of ``pages`` pages of ``per_page`` items.

    Counts the pages served, and can fail one segment.
    """

    def __init__(
        self, segments: int, pages: int, per_page: int, failing_segment: int | None = None
    ) -> None:
        self.segments = segments
        self.pages = pages
        self.per_page = per_page
        self.failing_segment = failing_segment
        self.served = 0
        self.lock = threading.Lock()

    def all_ids(self) -> set[str]:
        return {
            f"s{segment}-p{page}-i{i}"
            for segment in range(self.segments)
            for page in range(self.pages)
            for i in range(self.per_page)
        }

    def __call__(self, operation: str, body: dict[str, Any]) -> dict[str, Any]:
        assert operation == "Scan"
        assert body["TotalSegments"] == self.segments
        segment = body["Segment"]
        if segment == self.failing_segment:
            raise ServiceError("ValidationException", "injected failure")
        start = body.get("ExclusiveStartKey")
        page = 0 if start is None else int(start["id"]["S"].split("-p")[1]) + 1
        items = [
            {"id": {"S": f"s{segment}-p{page}-i{i}"}, "n": {"N": str(i)}}
            for i in range(self.per_page)
        ]
        response: dict[str, Any] = {"Items": items, "Count": len(items)}
        if page + 1 < self.pages:
            response["LastEvaluatedKey"] = {"id": {"S": f"s{segment}-p{page}"}}
        with self.lock:
            self.served += 1
        return response
