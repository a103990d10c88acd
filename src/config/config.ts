/** UserConfig → ResolvedConfig: defaults < sheets.config.json < command-line flags, checked with zod. */
import { existsSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { z } from 'zod'
import { describeValue, SheetError } from '../core/errors.ts'
import { ID_PATTERN } from '../core/files.ts'
import { fieldName, issueErrors, parseLocatedYaml } from '../core/located-yaml.ts'

/** The project's default theme when neither config nor flags name one. */
export const DEFAULT_THEME = 'mpf'

/** The optional project config file, in the working directory. */
export const CONFIG_FILE = 'sheets.config.json'

/** What a user may set, in sheets.config.json or as flags. */
export const userConfigSchema = z.strictObject({
  /** Folder of records (*.md). Default: content */
  content: z.string().min(1).optional(),
  /** Folder the PDFs and manifest go to. Default: out */
  out: z.string().min(1).optional(),
  /** Folder of themes (<name>/theme.json). Default: templates */
  templates: z.string().min(1).optional(),
  /** Theme for records that name none. Default: mpf */
  theme: z.string().regex(ID_PATTERN, { error: 'expected a theme folder name' }).optional(),
  /** Build only these record ids. Default: all */
  only: z.array(z.string().regex(ID_PATTERN, { error: 'expected record ids' })).optional(),
  /** Sheets printed at once. Default: the number of CPU cores */
  concurrency: z.number().int().min(1).max(64).optional(),
  /** Also write out/<id>.html. Default: false */
  html: z.boolean().optional(),
  /** Rebuild sheets whose inputs did not change. Default: false */
  force: z.boolean().optional(),
  /** Milliseconds one sheet may take to print. Default: 30000 */
  timeout: z.number().int().min(1000).max(600_000).optional(),
  /** A sheet longer than this many pages fails. Default: 20 */
  maxPages: z.number().int().min(1).max(500).optional(),
  /** Step down the theme's fit ladder when a sheet overflows its preferred page count. Default: true (--no-fit: step 0 only) */
  fit: z.boolean().optional(),
  /** strict: findings a donor would see (over the page budget) fail the record; warn: they are warnings. Default: strict */
  preflight: z.enum(['strict', 'warn'], { error: 'expected strict or warn' }).optional(),
  /** Path of the Chrome/Chromium executable. Default: found automatically */
  browser: z.string().min(1).optional(),
  /** Build only shard I of N ("2/4"): a stable partition of the records by id, for parallel CI jobs. Default: all */
  shard: z
    .string()
    .regex(/^\d+\/\d+$/, { error: 'expected I/N, such as 2/4' })
    .refine(
      (value) => {
        const [index, count] = value.split('/').map(Number)
        return count >= 1 && index >= 1 && index <= count
      },
      { error: 'expected I/N with 1 <= I <= N, such as 2/4' },
    )
    .optional(),
  /** Print on a running browser at this WebSocket URL instead of launching one. Default: launch a local browser */
  browserWsEndpoint: z
    .string()
    .regex(/^wss?:\/\//, { error: 'expected a ws:// or wss:// URL' })
    .optional(),
  /** Remove the PDFs of records that no longer exist. Default: false (they are only reported) */
  clean: z.boolean().optional(),
  /** Also write out/bundles/<name>.pdf: a donor bundle of the sheets that match `where`. Default: none */
  bundle: z.string().regex(ID_PATTERN, { error: 'expected a bundle name: lowercase letters, digits and hyphens' }).optional(),
  /** Filters for --bundle, such as ["fund=AMIF", "country=Jordan"]. Default: every sheet */
  where: z.array(z.string()).optional(),
  /** A YAML or JSON file of named bundles to write after the sheets. Default: none */
  bundles: z.string().min(1).optional(),
  /** Show stack traces. Default: false */
  verbose: z.boolean().optional(),
})

/** What a user may set. */
export type UserConfig = z.infer<typeof userConfigSchema>

/** Every setting with its value, folders absolute. */
export interface ResolvedConfig {
  cwd: string
  content: string
  out: string
  templates: string
  theme: string
  only: string[] | undefined
  concurrency: number
  html: boolean
  force: boolean
  timeout: number
  maxPages: number
  fit: boolean
  preflight: 'strict' | 'warn'
  browser: string | undefined
  shard: { index: number; count: number } | undefined
  browserWsEndpoint: string | undefined
  clean: boolean
  bundle: string | undefined
  where: string[]
  bundles: string | undefined
  verbose: boolean
  /** SOURCE_DATE_EPOCH (seconds), read once: the date of every PDF and bundle when set. */
  sourceDateEpoch: number | undefined
  /**
   * The theme of a proof build: --theme names another theme than the project's and no --out is given, so the sheets go
   * to out/proofs/<theme>/ (their own manifest and catalogue) and never replace the official ones. Else undefined.
   */
  proof: string | undefined
}

/** Where proof builds of other themes go, inside the output folder: out/proofs/<theme>/. */
export const PROOFS_DIR = 'proofs'

/** Identity, for typed config objects in scripts. */
export function defineConfig(config: UserConfig): UserConfig {
  return config
}

/** Merges defaults, sheets.config.json (if present) and flags; throws ConfigInvalid naming the file, line and field. */
export function resolveConfig(flags: UserConfig, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const fromFile = readConfigFile(cwd)
  const checked = userConfigSchema.safeParse(flags, { reportInput: true })
  if (!checked.success) {
    const issue = checked.error.issues[0]
    throw new SheetError({
      code: 'UsageError',
      message: `--${flagName(fieldName(issue.path as (string | number)[]))}: ${issue.message} (got ${describeValue(issue.input)})`,
    })
  }
  const merged: UserConfig = { ...fromFile, ...stripUndefined(checked.data) }
  const proof = flags.theme !== undefined && flags.theme !== (fromFile.theme ?? DEFAULT_THEME) && flags.out === undefined ? flags.theme : undefined
  return {
    cwd,
    content: path.resolve(cwd, merged.content ?? 'content'),
    out: path.resolve(cwd, merged.out ?? 'out', ...(proof ? [PROOFS_DIR, proof] : [])),
    templates: path.resolve(cwd, merged.templates ?? 'templates'),
    theme: merged.theme ?? DEFAULT_THEME,
    only: merged.only,
    concurrency: merged.concurrency ?? Math.max(1, Math.min(os.availableParallelism(), 16)),
    html: merged.html ?? false,
    force: merged.force ?? false,
    timeout: merged.timeout ?? 30_000,
    maxPages: merged.maxPages ?? 20,
    fit: merged.fit ?? true,
    preflight: merged.preflight ?? 'strict',
    browser: merged.browser,
    shard: merged.shard ? { index: Number(merged.shard.split('/')[0]), count: Number(merged.shard.split('/')[1]) } : undefined,
    browserWsEndpoint: merged.browserWsEndpoint,
    clean: merged.clean ?? false,
    bundle: merged.bundle,
    where: merged.where ?? [],
    bundles: merged.bundles === undefined ? undefined : path.resolve(cwd, merged.bundles),
    verbose: merged.verbose ?? false,
    sourceDateEpoch: readEpoch(env.SOURCE_DATE_EPOCH),
    proof,
  }
}

// --- internal ---

function readConfigFile(cwd: string): UserConfig {
  const file = path.join(cwd, CONFIG_FILE)
  if (!existsSync(file)) return {}
  const options = { file: CONFIG_FILE, code: 'ConfigInvalid', subject: CONFIG_FILE, language: 'JSON', maxAliasCount: 10 } as const
  const { doc, lines, data, errors } = parseLocatedYaml(readFileSync(file, 'utf8'), options)
  if (errors.length > 0) throw errors[0]
  const parsed = userConfigSchema.safeParse(data, { reportInput: true })
  if (parsed.success) return parsed.data
  const keys = () => ({ noun: 'a setting', known: Object.keys(userConfigSchema.shape) })
  throw issueErrors(parsed.error.issues[0], { file: CONFIG_FILE, doc, lines, code: 'ConfigInvalid', keys })[0]
}

/** SOURCE_DATE_EPOCH as whole seconds, or undefined when unset or not a positive integer (reproducible-builds.org). */
function readEpoch(value: string | undefined): number | undefined {
  const epoch = Number(value)
  return value !== undefined && Number.isInteger(epoch) && epoch > 0 ? epoch : undefined
}

/** The command-line spelling of a setting: maxPages → max-pages. */
function flagName(field: string): string {
  return field.replace(/[A-Z]/g, (char) => `-${char.toLowerCase()}`)
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
