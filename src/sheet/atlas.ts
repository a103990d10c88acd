/** Country shapes from world-atlas (Natural Earth 1:50m), parsed once per process and shared by every sheet and bundle. */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Feature, Geometry, Polygon } from 'geojson'
import { feature, neighbors } from 'topojson-client'
import type { GeometryCollection, Topology } from 'topojson-specification'
import { keptFacts, measureCountry, polygonsOf, RADIANS, type CountryFacts } from './atlas-facts.ts'

/** One country of the atlas, with what framing needs precomputed. */
export interface AtlasCountry extends Omit<CountryFacts, 'parts'> {
  /** ISO 3166-1 numeric ("400"), or "XK" for Kosovo, which the dataset has without a code. */
  key: string
  shape: Feature<Geometry>
  /** Indexes of the countries sharing a border. */
  neighbours: number[]
}

/** Every country of one scale of the atlas and an index by key. */
export interface AtlasScale {
  countries: AtlasCountry[]
  byKey: Map<string, number>
}

/** The 1:50m shapes (every state, Malta and Cabo Verde included) and the 1:110m ones (lighter, for land far from the countries). */
export interface Atlas {
  detailed: AtlasScale
  light: AtlasScale
}

/** One polygon of a country's shape (an island, a mainland) and the circle of the globe that holds it. */
export interface ShapePart {
  coordinates: Polygon['coordinates']
  centre: [number, number]
  /** Radians. */
  radius: number
}

/**
 * A shape's polygons at a level of detail: points closer than 2^-level degrees to the last one kept are dropped, and
 * a ring that would fall under four points, turn inside out or lose a quarter of its area is kept whole. A map whose unit is larger than that loses nothing it can
 * show, and draws much faster (its projection resamples and clips every point). Worked out once per shape and level.
 */
export function shapeParts(shape: Feature<Geometry>, level: number): ShapePart[] {
  let levels = partsOf.get(shape)
  if (!levels) partsOf.set(shape, (levels = new Map()))
  let parts = levels.get(level)
  if (!parts) {
    const whole = levels.get(Infinity) ?? wholeParts(shape, measureCountry(shape))
    levels.set(Infinity, whole)
    parts = level === Infinity ? whole : whole.map((part) => ({ ...part, coordinates: part.coordinates.map((ring) => thinned(ring, 2 ** -level)) }))
    levels.set(level, parts)
  }
  return parts
}

/**
 * The atlas, read the first time a map is drawn (each country converted when first drawn), then kept for the build:
 * 1:50m for the countries and their neighbours (Malta, Cabo Verde and other small states are missing at 1:110m), 1:110m
 * for the rest.
 */
export function loadAtlas(): Atlas {
  cached ??= { detailed: readAtlas('countries-50m.json'), light: readAtlas('countries-110m.json') }
  return cached
}

/** A part's rings as unit vectors (x, y, z per point, the closing point left out), worked out once per part. */
export function unitRings(part: ShapePart): Float64Array[] {
  let rings = unitVectors.get(part)
  if (!rings) {
    rings = part.coordinates.map((ring) => {
      const count = Math.max(0, ring.length - 1)
      const vectors = new Float64Array(count * 3)
      for (let i = 0; i < count; i++) {
        const [lambda, phi] = [ring[i][0] * RADIANS, ring[i][1] * RADIANS]
        const cosPhi = Math.cos(phi)
        vectors[i * 3] = cosPhi * Math.cos(lambda)
        vectors[i * 3 + 1] = cosPhi * Math.sin(lambda)
        vectors[i * 3 + 2] = Math.sin(phi)
      }
      return vectors
    })
    unitVectors.set(part, rings)
  }
  return rings
}

/**
 * The centroid [lon, lat] of these parts' area on the sphere (as d3's geoCentroid() of them, but from sums kept per
 * part): each edge of each ring adds its great circle's normal weighted by its angle; undefined when they cancel out.
 */
export function partsCentroid(parts: readonly ShapePart[]): [number, number] | undefined {
  const sum = [0, 0, 0]
  for (const part of parts) {
    let moment = moments.get(part)
    if (!moment) moments.set(part, (moment = ringsMoment(unitRings(part))))
    for (let i = 0; i < 3; i++) sum[i] += moment[i]
  }
  const length = Math.hypot(sum[0], sum[1], sum[2])
  return length < 1e-12 ? undefined : [Math.atan2(sum[1], sum[0]) / RADIANS, Math.asin(sum[2] / length) / RADIANS]
}

// --- internal ---

let cached: Atlas | undefined
const partsOf = new WeakMap<Feature<Geometry>, Map<number, ShapePart[]>>()
const moments = new WeakMap<ShapePart, number[]>()
const unitVectors = new WeakMap<ShapePart, Float64Array[]>()

/** Σ over the rings' edges a→b of −asin|a×b| · (a×b)/|a×b|: the area's first moment, up to a factor. */
function ringsMoment(rings: readonly Float64Array[]): number[] {
  const moment = [0, 0, 0]
  for (const ring of rings) {
    const count = ring.length / 3
    for (let i = 0; i < count; i++) {
      const [a, b] = [i * 3, ((i + 1) % count) * 3]
      const cx = ring[a + 1] * ring[b + 2] - ring[a + 2] * ring[b + 1]
      const cy = ring[a + 2] * ring[b] - ring[a] * ring[b + 2]
      const cz = ring[a] * ring[b + 1] - ring[a + 1] * ring[b]
      const m = Math.hypot(cx, cy, cz)
      const w = m && -Math.asin(Math.min(1, m)) / m
      moment[0] += w * cx
      moment[1] += w * cy
      moment[2] += w * cz
    }
  }
  return moment
}

/** A closed ring without the points closer than `degrees` to the last one kept (east-west distances shrunk by the latitude). */
function thinned(ring: Polygon['coordinates'][number], degrees: number): Polygon['coordinates'][number] {
  const kept = [ring[0]]
  let [x, y] = ring[0]
  for (let i = 1; i < ring.length - 1; i++) {
    const [lon, lat] = ring[i]
    const dx = Math.abs(lon - x) * Math.cos(((lat + y) * Math.PI) / 360)
    if (dx >= degrees || Math.abs(lat - y) >= degrees || Math.hypot(dx, lat - y) >= degrees) {
      kept.push(ring[i])
      ;[x, y] = ring[i]
    }
  }
  kept.push(ring[ring.length - 1])
  // A ring that would turn inside out (which would fill the map with it) or lose much of its area stays whole.
  const [before, after] = [planarArea(ring), planarArea(kept)]
  return kept.length >= 4 && Math.sign(after) === Math.sign(before) && Math.abs(after - before) <= Math.abs(before) / 4 ? kept : ring
}

/** Twice the signed area of a ring in the plane of longitude and latitude (its sign tells the ring's direction). */
function planarArea(ring: Polygon['coordinates'][number]): number {
  let sum = 0
  for (let i = 1; i < ring.length; i++) sum += ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1]
  return sum
}

/** Features without an ISO code that a record can still name. */
const NAMED_KEYS: Readonly<Record<string, string>> = { Kosovo: 'XK' }

function readAtlas(name: string): AtlasScale {
  const file = createRequire(import.meta.url).resolve(`world-atlas/${name}`)
  const topology = JSON.parse(readFileSync(file, 'utf8')) as Topology<{ countries: GeometryCollection<{ name: string }> }>
  const geometries = topology.objects.countries.geometries
  const adjacency = neighbors(geometries)
  const convert = (geometry: (typeof geometries)[number]) => feature(topology, geometry) as Feature<Geometry>
  // A map needs a handful of countries: each one's shape is converted the first time it is drawn; its measures are kept.
  const facts = keptFacts(name, () => geometries.map(convert))
  const countries = geometries.map((geometry, i) => {
    const key = geometry.id === undefined ? (NAMED_KEYS[(geometry.properties as { name?: string } | undefined)?.name ?? ''] ?? '') : String(geometry.id)
    return new LazyCountry(key, adjacency[i], () => convert(geometry), facts?.[i])
  })
  const byKey = new Map<string, number>()
  countries.forEach((country, i) => {
    if (country.key && !byKey.has(country.key)) byKey.set(country.key, i)
  })
  return { countries, byKey }
}

/** A country of the atlas whose shape is converted on first use, and measured then unless its facts were kept. */
class LazyCountry implements AtlasCountry {
  private converted: Feature<Geometry> | undefined

  constructor(
    readonly key: string,
    readonly neighbours: number[],
    private readonly convert: () => Feature<Geometry>,
    private facts?: CountryFacts,
  ) {}

  get shape() {
    if (!this.converted) {
      this.converted = this.convert()
      this.facts ??= measureCountry(this.converted)
      // Its parts' circles are known: shapeParts() does not measure them again.
      partsOf.set(this.converted, new Map([[Infinity, wholeParts(this.converted, this.facts)]]))
    }
    return this.converted
  }
  get centre() {
    return this.known().centre
  }
  get radius() {
    return this.known().radius
  }
  get area() {
    return this.known().area
  }
  get main() {
    return this.known().main
  }
  get mark() {
    return this.known().mark
  }

  private known(): CountryFacts {
    if (!this.facts) void this.shape // converted and measured
    return this.facts!
  }
}

/** A shape's polygons with the circles its facts give. */
function wholeParts(shape: Feature<Geometry>, facts: CountryFacts): ShapePart[] {
  return polygonsOf(shape.geometry).map((coordinates, i) => ({ coordinates, ...facts.parts[i]! }))
}
