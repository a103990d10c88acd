/** The command line's words → a command, its arguments and the flags as a UserConfig; every mistake a UsageError. */
import { parseArgs } from 'node:util'
import type { UserConfig } from '../config/config.ts'
import { closest, SheetError } from '../core/errors.ts'

/** The text of --help. */
export const USAGE = `Usage:
  npm run build:sheets -- [options]    build out/<id>.pdf for every record in content/
  npm run check:sheets -- [options]    validate every record without rendering
  npm run new:sheet -- <id>            write content/<id>.md from a commented skeleton
  npm run new:sheet -- <id> --translate fr   write content/<id>.fr.md: the record's text to translate
  npm run new:theme -- <name> [--from mpf]   write templates/<name>/ extending a theme, with its tokens to change
  npm run preview:sheets -- [--port N] live preview of every sheet on http://127.0.0.1:4173
  npm run merge:sheets -- DIR... --out DIR   merge the output folders of --shard builds into one
  (or, without npm: factsheets build|check|new|new-theme|preview|merge ...)

Options:
  --content DIR       records folder (default content)
  --out DIR           output folder (default out)
  --templates DIR     themes folder (default templates)
  --theme NAME        theme for records that name none (default mpf)
  --only ID[,ID]      build only these records (and their translations)
  --concurrency N     sheets printed at once (default: CPU cores)
  --html              also write out/<id>.html
  --force             rebuild sheets that are up to date
  --timeout SECONDS   time one sheet may take (default 30)
  --max-pages N       fail sheets longer than this (default 20)
  --browser PATH      Chrome/Chromium executable (default: found automatically)
  --browser-ws-endpoint URL   print on a running browser (remote pool) instead
  --shard I/N         build only shard I of N (stable partition by id)
  --clean             remove PDFs whose record no longer exists
  --bundle NAME       also write out/bundles/NAME.pdf: cover, contents and the matching sheets
  --where KEY=VALUE   which sheets go in the bundle: fund=, country=, status=, programme=, lang= (repeatable)
  --bundle-lang LANG  the language of the bundle's cover and contents (default: its sheets' language, else en)
  --bundles FILE      write every bundle a YAML/JSON file defines
  --port N            port of the preview server (preview only; default 4173)
  --contrast          check only: render a sample sheet of each theme and measure every text's contrast
  --from NAME         new:theme only: the theme to extend (default: the project's theme)
  --translate LANG    new:sheet only: write a translation of the record <id> into LANG
  --verbose           show stack traces
  --help              show this help`

/** The commands, as the first word: build (default), check, new, new-theme, preview, merge, help. */
export const COMMANDS = ['build', 'check', 'new', 'new-theme', 'preview', 'merge', 'help'] as const

/** One of COMMANDS. */
export type Command = (typeof COMMANDS)[number]

/** A command line read. */
export interface CommandLine {
  command: Command
  flags: UserConfig
  args: string[]
  port?: string
  /** new-theme: the theme to extend (--from). */
  from?: string
  /** check: also measure what each theme paints (--contrast). */
  contrast?: boolean
  /** new: write a translation into this language (--translate). */
  translate?: string
}

/** Reads argv (without node and the script); throws UsageError for an unknown option, command or stray argument. */
export function parseCommandLine(argv: string[]): CommandLine {
  const { values, positionals } = readArgs(argv)
  const command = values.help ? 'help' : (positionals[0] ?? 'build')
  if (!COMMANDS.includes(command as Command)) {
    throw new SheetError({
      code: 'UsageError',
      message: `unknown command "${command}"`,
      hint: 'use build, check, new, preview or merge (npm run build:sheets / check:sheets / new:sheet / preview:sheets / merge:sheets)',
    })
  }
  const args = positionals.slice(1)
  if (command === 'new' && args.length !== 1)
    throw new SheetError({ code: 'UsageError', message: 'new needs exactly one record id', hint: 'npm run new:sheet -- jempas-iii' })
  if (command === 'new-theme' && args.length !== 1)
    throw new SheetError({ code: 'UsageError', message: 'new:theme needs exactly one theme name', hint: 'npm run new:theme -- danube --from mpf' })
  if (command === 'merge' && args.length === 0)
    throw new SheetError({ code: 'UsageError', message: 'merge needs the shard folders to merge', hint: 'npm run merge:sheets -- shard-1 shard-2 shard-3 --out out' })
  if (!['new', 'new-theme', 'merge'].includes(command) && args.length > 0) throw new SheetError({ code: 'UsageError', message: `unexpected argument "${args[0]}"` })
  return { command: command as Command, args, port: values.port, from: values.from, contrast: values.contrast, translate: values.translate, flags: toFlags(values) }
}

/** A number given to a flag; undefined when the flag is absent. */
export function toNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  if (value.trim() === '' || !Number.isFinite(number)) throw new SheetError({ code: 'UsageError', message: `--${flag} expects a number (got "${value}")` })
  return number
}

// --- internal ---

const OPTIONS = {
  content: { type: 'string' },
  out: { type: 'string' },
  templates: { type: 'string' },
  theme: { type: 'string' },
  only: { type: 'string' },
  concurrency: { type: 'string' },
  html: { type: 'boolean' },
  force: { type: 'boolean' },
  timeout: { type: 'string' },
  'max-pages': { type: 'string' },
  'no-fit': { type: 'boolean' },
  preflight: { type: 'string' },
  browser: { type: 'string' },
  shard: { type: 'string' },
  'browser-ws-endpoint': { type: 'string' },
  clean: { type: 'boolean' },
  bundle: { type: 'string' },
  where: { type: 'string', multiple: true },
  bundles: { type: 'string' },
  'bundle-lang': { type: 'string' },
  translate: { type: 'string' },
  port: { type: 'string' },
  from: { type: 'string' },
  contrast: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

type Values = ReturnType<typeof readArgs>['values']

function readArgs(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS })
  } catch (cause) {
    throw unknownOption(cause)
  }
}

/** Node's "Unknown option '--thme'. To specify a positional…" as one sentence with the closest option. */
function unknownOption(cause: unknown): SheetError {
  const raw = String((cause as Error).message)
  const option = /Unknown option '(--?[^']+)'/.exec(raw)?.[1]
  if (!option) return new SheetError({ code: 'UsageError', message: raw.split('\n')[0] })
  const guess = closest(option.replace(/^-+/, ''), Object.keys(OPTIONS))
  return new SheetError({ code: 'UsageError', message: `unknown option ${option}`, hint: guess ? `did you mean --${guess}?` : undefined })
}

function toFlags(values: Values): UserConfig {
  return {
    content: values.content,
    out: values.out,
    templates: values.templates,
    theme: values.theme,
    only: values.only
      ?.split(',')
      .map((id) => id.trim())
      .filter(Boolean),
    concurrency: toNumber(values.concurrency, 'concurrency'),
    html: values.html,
    force: values.force,
    timeout: values.timeout === undefined ? undefined : Math.round((toNumber(values.timeout, 'timeout') ?? 0) * 1000),
    maxPages: toNumber(values['max-pages'], 'max-pages'),
    fit: values['no-fit'] ? false : undefined,
    preflight: values.preflight as UserConfig['preflight'],
    browser: values.browser,
    shard: values.shard,
    browserWsEndpoint: values['browser-ws-endpoint'],
    clean: values.clean,
    bundle: values.bundle,
    where: values.where,
    bundles: values.bundles,
    bundleLang: values['bundle-lang'],
    verbose: values.verbose,
  }
}
