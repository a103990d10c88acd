/** What framing needs of each country of an atlas file (circles, area, main parts, where a marker goes), kept on disk once measured. */
import { geoArea, geoCentroid } from 'd3-geo'
import type { Feature, Geometry, Polygon } from 'geojson'
import { readCached, writeCached } from '../core/disk-cache.ts'
import { BUILD } from '../core/version.ts'

/** A country's measures, from its shape alone. */
export interface CountryFacts {
  /** The circle of the globe that holds all of the shape: centre [lon, lat], radius in radians. */
  centre: [number, number]
  radius: number
  /** Its area in steradians: in an equal-area projection of scale k it covers area × k² square units. */
  area: number
  /** The circle of each polygon, in the shape's order. */
  parts: { centre: [number, number]; radius: number }[]
  /** Which polygons are near the largest one: the others (French Guiana, Réunion) do not widen a map's frame. */
  main: boolean[]
  /** The centroid of the largest polygon, where a country too small to see gets its ring. */
  mark: [number, number]
}

/**
 * The facts of every country of an atlas file, measured all at once the first time and kept on disk for the compiled
 * command (core/disk-cache.ts: the atlas is a versioned package, and the measures are this build's code); undefined
 * when running from the sources, which keep nothing: each country is then measured when first used (measureCountry()).
 */
export function keptFacts(name: string, shapes: () => Feature<Geometry>[]): CountryFacts[] | undefined {
  if (BUILD === undefined) return undefined
  const kept = readCached('atlas', name)
  if (kept !== undefined) return JSON.parse(kept) as CountryFacts[]
  const facts = shapes().map(measureCountry)
  // JSON gives every number back to the bit: a map drawn from kept facts is the one drawn from fresh ones.
  writeCached('atlas', name, JSON.stringify(facts))
  return facts
}

/** A country's facts, worked out on its shape. */
export function measureCountry(shape: Feature<Geometry>): CountryFacts {
  const polygons = polygonsOf(shape.geometry).map((coordinates) => ({ type: 'Polygon' as const, coordinates }))
  const largest = polygons.reduce((best, part) => (geoArea(part) > geoArea(best) ? part : best), polygons[0])
  const mark = largest ? geoCentroid(largest) : ([0, 0] as [number, number])
  const main = polygons.map((polygon) => arc(mark, geoCentroid(polygon)) <= FRAME_PARTS_WITHIN)
  return { ...boundingCircle(polygons.flatMap((polygon) => polygon.coordinates)), area: geoArea(shape), parts: polygons.map((polygon) => boundingCircle(polygon.coordinates)), main, mark }
}

/** The angle (radians) between two points [lon, lat]: d3-geo's geoDistance() to the bit, without its stream (a tenth of a map's time). */
export function arc(a: readonly [number, number], b: readonly [number, number]): number {
  const [phi0, phi, delta] = [a[1] * RADIANS, b[1] * RADIANS, Math.abs(b[0] * RADIANS - a[0] * RADIANS)]
  const [sinPhi0, cosPhi0, sinPhi, cosPhi, cosDelta] = [Math.sin(phi0), Math.cos(phi0), Math.sin(phi), Math.cos(phi), Math.cos(delta)]
  const [x, y] = [cosPhi * Math.sin(delta), cosPhi0 * sinPhi - sinPhi0 * cosPhi * cosDelta]
  return Math.atan2(Math.sqrt(x * x + y * y), sinPhi0 * sinPhi + cosPhi0 * cosPhi * cosDelta)
}

/** The polygons of a Polygon or MultiPolygon geometry (none for anything else). */
export function polygonsOf(geometry: Geometry): Polygon['coordinates'][] {
  if (geometry.type === 'Polygon') return [geometry.coordinates]
  if (geometry.type === 'MultiPolygon') return geometry.coordinates
  return []
}

export const RADIANS = Math.PI / 180

// --- internal ---

/** A country's polygons further than this from its largest one are not main parts. */
const FRAME_PARTS_WITHIN = (12 * Math.PI) / 180

/**
 * A circle of the globe that holds every point of these rings: centred on the mean direction of their points, as wide
 * as the farthest point (the whole globe when the points surround it). Worked out on the points themselves, it holds a
 * shape across the date line as tightly as any other (a box of longitudes and latitudes takes all longitudes for some).
 */
function boundingCircle(rings: Polygon['coordinates']): { centre: [number, number]; radius: number } {
  let [x, y, z] = [0, 0, 0]
  for (const ring of rings) {
    for (const [lon, lat] of ring) {
      const [lambda, phi] = [lon * RADIANS, lat * RADIANS]
      x += Math.cos(phi) * Math.cos(lambda)
      y += Math.cos(phi) * Math.sin(lambda)
      z += Math.sin(phi)
    }
  }
  const length = Math.hypot(x, y, z)
  if (!(length > 1e-9)) return { centre: [0, 0], radius: Math.PI }
  const centre: [number, number] = [Math.atan2(y, x) / RADIANS, Math.asin(Math.max(-1, Math.min(1, z / length))) / RADIANS]
  let radius = 0
  for (const ring of rings) for (const point of ring) radius = Math.max(radius, arc(centre, point as [number, number]))
  return { centre, radius }
}
