/** The donor catalogue: out/index.html opened in Chromium after a real build, filtered as a user would. */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Browser, Page } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BROWSER_ARGS, ensureBrowser, launchBrowser, spawnChromium } from '../../src/print/browser.ts'
import { writeCatalogue } from '../../src/output/catalogue.ts'
import { readManifest, type Manifest } from '../../src/output/manifest.ts'
import { tempProject, type TempProject } from '../helpers/project.ts'
import { runCli } from '../helpers/run.ts'

/** A country that exactly one sample record lists, typed as a user would, with its accent. */
const COUNTRY = 'Türkiye'

describe('the catalogue page of a real build', () => {
  let project: TempProject
  let manifest: Manifest
  let browser: Browser
  let page: Page
  let index: string
  const requests: string[] = []
  const errors: string[] = []

  beforeAll(async () => {
    project = tempProject()
    const result = await runCli(['build'], { cwd: project.dir })
    expect(result.code, result.stderr).toBe(0)
    manifest = (await readManifest(project.out))!
    expect(manifest.sheets.length).toBeGreaterThan(1)
    index = path.join(project.out, 'index.html')
    // Once the pipeline writes the catalogue itself, the build's own page is the one under test.
    if (!existsSync(index)) await writeCatalogue(project.out, manifest, new Date())
    // A browser a person would use: it draws frames (a printer's does not), so typing into the filter shows.
    const { executablePath } = await ensureBrowser()
    browser = await launchBrowser(executablePath, spawnChromium(executablePath, BROWSER_ARGS))
    page = await browser.newPage()
    page.on('request', (request) => requests.push(request.url()))
    page.on('pageerror', (error) => errors.push(String(error)))
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()))
    await page.setViewport({ width: 1280, height: 900 })
    await page.goto(pathToFileURL(index).href, { waitUntil: 'load' })
  })
  afterAll(async () => {
    await browser?.close()
    project?.remove()
  })

  /** The titles of the rows a user sees. */
  const visibleTitles = () =>
    page.$$eval('tbody tr', (rows) => rows.filter((row) => row.checkVisibility()).map((row) => row.querySelector('th a')?.textContent ?? ''))
  const countText = () => page.$eval('#count', (element) => element.textContent)
  const clearFilter = async () => {
    await page.click('#filter', { count: 3 })
    await page.keyboard.press('Backspace')
    expect(await page.$eval('#filter', (input) => input.matches(':placeholder-shown'))).toBe(true)
  }
  const titleOf = (id: string) => manifest.sheets.find((sheet) => sheet.id === id)!.facts.title

  it('lists every sheet, sorted by title, with nothing fetched and no script error', async () => {
    const titles = manifest.sheets.map((sheet) => sheet.facts.title)
    expect(await visibleTitles()).toEqual([...titles].sort(new Intl.Collator('en', { sensitivity: 'base', numeric: true }).compare))
    expect(await countText()).toBe(`${titles.length} of ${titles.length} projects`)
    expect(requests).toEqual([pathToFileURL(index).href])
    expect(errors).toEqual([])
  })

  it(`shows only the one project in ${COUNTRY} while it is typed into the filter, then all again when cleared`, async () => {
    const matching = manifest.sheets.filter((sheet) => sheet.facts.countries.includes(COUNTRY))
    expect(matching, `exactly one sample record lists ${COUNTRY}`).toHaveLength(1)
    const total = manifest.sheets.length
    await page.type('#filter', COUNTRY)
    expect(await visibleTitles()).toEqual([matching[0].facts.title])
    expect(await countText()).toBe(`1 of ${total} projects`)
    await clearFilter()
    expect(await visibleTitles()).toHaveLength(total)
    expect(await countText()).toBe(`${total} of ${total} projects`)
  })

  it('ignores case and accents, and says so when nothing matches', async () => {
    await page.type('#filter', 'TURKIYE')
    expect(await visibleTitles()).toHaveLength(1)
    await clearFilter()
    await page.type('#filter', 'no such project anywhere')
    expect(await visibleTitles()).toEqual([])
    expect(await countText()).toBe(`0 of ${manifest.sheets.length} projects`)
    expect(await page.$eval('#none', (element) => element.checkVisibility())).toBe(true)
    await clearFilter()
    expect(await page.$eval('#none', (element) => element.checkVisibility())).toBe(false)
  })

  it('filters by status', async () => {
    const planned = manifest.sheets.filter((sheet) => sheet.facts.status === 'planned').map((sheet) => sheet.facts.title)
    expect(planned.length).toBeGreaterThan(0)
    await page.click('input[name="status"][value="planned"]')
    expect((await visibleTitles()).sort()).toEqual(planned.sort())
    expect(await countText()).toBe(`${planned.length} of ${manifest.sheets.length} projects`)
    await page.click('input[name="status"][value=""]')
    expect(await visibleTitles()).toHaveLength(manifest.sheets.length)
  })

  it('links every title to its PDF by a relative name, and every PDF exists', async () => {
    const links = await page.$$eval('tbody th a', (anchors) => anchors.map((a) => a.getAttribute('href') ?? ''))
    expect(links).toHaveLength(manifest.sheets.length)
    for (const attribute of links) {
      expect(attribute).toMatch(/^[a-z0-9-]+\.pdf$/)
      const file = fileURLToPath(new URL(attribute, page.url()))
      expect(path.dirname(file)).toBe(project.out)
      expect(existsSync(file), file).toBe(true)
      expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-')
      expect(await page.$eval(`a[href="${attribute}"]`, (a) => a.textContent)).toBe(titleOf(attribute.replace(/\.pdf$/, '')))
    }
  })

  it('writes sheets.csv next to it, one row per sheet', () => {
    const csv = readFileSync(path.join(project.out, 'sheets.csv'), 'utf8')
    expect(csv.startsWith('\uFEFFid,title,')).toBe(true)
    expect(csv).toContain(COUNTRY)
    expect(csv.trimEnd().split('\r\n')).toHaveLength(manifest.sheets.length + 1)
  })
  it('#13 keeps the last good catalogue and CSV when a build has every record failing and nothing to list', async () => {
    // Runs last: it breaks every record of the project. Without a manifest (deleted, or from an older version) the
    // catalogue of this build would list nothing at all.
    const before = { index: readFileSync(index), csv: readFileSync(path.join(project.out, 'sheets.csv')) }
    rmSync(path.join(project.out, 'manifest.json'))
    for (const name of readdirSync(project.content).filter((file) => file.endsWith('.md'))) {
      const file = path.join(project.content, name)
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^status: .*$/m, 'status: finished'))
    }
    const result = await runCli(['build'], { cwd: project.dir })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^Built 0 sheets, 5 failed, /m)
    expect(result.stderr).toContain('out/index.html and sheets.csv from the last build were kept: no sheet could be listed.')
    expect(readFileSync(index).equals(before.index)).toBe(true)
    expect(readFileSync(path.join(project.out, 'sheets.csv')).equals(before.csv)).toBe(true)
  })
})
