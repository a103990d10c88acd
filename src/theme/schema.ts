/** The theme contract: templates/<name>/theme.json, the brand tokens a designer edits. */
import { z } from 'zod'
import { fontSchema, textSchema } from './language-schema.ts'

const color = z.string().regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, { error: 'expected a colour written #rgb or #rrggbb' })
const relativeFile = z
  .string()
  .min(1)
  .refine((value) => !value.startsWith('/') && !value.split(/[\\/]/).includes('..') && !/^[a-z]+:/i.test(value), {
    error: 'expected a file path inside the theme folder, such as assets/logo.svg',
  })

/** A funder's or partner's mark drawn in the footer band of every page. */
export const markSchema = z.strictObject({
  /** The image, inside the theme folder. */
  image: relativeFile,
  /** The words that go with the image, also its text alternative. */
  text: z.string().min(1).max(80),
})

const cssLength = z.string().regex(/^(?:0|\d+(?:\.\d+)?(?:mm|cm|in|pt|px|pc|q))$/i, { error: 'expected a length such as 6mm or 18pt' })

/** A funder's mark in the footer band: an image and its words, sized and coloured by tokens. */
export const funderMarkSchema = markSchema.extend({
  /** The image's height, such as 6mm; default footer.markHeight. */
  height: cssLength.optional(),
  /** The colour of the words: a name from colors; default primary. */
  color: z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'expected the name of one of colors' }).optional(),
})

/** The footer band's sizes, as CSS custom properties --footer-*. */
export const footerSchema = z.strictObject({
  /** The height of each mark's image when the mark sets none. */
  markHeight: cssLength.default('6mm'),
  /** The space between two marks (they shrink, and their words wrap, before they ever overlap). */
  gap: cssLength.default('12mm'),
  /** The space kept free at the right for the page number. */
  pageNumberWidth: cssLength.default('30mm'),
})

export { fontSchema, textSchema } from './language-schema.ts'

/** The locator map: whether sheets show it, its drawing box (SVG units; CSS sets the printed size) and framing. */
export const mapSchema = z.strictObject({
  show: z.boolean().default(true),
  width: z.number().int().min(100).max(2000).default(480),
  height: z.number().int().min(60).max(2000).default(320),
  /** Padding around the countries, in SVG units. */
  padding: z.number().min(0).max(200).default(16),
  /** The least the map shows: a circle of this many degrees around the countries, so one small country has a region. */
  minRadius: z.number().min(0.5).max(90).default(6),
})

/** The budget chart: whether sheets with two or more budget lines show it. */
export const chartSchema = z.strictObject({ show: z.boolean().default(true) })

/** Groups of countries by name; members are ISO alpha-2 codes, country names, or other groups' names. */
export const groupsSchema = z.record(z.string().min(1).max(120), z.array(z.string().min(1).max(120)).min(1))

const colorRef = z
  .string()
  .regex(/^(?:#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})|[a-z][a-z0-9-]*)$/, { error: 'expected a colour #rrggbb or the name of one of colors' })

/** A text colour on a background that the theme uses, checked against WCAG AA when the theme loads. */
export const contrastSchema = z.strictObject({
  /** The text colour: #rrggbb or a name from colors. */
  text: colorRef,
  /** The background colour: #rrggbb or a name from colors. */
  background: colorRef,
  /** body: needs 4.5:1 (an error below); large (18pt, or 14pt bold): needs 3:1 (a warning below). */
  size: z.enum(['body', 'large']).default('body'),
  /** Where the pair is used, for the message. */
  where: z.string().max(80).optional(),
})

/** One step of the fit ladder: CSS custom properties set on the root element, from step 1 on (step 0 sets none). */
export const fitStepSchema = z.strictObject({
  /** A short name for reports, such as "snug". */
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'expected a short name in lowercase letters, digits and hyphens' }),
  /** Custom properties and their values, such as { "--fit-space": "0.8" }: numbers and lengths only. */
  set: z.record(
    z.string().regex(/^--[a-z][a-z0-9-]*$/, { error: 'expected a CSS custom property such as --fit-space' }),
    z.string().regex(/^-?[0-9.]+(?:[a-z%]{1,4})?$/, { error: 'expected a number or a length such as 0.8 or 9pt' }),
  ),
})

/** The page budget: how many pages a sheet should and may have, and how to get there. */
export const pagesSchema = z
  .strictObject({
    /** The page count to aim for: a sheet that overflows it steps down the fit ladder until it fits. */
    prefer: z.number().int().min(1).max(20).default(1),
    /** More pages than this after fitting is an error for the record. */
    max: z.number().int().min(1).max(50).default(2),
    /** The fit ladder, gentlest step first; each step lists every property it sets. */
    fit: z.array(fitStepSchema).max(8).default([]),
    /** Blocks before which a page may break to give the last page a real share (CSS selectors, in reading order). */
    breaks: z.array(z.string().regex(/^[a-z0-9 .#>_:()-]+$/i, { error: 'expected a simple CSS selector such as .content > h2' }).max(120)).default([]),
    /** The least share of a page the last page should carry (0.25: a quarter of the page). */
    minLastPage: z.number().min(0).max(0.8).default(0.25),
  })
  .refine((pages) => pages.prefer <= pages.max, { error: 'prefer must not be more than max', path: ['prefer'] })

/** Every field of theme.json. */
export const themeSchema = z.strictObject({
  /** Notes for people (JSON has no comments); ignored. */
  $comment: z.union([z.string(), z.array(z.string())]).optional(),
  /** Another theme this one builds on: its tokens, templates, partials, CSS, images and programmes, overridden here. */
  extends: z.string().optional(),
  /** The brand's display name. */
  name: z.string().min(1).max(80),
  /** The theme's own version, written into every PDF's XMP metadata. */
  version: z.string().regex(/^[0-9A-Za-z.+-]{1,40}$/, { error: 'expected a version such as 1.2.0' }).optional(),
  /** The page box: CSS size and margins. */
  page: z
    .strictObject({ size: z.string().default('A4'), margin: z.string().default('18mm 16mm 24mm 16mm') })
    .default({ size: 'A4', margin: '18mm 16mm 24mm 16mm' }),
  /** Brand colours, exposed to CSS as --color-<name>. */
  colors: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), color),
  /** Font families by role (body, heading...), exposed to CSS as --font-<role>. */
  fonts: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), fontSchema),
  /** Unicode subsets of the fonts to embed, such as latin and latin-ext. */
  subsets: z.array(z.string().regex(/^[a-z-]+$/)).default(['latin', 'latin-ext']),
  /** The logo at the top of the sheet. */
  logo: markSchema.optional(),
  /** Funders' marks in the footer band, as many as fit: printed by the footer partial. */
  marks: z.array(funderMarkSchema).default([]),
  /** Sizes of the footer band: the height of the marks, the gap between them, the room for the page number. */
  footer: footerSchema.default(footerSchema.parse({})),
  /** Sheets meant for a print shop: raster images need 300 pixels per inch at their printed size (else 150). */
  print: z.boolean().default(false),
  /** The page budget and fit ladder. */
  pages: pagesSchema.default(pagesSchema.parse({})),
  /** Text/background pairs to check for WCAG AA contrast; default: text and muted on white. */
  contrast: z.array(contrastSchema).default([
    { text: 'text', background: '#ffffff', size: 'body' },
    { text: 'muted', background: '#ffffff', size: 'body' },
  ]),
  /** Words the sheet prints: labels, status names and sentences with {placeholders}; English by default. */
  text: textSchema.default(textSchema.parse({})),
  /** The locator map drawn from the record's countries. */
  map: mapSchema.default(mapSchema.parse({})),
  /** The budget chart drawn from the record's budget lines. */
  chart: chartSchema.default(chartSchema.parse({})),
  /** Names of groups of countries ("EU countries") that maps draw as their members; a derived theme adds or replaces groups by name. */
  groups: groupsSchema.default({}),
})

/** A theme's validated tokens. */
export type ThemeTokens = z.infer<typeof themeSchema>

/** The keys theme.json takes at a path (['page'], ['fonts', 'body'], ['marks', 0]…), for "did you mean" hints. */
export function knownThemeKeys(at: readonly (string | number)[]): string[] {
  let schema: z.ZodType | undefined = themeSchema
  for (const part of at) schema = schema && child(schema, part)
  const shape = schema && objectShape(schema)
  return shape ? Object.keys(shape) : []
}

// --- internal ---

function unwrap(schema: z.ZodType): z.ZodType {
  let inner = schema
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType
  return inner
}

function child(schema: z.ZodType, part: string | number): z.ZodType | undefined {
  const inner = unwrap(schema)
  if (inner instanceof z.ZodArray) return inner.element as z.ZodType
  if (inner instanceof z.ZodRecord) return inner.valueType as z.ZodType
  if (inner instanceof z.ZodObject) return (inner.shape as Record<string, z.ZodType>)[String(part)]
  return undefined
}

function objectShape(schema: z.ZodType): Record<string, unknown> | undefined {
  const inner = unwrap(schema)
  return inner instanceof z.ZodObject ? (inner.shape as Record<string, unknown>) : undefined
}
