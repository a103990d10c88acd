/** The command line: argv → resolveConfig() → build()/check(); owns the exit codes (0 built, 1 a record failed, 2 usage). */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { resolveConfig, type UserConfig } from '../config/config.ts'
import { EXIT_FAILED, EXIT_OK, isSheetError, SheetError } from '../core/errors.ts'
import { build, check } from '../pipeline.ts'
import { createReporter } from './report.ts'
import { writeSkeleton } from './scaffold.ts'
import { outputPath } from '../output/write.ts'

const USAGE = `Usage:
  npm run build:sheets -- [options]    build out/<id>.pdf for every record in content/
  npm run check:sheets -- [options]    validate every record without rendering
  npm run new:sheet -- <id>            write content/<id>.md from a commented skeleton
  npm run preview:sheets -- [--port N] live preview of every sheet on http://127.0.0.1:4173

Options:
  --content DIR       records folder (default content)
  --out DIR           output folder (default out)
  --templates DIR     themes folder (default templates)
  --theme NAME        theme for records that name none (default mpf)
  --only ID[,ID]      build only these records
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
  --where KEY=VALUE   which sheets go in the bundle: fund=, country=, status=, programme= (repeatable)
  --bundles FILE      write every bundle a YAML/JSON file defines
  --port N            port of the preview server (preview only; default 4173)
  --verbose           show stack traces
  --help              show this help`

/** Runs the command line and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const reporter = createReporter({ verbose: argv.includes('--verbose') })
  try {
    const { command, flags, args, port } = parseCommandLine(argv)
    if (command === 'help') {
      process.stdout.write(`${USAGE}\n`)
      return EXIT_OK
    }
    const config = resolveConfig(flags)
    if (command === 'preview') {
      const { runPreview } = await import('../preview/server.ts')
      await runPreview(config, { port: port === undefined ? undefined : toNumber(port, 'port') })
      return EXIT_OK
    }
    if (command === 'new') {
      const file = await writeSkeleton(config.content, args[0] ?? '')
      reporter.info(`Wrote ${path.relative(config.cwd, file)}: fill it in, then run npm run check:sheets`)
      return EXIT_OK
    }
    if (command === 'check') {
      const started = performance.now()
      const result = await check(config)
      for (const failure of result.failures) for (const error of failure.errors) reporter.error(error)
      reporter.summary({
        built: 0,
        skipped: 0,
        failed: result.failures.map((f) => f.file),
        kept: [],
        seconds: (performance.now() - started) / 1000,
        checkOnly: true,
        checked: result.checked,
      })
      return result.failures.length > 0 ? EXIT_FAILED : EXIT_OK
    }
    const stop = stopOnSignals(reporter)
    try {
      const result = await build(config, reporter, stop.signal)
      for (const failure of result.failures) for (const error of failure.errors) reporter.error(error)
      for (const id of result.orphans) {
        const pdf = path.relative(config.cwd, outputPath(config.out, id, 'pdf'))
        reporter.info(result.removed.includes(id) ? `${pdf} removed: its record is gone.` : `${pdf} has no record any more; --clean removes it.`)
      }
      for (const bundle of result.bundles) {
        const file = path.relative(config.cwd, bundle.file)
        reporter.info(`${file}: ${bundle.sheets} sheet${bundle.sheets === 1 ? '' : 's'}, ${bundle.pages} pages${bundle.skipped ? ' (up to date)' : ''}`)
      }
      for (const id of result.kept) reporter.info(`${path.relative(config.cwd, outputPath(config.out, id, 'pdf'))} from the last build was kept (stale).`)
      reporter.summary({
        built: result.built.length,
        skipped: result.skipped.length,
        failed: result.failures.map((f) => f.file),
        kept: result.kept,
        seconds: result.seconds,
        interrupted: result.interrupted,
      })
      if (result.interrupted) return stop.exitCode()
      return result.failures.length > 0 ? EXIT_FAILED : EXIT_OK
    } finally {
      stop.dispose()
    }
  } catch (error) {
    reporter.error(error)
    if (isSheetError(error)) return error.exitCode
    return EXIT_FAILED
  }
}

// --- internal ---

const COMMANDS = ['build', 'check', 'new', 'preview', 'help'] as const
type Command = (typeof COMMANDS)[number]

/** First SIGINT/SIGTERM: stop taking sheets, close the browser, finish writing, exit 130/143. A second one exits at once. */
function stopOnSignals(reporter: ReturnType<typeof createReporter>) {
  const controller = new AbortController()
  let received: NodeJS.Signals | undefined
  let at = 0
  const onSignal = (signal: NodeJS.Signals) => {
    // Ctrl-C in a terminal reaches this process twice at once (from the terminal and relayed by npm/tsx): only a
    // second press, a moment later, quits without cleaning up.
    if (received && Date.now() - at < 1000) return
    if (received) process.exit(signal === 'SIGTERM' ? 143 : 130)
    received = signal
    at = Date.now()
    reporter.info(`${signal}: stopping the build (finished sheets are kept; press Ctrl-C again to quit at once)...`)
    controller.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    signal: controller.signal,
    exitCode: () => (received === 'SIGTERM' ? 143 : 130),
    dispose: () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    },
  }
}

function parseCommandLine(argv: string[]): { command: Command; flags: UserConfig; args: string[]; port?: string } {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
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
        browser: { type: 'string' },
        shard: { type: 'string' },
        'browser-ws-endpoint': { type: 'string' },
        clean: { type: 'boolean' },
        bundle: { type: 'string' },
        where: { type: 'string', multiple: true },
        bundles: { type: 'string' },
        port: { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (cause) {
    throw new SheetError({ code: 'UsageError', message: (cause as Error).message, hint: 'run with --help to see the options' })
  }
  const { values, positionals } = parsed
  const command = values.help ? 'help' : (positionals[0] ?? 'build')
  if (!COMMANDS.includes(command as Command)) {
    throw new SheetError({
      code: 'UsageError',
      message: `unknown command "${command}"`,
      hint: 'use build, check, new or preview (npm run build:sheets / check:sheets / new:sheet / preview:sheets)',
    })
  }
  const args = positionals.slice(1)
  if (command === 'new' && args.length !== 1)
    throw new SheetError({ code: 'UsageError', message: 'new needs exactly one record id', hint: 'npm run new:sheet -- jempas-iii' })
  if (command !== 'new' && args.length > 0)
    throw new SheetError({ code: 'UsageError', message: `unexpected argument "${args[0]}"`, hint: 'run with --help to see the options' })
  return {
    command: command as Command,
    args,
    port: values.port,
    flags: {
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
      browser: values.browser,
      shard: values.shard,
      browserWsEndpoint: values['browser-ws-endpoint'],
      clean: values.clean,
      bundle: values.bundle,
      where: values.where,
      bundles: values.bundles,
      verbose: values.verbose,
    },
  }
}

function toNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  if (value.trim() === '' || !Number.isFinite(number)) throw new SheetError({ code: 'UsageError', message: `--${flag} expects a number (got "${value}")` })
  return number
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('src/cli/cli.ts')) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
