/**
 * The baseline: what Chromium alone costs. Prints finished sheet HTML (out/<id>.html from a `--html` build) to PDF
 * with a bare Puppeteer loop: one browser launched with the pipeline's flags, C pages in parallel, setContent + pdf
 * with the pipeline's options, bytes written to disk. No validation, no templates, no pdf-lib, no manifest. The sheets
 * are those listed in DIR/manifest.json.
 *
 *   tsx bench/baseline.ts --html DIR --out DIR --concurrency C    prints {"sheets":N,"seconds":S} as its last line
 *   tsx bench/baseline.ts --version                              prints the browser's version (also warms caches)
 *   --locked: pages locked down as the pipeline's (JavaScript off, every request but data: refused), for a diagnosis
 *   --minimal: the second baseline: each sheet's text alone (tags stripped) in a minimal two-page A4 document without
 *              the theme's fonts, CSS or images: what Chromium costs for the same words, and no more
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import puppeteer from 'puppeteer-core'
import { findBrowser, launchOptions } from '../src/print/browser.ts'

const started = performance.now()
const { values } = parseArgs({
  options: { html: { type: 'string' }, out: { type: 'string' }, concurrency: { type: 'string' }, version: { type: 'boolean' }, locked: { type: 'boolean' }, minimal: { type: 'boolean' } },
})

const found = await findBrowser()
if (!found) throw new Error('no Chrome or Chromium found (the pipeline would have installed one: run npm run build:sheets once)')
// The same launch as the pipeline's launchBrowser(): same executable, same flags, headless.
const browser = await puppeteer.launch(launchOptions(found.executablePath))
// Stopped by the bench (or Ctrl-C): close the browser rather than leave it running.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void browser.close().finally(() => process.exit(1)))
try {
  if (values.version) {
    console.log(`${await browser.version()} (${found.executablePath})`)
  } else {
    if (!values.html || !values.out || !values.concurrency) throw new Error('usage: tsx bench/baseline.ts --html DIR --out DIR --concurrency C')
    const htmlDir = values.html
    const outDir = values.out
    await mkdir(outDir, { recursive: true })
    // The sheets the build listed in its manifest (out/ may hold other HTML, such as the catalogue's index.html).
    const manifest = JSON.parse(await readFile(path.join(htmlDir, 'manifest.json'), 'utf8')) as { sheets: { id: string }[] }
    const files = manifest.sheets.map((sheet) => `${sheet.id}.html`).sort()
    let next = 0
    // C workers, each with one page for the whole run (as the pipeline's page pool), taking the next file when done.
    const worker = async () => {
      const page = await browser.newPage()
      if (values.locked) {
        await page.setJavaScriptEnabled(false)
        await page.setRequestInterception(true)
        page.on('request', (request) => {
          const url = request.url()
          ;(url.startsWith('data:') || url === 'about:blank' ? request.continue() : request.abort('blockedbyclient')).catch(() => {})
        })
      }
      while (next < files.length) {
        const name = files[next++]
        const html = await readFile(path.join(htmlDir, name), 'utf8')
        await page.setContent(values.minimal ? minimalSheet(html) : html)
        const pdf = await page.pdf({ printBackground: true, preferCSSPageSize: true, tagged: true, outline: true })
        await writeFile(path.join(outDir, name.replace(/\.html$/, '.pdf')), pdf)
      }
      await page.close()
    }
    await Promise.all(Array.from({ length: Math.min(Number(values.concurrency), files.length) }, worker))
    console.log(JSON.stringify({ sheets: files.length, seconds: (performance.now() - started) / 1000 }))
  }
} finally {
  await browser.close()
}

/** A sheet's words in a plain two-page A4 document: body text only, the browser's default font, no CSS beyond the page. */
function minimalSheet(html: string): string {
  const body = html.slice(html.indexOf('<body'))
  const text = body
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<(?:p|li|h[1-6]|tr|div)\b[^>]*>/g, '\n')
    .replace(/<[^>]+>/g, ' ')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
  const paragraphs = text.map((line) => `<p>${line}</p>`).join('\n')
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><style>@page{size:A4;margin:20mm}</style></head><body>${paragraphs}</body></html>`
}
