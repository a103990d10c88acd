/** Shards back together: the output folders of `--shard I/N` builds merged into one, as an unsharded build writes it. */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import type { ResolvedConfig } from '../config/config.ts'
import { SheetError } from '../core/errors.ts'
import { displayPath } from '../core/files.ts'
import { TOOL } from '../core/version.ts'
import { readManifest, type Manifest, type ManifestEntry } from './manifest.ts'
import { isIntact } from './no-op.ts'
import { outputPath, writeOutput } from './write.ts'

/** One shard's output folder, as shown to users, and its manifest. */
interface Shard {
  dir: string
  shown: string
  manifest: Manifest
}

/**
 * Reads every shard's manifest, checks that they belong together (this tool's version, one fingerprint per theme, one
 * default theme, no id twice: an error names both folders), copies their PDFs (and HTML) into config.out and returns
 * the merged manifest with the paths an unsharded build would have written. The caller holds the output folder's
 * lock and writes the manifest.
 */
export async function mergeShards(dirs: readonly string[], config: Pick<ResolvedConfig, 'out' | 'cwd'>): Promise<Manifest> {
  const shards = await Promise.all(dirs.map((dir) => readShard(dir, config.cwd)))
  const sheets = checkShards(shards)
  const merged: ManifestEntry[] = []
  for (const { shard, entry } of sheets) {
    if (!isIntact(shard.dir, entry.sheet)) {
      throw new SheetError({
        code: 'ShardMismatch',
        message: `${shard.shown} lists the sheet "${entry.id}" but its PDF is missing or cut short`,
        hint: 'build that shard again',
      })
    }
    const to = outputPath(config.out, entry.id, 'pdf')
    await copyInto(outputPath(shard.dir, entry.id, 'pdf'), to, config.cwd)
    if (entry.html) await copyInto(outputPath(shard.dir, entry.id, 'html'), outputPath(config.out, entry.id, 'html'), config.cwd)
    merged.push({ ...entry.sheet, pdf: displayPath(to, config.cwd) })
  }
  return { generator: TOOL, sheets: merged }
}

// --- internal ---

async function readShard(dir: string, cwd: string): Promise<Shard> {
  const shown = displayPath(dir, cwd)
  const manifest = await readManifest(dir)
  if (!manifest) {
    throw new SheetError({
      code: 'ShardMismatch',
      message: `${shown} holds no manifest.json this tool can read`,
      hint: 'pass the --out folders of finished `build:sheets -- --shard I/N` runs',
    })
  }
  return { dir, shown, manifest }
}

interface ShardSheet {
  shard: Shard
  entry: { id: string; sheet: ManifestEntry; html: boolean }
}

/** Every sheet of every shard, after checking that the shards belong together; an error names both folders. */
function checkShards(shards: readonly Shard[]): ShardSheet[] {
  const owners = new Map<string, { shard: Shard; value: string }>()
  const agree = (key: string, shard: Shard, value: string, what: (a: string, b: string) => string) => {
    const first = owners.get(key)
    if (!first) owners.set(key, { shard, value })
    else if (first.value !== value)
      throw new SheetError({ code: 'ShardMismatch', message: `${first.shard.shown} and ${shard.shown} ${what(first.value, value)}` })
  }
  const sheets: ShardSheet[] = []
  for (const shard of shards) {
    if (shard.manifest.generator !== TOOL) {
      throw new SheetError({ code: 'ShardMismatch', message: `${shard.shown} was built by ${shard.manifest.generator}, this is ${TOOL}` })
    }
    for (const sheet of shard.manifest.sheets) {
      agree(`id ${sheet.id}`, shard, shard.shown, () => `both hold the sheet "${sheet.id}"`)
      agree(`theme ${sheet.theme}`, shard, sheet.themeHash, () => `were built with different versions of the theme "${sheet.theme}"`)
      agree('default theme', shard, sheet.defaultTheme, (a, b) => `were built with different default themes ("${a}", "${b}")`)
      sheets.push({ shard, entry: { id: sheet.id, sheet, html: existsSync(outputPath(shard.dir, sheet.id, 'html')) } })
    }
  }
  return sheets
}

/** Copies a shard's file atomically (a file that cannot be written names itself, as in a build). */
async function copyInto(from: string, to: string, cwd: string): Promise<void> {
  await writeOutput(to, await readFile(from), cwd)
}
