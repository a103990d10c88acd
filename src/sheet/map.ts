/** The locator map: a record's countries as inline SVG, framed to their region, drawn at build time from world-atlas. */
import { geoArea, geoAzimuthalEqualArea, geoCentroid, geoCircle, geoDistance, geoPath, type GeoStream } from 'd3-geo'
import type { Feature, Geometry, MultiPolygon, Polygon } from 'geojson'
import { readCached, writeCached } from '../core/disk-cache.ts'
import { escapeHtml } from '../core/html.ts'
import type { CountryPlace } from '../core/places.ts'
import { loadAtlas, type AtlasCountry } from './atlas.ts'

/** The map's drawing box in SVG units (its printed size is the theme's CSS), and its framing. */
export interface MapFrame {
  width: number
  height: number
  /** Padding around the countries, in SVG units. */
  padding: number
  /** The smallest area shown: a circle of this many degrees around the countries (so Malta comes with Sicily and Tunisia). */
  minRadius: number
}

/** A drawn map: the SVG element, and which of the record's countries the atlas has. */
export interface DrawnMap {
  svg: string
  /** The ISO alpha-2 codes drawn. */
  drawn: string[]
}

/** Default frame: 3:2, room for a region. */
export const DEFAULT_FRAME: MapFrame = { width: 480, height: 320, padding: 16, minRadius: 6 }

/**
 * Draws the countries filled (class map-country), those sharing a border in a tint (map-neighbour), other land
 * (map-land), and a ring (map-marker) on countries too small to see. Coordinates are whole SVG units, clipped to the
 * frame, with repeated points dropped. Returns null when none of the countries is in the atlas.
 */
export function drawMap(places: readonly CountryPlace[], label: string, frame: MapFrame = DEFAULT_FRAME): DrawnMap | null {
  // The same countries in the same frame draw the same shapes: drawn once per process (records of a programme share
  // their regions), the label set per sheet, since it is in the sheet's language.
  const key = `${places.map((place) => `${place.iso2}:${place.numeric ?? ''}`).join(',')}|${frame.width}x${frame.height}/${frame.padding}/${frame.minRadius}`
  let shapes = drawnShapes.get(key)
  if (shapes === undefined) {
    // And kept on disk for the next builds of the same compiled command (the atlas is a versioned package).
    const kept = readCached('maps', key)
    shapes = kept === undefined ? drawShapes(places, frame) : (JSON.parse(kept) as Shapes)
    if (kept === undefined) writeCached('maps', key, JSON.stringify(shapes))
    if (drawnShapes.size >= MAX_DRAWN) drawnShapes.delete(drawnShapes.keys().next().value!)
    drawnShapes.set(key, shapes)
  }
  if (!shapes) return null
  const svg =
    `<svg class="map" role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 ${frame.width} ${frame.height}" xmlns="http://www.w3.org/2000/svg">` +
    `${shapes.body}</svg>`
  return { svg, drawn: [...shapes.drawn] }
}

// --- internal ---

/**
 * Maps drawn in this process, by countries and frame; the oldest is let go past MAX_DRAWN. A few suffice: the disk
 * cache holds every map drawn, and 512 kept here (with 500 in figures.ts) took Node's peak memory from 235 to 335 MiB
 * in a cold build of 1000 records.
 */
const drawnShapes = new Map<string, Shapes>()
type Shapes = { body: string; drawn: string[] } | null
const MAX_DRAWN = 64

function drawShapes(places: readonly CountryPlace[], frame: MapFrame): Shapes {
  const { detailed, light } = loadAtlas()
  const targets = new Set<number>()
  const drawn: string[] = []
  for (const place of places) {
    const index = detailed.byKey.get(place.iso2 === 'XK' ? 'XK' : (place.numeric ?? ''))
    if (index === undefined) continue
    targets.add(index)
    drawn.push(place.iso2)
  }
  if (targets.size === 0) return null
  const projection = frameProjection([...targets].map((i) => detailed.countries[i]), frame)
  const view = visibleCircle(projection, frame)
  const inView = (country: AtlasCountry) => geoDistance(view.centre, country.centre) - country.radius * 1.2 <= view.radius
  const targetKeys = new Set([...targets].map((i) => detailed.countries[i].key))
  const neighbourKeys = new Set(
    [...targets].flatMap((i) => detailed.countries[i].neighbours.map((n) => detailed.countries[n].key)).filter((key) => key && !targetKeys.has(key)),
  )
  // Neighbours and the land around at 1:110m (Russia at 1:50m alone costs more than the rest); tiny ones only at 1:50m.
  const around = (key: string) => (light.byKey.has(key) ? light.countries[light.byKey.get(key)!] : detailed.countries[detailed.byKey.get(key)!])
  const neighbours = [...neighbourKeys].map(around)
  const layers = {
    land: light.countries.filter((country) => !targetKeys.has(country.key) && !neighbourKeys.has(country.key) && inView(country)).map((country) => country.shape),
    neighbour: neighbours.filter(inView).map((country) => country.shape),
    country: [...targets].map((i) => detailed.countries[i].shape),
  }
  const path = geoPath({ stream: (output: GeoStream) => projection.stream(snapped(output)) }).digits(0)
  const paths = (Object.keys(layers) as (keyof typeof layers)[]).flatMap((key) => {
    const d = path({ type: 'FeatureCollection', features: layers[key] })
    return d ? [`<path class="map-${key}" d="${d}"/>`] : []
  })
  const markers = [...targets].flatMap((i) => {
    const { shape, area } = detailed.countries[i]
    // The projection is equal-area: a country's drawn area is its spherical area times the scale squared.
    if (area * projection.scale() ** 2 >= MIN_VISIBLE_AREA) return []
    const [x, y] = projection(geoCentroid(largestPart(shape))) ?? [NaN, NaN]
    return Number.isFinite(x) ? [`<circle class="map-marker" cx="${Math.round(x)}" cy="${Math.round(y)}" r="${MARKER_RADIUS}"/>`] : []
  })
  return { body: `${paths.join('')}${markers.join('')}`, drawn }
}

/** Below this many square SVG units a country gets a ring around it. */
const MIN_VISIBLE_AREA = 30
const MARKER_RADIUS = 6
/** Points closer than this (SVG units, about 0.3 mm at print size) to the last one kept are dropped. */
const SIMPLIFY = 1.8
/** A country's parts further than this from its largest part (overseas territories) do not widen the frame. */
const FRAME_PARTS_WITHIN = (12 * Math.PI) / 180

function frameProjection(targets: readonly AtlasCountry[], frame: MapFrame) {
  const mainland = targets.map((country) => mainParts(country.shape))
  const centre = geoCentroid({ type: 'FeatureCollection', features: mainland })
  const circle = geoCircle().center(centre).radius(frame.minRadius)()
  const fit = { type: 'FeatureCollection' as const, features: [...mainland, { type: 'Feature' as const, properties: {}, geometry: circle }] }
  const { width, height, padding } = frame
  return geoAzimuthalEqualArea()
    .rotate([-centre[0], -centre[1]])
    .precision(1)
    .fitExtent([[padding, padding], [width - padding, height - padding]], fit)
    .clipExtent([[0, 0], [width, height]])
}

/** The part of the globe the frame shows, as a centre and an angle, to skip countries far outside it. */
function visibleCircle(projection: ReturnType<typeof geoAzimuthalEqualArea>, frame: MapFrame) {
  const centre = projection.invert?.([frame.width / 2, frame.height / 2]) ?? [0, 0]
  const corners = [[0, 0], [frame.width, 0], [0, frame.height], [frame.width, frame.height]] as [number, number][]
  const radius = Math.max(...corners.map((corner) => {
    const point = projection.invert?.(corner)
    return point && Number.isFinite(point[0]) ? geoDistance(centre, point) : Math.PI
  }))
  return { centre, radius }
}

function polygons(geometry: Geometry): Polygon['coordinates'][] {
  if (geometry.type === 'Polygon') return [geometry.coordinates]
  if (geometry.type === 'MultiPolygon') return geometry.coordinates
  return []
}

function largestPart(shape: Feature<Geometry>): Polygon {
  const parts = polygons(shape.geometry).map((coordinates) => ({ type: 'Polygon' as const, coordinates }))
  return parts.reduce((best, part) => (geoArea(part) > geoArea(best) ? part : best), parts[0])
}

/** A country without its far-away parts (French Guiana, Réunion), for framing only; worked out once per country. */
function mainParts(shape: Feature<Geometry>): Feature<MultiPolygon> {
  let parts = mainPartsOf.get(shape)
  if (!parts) {
    const main = geoCentroid(largestPart(shape))
    const near = polygons(shape.geometry).filter((coordinates) => geoDistance(main, geoCentroid({ type: 'Polygon', coordinates })) <= FRAME_PARTS_WITHIN)
    parts = { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: near } }
    mainPartsOf.set(shape, parts)
  }
  return parts
}

const mainPartsOf = new WeakMap<Feature<Geometry>, Feature<MultiPolygon>>()

/**
 * Whole SVG units, points closer than SIMPLIFY units to the last one kept dropped (radial-distance simplification),
 * and rings that collapse to nothing left out.
 */
function snapped(output: GeoStream): GeoStream {
  let line: [number, number][] | undefined
  let inPolygon = false
  return {
    point(x, y) {
      const point: [number, number] = [Math.round(x), Math.round(y)]
      if (!line) return output.point(point[0], point[1])
      const last = line[line.length - 1]
      if (!last || Math.hypot(last[0] - point[0], last[1] - point[1]) >= SIMPLIFY) line.push(point)
    },
    lineStart: () => void (line = []),
    lineEnd() {
      const points = line ?? []
      line = undefined
      if (points.length < (inPolygon ? 3 : 2)) return
      output.lineStart()
      for (const [x, y] of points) output.point(x, y)
      output.lineEnd()
    },
    polygonStart: () => void ((inPolygon = true), output.polygonStart()),
    polygonEnd: () => void ((inPolygon = false), output.polygonEnd()),
    sphere: () => output.sphere?.(),
  }
}
