"""AutoThrottle that never goes below a site's own delay (the registry's `download_delay`)."""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.core.downloader import Slot
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response


class PerDomainThrottle(AutoThrottle):
    """Adapt each domain's delay to its latency, keeping the domain's configured delay as a floor.

    Stock AutoThrottle clamps every slot to the global DOWNLOAD_DELAY; framegap sets each
    domain's delay in DOWNLOAD_SLOTS (from the registry), so the floor is per slot.
    """

    def _min_delay(self) -> float:
        return 0.0

    def _get_slot(self, request: Request, spider: Spider) -> tuple[str | None, Slot | None]:
        key, slot = super()._get_slot(request, spider)
        self._floor = self._floor_for(key)
        return key, slot

    def _floor_for(self, key: str | None) -> float:
        slots = self.crawler.settings.getdict("DOWNLOAD_SLOTS")
        configured = slots.get(key or "", {}).get("delay")
        default = self.crawler.settings.getfloat("DOWNLOAD_DELAY")
        return float(configured) if configured is not None else default

    def _adjust_delay(self, slot: Slot, latency: float, response: Response) -> None:
        super()._adjust_delay(slot, latency, response)
        slot.delay = max(slot.delay, getattr(self, "_floor", 0.0))
