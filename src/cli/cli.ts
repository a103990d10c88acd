/** The command line: argv → resolveConfig() → build()/check()/preview; the only place that exits (0 built, 1 a record failed, 2 usage). */
import path from 'node:path'
import { resolveConfig, type ResolvedConfig } from '../config/config.ts'
import { EXIT_FAILED, EXIT_OK, isSheetError } from '../core/errors.ts'
import { displayPath } from '../core/files.ts'
import { outputPath } from '../output/write.ts'
import { build, check, type BuildResult } from '../pipeline.ts'
import { parseCommandLine, toNumber, USAGE } from './args.ts'
import { createReporter, type CliReporter } from './report.ts'
import { writeSkeleton } from './scaffold.ts'
import { stopOnSignals } from './signals.ts'

/** Runs the command line and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const reporter = createReporter({ verbose: argv.includes('--verbose') })
  try {
    const { command, flags, args, port } = parseCommandLine(argv)
    if (command === 'help') {
      reporter.out(USAGE)
      return EXIT_OK
    }
    const config = resolveConfig(flags)
    reporter.cwd = config.cwd
    if (command === 'preview') {
      const { runPreview } = await import('./preview-command.ts')
      await runPreview(config, { port: toNumber(port, 'port') })
      return EXIT_OK
    }
    if (command === 'new') {
      const file = await writeSkeleton(config.content, args[0] ?? '', config.cwd)
      reporter.info(`Wrote ${displayPath(file, config.cwd)}: fill it in, then run npm run check:sheets`)
      return EXIT_OK
    }
    return command === 'check' ? await runCheck(config, reporter) : await runBuild(config, reporter)
  } catch (error) {
    reporter.error(error)
    return isSheetError(error) ? error.exitCode : EXIT_FAILED
  }
}

// --- internal ---

async function runCheck(config: ResolvedConfig, reporter: CliReporter): Promise<number> {
  const started = performance.now()
  const result = await check(config)
  for (const failure of result.failures) for (const error of failure.errors) reporter.error(error)
  const failed = result.failures.map((f) => f.file)
  reporter.summary({ built: 0, skipped: 0, failed, kept: [], seconds: (performance.now() - started) / 1000, checkOnly: true, checked: result.checked })
  return failed.length > 0 ? EXIT_FAILED : EXIT_OK
}

async function runBuild(config: ResolvedConfig, reporter: CliReporter): Promise<number> {
  const stop = stopOnSignals(reporter)
  try {
    const result = await build(config, reporter, stop.signal)
    report(result, config, reporter)
    if (result.interrupted) return stop.exitCode()
    // A bundle that cannot be written is reported after the build's own report, with its own exit code.
    if (result.bundleError !== undefined) {
      reporter.error(result.bundleError)
      return isSheetError(result.bundleError) ? Math.max(result.bundleError.exitCode, result.failures.length > 0 ? EXIT_FAILED : EXIT_OK) : EXIT_FAILED
    }
    return result.failures.length > 0 ? EXIT_FAILED : EXIT_OK
  } finally {
    stop.dispose()
  }
}

/** Every failure with its error blocks, orphans, bundles and kept PDFs, then the summary line. */
function report(result: BuildResult, config: ResolvedConfig, reporter: CliReporter): void {
  const pdf = (id: string) => displayPath(outputPath(config.out, id, 'pdf'), config.cwd)
  for (const failure of result.failures) for (const error of failure.errors) reporter.error(error)
  for (const id of result.orphans) reporter.info(result.removed.includes(id) ? `${pdf(id)} removed: its record is gone.` : `${pdf(id)} has no record any more; --clean removes it.`)
  for (const bundle of result.bundles) {
    const sheets = `${bundle.sheets} sheet${bundle.sheets === 1 ? '' : 's'}`
    reporter.info(`${displayPath(bundle.file, config.cwd)}: ${sheets}, ${bundle.pages} pages${bundle.skipped ? ' (up to date)' : ''}`)
    for (const warning of bundle.warnings) reporter.warn(displayPath(bundle.file, config.cwd), warning)
  }
  for (const id of result.kept) reporter.info(`${pdf(id)} from the last build was kept (stale).`)
  const failed = result.failures.map((f) => f.file)
  reporter.summary({ built: result.built.length, skipped: result.skipped.length, failed, kept: result.kept, seconds: result.seconds, interrupted: result.interrupted })
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith(path.join('src', 'cli', 'cli.ts'))) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
