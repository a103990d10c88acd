/** Donor bundles after a build: the definitions from the command line or a bundle file, printed on one lazily started browser. */
import { writeBundle, type BundleResult } from './bundle.ts'
import { loadBundleFile } from './file.ts'
import { parseWhere, type BundleDefinition } from './where.ts'
import type { ResolvedConfig } from '../config/config.ts'
import { TOOL } from '../core/version.ts'
import { openPrinter, type Printer } from '../print/page-pool.ts'
import { browserSource } from '../print/browser.ts'
import type { Theme } from '../theme/theme.ts'
import type { Manifest } from '../output/manifest.ts'

/** The bundles a build is asked for: `--bundle NAME --where k=v`, and every bundle of `--bundles FILE`. */
export function bundleDefinitions(config: ResolvedConfig): BundleDefinition[] {
  const fromFlags = config.bundle ? [{ name: config.bundle, where: parseWhere(config.where), ...(config.bundleLang ? { lang: config.bundleLang } : {}) }] : []
  return [...fromFlags, ...(config.bundles ? loadBundleFile(config.bundles, config.cwd) : [])]
}

/**
 * Writes each bundle from the sheets in the manifest in the build's default theme (as the build loaded it), dated
 * SOURCE_DATE_EPOCH (config.sourceDateEpoch) or now; the browser starts only if a cover must be printed. Sheets in
 * `stale` (their record failed in this build) are bundled from their last PDF, and each bundle says so in its warnings.
 */
export async function writeBundles(
  definitions: readonly BundleDefinition[],
  manifest: Manifest,
  theme: Theme,
  config: ResolvedConfig,
  stale: readonly string[] = [],
): Promise<BundleResult[]> {
  let printer: Promise<Printer> | undefined
  const print = async (html: string) => {
    printer ??= browserSource(config).then((source) => openPrinter(source, 1))
    return (await printer).print(html, { timeoutMs: config.timeout, served: theme.served })
  }
  const date = config.sourceDateEpoch === undefined ? new Date() : new Date(config.sourceDateEpoch * 1000)
  try {
    const results: BundleResult[] = []
    for (const definition of definitions) results.push(await writeBundle({ outDir: config.out, manifest, definition, theme, print, date, creator: TOOL, stale }))
    return results
  } finally {
    if (printer) await (await printer).close()
  }
}
