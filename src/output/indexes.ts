/** The output folder's indexes after a build or a merge: manifest, catalogue, CSV and theme stamps, written safely. */
import type { ResolvedConfig } from '../config/config.ts'
import { clearJournal } from './journal.ts'
import type { Manifest, ManifestEntry } from './manifest.ts'
import { writeStamps, type Stamps } from './no-op.ts'
import { writeFailure } from './write.ts'

/**
 * Renders ahead what the indexes will hold of these sheets, while the browser prints the others (for a thousand
 * sheets, about a tenth of a second of work). A millisecond at a time: the browser, which needs the command's answers
 * to go on with the page, waits no longer than that.
 */
export async function prepareIndexes(sheets: readonly ManifestEntry[]): Promise<void> {
  if (sheets.length === 0) return
  const [{ prepareManifestEntry }, { prepareCatalogueRows }] = await Promise.all([import('./manifest.ts'), import('./catalogue.ts')])
  const rows = prepareCatalogueRows(sheets)
  let since = performance.now()
  for (const sheet of sheets) {
    prepareManifestEntry(sheet)
    rows(sheet)
    if (performance.now() - since < 1) continue
    await new Promise((resolve) => setImmediate(resolve))
    since = performance.now()
  }
}

/**
 * The manifest, then the catalogue and the theme stamps; the journal goes once the manifest holds it all. A write that
 * fails (a full disk) is returned, not thrown: the files it would have replaced stay whole, and so does the journal.
 * `stamps`: the stamps the build read at its start (out/ is locked: still those on disk), so as not to read them again.
 */
export async function writeIndexes(
  config: Pick<ResolvedConfig, 'out' | 'cwd' | 'sourceDateEpoch' | 'templates'>,
  manifest: Manifest,
  options: { keepListed?: boolean; stamps?: Stamps } = {},
) {
  const [{ writeManifest }, { writeCatalogue }] = await Promise.all([import('./manifest.ts'), import('./catalogue.ts')])
  try {
    const written = await writeManifest(config.out, manifest)
    await clearJournal(config.out)
    // Under SOURCE_DATE_EPOCH the catalogue's date is that one too: a build, or shards merged, give the same bytes.
    const date = config.sourceDateEpoch === undefined ? new Date() : new Date(config.sourceDateEpoch * 1000)
    const [listed] = await Promise.all([writeCatalogue(config.out, manifest, date, options), writeStamps(config, manifest, written, options.stamps)])
    return { catalogueKept: !listed, outputError: undefined }
  } catch (cause) {
    return { catalogueKept: false, outputError: writeFailure(cause, config.cwd) }
  }
}
