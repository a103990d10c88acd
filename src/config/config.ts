/** UserConfig → ResolvedConfig: defaults < sheets.config.json < command-line flags, checked with zod. */
import { existsSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describeValue, SheetError } from '../core/errors.ts'
import { sha256 } from '../core/hash.ts'
import type { z } from 'zod'
import type { userConfigSchema } from './schema.ts'

/** The project's default theme when neither config nor flags name one. */
export const DEFAULT_THEME = 'mpf'

/** The optional project config file, in the working directory. */
export const CONFIG_FILE = 'sheets.config.json'

/** What a user may set, in sheets.config.json or as flags (see schema.ts for each setting and its default). */
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
  /** The language of --bundle's cover and contents, when given. */
  bundleLang: string | undefined
  /** The languages every record should have a sheet in (check:sheets reports the missing translations). */
  languages: string[]
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

/**
 * Merges defaults, sheets.config.json (if present) and flags; throws ConfigInvalid naming the file, line and field.
 * The checks (zod, YAML) are loaded only when there is a flag or a file to check: defaults need none.
 */
export async function resolveConfig(flags: UserConfig, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Promise<ResolvedConfig> {
  const given = stripUndefined(flags)
  const hasFile = existsSync(path.join(cwd, CONFIG_FILE))
  const { merged, fileTheme } = hasFile || Object.keys(given).length > 0 ? await checkSettings(given, cwd, hasFile) : { merged: {}, fileTheme: undefined }
  const proof = flags.theme !== undefined && flags.theme !== (fileTheme ?? DEFAULT_THEME) && flags.out === undefined ? flags.theme : undefined
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
    bundleLang: merged.bundleLang,
    languages: merged.languages ?? [],
    verbose: merged.verbose ?? false,
    sourceDateEpoch: readEpoch(env.SOURCE_DATE_EPOCH),
    proof,
  }
}

// --- internal ---

/** sheets.config.json and the flags checked and merged (flags win). */
async function checkSettings(flags: UserConfig, cwd: string, hasFile: boolean): Promise<{ merged: UserConfig; fileTheme: string | undefined }> {
  const [{ userConfigSchema }, located] = await Promise.all([import('./schema.ts'), import('../core/located-yaml.ts')])
  const fromFile = hasFile ? readConfigFile(cwd, userConfigSchema, located) : {}
  const checked = userConfigSchema.safeParse(flags, { reportInput: true })
  if (!checked.success) {
    const issue = checked.error.issues[0]
    throw new SheetError({
      code: 'UsageError',
      message: `--${flagName(located.fieldName(issue.path as (string | number)[]))}: ${issue.message} (got ${describeValue(issue.input)})`,
    })
  }
  return { merged: { ...fromFile, ...stripUndefined(checked.data) }, fileTheme: fromFile.theme }
}

function readConfigFile(cwd: string, schema: typeof userConfigSchema, located: typeof import('../core/located-yaml.ts')): UserConfig {
  const { parseLocatedYaml, issueErrors } = located
  const file = path.join(cwd, CONFIG_FILE)
  const options = { file: CONFIG_FILE, code: 'ConfigInvalid', subject: CONFIG_FILE, language: 'JSON', maxAliasCount: 10 } as const
  const { doc, lines, data, errors } = parseLocatedYaml(readFileSync(file, 'utf8'), options)
  if (errors.length > 0) throw errors[0]
  const parsed = schema.safeParse(data, { reportInput: true })
  if (parsed.success) return parsed.data
  const keys = () => ({ noun: 'a setting', known: Object.keys(schema.shape) })
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

/** True when the record belongs to this shard: a stable partition by the hash of its id (or file). */
export function inShard(config: Pick<ResolvedConfig, 'shard'>, key: string): boolean {
  if (!config.shard) return true
  return Number.parseInt(sha256(key).slice(0, 8), 16) % config.shard.count === config.shard.index - 1
}
