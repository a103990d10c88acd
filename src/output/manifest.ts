/** out/manifest.json: what every build wrote, read back (checked with zod) by the next build, the catalogue and bundles. */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../core/files.ts'
import { STATUSES } from '../record/schema.ts'
import type { SheetFacts } from '../sheet/model.ts'

const totalSchema = z.object({ currency: z.string(), minor: z.string().regex(/^\d+$/), amount: z.string() })

/** A sheet's key facts as the manifest keeps them (the model's SheetFacts). */
export const factsSchema = z.object({
  title: z.string(),
  subtitle: z.string().nullable(),
  status: z.enum(STATUSES),
  statusLabel: z.string(),
  programme: z.string().nullable(),
  implementer: z.string(),
  beneficiary: z.string().nullable(),
  countries: z.array(z.string()),
  period: z.string(),
  start: z.string(),
  end: z.string().nullable(),
  funds: z.array(z.string()),
  totals: z.array(totalSchema),
  lines: z.array(z.object({ fund: z.string().nullable(), currency: z.string(), minor: z.string().regex(/^\d+$/) })),
  lang: z.string(),
}) satisfies z.ZodType<SheetFacts>

/** One built sheet as listed in out/manifest.json; paths are relative to the folder the build ran in. */
export const manifestEntrySchema = z.object({
  id: z.string(),
  /** The record file. */
  source: z.string(),
  /** The PDF. */
  pdf: z.string(),
  bytes: z.number().int().nonnegative(),
  pages: z.number().int().nonnegative(),
  sha256: z.string(),
  /** Hash of everything the sheet was built from, for incremental builds. */
  inputHash: z.string(),
  /** The sheet's key facts, for the catalogue, the CSV and bundles. */
  facts: factsSchema,
  /** What the next build checks to skip this record without reading it again: its text, its theme, the default theme. */
  sourceHash: z.string(),
  theme: z.string(),
  themeHash: z.string(),
  defaultTheme: z.string(),
  /** Whether the build fitted the sheet to its page budget (false after --no-fit), and how. */
  fitted: z.boolean(),
  fit: z.object({ step: z.number().int(), stepName: z.string(), prints: z.number().int(), balanced: z.boolean(), lastPage: z.number() }),
})

/** One built sheet as listed in out/manifest.json. */
export type ManifestEntry = z.infer<typeof manifestEntrySchema>

/** The manifest of an output folder. */
export const manifestSchema = z.object({ generator: z.string(), sheets: z.array(manifestEntrySchema) })

/** The manifest of an output folder. */
export type Manifest = z.infer<typeof manifestSchema>

/** Reads out/manifest.json; undefined when there is none or it is not one this tool wrote (then every sheet is built again). */
export async function readManifest(outDir: string): Promise<Manifest | undefined> {
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(await readFile(path.join(outDir, 'manifest.json'), 'utf8')))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/** Writes out/manifest.json atomically, sheets sorted by id; returns the bytes written. */
export async function writeManifest(outDir: string, manifest: Manifest): Promise<Buffer> {
  const bytes = manifestBytes(manifest)
  await writeFileAtomic(path.join(outDir, 'manifest.json'), bytes)
  return bytes
}

/**
 * The bytes of out/manifest.json: JSON.stringify(manifest, null, 2) with the sheets sorted by id, in UTF-8, each sheet's
 * part made once (see prepareManifestEntry()). At a thousand sheets, 2 MB: joined from parts in 3-4 ms, against 25-40 ms to
 * write the whole again as text and encode it, twice (the file, its hash), after the last sheet.
 */
export function manifestBytes(manifest: Manifest): Buffer {
  const sheets = [...manifest.sheets].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const empty = JSON.stringify({ ...manifest, sheets: [] }, null, 2)
  const at = empty.lastIndexOf('"sheets": []')
  const parts: Buffer[] = [Buffer.from(`${empty.slice(0, at)}"sheets": ${sheets.length === 0 ? '[]' : '[\n    '}`)]
  sheets.forEach((sheet, i) => parts.push(...(i > 0 ? [BETWEEN] : []), entryBytes(sheet)))
  parts.push(Buffer.from(`${sheets.length === 0 ? '' : '\n  ]'}${empty.slice(at + '"sheets": []'.length)}\n`))
  return Buffer.concat(parts)
}

/**
 * Takes each sheet's part of a manifest from the bytes it was read from, when they are the last build's own (see
 * readOwnManifest()), so that the sheets kept are not written out again (a thousand: 40 ms). Entries sit at an indent of
 * four, so "\n    },\n    {" only ever falls between two; nothing is taken unless they split into one part per sheet.
 */
export function adoptManifestBytes(manifest: Manifest, bytes: Buffer): void {
  const start = bytes.indexOf(OPENING)
  const end = bytes.lastIndexOf('\n  ]')
  if (start < 0 || end < start) return
  const parts: Buffer[] = []
  let from = start + OPENING.length
  for (let at = bytes.indexOf(BOUNDARY, from); at >= 0 && at < end; at = bytes.indexOf(BOUNDARY, from)) {
    parts.push(bytes.subarray(from, at + '\n    }'.length))
    from = at + BOUNDARY.length - 1
  }
  parts.push(bytes.subarray(from, end))
  const { sheets } = manifest
  const opens = (part: Buffer, id: string) => {
    const head = Buffer.from(`{\n      "id": ${JSON.stringify(id)},`)
    return part.subarray(0, head.length).equals(head)
  }
  if (parts.length !== sheets.length || sheets.some((sheet, i) => !opens(parts[i]!, sheet.id))) return
  sheets.forEach((sheet, i) => entryParts.set(sheet, parts[i]!))
}

/** Makes a sheet's part of the manifest ahead (see prepareIndexes()). */
export function prepareManifestEntry(sheet: ManifestEntry): void {
  entryBytes(sheet)
}

// --- internal ---

/** Each sheet's part of the manifest, indented as the manifest holds it (entries are not changed once made). */
const entryParts = new WeakMap<ManifestEntry, Buffer>()
const BETWEEN = Buffer.from(',\n    ')
const BOUNDARY = Buffer.from('\n    },\n    {')
const OPENING = Buffer.from('"sheets": [\n    ')

function entryBytes(entry: ManifestEntry): Buffer {
  let bytes = entryParts.get(entry)
  if (bytes === undefined) {
    // JSON has no raw line breaks inside strings: every one is between values, and takes the list's indent.
    bytes = Buffer.from(JSON.stringify(entry, null, 2).replace(/\n/g, '\n    '))
    entryParts.set(entry, bytes)
  }
  return bytes
}
