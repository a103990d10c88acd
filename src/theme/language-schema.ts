/** What a theme needs for each language: its words (keys and English defaults), its script's fonts, words/<lang>.json's schema. */
import { z } from 'zod'

/** Every word a sheet or a bundle prints, in English; `{name}` placeholders are filled by the code. */
export const TEXT_DEFAULTS = {
  statusPlanned: 'Project planned',
  statusOngoing: 'Project ongoing',
  statusCompleted: 'Project completed',
  about: 'About the project',
  partners: 'Partners',
  countries: 'Countries',
  timeFrame: 'Time frame',
  budget: 'Budget',
  total: 'Total',
  totalLine: '{total}: {amount}',
  fundedFrom: '{amount} (from {fund})',
  partnersPlanned: 'This {programme} project will be implemented by {implementer}',
  partnersOngoing: 'This {programme} project is implemented by {implementer}',
  partnersCompleted: 'This {programme} project was implemented by {implementer}',
  onBehalfOf: ' on behalf of {beneficiary}',
  periodRange: '{start} - {end}',
  periodOpen: 'Since {start}',
  periodPlanned: 'From {start}',
  pageNumber: 'Page {page} of {pages}',
  mapLabel: 'Map: {places}',
  chartTitle: 'Budget by fund',
  chartLabel: '{title}: {lines}',
  chartOther: 'Other sources',
  keyFacts: 'Key facts',
  bundleKicker: 'Project fact sheets',
  bundleProjects: 'Projects',
  bundleContents: 'Contents',
  bundleContentsIntro: 'Select a project to go to its fact sheet.',
  bundlePage: 'Page',
  bundleTotalBudget: 'Total budget',
  bundleTotalAll: 'Total budget of the projects, all funds',
  bundleShare: '{funds} share',
  bundleAll: 'All projects',
  bundleIn: '{title} in {countries}',
  bundleFundedBy: '{title} funded by {funds}',
} as const

/** Words that say a number of things: one form per plural category of the language (Intl.PluralRules), `other` at least. */
export const COUNT_DEFAULTS = {
  bundleProjectCount: { one: '{count} project', other: '{count} projects' },
  bundleStatusPlanned: { other: '{count} planned' },
  bundleStatusOngoing: { other: '{count} ongoing' },
  bundleStatusCompleted: { other: '{count} completed' },
} as const

/** A font family from an npm package of @fontsource fonts, embedded into every PDF. */
export const fontSchema = z.strictObject({
  /** The CSS family name, such as "Source Sans 3". */
  family: z.string().min(1),
  /** The npm package that ships it, such as @fontsource/source-sans-3. */
  package: z.string().regex(/^@fontsource(?:-variable)?\/[a-z0-9-]+$/, { error: 'expected an @fontsource package name' }),
  /** The weights to embed. */
  weights: z.array(z.number().int().min(100).max(900)).min(1),
  /** Whether to embed italics too. */
  italic: z.boolean().default(false),
})

const word = z.string().max(300)

/** A counted word: one text for every number, or a text per plural category ("one", "two", "few", "many", "other"…). */
export const countWordSchema = z.union([
  word,
  z.strictObject({ zero: word.optional(), one: word.optional(), two: word.optional(), few: word.optional(), many: word.optional(), other: word }),
])

/** A counted word as validated. */
export type CountWord = z.infer<typeof countWordSchema>

/** The words of one language, complete. */
export type Words = { [K in keyof typeof TEXT_DEFAULTS]: string } & { [K in keyof typeof COUNT_DEFAULTS]: CountWord }

/** Every word key, in the order above. */
export const WORD_KEYS = [...Object.keys(TEXT_DEFAULTS), ...Object.keys(COUNT_DEFAULTS)] as (keyof Words)[]

/** theme.json `text`: English words that replace the defaults (older themes word their sheets here). */
export const textSchema = z.strictObject({
  ...(Object.fromEntries(Object.entries(TEXT_DEFAULTS).map(([key, value]) => [key, word.default(value)])) as { [K in keyof typeof TEXT_DEFAULTS]: z.ZodDefault<z.ZodString> }),
  ...(Object.fromEntries(Object.entries(COUNT_DEFAULTS).map(([key, value]) => [key, countWordSchema.default(value)])) as {
    [K in keyof typeof COUNT_DEFAULTS]: z.ZodDefault<typeof countWordSchema>
  }),
})

/** The words of one file: any of the keys (the files of a theme chain are merged, then checked complete). */
export const textLayerSchema = z.strictObject({
  ...(Object.fromEntries(Object.keys(TEXT_DEFAULTS).map((key) => [key, word.optional()])) as { [K in keyof typeof TEXT_DEFAULTS]: z.ZodOptional<z.ZodString> }),
  ...(Object.fromEntries(Object.keys(COUNT_DEFAULTS).map((key) => [key, countWordSchema.optional()])) as {
    [K in keyof typeof COUNT_DEFAULTS]: z.ZodOptional<typeof countWordSchema>
  }),
})

const roleName = z.string().regex(/^[a-z][a-z0-9-]*$/)

/** templates/<theme>/words/<lang>.json: a language's words and how it is set (direction, digits, script fonts). */
export const wordsFileSchema = z.strictObject({
  /** Notes for people; ignored. */
  $comment: z.union([z.string(), z.array(z.string())]).optional(),
  /** Writing direction; default from Intl (ar, he, fa… right to left). */
  dir: z.enum(['ltr', 'rtl']).optional(),
  /** The digits numbers and dates are written with: latn (0-9, the default) or arab (Arabic-Indic ٠-٩). */
  digits: z.enum(['latn', 'arab']).optional(),
  /** Fonts for the language's script, by role (body, heading): used first, the theme's fonts after them. */
  fonts: z.record(roleName, fontSchema).optional(),
  /** The subsets of those fonts to embed, such as arabic. */
  subsets: z.array(z.string().regex(/^[a-z-]+$/)).min(1).optional(),
  /** The brand's name in this language (theme.json name otherwise). */
  name: z.string().min(1).max(80).optional(),
  /** The words beside the logo. */
  logo: z.string().min(1).max(80).optional(),
  /** The funders' marks' words, in the order of theme.json marks. */
  marks: z.array(z.string().min(1).max(80)).optional(),
  text: textLayerSchema.default({}),
  /** How each group of countries theme.json names is written in this language. */
  groups: z.record(z.string().min(1).max(120), z.string().min(1).max(160)).default({}),
})

/** One words file as validated. */
export type WordsFile = z.infer<typeof wordsFileSchema>
