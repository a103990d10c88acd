/** What a theme really paints: every text element's colour against the background behind it, on a rendered sample sheet. */
import { readFileSync } from 'node:fs'
import { wcagContrast } from 'culori'
import postcss from 'postcss'
import type { Browser } from 'puppeteer-core'
import { SheetError } from '../core/errors.ts'
import { displayPath } from '../core/files.ts'
import { parseRecordText } from '../record/load.ts'
import { validateRecord } from '../record/validate.ts'
import { buildModel } from '../sheet/model.ts'
import { renderHtml } from '../sheet/render-html.ts'
import type { Theme } from '../theme/theme.ts'
import { MIN_CONTRAST } from '../theme/tokens.ts'
import { paintedText, type PaintedText } from './painted-text.ts'

/** A sample sheet of each theme rendered in a browser of its own, every text element's colour measured on its background. */
export async function measureThemes(browserPath: string | undefined, themes: readonly Theme[], cwd: string): Promise<{ errors: SheetError[]; warnings: SheetError[] }> {
  const { ensureBrowser, launchBrowser } = await import('./browser.ts')
  const browser = await launchBrowser((await ensureBrowser(browserPath)).executablePath)
  const painted = { errors: [] as SheetError[], warnings: [] as SheetError[] }
  try {
    for (const theme of themes) {
      const found = await measureContrast(browser, theme, cwd)
      painted.errors.push(...found.errors)
      painted.warnings.push(...found.warnings)
    }
  } finally {
    await browser.close()
  }
  return painted
}

/** One text element below WCAG AA on what is painted behind it. */
export interface PaintedContrast extends PaintedText {
  ratio: number
  needed: number
}

/**
 * Renders a built-in sample sheet (trusted text, no record content) in the theme on a page of its own where scripts
 * may measure, and returns every text element whose colour on its effective background is below WCAG AA, as errors
 * (body text) and warnings (large text), each at the CSS rule that sets its colour (file and line).
 */
export async function measureContrast(browser: Browser, theme: Theme, cwd: string): Promise<{ errors: SheetError[]; warnings: SheetError[] }> {
  const page = await browser.newPage()
  try {
    await page.setRequestInterception(true)
    // Trusted theme-only HTML; still, nothing but data: URLs loads.
    page.on('request', (request) => void (request.url().startsWith('data:') ? request.continue() : request.abort('blockedbyclient')).catch(() => {}))
    await page.emulateMediaType('print')
    await page.setViewport({ width: 794, height: 1123 })
    const found = new Map<string, { error: SheetError; large: boolean }>()
    // One sample per status: each paints its badge in another colour.
    for (const status of ['planned', 'ongoing', 'completed']) {
      await page.setContent(renderHtml(buildModel(sampleRecord(theme, status), theme), theme), { waitUntil: 'load' })
      for (const text of (await page.evaluate(paintedText)) as PaintedText[]) {
        const ratio = wcagContrast(text.color, text.background)
        const needed = text.large ? MIN_CONTRAST.large : MIN_CONTRAST.body
        if (ratio >= needed) continue
        const error = contrastError({ ...text, ratio, needed }, theme, cwd)
        found.set(error.message, { error, large: text.large })
      }
    }
    const all = [...found.values()]
    return { errors: all.filter((item) => !item.large).map((item) => item.error), warnings: all.filter((item) => item.large).map((item) => item.error) }
  } finally {
    await page.close()
  }
}

// --- internal ---

function contrastError(found: PaintedContrast, theme: Theme, cwd: string): SheetError {
  const where = ruleLocation(found.rule, 'color', theme, cwd)
  const behind = found.backgroundRule ? ruleLocation(found.backgroundRule, 'background', theme, cwd) : undefined
  const size = found.large ? 'large text' : 'text'
  const background = behind ? ` (background: ${found.backgroundRule} at ${behind.file}:${behind.line})` : ''
  return new SheetError({
    code: 'ThemeInvalid',
    message: `${size} "${found.text}" (${found.element}) is painted ${found.color} on ${found.background}${background}: ${found.ratio.toFixed(2)}:1, below the ${found.needed}:1 of WCAG AA`,
    loc: where ?? { file: displayPath(theme.dir, cwd) },
    field: found.rule ? `color of ${found.rule}` : undefined,
    hint: 'change the colour of this rule or the background behind the element until the ratio is met',
  })
}

/** The file and line of the last rule with this selector that sets the property, derived theme first. */
function ruleLocation(selector: string | null, prop: string, theme: Theme, cwd: string): { file: string; line: number } | undefined {
  if (!selector) return undefined
  for (const file of theme.files.filter((name) => name.endsWith('.css')).reverse()) {
    let found: number | undefined
    postcss.parse(readFileSync(file, 'utf8')).walkRules((rule) => {
      if (rule.selector.replace(/\s+/g, ' ') !== selector) return
      rule.walkDecls((decl) => {
        if (decl.prop === prop || decl.prop.startsWith(`${prop}-`)) found = decl.source?.start?.line
      })
    })
    if (found !== undefined) return { file: displayPath(file, cwd), line: found }
  }
  return undefined
}

/** A sample record with every part a sheet shows: subtitle, two budget lines, a programme, headings, a table, a quote, a link. */
function sampleRecord(theme: Theme, status: string) {
  const programme = theme.programmes.keys().next().value
  const text = `---
title: Sample project for the contrast check
subtitle: Every part of a sheet, with trusted sample text
status: ${status}
${programme ? `programme: ${programme}\n` : ''}implementer: ICMPD
beneficiary: Jordan
countries: [EU countries, Jordan]
period: { start: 2020-02${status === 'completed' ? ', end: 2021-10' : ''} }
budget:
  - { amount: 1000.00, currency: EUR, fund: AMIF }
  - { amount: 2000.00, currency: EUR, fund: ISF }
---

A lead paragraph with a [link](https://example.org).

## Activities

### An activity

Text with *emphasis*.

> A quotation.

| a | b |
|---|---|
| 1 | 2 |
`
  const record = validateRecord(parseRecordText(text, 'sample.md'))
  if (Array.isArray(record)) throw record[0]
  return record
}
