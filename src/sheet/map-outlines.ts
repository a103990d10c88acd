/** Outlines facing the viewer drawn without d3-geo's stream chain: the map's projection on unit vectors kept per part, resampled and clipped as d3-geo does. */
import { geoClipRectangle, type GeoStream } from 'd3-geo'
import { unitRings, type ShapePart } from './atlas.ts'

/** An azimuthal equal-area view: the point [lon, lat] (degrees) at its centre, its scale and translation (d3's). */
export interface AzimuthalView {
  centre: readonly [number, number]
  scale: number
  translate: readonly [number, number]
}

/** The box a view is clipped to, [[x0, y0], [x1, y1]], or none. */
export type ClipBox = readonly [readonly [number, number], readonly [number, number]] | null

/**
 * The bounds [[x0, y0], [x1, y1]] of these parts' outlines in a view, resampled as drawn; what d3's fitExtent() measures
 * of them when the far side's clipping is off (every part well inside the facing hemisphere).
 */
export function outlineBounds(parts: readonly ShapePart[], view: AzimuthalView): [[number, number], [number, number]] {
  const projector = new Projector(view)
  const bounds: [[number, number], [number, number]] = [
    [Infinity, Infinity],
    [-Infinity, -Infinity],
  ]
  for (const part of parts) {
    for (const ring of unitRings(part)) {
      const points = projector.ring(ring)
      for (let i = 0; i < points.length; i += 2) {
        const [x, y] = [points[i], points[i + 1]]
        if (x < bounds[0][0]) bounds[0][0] = x
        if (x > bounds[1][0]) bounds[1][0] = x
        if (y < bounds[0][1]) bounds[0][1] = y
        if (y > bounds[1][1]) bounds[1][1] = y
      }
    }
  }
  return bounds
}

/**
 * Streams the parts' polygons, projected and resampled in the view, into `output`: a polygon wholly inside the clip
 * box as it is, any other through d3's rectangle clipping (the same points d3-geo's projection stream would give).
 */
export function streamOutlines(parts: readonly ShapePart[], view: AzimuthalView, clip: ClipBox, output: GeoStream): void {
  const projector = new Projector(view)
  const clipped = clip ? geoClipRectangle(clip[0][0], clip[0][1], clip[1][0], clip[1][1])(output) : output
  for (const part of parts) {
    const rings = unitRings(part).map((ring) => projector.ring(ring))
    const inside = !clip || rings.every((points) => within(points, clip))
    const stream = inside ? output : clipped
    stream.polygonStart?.()
    for (const points of rings) {
      stream.lineStart?.()
      for (let i = 0; i < points.length; i += 2) stream.point(points[i], points[i + 1])
      stream.lineEnd?.()
    }
    stream.polygonEnd?.()
  }
}

/** SVG path data of whole-unit points, as d3's geoPath() writes it with digits(0). */
export class PathData implements GeoStream {
  d = ''
  private started = false
  private inPolygon = false
  polygonStart() {
    this.inPolygon = true
  }
  polygonEnd() {
    this.inPolygon = false
  }
  lineStart() {
    this.started = false
  }
  point(x: number, y: number) {
    this.d += `${this.started ? 'L' : 'M'}${x},${y}`
    this.started = true
  }
  lineEnd() {
    if (this.inPolygon) this.d += 'Z'
  }
}

/**
 * Whole SVG units, points closer than SIMPLIFY units to the last one kept dropped (radial-distance simplification),
 * and rings that collapse to nothing left out.
 */
export function snapped(output: GeoStream): GeoStream {
  // The line being snapped: x, y of each point kept in turn (undefined outside a line).
  let line: number[] | undefined
  let inPolygon = false
  return {
    point(x, y) {
      const [px, py] = [Math.round(x), Math.round(y)]
      if (!line) return output.point(px, py)
      const n = line.length
      // Whole units: the squared distance is an exact integer, compared with SIMPLIFY squared.
      if (n === 0 || (line[n - 2]! - px) ** 2 + (line[n - 1]! - py) ** 2 >= SIMPLIFY ** 2) line.push(px, py)
    },
    lineStart: () => void (line = []),
    lineEnd() {
      const points = line ?? []
      line = undefined
      // A ring closes by itself (Z): a last point on its first is dropped, and so is a ring left without an area.
      if (inPolygon && points.length > 2 && points[0] === points[points.length - 2] && points[1] === points[points.length - 1]) points.length -= 2
      if (points.length < (inPolygon ? 6 : 4)) return
      output.lineStart()
      for (let i = 0; i < points.length; i += 2) output.point(points[i]!, points[i + 1]!)
      output.lineEnd()
    },
    polygonStart: () => void ((inPolygon = true), output.polygonStart()),
    polygonEnd: () => void ((inPolygon = false), output.polygonEnd()),
    sphere: () => output.sphere?.(),
  }
}

// --- internal ---

/** Points closer than this (SVG units, about 0.3 mm at print size) to the last one kept are dropped. */
const SIMPLIFY = 1.8

const RADIANS = Math.PI / 180
/** d3-geo's resampling: precision 1 unit (squared), at most 16 halvings, and any arc over 30° halved. */
const DELTA2 = 1
const MAX_DEPTH = 16
const COS_MIN_DISTANCE = Math.cos(30 * RADIANS)

function within(points: readonly number[], [[x0, y0], [x1, y1]]: NonNullable<ClipBox>): boolean {
  for (let i = 0; i < points.length; i += 2) {
    const x = points[i]!
    const y = points[i + 1]!
    if (!(x0 <= x && x <= x1 && y0 <= y && y <= y1)) return false
  }
  return true
}

/**
 * The view's rotation (turning its centre to [0, 0], as d3's rotate([-lon, -lat])) and projection on unit vectors:
 * a point rotated to (a, b, c) lands at k·b, k·c with k = √(2 / (1 + a)), scaled and translated, y downwards.
 */
class Projector {
  private readonly m: number[]
  private readonly k: number
  private readonly tx: number
  private readonly ty: number
  /** The ring being projected: x, y of each point in turn. */
  private out: number[] = []

  constructor(view: AzimuthalView) {
    const [lambda, phi] = [-view.centre[0] * RADIANS, -view.centre[1] * RADIANS]
    const [cl, sl, cp, sp] = [Math.cos(lambda), Math.sin(lambda), Math.cos(phi), Math.sin(phi)]
    // First about the pole by lambda, then about the y axis by phi.
    this.m = [cl * cp, -sl * cp, -sp, sl, cl, 0, cl * sp, -sl * sp, cp]
    this.k = view.scale
    ;[this.tx, this.ty] = view.translate
  }

  /** A ring's points projected and resampled, the segment back to its first point included (not the point itself). */
  ring(vectors: Float64Array): number[] {
    this.out = []
    const m = this.m
    const count = vectors.length / 3
    let first: Point | undefined
    let previous: Point | undefined
    for (let i = 0; i < count; i++) {
      const x = vectors[i * 3]!
      const y = vectors[i * 3 + 1]!
      const z = vectors[i * 3 + 2]!
      const point = this.point(m[0] * x + m[1] * y + m[2] * z, m[3] * x + m[4] * y + m[5] * z, m[6] * x + m[7] * y + m[8] * z)
      if (previous) this.resample(previous, point, MAX_DEPTH)
      this.out.push(point.x, point.y)
      previous = point
      first ??= point
    }
    if (first && previous && count > 1) this.resample(previous, first, MAX_DEPTH)
    return this.out
  }

  private point(a: number, b: number, c: number): Point {
    const k = this.k * Math.sqrt(2 / (1 + a))
    return { a, b, c, x: this.tx + k * b, y: this.ty - k * c }
  }

  /** d3-geo's adaptive resampling: the great circle's midpoint added while it lies off the straight line. */
  private resample(from: Point, to: Point, depth: number): void {
    const [dx, dy] = [to.x - from.x, to.y - from.y]
    const d2 = dx * dx + dy * dy
    if (!(d2 > 4 * DELTA2 && depth--)) return
    const [a, b, c] = [from.a + to.a, from.b + to.b, from.c + to.c]
    const length = Math.sqrt(a * a + b * b + c * c)
    const middle = this.point(a / length, b / length, c / length)
    const [dx2, dy2] = [middle.x - from.x, middle.y - from.y]
    const dz = dy * dx2 - dx * dy2
    if ((dz * dz) / d2 > DELTA2 || Math.abs((dx * dx2 + dy * dy2) / d2 - 0.5) > 0.3 || from.a * to.a + from.b * to.b + from.c * to.c < COS_MIN_DISTANCE) {
      this.resample(from, middle, depth)
      this.out.push(middle.x, middle.y)
      this.resample(middle, to, depth)
    }
  }
}

/** A rotated unit vector and where it is drawn. */
interface Point {
  a: number
  b: number
  c: number
  x: number
  y: number
}
