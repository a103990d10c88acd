/** The settings a user writes (flags, sheets.config.json) as a zod schema: loaded only when there is something to check. */
import { z } from 'zod'
import { ID_PATTERN } from '../core/files.ts'

/** A BCP 47 language tag as written in settings (en, fr, pt-BR); whether Intl knows it is checked where it is used. */
const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$/

/** What a user may set, in sheets.config.json or as flags. */
export const userConfigSchema = z.strictObject({
  /** Folder of records (*.md). Default: content */
  content: z.string().min(1).optional(),
  /** Folder the PDFs and manifest go to. Default: out */
  out: z.string().min(1).optional(),
  /** Folder of themes (<name>/theme.json). Default: templates */
  templates: z.string().min(1).optional(),
  /** Theme for records that name none. Default: mpf */
  theme: z.string().regex(ID_PATTERN, { error: 'expected a theme folder name' }).optional(),
  /** Build only these record ids. Default: all */
  only: z.array(z.string().regex(ID_PATTERN, { error: 'expected record ids' })).optional(),
  /** Sheets printed at once. Default: the number of CPU cores */
  concurrency: z.number().int().min(1).max(64).optional(),
  /** Also write out/<id>.html. Default: false */
  html: z.boolean().optional(),
  /** Rebuild sheets whose inputs did not change. Default: false */
  force: z.boolean().optional(),
  /** Milliseconds one sheet may take to print. Default: 30000 */
  timeout: z.number().int().min(1000).max(600_000).optional(),
  /** A sheet longer than this many pages fails. Default: 20 */
  maxPages: z.number().int().min(1).max(500).optional(),
  /** Step down the theme's fit ladder when a sheet overflows its preferred page count. Default: true (--no-fit: step 0 only) */
  fit: z.boolean().optional(),
  /** strict: findings a donor would see (over the page budget) fail the record; warn: they are warnings. Default: strict */
  preflight: z.enum(['strict', 'warn'], { error: 'expected strict or warn' }).optional(),
  /** Path of the Chrome/Chromium executable. Default: found automatically */
  browser: z.string().min(1).optional(),
  /** Build only shard I of N ("2/4"): a stable partition of the records by id, for parallel CI jobs. Default: all */
  shard: z
    .string()
    .regex(/^\d+\/\d+$/, { error: 'expected I/N, such as 2/4' })
    .refine(
      (value) => {
        const [index, count] = value.split('/').map(Number)
        return count >= 1 && index >= 1 && index <= count
      },
      { error: 'expected I/N with 1 <= I <= N, such as 2/4' },
    )
    .optional(),
  /** Print on a running browser at this WebSocket URL instead of launching one. Default: launch a local browser */
  browserWsEndpoint: z
    .string()
    .regex(/^wss?:\/\//, { error: 'expected a ws:// or wss:// URL' })
    .optional(),
  /** Remove the PDFs of records that no longer exist. Default: false (they are only reported) */
  clean: z.boolean().optional(),
  /** Also write out/bundles/<name>.pdf: a donor bundle of the sheets that match `where`. Default: none */
  bundle: z.string().regex(ID_PATTERN, { error: 'expected a bundle name: lowercase letters, digits and hyphens' }).optional(),
  /** Filters for --bundle, such as ["fund=AMIF", "country=Jordan"]. Default: every sheet */
  where: z.array(z.string()).optional(),
  /** The language of --bundle's cover and contents, such as fr. Default: the language its sheets share, else en */
  bundleLang: z.string().regex(LANGUAGE_TAG, { error: 'expected a language tag such as en, fr or ar' }).optional(),
  /** The languages every record should have a sheet in (check:sheets lists the translations missing), such as ["en", "fr", "ar"]. Default: none */
  languages: z.array(z.string().regex(LANGUAGE_TAG, { error: 'expected language tags such as en, fr or ar' })).max(50).optional(),
  /** A YAML or JSON file of named bundles to write after the sheets. Default: none */
  bundles: z.string().min(1).optional(),
  /** Show stack traces. Default: false */
  verbose: z.boolean().optional(),
})

/** What a user may set. */
