/** The command line: argv → resolveConfig() → build()/check()/preview; the only place that exits (0 built, 1 a record failed, 2 usage). */
import path from 'node:path'
import { resolveConfig, type ResolvedConfig } from '../config/config.ts'
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, isSheetError } from '../core/errors.ts'
import { displayPath } from '../core/files.ts'
import { outputPath } from '../output/write.ts'
import { build, check, merge, upToDate, type AfterUpToDate, type BuildResult } from '../pipeline.ts'
import { spawnFound } from '../print/launch.ts'
import { parseCommandLine, toNumber, USAGE } from './args.ts'
import { createReporter, type CliReporter } from './report.ts'
import { writeSkeleton } from './scaffold.ts'
import { stopOnSignals } from './signals.ts'

/**
 * The exit code of a build with nothing to do, reported as main() reports it; undefined, with nothing printed, for any
 * other command line (bin/factsheets.mjs then hands it to main() of the compiled command, telling it so, with what
 * the test read and the browser it started in `handoff`).
 */
export async function mainIfUpToDate(argv: string[], handoff: AfterUpToDate = {}): Promise<number | undefined> {
  const reporter = createReporter({ verbose: argv.includes('--verbose') })
  try {
    const { command, flags } = parseCommandLine(argv)
    if (command !== 'build') return undefined
    const config = await resolveConfig(flags)
    reporter.cwd = config.cwd
    const result = await upToDate(config, (handoff.readings ??= {}))
    if (result) {
      report(result, config, reporter)
      return EXIT_OK
    }
    // Something is to be printed: the browser starts now, and boots while the command loads and reads the records.
    if (!config.browserWsEndpoint) handoff.browser = await spawnFound(config.browser)
    return undefined
  } catch {
    return undefined // reported by main()
  }
}

/** Runs the command line and returns the exit code; `options`: what mainIfUpToDate() just found, for a build. */
export async function main(argv: string[], options: AfterUpToDate = {}): Promise<number> {
  const reporter = createReporter({ verbose: argv.includes('--verbose') })
  try {
    const { command, flags, args, port, from, contrast, translate } = parseCommandLine(argv)
    if (command === 'help') {
      reporter.out(USAGE)
      return EXIT_OK
    }
    const config = await resolveConfig(flags)
    reporter.cwd = config.cwd
    if (command === 'preview') {
      const { runPreview } = await import('./preview-command.ts')
      await runPreview(config, { port: toNumber(port, 'port') })
      return EXIT_OK
    }
    if (command === 'new') {
      const translation = translate !== undefined && (await import('./translate.ts')).writeTranslation(config.content, args[0] ?? '', translate, config.cwd)
      const file = await (translation || writeSkeleton(config.content, args[0] ?? '', config.cwd))
      reporter.info(`Wrote ${displayPath(file, config.cwd)}: ${translation ? 'translate it' : 'fill it in'}, then run npm run check:sheets`)
      return EXIT_OK
    }
    if (command === 'new-theme') {
      const { writeTheme } = await import('./new-theme.ts')
      const dir = displayPath(await writeTheme(config.templates, args[0] ?? '', from ?? config.theme, config.cwd), config.cwd)
      reporter.info(`Wrote ${dir}/: theme.json (the tokens to change) and README.md. Next: npm run preview:sheets -- --theme ${args[0]}`)
      return EXIT_OK
    }
    if (command === 'merge') return await runMerge(config, args, reporter)
    return command === 'check' ? await runCheck(config, reporter, Boolean(contrast)) : await runBuild(config, reporter, options)
  } catch (error) {
    reporter.error(error)
    return isSheetError(error) ? error.exitCode : EXIT_FAILED
  }
}

// --- internal ---

async function runCheck(config: ResolvedConfig, reporter: CliReporter, contrast: boolean): Promise<number> {
  const started = performance.now()
  const result = await check(config, { contrast })
  for (const warning of result.warnings) reporter.warn(warning.file, warning.message)
  for (const error of result.themeErrors) reporter.error(error)
  for (const warning of result.painted.warnings) reporter.warn(`${warning.loc?.file}:${warning.loc?.line}`, warning.message)
  for (const error of result.painted.errors) reporter.error(error)
  for (const failure of result.failures) for (const error of failure.errors) reporter.error(error)
  const failed = result.failures.map((f) => f.file)
  reporter.summary({ built: 0, skipped: 0, failed, kept: [], seconds: (performance.now() - started) / 1000, checkOnly: true, checked: result.checked })
  if (contrast) reporter.info(`Contrast of what the themes paint: ${result.painted.errors.length} text element(s) below WCAG AA, ${result.painted.warnings.length} large.`)
  if (result.painted.errors.length > 0) return EXIT_USAGE
  if (result.themeErrors.length > 0) {
    reporter.info(`The templates have ${result.themeErrors.length} error${result.themeErrors.length === 1 ? '' : 's'}: no sheet can be printed until they are fixed.`)
    return EXIT_USAGE
  }
  return failed.length > 0 ? EXIT_FAILED : EXIT_OK
}

async function runBuild(config: ResolvedConfig, reporter: CliReporter, options: AfterUpToDate): Promise<number> {
  const stop = stopOnSignals(reporter)
  if (config.proof) {
    const official = displayPath(path.dirname(path.dirname(config.out)), config.cwd)
    reporter.info(`Proof of theme ${config.proof}: writing to ${displayPath(config.out, config.cwd)}/ (the official sheets in ${official}/ are not touched; --out DIR to choose)`)
  }
  try {
    const result = await build(config, reporter, stop.signal, options)
    for (const error of result.themeErrors) reporter.error(error)
    report(result, config, reporter)
    if (result.themeErrors.length > 0) {
      const printed = result.built.length
      reporter.info(
        printed === 0
          ? 'Nothing was printed: fix the template, then build again (the sheets in the output folder are untouched).'
          : `The build stopped at the first record the template failed on (${printed} sheet${printed === 1 ? '' : 's'} printed before it are whole): fix the template, then build again.`,
      )
      return EXIT_USAGE
    }
    if (result.interrupted) return stop.exitCode()
    if (result.outputError !== undefined) {
      reporter.error(result.outputError)
      return EXIT_FAILED
    }
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

async function runMerge(config: ResolvedConfig, dirs: string[], reporter: CliReporter): Promise<number> {
  const result = await merge(config, dirs.map((dir) => path.resolve(config.cwd, dir)))
  for (const bundle of result.bundles) reporter.info(`${displayPath(bundle.file, config.cwd)}: ${bundle.sheets} sheets, ${bundle.pages} pages`)
  reporter.out(`Merged ${result.sheets} sheets from ${dirs.length} folders into ${displayPath(config.out, config.cwd)}.`)
  if (result.bundleError === undefined) return EXIT_OK
  reporter.error(result.bundleError)
  return isSheetError(result.bundleError) ? result.bundleError.exitCode : EXIT_FAILED
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
  if (result.catalogueKept) reporter.info(`${displayPath(path.join(config.out, 'index.html'), config.cwd)} and sheets.csv from the last build were kept: no sheet could be listed.`)
  const failed = result.failures.map((f) => f.file)
  reporter.summary({ built: result.built.length, skipped: result.skipped.length, failed, kept: result.kept, seconds: result.seconds, interrupted: result.interrupted })
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith(path.join('src', 'cli', 'cli.ts'))) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
