"""Make the shipped world outline from world-atlas's countries-110m.json.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python tools/world_outline.py package/countries-110m.json

Writes, in an equirectangular projection (x = longitude + 180, y = 84 − latitude,
Antarctica left out, so the world is 360 × 142 units):

* themes/default/static/world.svg — every country as one simplified path
  (points closer than SIMPLIFY degrees to the previous one dropped, islands
  smaller than MIN_AREA square degrees dropped, one decimal): the map pages
  draw it by reference (<image href>), so it is downloaded once and cached;
* generator/data/world/countries.tsv — ISO 3166-1 alpha-2 → the centroid
  (latitude, longitude) of the country's largest polygon: the gazetteer's
  countries have no coordinates, this gives them a point on the map.

world-atlas (ISC, Mike Bostock) is Natural Earth's 1:110m countries
(public domain) as TopoJSON; see generator/data/world/LICENSE.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pycountry

TOP, BOTTOM = 84.0, -58.0  # latitudes kept: Greenland's north to Tierra del Fuego
SIMPLIFY = 0.45  # degrees
MIN_AREA = 0.6  # square degrees
ROOT = Path(__file__).resolve().parents[1]
NOT_ISO = {"-99": None}  # Natural Earth's disputed areas (Kosovo, N. Cyprus, Somaliland) have no numeric code
KOSOVO = "XK"


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


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def area_and_centroid(points: list[tuple[float, float]]) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if not area:
        return 0.0, points[0][0], points[0][1]
    return abs(area), cx / (6 * area), cy / (6 * area)


def unwrap(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring across the antimeridian (Russia, Fiji: longitudes from -180 to 180)
    with its western longitudes taken past 180°, so that it is one shape."""
    xs = [x for x, _ in points]
    if max(xs) - min(xs) <= 180:
        return points
    return [(x + 360 if x < 0 else x, y) for x, y in points]


def simplify(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    kept = [points[0]]
    for x, y in points[1:-1]:
        px, py = kept[-1]
        if abs(x - px) >= SIMPLIFY or abs(y - py) >= SIMPLIFY:
            kept.append((x, y))
    return kept


def project(lon: float, lat: float) -> tuple[float, float]:
    return lon + 180, TOP - max(BOTTOM, min(TOP, lat))


def path_of(points: list[tuple[float, float]]) -> str:
    """An SVG subpath: absolute first point, then relative steps, one decimal."""
    coords = [project(*p) for p in points]
    x0, y0 = round(coords[0][0], 1), round(coords[0][1], 1)
    parts = [f"M{x0:g} {y0:g}"]
    px, py = x0, y0
    steps = []
    for x, y in coords[1:]:
        x, y = round(x, 1), round(y, 1)
        dx, dy = round(x - px, 1), round(y - py, 1)
        if dx or dy:
            steps.append(f"{dx:g} {dy:g}".replace(" -", "-"))
            px, py = x, y
    return parts[0] + "l" + " ".join(steps) + "z" if steps else ""


def alpha2(numeric: str, name: str) -> str | None:
    if numeric in NOT_ISO:
        return KOSOVO if name == "Kosovo" else None
    country = pycountry.countries.get(numeric=numeric.zfill(3))
    return country.alpha_2 if country else None


def main(source: Path) -> None:
    topology = json.loads(source.read_text())
    arcs = decode_arcs(topology)
    paths, centroids = [], []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        if name == "Antarctica":
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        largest = (0.0, 0.0, 0.0)
        for polygon in polygons:
            rings = [unwrap(ring(r, arcs)) for r in polygon]
            outer = area_and_centroid(rings[0])
            largest = max(largest, outer)
            for points in rings:
                if area_and_centroid(points)[0] >= MIN_AREA:
                    paths.append(path_of(simplify(points)))
                    if max(x for x, _ in points) > 180:  # its part east of 180° shows again on the left
                        paths.append(path_of(simplify([(x - 360, y) for x, y in points])))
        code = alpha2(geometry.get("id", "-99"), name)
        if code and largest[0]:
            longitude = largest[1] - 360 if largest[1] > 180 else largest[1]
            centroids.append((code, round(largest[2], 2), round(longitude, 2), name))
    height = TOP - BOTTOM
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 {h:g}" width="360" height="{h:g}">'
        "<!-- Countries of Natural Earth 1:110m (public domain) via world-atlas 2.0.2 (ISC, Mike Bostock),"
        " simplified by Gazette's tools/world_outline.py; equirectangular, x = longitude + 180,"
        " y = {top:g} - latitude -->"
        "<style>path{{fill:#e4e0d6;stroke:#fdfcf8;stroke-width:.3;stroke-linejoin:round}}"
        "@media (prefers-color-scheme:dark){{path{{fill:#34322e;stroke:#161616}}}}</style>"
        '<path fill-rule="evenodd" d="{d}"/></svg>\n'
    ).format(h=height, top=TOP, d="".join(p for p in paths if p))
    (ROOT / "themes/default/static/world.svg").write_text(svg)
    rows = ["# ISO 3166-1 alpha-2, latitude, longitude of the centroid of the largest polygon, Natural Earth name"]
    rows += [f"{c}\t{lat}\t{lon}\t{name}" for c, lat, lon, name in sorted(centroids)]
    out = ROOT / "generator/data/world/countries.tsv"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(rows) + "\n")
    print(f"world.svg: {len(svg)} bytes, {len(paths)} rings; countries.tsv: {len(centroids)} countries")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
