/** #11 Every sheet in its reader's language: JEMPAS II in English, French and Arabic, in both themes, read back from the PDFs. */
import { cpSync, readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { PDFDocument, PDFName, PDFString } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pdfFlatText, pdfFonts, pdfInfo } from '../helpers/pdf.ts'
import { ROOT, SAMPLE_RECORDS, tempProject, type TempProject } from '../helpers/project.ts'
import { runCli, type RunResult } from '../helpers/run.ts'

/** The translations of the sample JEMPAS II record, beside it in the scratch project. */
const LANGUAGE_RECORDS = path.join(ROOT, 'tests', 'fixtures', 'records', 'languages')

const words = (theme: string, lang: string): Record<string, string> => {
  const read = (name: string) => {
    try {
      return JSON.parse(readFileSync(path.join(ROOT, 'templates', name, 'words', `${lang}.json`), 'utf8')).text ?? {}
    } catch {
      return {}
    }
  }
  return theme === 'mpf' ? read('mpf') : { ...read('mpf'), ...read(theme) }
}

/** Text as pdftotext gives it, without the spaces it may put inside Arabic words or between runs. */
const squash = (text: string) => text.replace(/[\s\u00a0\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, '')

/** The words a sheet prints whatever its content: the labels of the key facts and the first heading. */
const LABELS = ['partners', 'countries', 'timeFrame', 'budget', 'about', 'statusCompleted'] as const

/** English words no French or Arabic sheet may print (the brand's name, Migration Partnership Facility, is a name). */
const ENGLISH = [/\bPartners\b/, /\bTime frame\b/, /\bDuration\b/, /\bAbout the\b/, /\bThe project\b/, /\bProject completed\b/, /\(from\b/, /\bimplemented by\b/, /\bFunded by\b/, /\bPage 1 of\b/, /\bBudget by fund\b/]

async function catalogLang(file: string): Promise<string | undefined> {
  const doc = await PDFDocument.load(readFileSync(file), { updateMetadata: false })
  const lang = doc.catalog.get(PDFName.of('Lang'))
  return lang instanceof PDFString ? lang.decodeText() : undefined
}

describe('#11 JEMPAS II in English, French and Arabic', () => {
  let project: TempProject
  const builds: Record<string, RunResult> = {}
  const out = (theme: string) => path.join(project.dir, 'out', theme)

  beforeAll(async () => {
    project = tempProject({ from: null })
    cpSync(path.join(SAMPLE_RECORDS, 'jempas-ii.md'), path.join(project.content, 'jempas-ii.md'))
    cpSync(path.join(SAMPLE_RECORDS, 'labour-mobility-morocco.md'), path.join(project.content, 'labour-mobility-morocco.md'))
    for (const file of readdirSync(LANGUAGE_RECORDS)) cpSync(path.join(LANGUAGE_RECORDS, file), path.join(project.content, file))
    for (const theme of ['mpf', 'horizon']) builds[theme] = await runCli(['--theme', theme, '--out', out(theme), '--bundle', 'fr-donors', '--bundle-lang', 'fr'], { cwd: project.dir })
  })
  afterAll(() => project?.remove())

  it('builds out/<id>.<lang>.pdf beside out/<id>.pdf, the language in the manifest and the CSV', () => {
    for (const theme of ['mpf', 'horizon']) {
      expect(builds[theme].code, builds[theme].stdout + builds[theme].stderr).toBe(0)
      expect(readdirSync(out(theme)).filter((name) => name.endsWith('.pdf')).sort()).toEqual(['jempas-ii.ar.pdf', 'jempas-ii.fr.pdf', 'jempas-ii.pdf', 'labour-mobility-morocco.pdf'])
      const manifest = JSON.parse(readFileSync(path.join(out(theme), 'manifest.json'), 'utf8')) as { sheets: { id: string; facts: { lang: string } }[] }
      expect(Object.fromEntries(manifest.sheets.map((sheet) => [sheet.id, sheet.facts.lang]))).toMatchObject({ 'jempas-ii': 'en', 'jempas-ii.fr': 'fr', 'jempas-ii.ar': 'ar' })
      const csv = readFileSync(path.join(out(theme), 'sheets.csv'), 'utf8').split('\r\n')
      expect(csv[0]).toContain(',lang,')
      expect(csv.find((line) => line.startsWith('jempas-ii.ar,'))).toContain(',ar,')
      expect(readFileSync(path.join(out(theme), 'index.html'), 'utf8')).toContain('<option value="ar">Arabic (1)</option>')
    }
  })

  it('prints a French sheet wholly in French: labels, country and month names, money, no English word', async () => {
    for (const theme of ['mpf', 'horizon']) {
      const file = path.join(out(theme), 'jempas-ii.fr.pdf')
      const text = pdfFlatText(file)
      for (const key of LABELS) expect(text, `${theme} ${key}`).toContain(words(theme, 'fr')[key].replace(/\u00a0/g, ' '))
      expect(text).toContain('Jordanie')
      expect(text).toMatch(/février 2020/)
      expect(text).toContain('189 403,21 EUR')
      expect(text).toContain('Financé par l’Union européenne')
      for (const english of ENGLISH) expect(text, `${theme}: ${english}`).not.toMatch(english)
      expect(pdfInfo(file).Title).toBe('Renforcement des capacités en matière de gestion des migrations')
      expect(await catalogLang(file)).toBe('fr')
    }
  })

  it('prints an Arabic sheet in Arabic, right to left, read back in order', async () => {
    for (const theme of ['mpf', 'horizon']) {
      const file = path.join(out(theme), 'jempas-ii.ar.pdf')
      const text = squash(pdfFlatText(file))
      for (const key of LABELS) expect(text, `${theme} ${key}`).toContain(squash(words(theme, 'ar')[key]))
      expect(text).toContain(squash('الأردن'))
      expect(text).toContain(squash('فبراير 2020'))
      expect(text).toContain('189,403.21')
      expect(text).toContain(squash('بناء القدرات في مجال إدارة الهجرة'))
      for (const english of ENGLISH) expect(pdfFlatText(file), `${theme}: ${english}`).not.toMatch(english)
      const html = await catalogLang(file)
      expect(html).toBe('ar')
      expect(pdfInfo(file).Title).toBe('بناء القدرات في مجال إدارة الهجرة')
    }
  })

  it('embeds only the theme\'s fonts and its Arabic fonts, never a system font', () => {
    const families: Record<string, RegExp> = {
      mpf: /\+(SourceSans3|SourceSerif4|NotoSansArabic|NotoNaskhArabic|NotoKufiArabic|Amiri)/,
      horizon: /\+(IBMPlexSans|Lora|NotoSansArabic|NotoNaskhArabic|NotoKufiArabic|Amiri|IBMPlexSansArabic)/,
    }
    for (const theme of ['mpf', 'horizon']) {
      for (const id of ['jempas-ii.fr', 'jempas-ii.ar']) {
        const fonts = pdfFonts(path.join(out(theme), `${id}.pdf`))
        expect(fonts.length).toBeGreaterThan(0)
        for (const font of fonts) {
          expect(font.embedded, `${theme} ${id} ${font.name}`).toBe(true)
          expect(font.name, `${theme} ${id}`).toMatch(families[theme])
        }
        // Latin names and amounts keep the brand's font in an Arabic sheet too: the Arabic fonts bring their script only.
        expect(fonts.some((font) => /\+(SourceSans3|IBMPlexSans-)/.test(font.name)), `${theme} ${id}`).toBe(true)
      }
    }
  })

  it('writes a bundle in the language asked for: one sheet per project, the French one where there is one', async () => {
    for (const theme of ['mpf', 'horizon']) {
      const file = path.join(out(theme), 'bundles', 'fr-donors.pdf')
      const text = pdfFlatText(file)
      const fr = words(theme, 'fr')
      expect(text).toContain(fr.bundleContents)
      expect(text).toContain(fr.bundleAll)
      expect(text).toContain('Renforcement des capacités')
      expect(text).not.toContain('Capacity Building for Migration Management')
      expect(text).toContain('Labour') // no French sheet: its English one
      expect(await catalogLang(file)).toBe('fr')
    }
  })
})

describe('#11 check:sheets keeps translations in step', () => {
  let project: TempProject
  beforeAll(() => {
    project = tempProject({ from: null })
    cpSync(path.join(SAMPLE_RECORDS, 'jempas-ii.md'), path.join(project.content, 'jempas-ii.md'))
    for (const file of readdirSync(LANGUAGE_RECORDS)) cpSync(path.join(LANGUAGE_RECORDS, file), path.join(project.content, file))
  })
  afterAll(() => project?.remove())

  it('says nothing of translations in step, then names the stale one and the language missing', async () => {
    project.write('sheets.config.json', '{ "languages": ["en", "fr", "ar", "es"] }\n')
    const clean = await runCli(['check'], { cwd: project.dir })
    expect(clean.code, clean.stderr).toBe(0)
    expect(clean.stderr).not.toContain('stale')
    expect(clean.stderr).toContain('content/jempas-ii.md: has no Spanish translation (content/jempas-ii.es.md): npm run new:sheet -- jempas-ii --translate es')
    const record = path.join(project.content, 'jempas-ii.md')
    project.write('content/jempas-ii.md', readFileSync(record, 'utf8').replace('This action aimed', 'This action aims'))
    const stale = await runCli(['check'], { cwd: project.dir })
    expect(stale.stderr).toMatch(/content\/jempas-ii\.fr\.md:\d+: is stale: the text of content\/jempas-ii\.md changed since it was translated/)
    expect(stale.stderr).toMatch(/content\/jempas-ii\.ar\.md:\d+: is stale/)
  })

  it('fails a translation that holds a fact, and a sheet in a language the theme lacks, each at its line', async () => {
    project.write('content/jempas-ii.es.md', '---\ntitle: Fortalecimiento de capacidades\nstatus: ongoing\n---\nTexto.\n')
    project.write('content/jempas-ii.fr.md', readFileSync(path.join(LANGUAGE_RECORDS, 'jempas-ii.fr.md'), 'utf8').replace(/^title: /m, 'period: { start: 2020-01 }\ntitle: '))
    const result = await runCli(['check'], { cwd: project.dir })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/content\/jempas-ii\.fr\.md:3 .*period is a fact of the record content\/jempas-ii\.md, not of a translation/)
    expect(result.stderr).toMatch(/content\/jempas-ii\.es\.md:3 .*status is a fact of the record/)
    project.write('content/jempas-ii.es.md', '---\ntitle: Fortalecimiento de capacidades\n---\nTexto.\n')
    const missing = await runCli(['check'], { cwd: project.dir })
    expect(missing.stderr).toMatch(/content\/jempas-ii\.es\.md:1 .*theme mpf has no words in Spanish \(es\)/)
    expect(missing.stderr).toContain('add templates/mpf/words/es.json')
  })

  it('writes a translation skeleton with the record\'s text and hash, which checks clean', async () => {
    const fresh = tempProject({ from: null })
    try {
      cpSync(path.join(SAMPLE_RECORDS, 'jempas-ii.md'), path.join(fresh.content, 'jempas-ii.md'))
      const made = await runCli(['new', 'jempas-ii', '--translate', 'fr'], { cwd: fresh.dir })
      expect(made.code, made.stderr).toBe(0)
      const skeleton = readFileSync(path.join(fresh.content, 'jempas-ii.fr.md'), 'utf8')
      expect(skeleton).toMatch(/^translated_from: [0-9a-f]{12}$/m)
      expect(skeleton).toContain('title: "Capacity Building for Migration Management"')
      const again = await runCli(['new', 'jempas-ii', '--translate', 'fr'], { cwd: fresh.dir })
      expect(again.code).toBe(2)
      expect(again.stderr).toContain('content/jempas-ii.fr.md already exists')
      const checked = await runCli(['check'], { cwd: fresh.dir })
      expect(checked.code, checked.stderr).toBe(0)
      expect(checked.stderr).not.toMatch(/stale|translated_from/)
    } finally {
      fresh.remove()
    }
  })
})
