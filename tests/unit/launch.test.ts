import puppeteer from 'puppeteer-core'
import { describe, expect, it } from 'vitest'
import { parsePDFOptions } from 'puppeteer-core/internal/common/util.js'
import { BROWSER_ARGS, chromiumArgs, isHeadlessShell, PRINTER_ARGS } from '../../src/print/launch.ts'
import { PRINT } from '../../src/print/locked-page.ts'

describe('the browser command line', () => {
  // The build starts Chromium itself (so that it boots while the command loads) and speaks to it with Puppeteer over
  // the pipe: the command line must stay the one Puppeteer's own launch would give, or the PDFs would change with it.
  it.each([
    ['/usr/lib/chromium/chromium-headless-shell', 'shell' as const],
    ['/usr/bin/chromium', true],
  ])('is what Puppeteer launches for %s, with the protocol on a pipe', (executable, headless) => {
    expect(isHeadlessShell(executable)).toBe(headless === 'shell')
    const expected = [...puppeteer.defaultArgs({ headless, args: [...PRINTER_ARGS], userDataDir: '/tmp/profile' }), '--remote-debugging-pipe']
    expect(chromiumArgs(executable, '/tmp/profile')).toEqual(expected)
    // A browser for pages a person uses (the catalogue test's) draws its frames: the same line without frame control.
    expect(PRINTER_ARGS).toEqual([...BROWSER_ARGS, '--enable-begin-frame-control'])
    const viewer = [...puppeteer.defaultArgs({ headless, args: [...BROWSER_ARGS], userDataDir: '/tmp/profile' }), '--remote-debugging-pipe']
    expect(chromiumArgs(executable, '/tmp/profile', BROWSER_ARGS)).toEqual(viewer)
  })
})

describe('the print request', () => {
  // A page prints with Page.printToPDF itself (the PDF in the answer, not a stream): its parameters must stay those
  // page.pdf() would send for the same options, or the PDFs would change with a new Puppeteer.
  it('is what page.pdf() asks for a sheet, the PDF returned in the answer', () => {
    const options = parsePDFOptions({ printBackground: true, preferCSSPageSize: true, tagged: true, outline: true })
    expect(PRINT).toEqual({
      transferMode: 'ReturnAsBase64',
      landscape: options.landscape,
      displayHeaderFooter: options.displayHeaderFooter,
      headerTemplate: options.headerTemplate,
      footerTemplate: options.footerTemplate,
      printBackground: options.printBackground,
      scale: options.scale,
      paperWidth: options.width,
      paperHeight: options.height,
      marginTop: options.margin.top,
      marginBottom: options.margin.bottom,
      marginLeft: options.margin.left,
      marginRight: options.margin.right,
      pageRanges: options.pageRanges,
      preferCSSPageSize: options.preferCSSPageSize,
      generateTaggedPDF: options.tagged,
      generateDocumentOutline: options.outline,
    })
  })
})

describe('the debug logger in the compiled command', () => {
  // dist/ puts scripts/debug-once.mjs in place of the debug package: Puppeteer asks for a logger on every message.
  it('makes each logger once and keeps DEBUG working', async () => {
    const script = '../../scripts/debug-once.mjs' // a plain script, without types
    const { default: debug } = (await import(script)) as { default: ((name: string) => { enabled: boolean }) & { enable(names: string): void; disable(): string } }
    const before = debug.disable()
    try {
      expect(debug('puppeteer:protocol:SEND ►')).toBe(debug('puppeteer:protocol:SEND ►'))
      expect(debug('puppeteer:protocol:SEND ►').enabled).toBe(false)
      debug.enable('puppeteer:protocol:*')
      expect(debug('puppeteer:protocol:SEND ►').enabled).toBe(true)
      expect(debug('other').enabled).toBe(false)
    } finally {
      debug.enable(before)
    }
  })
})
