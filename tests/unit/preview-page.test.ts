import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeError } from '../../src/core/error-view.ts'
import { SheetError } from '../../src/core/errors.ts'
import { appPart, errorPage, fillNonce, indexPage, pageCsp, sheetPage, type PageProblem, type SheetView } from '../../src/preview/page.ts'

const HOSTILE = '<script>alert(1)</script> <nonce> "quoted"'

const sheet = (over: Partial<SheetView> = {}): SheetView => ({
  version: 'v1',
  id: 'jempas-ii',
  title: 'Capacity Building',
  file: 'content/jempas-ii.md',
  pageCount: 2,
  pages: [
    { src: '/sheet/jempas-ii/page-1.png?v=abc', width: 794, height: 1123 },
    { src: '/sheet/jempas-ii/page-2.png?v=abc', width: 794, height: 1123 },
  ],
  problems: [],
  warnings: [],
  ...over,
})

describe('preview pages', () => {
  it('escape record text everywhere, so a title can neither run script nor learn the nonce', () => {
    const html = fillNonce(
      indexPage({
        version: 'v1',
        content: 'content',
        theme: 'mpf',
        rows: [{ id: 'x', title: HOSTILE, file: 'content/x.md', problems: [] }],
        problems: [],
        warnings: [],
      }),
      'N0NCE',
    )
    expect(html).not.toContain('<script>alert')
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#60;nonce&#62; &#34;quoted&#34;')
    expect(html.match(/<script nonce="N0NCE">/g)).toHaveLength(1)
    expect(html.match(/<style nonce="N0NCE">/g)).toHaveLength(1)
    expect(html).not.toContain('N0NCE"quoted')
  })

  it('link each record with an id to its sheet, and show its problems inline', () => {
    const html = indexPage({
      version: 'v1',
      content: 'content',
      theme: 'mpf',
      rows: [
        { id: 'a', title: 'A', status: 'ongoing', file: 'content/a.md', problems: [] },
        {
          title: 'content/Bad.md',
          file: 'content/Bad.md',
          problems: [{ code: 'MissingField', header: 'content/Bad.md:1 title: is required', message: 'is required', frame: [], hint: 'add it' }],
        },
      ],
      problems: [],
      warnings: [],
    })
    expect(html).toContain('<a href="/sheet/a">A</a>')
    expect(html).not.toContain('href="/sheet/undefined"')
    expect(html).toContain('content/Bad.md:1 title: is required')
    expect(html).toContain('hint: add it   <span class="code">[MissingField]</span>')
    expect(html).toContain('1 with errors')
  })

  it('show a sheet as page images with captions and a download link, or the overlay instead', () => {
    const good = sheetPage(sheet())
    expect(good.match(/<img /g)).toHaveLength(2)
    expect(good).toContain('Page 2 of 2')
    expect(good).toContain('href="/sheet/jempas-ii.pdf"')
    expect(good).not.toContain('class="overlay"')
    const problem: PageProblem = {
      code: 'InvalidField',
      header: 'content/jempas-ii.md:13 budget[0].currency: nope',
      message: 'nope',
      frame: [{ number: 13, text: 'x', current: true }],
      hint: 'EUR',
    }
    const bad = sheetPage(sheet({ pages: [], problems: [problem] }))
    expect(bad).toContain('class="overlay"')
    expect(bad).not.toContain('<img ')
    expect(bad).not.toContain('Download PDF')
  })

  it('give the page script only the #app element to swap in', () => {
    const part = appPart(sheetPage(sheet()))
    expect(part.startsWith('<div id="app" data-version="v1"')).toBe(true)
    expect(part.trimEnd().endsWith('</div>')).toBe(true)
    expect(part).not.toContain('<script')
    expect(part).not.toContain('<style')
  })

  it('allow only their own inline script and style, same-origin images and events', () => {
    expect(pageCsp('N')).toBe(
      "default-src 'none'; script-src 'nonce-N'; style-src 'nonce-N'; img-src 'self'; connect-src 'self'; object-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    )
  })
})

describe('the error overlay', () => {
  /** The text of an element of a page, tags removed and entities of the escaped text decoded. */
  const text = (html: string, pattern: RegExp) =>
    (pattern.exec(html)?.[1] ?? '').replace(/<[^>]+>/g, '').replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)))

  it('shows the header, the code frame with the error line marked, and the hint with the code, from the error\'s fields', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'preview-problem-'))
    try {
      writeFileSync(path.join(dir, 'x.md'), '---\ntitle: A\nbudget:\n  - { currency: EURO }\n---\n')
      const error = new SheetError({
        code: 'InvalidField',
        message: 'bad',
        field: 'budget[0].currency',
        hint: 'did you mean "EUR"?',
        loc: { file: 'x.md', line: 4 },
      })
      const html = sheetPage(sheet({ pages: [], problems: [describeError(error, dir)] }))
      expect(text(html, /<p class="header">([\s\S]*?)<\/p>/)).toBe('x.md:4 budget[0].currency: bad')
      const frame = text(html, /<pre class="frame">([\s\S]*?)<\/pre>/)
      expect(frame).toContain('> 4 |   - { currency: EURO }')
      expect(frame).toContain('  3 | budget:')
      expect(html).toMatch(/<span class="current">&#62; 4 \|   - \{ currency: EURO \}<\/span>/)
      expect(text(html, /<p class="hint">([\s\S]*?)<\/p>/)).toBe('hint: did you mean "EUR"?   [InvalidField]')
      expect(html).not.toContain('\u001b')
      expect(html).not.toContain('class="stack"')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('escapes every field of a problem', () => {
    const problem: PageProblem = {
      code: 'InvalidField',
      header: `x.md:1 ${HOSTILE}`,
      message: HOSTILE,
      frame: [{ number: 1, text: HOSTILE, current: true }],
      hint: HOSTILE,
    }
    const html = fillNonce(sheetPage(sheet({ pages: [], problems: [problem] })), 'N0NCE')
    expect(html).not.toContain('<script>alert')
    expect(html.match(/&#60;script&#62;alert\(1\)&#60;\/script&#62; &#60;nonce&#62; &#34;quoted&#34;/g)).toHaveLength(3)
    expect(html.match(/N0NCE/g)).toHaveLength(2)
  })

  it('shows anything else as an internal error with its stack', () => {
    const html = errorPage('v1', describeError(new TypeError('boom'), '/'))
    expect(text(html, /<p class="header">([\s\S]*?)<\/p>/)).toBe('internal error: boom')
    expect(text(html, /<pre class="stack">([\s\S]*?)<\/pre>/)).toContain('TypeError: boom')
    expect(text(html, /<p class="hint">([\s\S]*?)<\/p>/)).toBe('hint: the preview keeps running   [internal]')
  })
})
