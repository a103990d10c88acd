/** The locator map: a record's countries as inline SVG, framed to their region, drawn at build time from world-atlas. */
import { geoAzimuthalEqualArea, geoCentroid, geoCircle, geoStream, type GeoProjection } from 'd3-geo'
import type { Feature, MultiPolygon } from 'geojson'
import { readCached, writeCached } from '../core/disk-cache.ts'
import { escapeHtml } from '../core/html.ts'
import type { CountryPlace } from '../core/places.ts'
import { arc } from './atlas-facts.ts'
import { loadAtlas, partsCentroid, shapeParts, type AtlasCountry, type ShapePart } from './atlas.ts'
import { outlineBounds, PathData, snapped, streamOutlines } from './map-outlines.ts'

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
  const near = (circle: { centre: [number, number]; radius: number }) => arc(view.centre, circle.centre) - circle.radius * 1.2 <= view.radius
  const targetKeys = new Set([...targets].map((i) => detailed.countries[i].key))
  const neighbourKeys = new Set(
    [...targets].flatMap((i) => detailed.countries[i].neighbours.map((n) => detailed.countries[n].key)).filter((key) => key && !targetKeys.has(key)),
  )
  // Neighbours and the land around at 1:110m (Russia at 1:50m alone costs more than the rest); tiny ones only at 1:50m.
  const around = (key: string) => (light.byKey.has(key) ? light.countries[light.byKey.get(key)!] : detailed.countries[detailed.byKey.get(key)!])
  const neighbours = [...neighbourKeys].map(around)
  // Each at the detail this scale can show, without its parts out of view (one that is cannot hold the frame either).
  const level = detailLevel(projection.scale())
  const parts = (countries: AtlasCountry[]) => countries.flatMap((country) => shapeParts(country.shape, level).filter(near))
  const layers = {
    land: parts(light.countries.filter((country) => !targetKeys.has(country.key) && !neighbourKeys.has(country.key) && near(country))),
    neighbour: parts(neighbours.filter(near)),
    country: parts([...targets].map((i) => detailed.countries[i])),
  }
  const paths = (Object.keys(layers) as (keyof typeof layers)[]).flatMap((key) => {
    const d = drawParts(layers[key], projection)
    return d ? [`<path class="map-${key}" d="${d}"/>`] : []
  })
  const markers = [...targets].flatMap((i) => {
    const { area, mark } = detailed.countries[i]
    // The projection is equal-area: a country's drawn area is its spherical area times the scale squared.
    if (area * projection.scale() ** 2 >= MIN_VISIBLE_AREA) return []
    const [x, y] = projection(mark) ?? [NaN, NaN]
    return Number.isFinite(x) ? [`<circle class="map-marker" cx="${Math.round(x)}" cy="${Math.round(y)}" r="${MARKER_RADIUS}"/>`] : []
  })
  return { body: `${paths.join('')}${markers.join('')}`, drawn }
}

/** Below this many square SVG units a country gets a ring around it. */
const MIN_VISIBLE_AREA = 30
const MARKER_RADIUS = 6

/**
 * The projection framing the countries' main parts: fitted first on coarse outlines, then on outlines as fine as that
 * scale can show, which frames them within a fraction of a unit of a fit on every point of the atlas.
 */
function frameProjection(targets: readonly AtlasCountry[], frame: MapFrame) {
  const centreParts = targets.flatMap((country) => mainParts(country, CENTRE_LEVEL))
  const centre = partsCentroid(centreParts) ?? geoCentroid(partsFeature(centreParts))
  const circle = geoCircle().center(centre).radius(frame.minRadius)()
  const { width, height, padding } = frame
  const fitted = (level: number) => {
    const parts = targets.flatMap((country) => mainParts(country, level))
    const extent: [[number, number], [number, number]] = [[padding, padding], [width - padding, height - padding]]
    const projection = geoAzimuthalEqualArea().rotate([-centre[0], -centre[1]]).precision(1)
    // Framed without the far side's clipping when nothing to frame reaches it (see drawParts()): as d3's fitExtent().
    if (parts.every((part) => inFront(centre, part))) {
      // fitExtent()'s arithmetic, on the bounds measured at scale 150 (the circle as one more part to hold).
      const [[x0, y0], [x1, y1]] = outlineBounds([...parts, { coordinates: circle.coordinates, centre, radius: 0 }], { centre, scale: 150, translate: [0, 0] })
      const [w, h] = [extent[1][0] - extent[0][0], extent[1][1] - extent[0][1]]
      const k = Math.min(w / (x1 - x0), h / (y1 - y0))
      projection.scale(150 * k).translate([extent[0][0] + (w - k * (x1 + x0)) / 2, extent[0][1] + (h - k * (y1 + y0)) / 2])
    } else {
      projection.fitExtent(extent, { type: 'FeatureCollection', features: [partsFeature(parts), { type: 'Feature' as const, properties: {}, geometry: circle }] })
    }
    return projection.clipAngle(180 - 1e-3).clipExtent([[0, 0], [width, height]])
  }
  return fitted(detailLevel(fitted(COARSE_LEVEL).scale()))
}

/**
 * The outlines of these parts as SVG path data, snapped (see snapped()). Parts well inside the hemisphere facing the
 * viewer cannot reach the far side's clipping circle: they are projected without d3's stream chain (map-outlines.ts).
 */
function drawParts(parts: readonly ShapePart[], projection: GeoProjection): string {
  const [lambda, phi] = projection.rotate()
  const centre: [number, number] = [-lambda, -phi]
  const [front, back]: ShapePart[][] = [[], []]
  for (const part of parts) (inFront(centre, part) ? front : back).push(part)
  const data = new PathData()
  streamOutlines(front, { centre, scale: projection.scale(), translate: projection.translate() }, projection.clipExtent(), snapped(data))
  if (back.length) geoStream(partsFeature(back), projection.stream(snapped(data)))
  return data.d
}

/** Whether a part lies well inside the hemisphere facing a map centred here (its outline cannot reach the far side). */
function inFront(centre: [number, number], part: ShapePart): boolean {
  return arc(centre, part.centre) + part.radius * 1.2 <= FRONT
}

/** Radians from the map's centre within which an outline is drawn without clipping the far side of the globe. */
const FRONT = (150 * Math.PI) / 180

/** The part of the globe the frame shows, as a centre and an angle, to skip countries far outside it. */
function visibleCircle(projection: ReturnType<typeof geoAzimuthalEqualArea>, frame: MapFrame) {
  const centre = projection.invert?.([frame.width / 2, frame.height / 2]) ?? [0, 0]
  const corners = [[0, 0], [frame.width, 0], [0, frame.height], [frame.width, frame.height]] as [number, number][]
  const radius = Math.max(...corners.map((corner) => {
    const point = projection.invert?.(corner)
    return point && Number.isFinite(point[0]) ? arc(centre, point) : Math.PI
  }))
  return { centre, radius }
}

/** A country without its far-away parts (French Guiana, Réunion), for framing only, at a level of detail. */
function mainParts(country: AtlasCountry, level: number): ShapePart[] {
  const { main } = country
  return shapeParts(country.shape, level).filter((_, i) => main[i])
}

function partsFeature(parts: readonly ShapePart[]): Feature<MultiPolygon> {
  return { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: parts.map((part) => part.coordinates) } }
}

/**
 * The level of detail (see shapeParts()) for a projection of this scale (SVG units a radian): points closer than
 * DETAIL units are thinned out, less than whole-unit rounding and SIMPLIFY move them anyway. An equal-area azimuthal
 * projection stretches lengths by up to √2 across the frame; a level is a power of two, so maps share them.
 */
function detailLevel(scale: number): number {
  const degrees = ((DETAIL / Math.SQRT2 / scale) * 180) / Math.PI
  return Math.ceil(-Math.log2(degrees))
}

/** SVG units: the largest a thinned-out point may lie from the outline drawn from every point. */
const DETAIL = 0.25
/** The detail of the first, rough framing (1/8 degree), and of the centre the map is turned to (1/128 degree). */
const COARSE_LEVEL = 3
const CENTRE_LEVEL = 7
