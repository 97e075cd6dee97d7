"""Build land.json, the land outline of worldmap.py, from Natural Earth data. Run once.

The source is the npm package world-atlas (ISC licence; Natural Earth, public domain):

    tmp="$(mktemp -d)" && (cd "$tmp" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz)
    .venv/bin/python solidar/network/mapdata/build_outline.py "$tmp/package/land-50m.json"

It decodes the TopoJSON (quantised, delta-encoded arcs), projects every point with
worldmap.project (Miller), simplifies each ring (Douglas-Peucker), drops specks, rounds to
0.1 unit and writes each ring as [x0, y0, x1, y1, "M…z"] with a relative SVG path, so that
render_map can keep only the rings that reach into its view.
"""

from __future__ import annotations

import argparse
import json
import sys
from itertools import pairwise
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from solidar.network.worldmap import project  # noqa: E402 - after the path is set

TOLERANCE = 0.05  # Douglas-Peucker tolerance, in projected degrees
MIN_AREA = 0.25  # rings smaller than this (square projected degrees) are dropped


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def unwrap(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring cut at the antimeridian made continuous, plus its copy on the other side.

    Natural Earth rings that touch +/-180 jump across the map; unwrapping the longitude
    makes them run past 180 (or -180) and a shifted copy covers the other edge. A ring that
    goes round the whole globe (Antarctica) stays as it is.
    """
    out = [points[0]]
    shift = 0.0
    for (ax, _ay), (bx, by) in pairwise(points):
        if bx - ax > 180:
            shift -= 360
        elif ax - bx > 180:
            shift += 360
        out.append((bx + shift, by))
    if shift or not any(abs(b[0] - a[0]) > 180 for a, b in pairwise(points)):
        return [points]
    xs = [x for x, _y in out]
    copies = [out]
    if max(xs) > 180:
        copies.append([(x - 360, y) for x, y in out])
    if min(xs) < -180:
        copies.append([(x + 360, y) for x, y in out])
    return copies


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative; the first and last point are kept."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        worst, worst_at = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if norm:
                d = abs(dy * (px - ax) - dx * (py - ay)) / norm
            else:
                d = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if d > worst:
                worst, worst_at = d, i
        if worst > tolerance:
            keep[worst_at] = True
            stack.append((first, worst_at))
            stack.append((worst_at, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def area(points) -> float:
    return (
        abs(
            sum(
                x0 * y1 - x1 * y0
                for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True)
            )
        )
        / 2
    )


def tenths(value: int) -> str:
    """An integer number of tenths as the shortest SVG number: 12 -> 1.2, -3 -> -.3."""
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), 10)
    if not frac:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{frac}"


def path(points: list[tuple[int, int]]) -> str:
    """A relative SVG path from points in tenths; numbers joined as tightly as SVG allows."""
    (x, y), rest = points[0], points[1:]
    out = f"M{tenths(x)} {tenths(y)}l"
    previous = ""
    for px, py in rest:
        for value in (px - x, py - y):
            text = tenths(value)
            # A separator is needed unless the number starts with '-', or starts with '.'
            # after a number that already has a decimal point.
            if previous and not (
                text.startswith("-") or (text.startswith(".") and "." in previous)
            ):
                out += " "
            out += text
            previous = text
        x, y = px, py
    return out + "z"


def build(source: Path) -> dict:
    topology = json.loads(source.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    rings = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                for projected in unwrap(
                    [project(lon, lat) for lon, lat in ring_points(ring, arcs)]
                ):
                    add_ring(rings, projected)
    return {
        "source": f"world-atlas 2.0.2 {source.name} (Natural Earth, public domain; ISC)",
        "projection": "miller",
        "rings": rings,
    }


def add_ring(rings: list, projected: list[tuple[float, float]]) -> None:
    """Simplify, round to tenths and append [x0, y0, x1, y1, path]; specks are dropped."""
    if projected[0] == projected[-1]:
        projected = projected[:-1]
    if len(projected) < 3 or area(projected) < MIN_AREA:
        return
    simple = simplify(projected + projected[:1], TOLERANCE)[:-1]
    points: list[tuple[int, int]] = []
    for px, py in simple:
        q = (round(px * 10), round(py * 10))
        if not points or q != points[-1]:
            points.append(q)
    if len(points) < 3:
        return
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    rings.append([min(xs) / 10, min(ys) / 10, max(xs) / 10, max(ys) / 10, path(points)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="land-50m.json or land-110m.json")
    parser.add_argument("--out", type=Path, default=HERE / "land.json")
    args = parser.parse_args()
    data = build(args.source)
    text = json.dumps(data, separators=(",", ":")).replace("],[", "],\n[")
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"{len(data['rings'])} rings, {len(text.encode()):,} bytes -> {args.out}")


if __name__ == "__main__":
    main()
