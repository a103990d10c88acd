/**
 * npm run bench:languages -- [--n 30] [--concurrency C]
 *
 * What a sheet costs in each language the themes ship: N copies of JEMPAS II in English (the baseline, measured in the
 * same run), N in French and N in Arabic (the record with its translation's text, `lang: fr` / `lang: ar`), each set a
 * project of its own, built cold (--force) by the real command in each theme. Reported per sheet (start-up included)
 * and as a ratio to the English build of the same theme.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { ROOT } from './generate.ts'
import { waitForQuiet } from './machine.ts'
import { runMeasured } from './proc.ts'

const { values } = parseArgs({ options: { n: { type: 'string' }, concurrency: { type: 'string' } } })
const n = Number(values.n ?? 30)
const concurrency = values.concurrency ? Number(values.concurrency) : Math.max(1, Math.min(os.availableParallelism(), 16))
const BIN = path.join(ROOT, 'bin', 'factsheets.mjs')
const LANGUAGES = ['en', 'fr', 'ar'] as const

const temp = await mkdtemp(path.join(os.tmpdir(), 'factsheets-bench-languages-'))
try {
  const record = await readFile(path.join(ROOT, 'tests', 'fixtures', 'records', 'sample', 'jempas-ii.md'), 'utf8')
  const rows: string[] = []
  for (const theme of ['mpf', 'horizon']) {
    const seconds: Record<string, number> = {}
    for (const lang of LANGUAGES) {
      const dir = path.join(temp, `${theme}-${lang}`)
      await project(dir, record, lang)
      await waitForQuiet(0.5, 120)
      const run = await runMeasured(process.execPath, [BIN, 'build', '--force', '--theme', theme, '--out', 'out', '--concurrency', String(concurrency)], { cwd: dir })
      if (run.code !== 0) throw new Error(`${theme} ${lang}: exit ${run.code}: ${run.stderr.slice(-500)}`)
      seconds[lang] = run.seconds
      console.log(`${theme} ${lang}: ${run.seconds.toFixed(2)} s for ${n} sheets, peak PSS ${run.peakPssMiB.toFixed(0)} MiB, other load ${run.otherCores.toFixed(2)} cores`)
    }
    const perSheet = (lang: string) => seconds[lang] / n
    for (const lang of LANGUAGES) rows.push(`| ${theme} | ${lang} | ${(perSheet(lang) * 1000).toFixed(0)} ms | ${(perSheet(lang) / perSheet('en')).toFixed(2)}× |`)
  }
  console.log(`\nN = ${n} sheets per language, concurrency ${concurrency}\n\n| theme | language | per sheet | vs English |\n|---|---|---|---|\n${rows.join('\n')}`)
} finally {
  await rm(temp, { recursive: true, force: true })
}

/** A project of N records: copies of JEMPAS II, in French or Arabic with the text of its translation. */
async function project(dir: string, record: string, lang: string): Promise<void> {
  await mkdir(path.join(dir, 'content'), { recursive: true })
  await cp(path.join(ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true })
  const text = lang === 'en' ? record : inLanguage(record, await readFile(path.join(ROOT, 'tests', 'fixtures', 'records', 'languages', `jempas-ii.${lang}.md`), 'utf8'), lang)
  for (let i = 1; i <= n; i++) await writeFile(path.join(dir, 'content', `jempas-${String(i).padStart(4, '0')}.md`), text.replace(/^title: (.*)$/m, `title: $1 ${i}`))
}

/** The record with the translation's text fields and body, and its language. */
function inLanguage(record: string, translation: string, lang: string): string {
  const [, front, body] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(translation)!
  let text = record.replace(/\n---\n[\s\S]*$/, `\nlang: ${lang}\n---\n${body}`)
  for (const line of front.split('\n')) {
    const key = /^(title|subtitle|implementer|beneficiary): /.exec(line)?.[1]
    if (key) text = text.replace(new RegExp(`^${key}: .*$`, 'm'), () => line)
  }
  return text
}
