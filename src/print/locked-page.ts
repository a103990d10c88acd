/** One locked-down browser page (JavaScript off, every request refused but data: URLs and the theme's fonts from memory) that prints HTML to PDF bytes. */
import { readFileSync } from 'node:fs'
import type { Browser, CDPSession, HTTPRequest, Page } from 'puppeteer-core'
import { SheetError } from '../core/errors.ts'
import { ASSET_ORIGIN } from '../core/html.ts'
import { printFitted, type FitOutcome, type FitPlan } from './fit.ts'
import { FONTS_READY, layOutForPrint, measureLayout, setLayout } from './fit-layout.ts'
import { inspection, type LayoutFindings } from './inspect-layout.ts'
import { takeStartPage } from './launch.ts'
import { loadDocument } from './load-document.ts'
import { countPages } from './page-count.ts'

/** Limits and reporting for one sheet. */
export interface PrintOptions {
  /** Milliseconds a sheet may take to lay out and print before it fails with RenderTimeout. */
  timeoutMs: number
  /** Called with the URL of every request the page made and was refused. */
  onBlocked?: (url: string) => void
  /** The files the page may load, by URL of ASSET_ORIGIN (the theme's fonts: Theme.served); every other URL is refused. */
  served?: ReadonlyMap<string, string>
  /** The theme's page budget and fit ladder; without it the sheet prints once, as laid out. */
  fit?: FitPlan
  /** Hears the step, page count and prints of the sheet fitted. */
  onFit?: (outcome: FitOutcome) => void
  /** Asks for the layout preflight (clipped text, coarse images below this many pixels per inch) and hears it. */
  inspect?: { minPpi: number; onFindings: (findings: LayoutFindings) => void }
}

/** A page of one browser that loads nothing but the HTML it is given and counts the sheets it printed. */
export class LockedPage {
  private onBlocked: (url: string) => void = () => {}
  private served: ReadonlyMap<string, string> | undefined
  /** The head of the document the page holds (see loadDocument()). */
  private loaded: string | undefined
  /** The body swap loadDocument() left to send with the page's next in-page work. */
  private swap: string | undefined
  /** Sheets printed on this page so far. */
  prints = 0
  /** Whether the fonts of the page as it is were waited for (a measure does: see measureLayout()). */
  private fontsLoaded = false

  private constructor(
    private readonly page: Page,
    readonly browser: Browser,
    /** The page's own protocol session, for printing (see pdf()). */
    private readonly session: CDPSession,
  ) {}

  /** Opens a page in the browser (its blank start page first) with JavaScript off and request interception on. */
  static async open(browser: Browser): Promise<LockedPage> {
    // Pages share the default context and its renderer: separate contexts cost a quarter more per sheet. A sheet
    // stalled by a neighbour whose layout never ends is printed again on a fresh page (see PagePool.print()).
    const page = (await takeStartPage(browser)) ?? (await browser.newPage())
    const locked = new LockedPage(page, browser, await page.createCDPSession())
    await Promise.all([locked.page.setJavaScriptEnabled(false), locked.page.setRequestInterception(true)])
    locked.page.on('request', (request) => locked.answer(request))
    return locked
  }

  /** Prints one HTML document to PDF bytes, with its backgrounds, CSS page size, tags and outline. */
  async print(html: string, options: PrintOptions): Promise<Uint8Array> {
    this.prints++
    this.onBlocked = options.onBlocked ?? (() => {})
    this.served = options.served
    const page = this.page
    const fit = options.fit
    // Laid out as it is measured (print media, the printable width) from the page's first document on: set while the
    // page is blank, the sheet is laid out once on loading, not first at the default width on screen and then again.
    if (fit) await layOutForPrint(page, fit.box)
    ;({ head: this.loaded, swap: this.swap } = await loadDocument(page, html, this.loaded, options.timeoutMs))
    let inspect = fit ? options.inspect : undefined
    this.fontsLoaded = false
    const target = {
      pdf: () => this.pdf(),
      // The first measure (step 0, the page as loaded) carries the layout preflight in the same message.
      layout: async (set: Record<string, string>, breaks: readonly string[], breakAt?: number) => {
        const measured = await measureLayout(page, fit!.box, set, breaks, breakAt, { alongside: inspect && inspection(inspect.minPpi), before: this.takeSwap() })
        if (inspect) inspect.onFindings(measured.alongside as LayoutFindings)
        inspect = undefined
        this.fontsLoaded = true
        return measured.layout
      },
      set: async (set: Record<string, string>, breaks: readonly string[], breakAt?: number) => {
        const swap = this.takeSwap()
        if (swap) await page.evaluate(swap)
        await setLayout(page, set, breaks, breakAt)
      },
    }
    const { pdf, outcome } = await printFitted(target, fit, countPages)
    options.onFit?.(outcome)
    return pdf
  }

  /**
   * The page printed with its backgrounds, CSS page size, tags and outline: what page.pdf() asks of Chromium, once the
   * fonts are loaded as it waits for them (a measure waited already, when there was one), but with the PDF in the
   * protocol's answer rather than read back from a stream in three more messages (each wakes the browser and costs the
   * command 0.4-0.8 ms on a busy machine).
   */
  private async pdf(): Promise<Uint8Array> {
    const swap = this.takeSwap()
    if (swap || !this.fontsLoaded) await this.page.evaluate(`(async () => { ${swap ? `await ${swap};` : ''} await ${FONTS_READY} })()`)
    const printed = (await this.session.send('Page.printToPDF', PRINT)) as { data: string }
    return Buffer.from(printed.data, 'base64')
  }

  /** The body swap still to send, taken (it is sent once). */
  private takeSwap(): string | undefined {
    const swap = this.swap
    this.swap = undefined
    return swap
  }

  /**
   * The document arrives through setContent and its images are data: URLs; the theme's fonts are answered from memory
   * under their stable URLs (cacheable: a page fetches each once, not once per sheet). Nothing else loads.
   */
  private answer(request: HTTPRequest): void {
    const url = request.url()
    if (url.startsWith('data:') || url === 'about:blank') {
      request.continue().catch(() => {})
      return
    }
    const file = url.startsWith(`${ASSET_ORIGIN}/`) ? this.served?.get(url) : undefined
    if (file !== undefined) {
      request.respond({ status: 200, headers: SERVED_HEADERS, contentType: 'font/woff2', body: servedBytes(file) }).catch(() => {})
      return
    }
    this.onBlocked(url)
    request.abort('blockedbyclient').catch(() => {})
  }

  /** Closes the page (and, when it was the last of its site, its renderer process); never throws. */
  async close(): Promise<void> {
    await this.page.close().catch(() => {})
  }
}

/**
 * Page.printToPDF's parameters as Puppeteer's page.pdf() sends them for { printBackground, preferCSSPageSize, tagged,
 * outline }, the PDF in the answer (a unit test holds them to Puppeteer's own option parsing).
 */
export const PRINT = {
  transferMode: 'ReturnAsBase64',
  landscape: false,
  displayHeaderFooter: false,
  headerTemplate: '',
  footerTemplate: '',
  printBackground: true,
  scale: 1,
  paperWidth: 8.5,
  paperHeight: 11,
  marginTop: 0,
  marginBottom: 0,
  marginLeft: 0,
  marginRight: 0,
  pageRanges: '',
  preferCSSPageSize: true,
  generateTaggedPDF: true,
  generateDocumentOutline: true,
} as const

/** Fonts are requested from the document's opaque origin (CORS); their URLs name a package version, so they never change. */
const SERVED_HEADERS = { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, max-age=31536000, immutable' }

/** Each served file is read once per process. */
const servedFiles = new Map<string, Buffer>()

function servedBytes(file: string): Buffer {
  let bytes = servedFiles.get(file)
  if (!bytes) servedFiles.set(file, (bytes = readFileSync(file)))
  return bytes
}

/** The work's result, or a RenderTimeout when it takes longer than `ms` milliseconds (the work itself is not stopped). */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new SheetError({ code: 'RenderTimeout', message: `the sheet did not finish printing within ${(ms / 1000).toFixed(1)} s` })),
      ms,
    )
  })
  work.catch(() => {})
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}
