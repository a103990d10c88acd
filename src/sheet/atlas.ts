/** Country shapes from world-atlas (Natural Earth 1:50m), parsed once per process and shared by every sheet and bundle. */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { geoArea, geoBounds, geoDistance } from 'd3-geo'
import type { Feature, Geometry } from 'geojson'
import { feature, neighbors } from 'topojson-client'
import type { GeometryCollection, Topology } from 'topojson-specification'

/** One country of the atlas, with what framing needs precomputed. */
export interface AtlasCountry {
  /** ISO 3166-1 numeric ("400"), or "XK" for Kosovo, which the dataset has without a code. */
  key: string
  shape: Feature<Geometry>
  /** Centre of its bounding box [lon, lat], and the angle (radians) from there that holds all of it. */
  centre: [number, number]
  radius: number
  /** Indexes of the countries sharing a border. */
  neighbours: number[]
  /** Its area in steradians: in an equal-area projection of scale k it covers area × k² square units. */
  area: number
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

/**
 * The atlas, read the first time a map is drawn (each country converted when first drawn), then kept for the build:
 * 1:50m for the countries and their neighbours (Malta, Cabo Verde and other small states are missing at 1:110m), 1:110m
 * for the rest.
 */
export function loadAtlas(): Atlas {
  cached ??= { detailed: readAtlas('countries-50m.json'), light: readAtlas('countries-110m.json') }
  return cached
}

// --- internal ---

let cached: Atlas | undefined

/** Features without an ISO code that a record can still name. */
const NAMED_KEYS: Readonly<Record<string, string>> = { Kosovo: 'XK' }

function readAtlas(name: string): AtlasScale {
  const file = createRequire(import.meta.url).resolve(`world-atlas/${name}`)
  const topology = JSON.parse(readFileSync(file, 'utf8')) as Topology<{ countries: GeometryCollection<{ name: string }> }>
  const geometries = topology.objects.countries.geometries
  const adjacency = neighbors(geometries)
  // A map needs a handful of countries: each one's shape, bounds and area are worked out the first time it is asked for.
  const countries = geometries.map((geometry, i) => {
    const key = geometry.id === undefined ? (NAMED_KEYS[(geometry.properties as { name?: string } | undefined)?.name ?? ''] ?? '') : String(geometry.id)
    return new LazyCountry(key, adjacency[i], () => feature(topology, geometry) as Feature<Geometry>)
  })
  const byKey = new Map<string, number>()
  countries.forEach((country, i) => {
    if (country.key && !byKey.has(country.key)) byKey.set(country.key, i)
  })
  return { countries, byKey }
}

/** A country of the atlas whose shape is converted, and measured, on first use. */
class LazyCountry implements AtlasCountry {
  private measured: Pick<AtlasCountry, 'shape' | 'centre' | 'radius' | 'area'> | undefined

  constructor(
    readonly key: string,
    readonly neighbours: number[],
    private readonly convert: () => Feature<Geometry>,
  ) {}

  get shape() {
    return this.measure().shape
  }
  get centre() {
    return this.measure().centre
  }
  get radius() {
    return this.measure().radius
  }
  get area() {
    return this.measure().area
  }

  private measure() {
    if (this.measured) return this.measured
    const shape = this.convert()
    const [[west, south], [east, north]] = geoBounds(shape)
    const spansDateLine = east < west
    const centre: [number, number] = spansDateLine ? [180, (south + north) / 2] : [(west + east) / 2, (south + north) / 2]
    const corners: [number, number][] = [[west, south], [west, north], [east, south], [east, north]]
    const radius = spansDateLine ? Math.PI : Math.max(...corners.map((corner) => geoDistance(centre, corner)))
    this.measured = { shape, centre, radius, area: geoArea(shape) }
    return this.measured
  }
}
