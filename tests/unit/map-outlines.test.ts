/** The map's own projection path and centroid give what d3-geo gives: points inside the frame and clipped at its edges, bounds, centres. */
import { geoAzimuthalEqualArea, geoCentroid, geoDistance, geoPath, geoStream, type GeoStream } from 'd3-geo'
import { describe, expect, it } from 'vitest'
import { arc, measureCountry } from '../../src/sheet/atlas-facts.ts'
import { loadAtlas, partsCentroid, shapeParts, type ShapePart } from '../../src/sheet/atlas.ts'
import { outlineBounds, PathData, snapped, streamOutlines, type AzimuthalView } from '../../src/sheet/map-outlines.ts'

/** The parts of these countries (ISO numeric codes) at a level of detail. */
function partsOf(keys: string[], level: number): ShapePart[] {
  const { detailed } = loadAtlas()
  return keys.flatMap((key) => shapeParts(detailed.countries[detailed.byKey.get(key)!].shape, level))
}

function d3Projection(view: AzimuthalView, clip: boolean) {
  const projection = geoAzimuthalEqualArea()
    .rotate([-view.centre[0], -view.centre[1]])
    .precision(1)
    .scale(view.scale)
    .translate([...view.translate])
    .preclip((stream) => stream)
  return clip ? projection.clipExtent([[0, 0], [480, 320]]) : projection
}

const feature = (parts: ShapePart[]) => ({ type: 'Feature' as const, properties: {}, geometry: { type: 'MultiPolygon' as const, coordinates: parts.map((part) => part.coordinates) } })

/** Every point, line and polygon event a stream hears, as text. */
function recorder(): GeoStream & { events: string[] } {
  const events: string[] = []
  return {
    events,
    point: (x, y) => void events.push(`${x.toFixed(6)},${y.toFixed(6)}`),
    lineStart: () => void events.push('['),
    lineEnd: () => void events.push(']'),
    polygonStart: () => void events.push('{'),
    polygonEnd: () => void events.push('}'),
  }
}

describe('map outlines', () => {
  // Jordan and its neighbours framed tight, so that Saudi Arabia and Egypt cross the frame's edges.
  const view: AzimuthalView = { centre: [36.5, 31], scale: 2600, translate: [240, 160] }
  const parts = partsOf(['400', '682', '818', '376', '760', '368'], 7)

  it('streams the points d3-geo projects, resampled and clipped to the frame', () => {
    const ours = recorder()
    streamOutlines(parts, view, [[0, 0], [480, 320]], ours)
    const theirs = recorder()
    geoStream(feature(parts), d3Projection(view, true).stream(theirs))
    expect(ours.events.filter((event) => event === '{').length).toBeGreaterThan(5)
    // Some outlines were cut at the frame's edge (clipped), others drawn whole.
    expect(ours.events.some((event) => /^(0|480)\.0+,|,(0|320)\.0+$/.test(event))).toBe(true)
    expect(ours.events).toEqual(theirs.events)
  })

  it('writes the same path data as geoPath() with digits(0), snapped', () => {
    const data = new PathData()
    streamOutlines(parts, view, [[0, 0], [480, 320]], snapped(data))
    const projection = d3Projection(view, true)
    const expected = geoPath({ stream: (output: GeoStream) => projection.stream(snapped(output)) }).digits(0)(feature(parts))
    expect(data.d).toMatch(/^M\d+,\d+L/)
    expect(data.d).toBe(expected)
  })

  it('measures the bounds fitExtent() measures', () => {
    const at150: AzimuthalView = { centre: view.centre, scale: 150, translate: [0, 0] }
    const expected = geoPath(d3Projection(at150, false)).bounds(feature(parts))
    const bounds = outlineBounds(parts, at150)
    for (const [i, j] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) expect(bounds[i][j]).toBeCloseTo(expected[i][j], 9)
  })

  it('finds the centroid d3-geo finds, for one country and for several far apart', () => {
    for (const keys of [['400'], ['250'], ['643'], ['504', '788', '076', '360']]) {
      const chosen = partsOf(keys, 7)
      const [lon, lat] = partsCentroid(chosen)!
      const [expectedLon, expectedLat] = geoCentroid(feature(chosen))
      expect(lon).toBeCloseTo(expectedLon, 9)
      expect(lat).toBeCloseTo(expectedLat, 9)
    }
  })

  it('holds each part in a circle around it, a part across the date line too (Fiji, Chukotka), not the whole globe', () => {
    const { detailed, light } = loadAtlas()
    let across = 0
    for (const country of [...detailed.countries, ...light.countries]) {
      for (const part of shapeParts(country.shape, Infinity)) {
        const points = part.coordinates.flat() as [number, number][]
        for (const point of points) expect(geoDistance(part.centre, point)).toBeLessThanOrEqual(part.radius + 1e-12)
        if (points.some(([lon]) => lon > 170) && points.some(([lon]) => lon < -170) && points.every(([, lat]) => lat > -60)) {
          across++
          // Russia's mainland is the widest: about 51°, where a box across the date line once took the whole globe (180°).
          expect(part.radius, country.key).toBeLessThan(Math.PI / 3)
        }
      }
    }
    expect(across).toBeGreaterThan(3)
  })

  it('measures the angle between two points as geoDistance() does, to the last bit', () => {
    let seed = 7
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1
    for (let i = 0; i < 2000; i++) {
      const [a, b]: [number, number][] = [[random() * 180, random() * 90], [random() * 180, random() * 90]]
      expect(arc(a, b)).toBe(geoDistance(a, b))
    }
    expect(arc([179.9, -16.5], [-179.9, -16.5])).toBe(geoDistance([179.9, -16.5], [-179.9, -16.5]))
  })

  it('keeps every measure of every country through JSON to the bit (a map from kept measures is the map from fresh ones)', () => {
    const { detailed, light } = loadAtlas()
    const numbers = (value: unknown): number[] => (typeof value === 'number' ? [value] : typeof value === 'object' && value ? Object.values(value).flatMap(numbers) : [])
    let count = 0
    for (const country of [...detailed.countries, ...light.countries]) {
      const facts = measureCountry(country.shape)
      const [fresh, kept] = [numbers(facts), numbers(JSON.parse(JSON.stringify(facts)))]
      expect(kept.length).toBe(fresh.length)
      for (let i = 0; i < fresh.length; i++) expect(Object.is(kept[i], fresh[i]), `${country.key}: ${fresh[i]}`).toBe(true)
      expect(facts.main.some(Boolean) || facts.parts.length === 0).toBe(true)
      count += fresh.length
    }
    expect(count).toBeGreaterThan(5_000)
  })

  it('leaves out the closing point of a ring, and a ring that snaps to no area', () => {
    const data = new PathData()
    const output = snapped(data)
    const ring = (points: [number, number][]) => {
      output.lineStart?.()
      for (const [x, y] of points) output.point(x, y)
      output.lineEnd?.()
    }
    output.polygonStart?.()
    ring([[10.2, 10], [20, 10.4], [20, 20], [10, 19.8], [9.9, 10.1]])
    ring([[40, 40], [42, 41], [40.3, 40.2]])
    output.polygonEnd?.()
    expect(data.d).toBe('M10,10L20,10L20,20L10,20Z')
  })
})
