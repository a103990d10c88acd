import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import puppeteer, { type Browser, type Page } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BROWSER_ARGS, ensureBrowser } from '../../src/print/browser.ts'
import { resolveConfig } from '../../src/config/config.ts'
import { startPreview, type PreviewServer } from '../../src/preview/server.ts'
import { pdfFlatText, pdfInfo } from '../helpers/pdf.ts'
import { tempProject, type TempProject } from '../helpers/project.ts'
import { runCli } from '../helpers/run.ts'

/** How long an edit may take to show in an open page (the brief: within a second; CI machines are slower). */
const LIVE_MS = 8_000

/** In the page: the sheet's images are shown and no overlay. */
const SHEET_SHOWN = `!document.querySelector('.overlay') && document.querySelectorAll('.pages img').length > 0`

describe('preview: the designer live preview', () => {
  let project: TempProject
  let preview: PreviewServer
  let browser: Browser
  let page: Page
  let record: string
  let original: string
  const errors: string[] = []

  beforeAll(async () => {
    project = tempProject()
    record = path.join(project.content, 'jempas-ii.md')
    original = readFileSync(record, 'utf8')
    preview = await startPreview(await resolveConfig({}, project.dir), { port: 0 })
    // The designer's browser, not a printer: launchBrowser maps every host name (127.0.0.1 too) to NOTFOUND so that
    // printing reaches nothing, which would keep it from the preview. Same executable and flags otherwise.
    const { executablePath } = await ensureBrowser()
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      args: BROWSER_ARGS.filter((arg) => !arg.startsWith('--host-resolver-rules')),
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    })
    page = await browser.newPage()
    await page.setViewport({ width: 1280, height: 900 })
    page.on('pageerror', (error) => errors.push(String(error)))
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
  })

  afterAll(async () => {
    await browser?.close()
    await preview?.close()
    project?.remove()
  })

  /** Downloads a PDF as the browser's link would, into the scratch project (removed with it). */
  async function downloadPdf(href: string): Promise<{ response: Response; file: string }> {
    const response = await fetch(new URL(href, preview.url))
    const file = path.join(project.dir, 'downloaded.pdf')
    writeFileSync(file, Buffer.from(await response.arrayBuffer()))
    return { response, file }
  }
  const overlayHeaders = () => page.$$eval('.overlay .error .header', (nodes) => nodes.map((node) => node.textContent ?? ''))

  it('the index lists every record with its id, title, status and file, each linking to its sheet', async () => {
    await page.goto(`${preview.url}/`, { waitUntil: 'load' })
    const rows = await page.$$eval('tbody tr', (trs) =>
      trs.map((tr) => ['td.title a', 'td.title .id', 'td.status', 'td.file', 'td.problems'].map((cell) => tr.querySelector(cell)?.textContent?.trim() ?? '')),
    )
    const ids = ['asylum-capacity-long', 'diaspora-skills-two-currencies', 'jempas-ii', 'labour-mobility-morocco', 'west-africa-border-data']
    expect(rows.map((row) => row[1])).toEqual(ids)
    expect(rows.find((row) => row[1] === 'jempas-ii')).toEqual([
      'Capacity Building for Migration Management',
      'jempas-ii',
      'completed',
      'content/jempas-ii.md',
      '✓ builds',
    ])
    const links = await page.$$eval('tbody td.title a', (anchors) => anchors.map((a) => a.getAttribute('href')))
    expect(links).toEqual(ids.map((id) => `/sheet/${id}`))
    await page.waitForSelector('#live[data-state="on"]')
  })

  it('a sheet shows one image per PDF page, and Download PDF is the real PDF', async () => {
    await page.goto(`${preview.url}/sheet/jempas-ii`, { waitUntil: 'load' })
    const images = await page.$$eval('.pages .page img', (imgs) => imgs.map((img) => ({ loaded: img.complete && img.naturalWidth > 0, width: img.width })))
    const captions = await page.$$eval('.pages .page figcaption', (nodes) => nodes.map((node) => node.textContent))
    const href = await page.$eval('a.button', (a) => a.getAttribute('href') ?? '')
    expect(href).toBe('/sheet/jempas-ii.pdf')
    const { response, file } = await downloadPdf(href)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/pdf')
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="jempas-ii.pdf"')
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const pages = Number(pdfInfo(file).Pages)
    expect(pages).toBeGreaterThan(0)
    expect(images).toHaveLength(pages)
    expect(images.every((image) => image.loaded)).toBe(true)
    expect(Math.abs(images[0].width - 794)).toBeLessThanOrEqual(1) // A4 at its printed size: 210 mm = 794 CSS pixels
    expect(captions).toEqual(Array.from({ length: pages }, (_, i) => `Page ${i + 1} of ${pages}`))
    expect(pdfFlatText(file)).toContain('Capacity Building for Migration Management')
    // The very bytes build:sheets writes for the same inputs.
    expect((await runCli(['--only', 'jempas-ii'], { cwd: project.dir })).code).toBe(0)
    expect(Buffer.compare(readFileSync(file), readFileSync(path.join(project.out, 'jempas-ii.pdf')))).toBe(0)
  })

  it('an edited title shows in the open page and in the PDF within seconds, without a reload by hand', async () => {
    const before = await page.$eval('#app', (app) => app.getAttribute('data-version'))
    const firstImage = await page.$eval('.pages img', (img) => img.getAttribute('src'))
    const started = Date.now()
    writeFileSync(record, original.replace(/^title: .*$/m, 'title: Border Management Renamed Live'))
    await page.waitForFunction(`document.querySelector('.bar .name')?.textContent === 'Border Management Renamed Live'`, { timeout: LIVE_MS, polling: 50 })
    const elapsed = Date.now() - started
    console.log(`preview: the new title showed in the open page ${elapsed} ms after the save`)
    expect(await page.$eval('#app', (app) => app.getAttribute('data-version'))).not.toBe(before)
    expect(await page.$eval('.pages img', (img) => img.getAttribute('src'))).not.toBe(firstImage)
    const { file } = await downloadPdf('/sheet/jempas-ii.pdf')
    expect(pdfFlatText(file)).toContain('Border Management Renamed Live')
  })

  it('a broken record shows the error overlay instead of the sheet, and fixing it removes the overlay', async () => {
    const broken = original.replace('currency: EUR, fund: AMIF', 'currency: EURO, fund: AMIF')
    const line = broken.split('\n').findIndex((text) => text.includes('EURO')) + 1
    writeFileSync(record, broken)
    await page.waitForSelector('.overlay .error .header', { timeout: LIVE_MS })
    const headers = await overlayHeaders()
    expect(headers[0]).toContain(`content/jempas-ii.md:${line} budget[0].currency`)
    expect(await page.$eval('.overlay .frame', (pre) => pre.textContent)).toContain(`> ${line} |`)
    expect(await page.$eval('.overlay .hint', (p) => p.textContent)).toContain('did you mean "EUR"?')
    expect(await page.$$('.pages img')).toHaveLength(0)
    writeFileSync(record, original)
    await page.waitForFunction(SHEET_SHOWN, { timeout: LIVE_MS })
    expect(await page.$eval('.bar .name', (node) => node.textContent)).toBe('Capacity Building for Migration Management')
  })

  it('a partial using a field the model does not have shows the overlay naming the template file', async () => {
    const partial = path.join(project.templates, 'mpf', 'partials', 'key-facts.hbs')
    const text = readFileSync(partial, 'utf8')
    const broken = text.replace('{{countriesText}}', '{{countriesTxt}}')
    const line = broken.split('\n').findIndex((row) => row.includes('countriesTxt')) + 1
    writeFileSync(partial, broken)
    await page.waitForSelector('.overlay .error .header', { timeout: LIVE_MS })
    expect((await overlayHeaders())[0]).toMatch(
      new RegExp(`^templates/mpf/partials/key-facts\\.hbs:${line} template: the sheet model has no field "countriesTxt"`),
    )
    // The index shows it for every record of the theme.
    const index = await (await fetch(`${preview.url}/`)).text()
    expect(index.match(/key-facts\.hbs:\d+ template/g)?.length).toBe(5)
    writeFileSync(partial, text)
    await page.waitForFunction(SHEET_SHOWN, { timeout: LIVE_MS })
  })

  it('still answers after all that: only GET, only known ids, pages locked down', async () => {
    const index = await fetch(`${preview.url}/`)
    expect(index.status).toBe(200)
    expect(index.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'nonce-[^']+'; style-src 'nonce-[^']+'; img-src 'self'/)
    expect((await fetch(`${preview.url}/sheet/no-such-sheet`)).status).toBe(404)
    expect((await fetch(`${preview.url}/sheet/..%2f..%2fpackage.json`)).status).toBe(404)
    expect((await fetch(`${preview.url}/sheet/jempas-ii/page-99.png`)).status).toBe(404)
    expect((await fetch(`${preview.url}/`, { method: 'POST' })).status).toBe(405)
    const image = await fetch(`${preview.url}/sheet/jempas-ii/page-1.png`)
    expect(image.headers.get('content-type')).toBe('image/png')
    expect(await page.$eval('#live', (dot) => dot.getAttribute('data-state'))).toBe('on')
    expect(errors).toEqual([])
  })
})
