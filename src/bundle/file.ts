/** Named donor bundles from a YAML or JSON file (`--bundles FILE`), checked with zod, every problem with its file and line. */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { LineCounter, parseDocument } from 'yaml'
import { z } from 'zod'
import type { BundleDefinition } from './bundle.ts'
import { splitValues, type Where } from './where.ts'
import { closest, describeValue, SheetError } from '../core/errors.ts'
import { ID_PATTERN, STATUSES } from '../record/schema.ts'
import { fieldName, locate } from '../record/validate.ts'

/**
 * Reads a file of named bundles, YAML or JSON:
 * `bundles: [{ name: donor-amif, title: Projects funded by AMIF, where: { fund: [AMIF], status: completed } }]`.
 * A filter value may be a list or one string ("completed,ongoing" splits on commas); a bundle without `where` holds every
 * sheet. Throws SheetError ConfigInvalid naming the file, the line and the field (such as bundles[1].where.fund); names
 * must be lowercase letters, digits and hyphens, and unique.
 */
export function loadBundleFile(file: string): BundleDefinition[] {
  const shown = path.relative(process.cwd(), file) || file
  const fail = (message: string, line?: number, field?: string, hint?: string) =>
    new SheetError({ code: 'ConfigInvalid', message, loc: { file: shown, line }, field, hint })
  if (!existsSync(file)) throw fail(`the bundles file ${shown} does not exist`, undefined, undefined, 'check the path given to --bundles')
  const lines = new LineCounter()
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, schema: 'core', uniqueKeys: true })
  const problem = doc.errors[0]
  if (problem) throw fail(`is not valid YAML or JSON: ${problem.message.split('\n')[0]}`, lines.linePos(problem.pos[0]).line)
  const parsed = fileSchema.safeParse(doc.toJS({ maxAliasCount: 10 }) ?? {}, { reportInput: true })
  if (!parsed.success) {
    // A misspelt key ("bundle:") says more than the field it leaves missing.
    const issue = parsed.error.issues.find((found) => found.code === 'unrecognized_keys') ?? parsed.error.issues[0]
    const at = issue.path as (string | number)[]
    if (issue.code === 'unrecognized_keys') {
      const known = at.length === 0 ? ['bundles'] : at[at.length - 1] === 'where' ? ['fund', 'country', 'status', 'programme'] : ['name', 'title', 'where']
      const what = at.length === 0 ? 'a bundles file' : at[at.length - 1] === 'where' ? 'a filter' : 'a bundle'
      const guess = closest(issue.keys[0], known)
      const where = [...at, issue.keys[0]]
      throw fail(
        `is not a field of ${what} (expected one of ${known.join(', ')})`,
        locate(doc, lines, where, true),
        fieldName(where),
        guess && `did you mean "${guess}"?`,
      )
    }
    const missing = issue.input === undefined
    const message = `${missing ? 'is required: ' : ''}${issue.message} (got ${describeValue(issue.input)})`
    throw fail(message, locate(doc, lines, at), fieldName(at) || undefined, at.length === 0 ? EXAMPLE : undefined)
  }
  const bundles = parsed.data.bundles
  bundles.forEach((bundle, i) => {
    const first = bundles.findIndex((other) => other.name === bundle.name)
    if (first < i) {
      const at = ['bundles', i, 'name']
      throw fail(
        `the bundle name "${bundle.name}" is already used by bundles[${first}]`,
        locate(doc, lines, at),
        fieldName(at),
        'give each bundle its own name',
      )
    }
  })
  return bundles.map(({ name, title, where }) => ({ name, ...(title === undefined ? {} : { title }), where: where as Where }))
}

// --- internal ---

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
  },
  { error: 'expected a bundle: { name, title, where }' },
)

const fileSchema = z.strictObject(
  { bundles: z.array(bundleSchema, { error: 'expected a list of bundles' }).min(1, { error: 'expected at least one bundle' }) },
  { error: 'expected a mapping with a list of bundles' },
)
