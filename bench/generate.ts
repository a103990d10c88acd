/**
 * Deterministic bench records: record i depends only on (seed, i), never on N or Math.random, so N=100 is the first
 * hundred of N=1000. A project folder is content/ (the records) and a copy of the repository's templates/.
 *
 *   npx tsx bench/generate.ts DIR [N]     writes DIR/content/*.md and DIR/templates/
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { activityTitle, BENEFICIARIES, bulletList, COUNTRIES, FUNDS, IMPLEMENTERS, paragraph, rng, titles, type Rng } from './text.ts'

export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
export const DEFAULT_SEED = 20240229

/** One generated record: its file name (= id) and its Markdown. */
export interface GeneratedRecord {
  id: string
  markdown: string
}

/** Record number i (0-based) of the bench set. */
export function generateRecord(i: number, seed = DEFAULT_SEED): GeneratedRecord {
  const rand = rng((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0)
  const { title, subtitle } = titles(rand)
  const status = rand.pick(['ongoing', 'ongoing', 'completed', 'completed', 'planned'] as const)
  const id = `p${String(i + 1).padStart(4, '0')}-${slug(title)}`
  const lines = ['---', `title: ${yamlText(title)}`]
  if (subtitle) lines.push(`subtitle: ${yamlText(subtitle)}`)
  lines.push(`status: ${status}`, 'programme: mpf', `implementer: ${yamlText(rand.pick(IMPLEMENTERS))}`)
  if (rand.chance(0.7)) lines.push(`beneficiary: ${yamlText(rand.pick(BENEFICIARIES))}`)
  lines.push(...countries(rand), ...period(rand, status), ...budget(rand), '---', '', ...body(rand), '')
  return { id, markdown: lines.join('\n') }
}

/** Writes DIR/content/<id>.md for records 0..n-1 and copies the repository's templates/ to DIR/templates/. */
export async function generateProject(dir: string, n: number, seed = DEFAULT_SEED): Promise<string[]> {
  await mkdir(path.join(dir, 'content'), { recursive: true })
  await cp(path.join(ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true })
  const files: string[] = []
  for (let i = 0; i < n; i++) {
    const record = generateRecord(i, seed)
    const file = path.join(dir, 'content', `${record.id}.md`)
    await writeFile(file, record.markdown)
    files.push(file)
  }
  return files
}

/** Replaces a record's title line (an edit a programme officer would make); returns the new title. */
export async function retitle(file: string, suffix: string): Promise<string> {
  const text = await readFile(file, 'utf8')
  const match = /^title: (.*)$/m.exec(text)
  if (!match) throw new Error(`${file} has no title line`)
  const old = match[1].startsWith('"') ? (JSON.parse(match[1]) as string) : match[1]
  const title = `${old.replace(/ \(rev\. [^)]*\)$/, '')} (rev. ${suffix})`.slice(0, 200)
  await writeFile(file, text.replace(match[0], `title: ${yamlText(title)}`))
  return title
}

// --- internal ---

function countries(rand: Rng): string[] {
  // 1-12 countries, most projects few; non-ASCII names (Côte d’Ivoire, Türkiye, São Tomé and Príncipe) come up often.
  const count = rand.chance(0.2) ? rand.int(7, 12) : rand.int(1, 6)
  const names = rand.sample(COUNTRIES, count)
  if (rand.chance(0.5)) return [`countries: [${names.map(yamlFlowText).join(', ')}]`]
  return ['countries:', ...names.map((name) => `  - ${yamlText(name)}`)]
}

function period(rand: Rng, status: 'planned' | 'ongoing' | 'completed'): string[] {
  const date = (year: number, month: number) => {
    const y = year + Math.floor((month - 1) / 12)
    const m = ((month - 1) % 12) + 1
    const base = `${y}-${String(m).padStart(2, '0')}`
    return rand.chance(0.1) ? `${base}-${String(rand.int(1, 28)).padStart(2, '0')}` : base
  }
  const [from, to] = status === 'completed' ? [2014, 2022] : status === 'ongoing' ? [2021, 2025] : [2026, 2027]
  const year = rand.int(from, to)
  const month = rand.int(1, 12)
  const lines = ['period:', `  start: ${date(year, month)}`]
  // Completed projects need an end; most ongoing ones have none yet; planned ones half the time.
  const withEnd = status === 'completed' || (status === 'ongoing' ? rand.chance(0.3) : rand.chance(0.5))
  if (withEnd) lines.push(`  end: ${date(year, month + rand.int(6, 48))}`)
  return lines
}

function budget(rand: Rng): string[] {
  const lines = ['budget:']
  const main = rand.pick(['EUR', 'EUR', 'EUR', 'USD', 'CHF'] as const)
  for (let i = rand.int(1, 4); i > 0; i--) {
    const currency = rand.chance(0.7) ? main : rand.pick(['EUR', 'USD', 'CHF'] as const)
    // Log-uniform from 20 thousand to 5 million, in cents; some round sums.
    const cents = Math.round(Math.exp(Math.log(2e6) + rand.next() * Math.log(250)))
    const amount = rand.chance(0.3) ? (Math.round(cents / 100_000) * 1000).toFixed(2) : (cents / 100).toFixed(2)
    lines.push(`  - { amount: ${amount}, currency: ${currency}, fund: ${yamlFlowText(rand.pick(FUNDS[currency]))} }`)
  }
  return lines
}

/** Lead, then "## Activities" with 2-8 activities: paragraphs and some bullet lists, sized for 1-2 A4 pages. */
function body(rand: Rng): string[] {
  // Words for the whole body: about a third short one-pagers, the rest running onto a second page (up to ~750 words).
  const short = rand.chance(0.35)
  const activities = short ? rand.int(2, 4) : rand.int(2, 8)
  const total = short ? rand.int(60, 160) : rand.int(180, 720)
  const lead = [paragraph(rand, Math.max(25, Math.round(total * 0.15)))]
  if (rand.chance(0.25)) lead.push(paragraph(rand, rand.int(15, 40)))
  const perActivity = Math.max(15, Math.round((total * 0.85) / activities))
  const out = [...lead.flatMap((p) => [p, '']), '## Activities', '']
  for (let a = 0; a < activities; a++) {
    out.push(`### ${activityTitle(rand)}`, '')
    if (rand.chance(0.3)) {
      out.push(paragraph(rand, Math.round(perActivity * 0.4)).replace(/\.$/, ', covering:'), '', bulletList(rand), '')
      if (rand.chance(0.5)) out.push(paragraph(rand, Math.round(perActivity * 0.3)), '')
    } else {
      const parts = perActivity > 90 && rand.chance(0.5) ? 2 : 1
      for (let p = 0; p < parts; p++) out.push(paragraph(rand, Math.round((perActivity * rand.int(70, 130)) / 100 / parts)), '')
    }
  }
  return out.slice(0, -1)
}

function slug(title: string): string {
  const words = title
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 2 && !['the', 'and', 'for', 'with', 'between'].includes(word))
  return words.slice(0, 4).join('-') || 'project'
}

/** A YAML scalar: plain when safe, else a JSON string (valid YAML double-quoted). */
function yamlText(value: string): string {
  return /^[A-Za-zÀ-ž0-9][^:#{}[\],&*!|>'"%@`]*$/.test(value) && !/\s$/.test(value) ? value : JSON.stringify(value)
}

function yamlFlowText(value: string): string {
  return /[,[\]{}:#'"]/.test(value) ? JSON.stringify(value) : yamlText(value)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [dir, n = '20'] = process.argv.slice(2)
  if (!dir) throw new Error('usage: tsx bench/generate.ts DIR [N]')
  const files = await generateProject(path.resolve(dir), Number(n))
  console.log(`wrote ${files.length} records to ${path.join(path.resolve(dir), 'content')}`)
}
