/** Named donor bundles from a YAML or JSON file (`--bundles FILE`), checked with zod, every problem with its file and line. */
import { existsSync, readFileSync } from 'node:fs'
import type { Document, LineCounter } from 'yaml'
import { z } from 'zod'
import { splitValues, WHERE_KEYS, type BundleDefinition } from './where.ts'
import { fileSystemError, SheetError } from '../core/errors.ts'
import { displayPath, ID_PATTERN } from '../core/files.ts'
import { fieldName, issueErrors, locate, parseLocatedYaml } from '../core/located-yaml.ts'
import { STATUSES } from '../record/schema.ts'

/**
 * Reads a file of named bundles, YAML or JSON:
 * `bundles: [{ name: donor-amif, title: Projects funded by AMIF, where: { fund: [AMIF], status: completed } }]`.
 * A filter value may be a list or one string ("completed,ongoing" splits on commas); a bundle without `where` holds every
 * sheet. Throws SheetError ConfigInvalid naming the file (relative to `cwd`), the line and the field (such as
 * bundles[1].where.fund); names must be lowercase letters, digits and hyphens, and unique.
 */
export function loadBundleFile(file: string, cwd: string): BundleDefinition[] {
  const shown = displayPath(file, cwd)
  const parsed = parseLocatedYaml(readText(file, shown), { file: shown, code: 'ConfigInvalid', subject: '', language: 'YAML or JSON', maxAliasCount: 10 })
  if (parsed.errors.length > 0) throw parsed.errors[0]
  const checked = fileSchema.safeParse(parsed.data, { reportInput: true })
  if (!checked.success) throw schemaError(checked.error, shown, parsed)
  const bundles = checked.data.bundles
  checkUnique(bundles, shown, parsed)
  return bundles.map(({ name, title, where, lang }) => ({ name, ...(title === undefined ? {} : { title }), where, ...(lang === undefined ? {} : { lang }) }))
}

// --- internal ---

/** Where a parsed file's fields are, for locating errors. */
type Located = { doc?: Document; lines: LineCounter }

const EXAMPLE = 'write it as bundles: [{ name: donor-amif, title: Projects funded by AMIF, where: { fund: [AMIF] } }]'

/** A list of values, or one string of comma-separated values. */
function values(item: z.ZodType<string>, lower = false) {
  const split = (value: unknown) =>
    typeof value === 'string'
      ? splitValues(value, lower)
      : Array.isArray(value) && lower
        ? value.map((v) => (typeof v === 'string' ? v.toLowerCase() : v))
        : value
  return z
    .preprocess(split, z.array(item, { error: 'expected a value or a list of values, such as [AMIF, BMVI]' }).min(1, { error: 'expected at least one value' }))
    .optional()
}

const name = z.string({ error: 'expected a name' }).trim().min(1, { error: 'expected a name' })

const whereSchema = z.strictObject(
  {
    fund: values(name),
    country: values(name),
    status: values(z.enum(STATUSES, { error: `expected ${STATUSES.join(', ')}` }), true),
    programme: values(name),
    lang: values(name),
  },
  { error: 'expected filters, such as { fund: [AMIF], status: [completed] }' },
)

const bundleSchema = z.strictObject(
  {
    name: z.string({ error: 'expected a bundle name' }).regex(ID_PATTERN, { error: 'expected a bundle name of lowercase letters, digits and hyphens' }),
    title: z
      .string({ error: 'expected a title' })
      .trim()
      .min(1, { error: 'expected a title' })
      .max(200, { error: 'expected at most 200 characters' })
      .optional(),
    where: whereSchema.default({}),
    /** The language of the cover and contents, such as fr. */
    lang: z.string({ error: 'expected a language tag' }).regex(/^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$/, { error: 'expected a language tag such as fr' }).optional(),
  },
  { error: 'expected a bundle: { name, title, where, lang }' },
)

const fileSchema = z.strictObject(
  { bundles: z.array(bundleSchema, { error: 'expected a list of bundles' }).min(1, { error: 'expected at least one bundle' }) },
  { error: 'expected a mapping with a list of bundles' },
)

/** The file's text; a missing file says which flag named it. */
function readText(file: string, shown: string): string {
  if (!existsSync(file)) {
    throw new SheetError({
      code: 'ConfigInvalid',
      message: `the bundles file ${shown} does not exist`,
      loc: { file: shown },
      hint: 'check the path given to --bundles',
    })
  }
  try {
    return readFileSync(file, 'utf8')
  } catch (cause) {
    throw fileSystemError(cause, 'the bundles file', shown)
  }
}

/** The first problem zod found, a misspelt key first: "bundle:" says more than the field it leaves missing. */
function schemaError(error: z.ZodError, file: string, { doc, lines }: Located): SheetError {
  const issue = error.issues.find((found) => found.code === 'unrecognized_keys') ?? error.issues[0]
  return issueErrors(issue, {
    file,
    doc,
    lines,
    code: 'ConfigInvalid',
    missingCode: 'ConfigInvalid',
    keys: (at) =>
      at.length === 0
        ? { noun: 'a field of a bundles file', known: ['bundles'] }
        : at[at.length - 1] === 'where'
          ? { noun: 'a field of a filter', known: WHERE_KEYS }
          : { noun: 'a field of a bundle', known: Object.keys(bundleSchema.shape) },
    hint: (at) => (at.length === 0 ? EXAMPLE : undefined),
  })[0]
}

/** Throws for the first bundle whose name an earlier one already has. */
function checkUnique(bundles: readonly { name: string }[], file: string, { doc, lines }: Located): void {
  bundles.forEach((bundle, i) => {
    const first = bundles.findIndex((other) => other.name === bundle.name)
    if (first === i) return
    const at = ['bundles', i, 'name']
    throw new SheetError({
      code: 'ConfigInvalid',
      message: `the bundle name "${bundle.name}" is already used by bundles[${first}]`,
      loc: { file, line: locate(doc, lines, at) },
      field: fieldName(at),
      hint: 'give each bundle its own name',
    })
  })
}
