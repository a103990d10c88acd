/** Donor bundles after a build: the definitions from the command line or a bundle file, printed on one lazily started browser. */
import { loadBundleFile, parseWhere, writeBundle, type BundleDefinition, type BundleResult } from './bundle.ts'
import type { ResolvedConfig } from '../config/config.ts'
import { openPrinter, type Printer } from '../print/page-pool.ts'
import type { Reporter } from '../cli/report.ts'
import { browserSource } from '../print/print-sheet.ts'
import { loadTheme } from '../theme/theme.ts'
import { TOOL } from '../core/version.ts'
import type { Manifest } from '../output/write.ts'

/** The bundles a build is asked for: `--bundle NAME --where k=v`, and every bundle of `--bundles FILE`. */
export function bundleDefinitions(config: ResolvedConfig): BundleDefinition[] {
  const fromFlags = config.bundle ? [{ name: config.bundle, where: parseWhere(config.where) }] : []
  return [...fromFlags, ...(config.bundles ? loadBundleFile(config.bundles) : [])]
}

/** Writes each bundle from the sheets in the manifest; the browser starts only if a cover must be printed. */
export async function writeBundles(
  definitions: readonly BundleDefinition[],
  manifest: Manifest,
  config: ResolvedConfig,
  reporter?: Reporter,
): Promise<BundleResult[]> {
  const theme = loadTheme(config.templates, config.theme)
  let printer: Promise<Printer> | undefined
  const print = async (html: string) => {
    printer ??= browserSource(config, (line) => reporter?.info(line)).then((source) => openPrinter(source, 1))
    return (await printer).print(html, { timeoutMs: config.timeout })
  }
  const epoch = Number(process.env.SOURCE_DATE_EPOCH)
  const date = Number.isInteger(epoch) && epoch > 0 ? new Date(epoch * 1000) : new Date()
  try {
    const results: BundleResult[] = []
    for (const definition of definitions) results.push(await writeBundle({ outDir: config.out, manifest, definition, theme, print, date, creator: TOOL }))
    return results
  } finally {
    if (printer) await (await printer).close()
  }
}
