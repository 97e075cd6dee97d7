"""A map of the cities of the network, drawn on our own server as one SVG document.

No map tiles, fonts, scripts or other origins: the land outline is a static file built once
from Natural Earth data (mapdata/build_outline.py, mapdata/README.md), the dots and labels
are added per request. The SVG uses presentation attributes only (fill="…", font-size="…"),
never style="" or <style>, so that it renders under our CSP (style-src 'self') when served
as its own document.

Coordinates: Miller cylindrical projection, x = longitude in degrees, y = the Miller
ordinate in the same units, growing downwards (SVG). Drawn land is cropped to the region
that holds the dots, with a margin; with no dots, the inhabited world.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.core.cache import cache

LAND_FILE = Path(__file__).resolve().parent / "mapdata" / "land.json"

# Display width of the document in CSS pixels; the height follows the view's aspect ratio.
WIDTH_PX = 960
# Sizes in display pixels, converted to view units per map.
FONT_PX = 13
DOT_PX = 4.5
# The view's aspect ratio (width / height) is kept between these.
MIN_ASPECT = 1.3
MAX_ASPECT = 2.2
# A single city is not shown closer than this (degrees of longitude across).
MIN_SPAN_X = 36.0
MIN_SPAN_Y = 20.0

SEA = "#dce9f2"
LAND = "#f4f1ea"
COAST = "#9fb3c2"
DOT = "#b5282d"
DOT_EDGE = "#ffffff"
TEXT = "#1d1d1b"
HALO = "#ffffff"


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """Miller cylindrical projection; x in degrees of longitude, y downwards."""
    lat = max(-89.9, min(89.9, latitude))
    phi = math.radians(lat)
    y = 1.25 * math.log(math.tan(math.pi / 4 + 0.4 * phi))
    return longitude, -math.degrees(y)


# The inhabited world, shown when no collective has coordinates.
WORLD_VIEW = (-170.0, project(0, 83.5)[1], 360.0, project(0, -57.0)[1] - project(0, 83.5)[1])


@dataclass(frozen=True)
class _Ring:
    x0: float
    y0: float
    x1: float
    y1: float
    path: str


@lru_cache(maxsize=1)
def _land() -> tuple[_Ring, ...]:
    data = json.loads(LAND_FILE.read_text(encoding="utf-8"))
    return tuple(_Ring(*ring) for ring in data["rings"])


@dataclass
class _Place:
    x: float
    y: float
    label: str  # the city, as the user typed it (not escaped yet)
    titles: list[str]


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _places(collectives: Iterable) -> list[_Place]:
    """One place per distinct point; collectives without usable coordinates are skipped."""
    places: dict[tuple[float, float], _Place] = {}
    for collective in collectives:
        lat, lon = getattr(collective, "latitude", None), getattr(collective, "longitude", None)
        if lat is None or lon is None:
            continue
        try:
            lat, lon = float(lat), float(lon)
        except (TypeError, ValueError):
            continue
        if not (math.isfinite(lat) and math.isfinite(lon)):
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        x, y = project(lon, lat)
        city = (getattr(collective, "city", "") or "").strip()
        name = (getattr(collective, "name", "") or "").strip()
        title = f"{name} ({city})" if name and city and name != city else (name or city)
        key = (round(x, 2), round(y, 2))
        place = places.get(key)
        if place is None:
            place = places[key] = _Place(x, y, city or name, [])
        elif not place.label:
            place.label = city or name
        place.titles.append(title)
    return list(places.values())


def _view(places: list[_Place]) -> tuple[float, float, float, float]:
    """x, y, width, height: the dots' region with a margin, within sensible aspect ratios."""
    if not places:
        return WORLD_VIEW
    xs, ys = [p.x for p in places], [p.y for p in places]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    # A margin all round, and more on the right where labels usually go.
    w = max(MIN_SPAN_X, (x1 - x0) * 1.25 + 8)
    h = max(MIN_SPAN_Y, (y1 - y0) * 1.25 + 6)
    if w / h < MIN_ASPECT:
        w = h * MIN_ASPECT
    elif w / h > MAX_ASPECT:
        h = w / MAX_ASPECT
    w = min(w, 360.0)
    vx = -180.0 if w >= 360.0 else cx - w / 2 + 0.04 * w
    # Never cut a dot off (the label shift above, the width cap): widen to the dots.
    vx = min(vx, x0 - 0.02 * w)
    w = max(w, x1 + 0.02 * w - vx)
    return vx, cy - h / 2, w, h


class _Grid:
    """Placed rectangles in buckets, so that overlap tests stay cheap for many labels."""

    def __init__(self, cell: float):
        self.cell = cell
        self.buckets: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _keys(self, r):
        c = self.cell
        for i in range(int(r[0] // c), int(r[2] // c) + 1):
            for j in range(int(r[1] // c), int(r[3] // c) + 1):
                yield i, j

    def free(self, r) -> bool:
        for key in self._keys(r):
            for o in self.buckets.get(key, ()):
                if r[0] < o[2] and o[0] < r[2] and r[1] < o[3] and o[1] < r[3]:
                    return False
        return True

    def add(self, r) -> None:
        for key in self._keys(r):
            self.buckets.setdefault(key, []).append(r)


def _labels(places: list[_Place], view, font: float, dot: float) -> list[tuple]:
    """Greedy label placement around the dot; skipped when no position is free.

    A city whose label does not fit keeps its dot and the dot's <title>.
    """
    vx, vy, vw, vh = view
    grid = _Grid(font * 4)
    for p in places:
        grid.add((p.x - dot, p.y - dot, p.x + dot, p.y + dot))
    placed = []
    gap = dot * 1.6
    # West to east, then north to south: stable output for the same input.
    for p in sorted(places, key=lambda p: (p.x, p.y)):
        if not p.label:
            continue
        width = font * 0.58 * len(p.label)
        ascent, descent = font * 0.75, font * 0.25
        candidates = (
            (p.x + gap, p.y + font * 0.35, "start"),
            (p.x - gap, p.y + font * 0.35, "end"),
            (p.x, p.y - gap, "middle"),
            (p.x, p.y + gap + ascent, "middle"),
            (p.x + gap * 0.7, p.y - gap * 0.7, "start"),
            (p.x + gap * 0.7, p.y + gap * 0.7 + ascent, "start"),
            (p.x - gap * 0.7, p.y - gap * 0.7, "end"),
            (p.x - gap * 0.7, p.y + gap * 0.7 + ascent, "end"),
        )
        for tx, ty, anchor in candidates:
            left = tx if anchor == "start" else tx - width if anchor == "end" else tx - width / 2
            rect = (left, ty - ascent, left + width, ty + descent)
            if rect[0] < vx or rect[2] > vx + vw or rect[1] < vy or rect[3] > vy + vh:
                continue
            if grid.free(rect):
                grid.add(rect)
                placed.append((p, tx, ty, anchor))
                break
    return placed


def render_map(collectives: Iterable, *, label: str = "Map of the cities of the network") -> str:
    """The SVG document (a str): the land, a dot per collective with coordinates, city labels.

    `collectives` are Collective objects (or anything with city, name, latitude, longitude);
    the caller decides which may be shown (public cells only on public pages). `label` is the
    accessible name (<title> and aria-label); pass it translated.
    """
    places = _places(collectives)
    dots = sum(len(p.titles) for p in places)
    view = vx, vy, vw, vh = _view(places)
    unit = vw / WIDTH_PX  # view units per display pixel
    font, dot = FONT_PX * unit, DOT_PX * unit
    height_px = round(WIDTH_PX * vh / vw)

    # Only the rings that reach into the view: a map of Europe does not carry the Pacific.
    land = "".join(
        r.path for r in _land() if r.x1 >= vx and r.x0 <= vx + vw and r.y1 >= vy and r.y0 <= vy + vh
    )

    n = _number
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{n(vx)} {n(vy)} {n(vw)} {n(vh)}"'
        f' width="{WIDTH_PX}" height="{height_px}" role="img" aria-label={quoteattr(label)}'
        f' preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(label)}</title>",
        f'<rect x="{n(vx)}" y="{n(vy)}" width="{n(vw)}" height="{n(vh)}" fill="{SEA}"/>',
        f'<path d="{land}" fill="{LAND}" fill-rule="evenodd" stroke="{COAST}"'
        f' stroke-width="0.6" vector-effect="non-scaling-stroke" stroke-linejoin="round"/>'
        if land
        else "",
        f'<g fill="{DOT}" stroke="{DOT_EDGE}" stroke-width="{n(unit * 1.2)}">',
    ]
    for p in places:
        for title in p.titles:
            out.append(
                f'<circle cx="{n(p.x)}" cy="{n(p.y)}" r="{n(dot)}">'
                f"<title>{escape(title)}</title></circle>"
            )
    out.append("</g>")
    labels = _labels(places, view, font, dot) if dots else []
    if labels:
        out.append(
            f'<g font-family="sans-serif" font-size="{n(font)}" fill="{TEXT}" stroke="{HALO}"'
            f' stroke-width="{n(unit * 3)}" stroke-linejoin="round" paint-order="stroke">'
        )
        for p, tx, ty, anchor in labels:
            anchor_attr = "" if anchor == "start" else f' text-anchor="{anchor}"'
            out.append(f'<text x="{n(tx)}" y="{n(ty)}"{anchor_attr}>{escape(p.label)}</text>')
        out.append("</g>")
    out.append("</svg>\n")
    return "".join(out)


# -- the served document, kept in the cache -----------------------------------------------------
# Everyone gets the same picture per language, and 200 cities take about 10 ms to draw.
# Services that change what the map shows call forget_cached_maps() after their commit;
# the timeout bounds any other change (browsers keep the map as long: max-age=3600).
CACHE_SECONDS = 3600
_CACHE_PREFIX = "solidar:network:map:"


def cached_map(language: str, render: Callable[[], str]) -> str:
    """The map for ``language`` from the cache, or ``render()`` it and keep it there."""
    key = f"{_CACHE_PREFIX}{language}"
    svg = cache.get(key)
    if svg is None:
        svg = render()
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def forget_cached_maps() -> None:
    cache.delete_many([f"{_CACHE_PREFIX}{code}" for code, _name in settings.LANGUAGES])
