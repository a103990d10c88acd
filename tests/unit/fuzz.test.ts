import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseRecordText } from '../../src/record/load.ts'
import { renderMarkdown } from '../../src/core/markdown.ts'
import { validateRecord } from '../../src/record/validate.ts'

const yamlBits = [
  'title: ',
  'status: ',
  'budget:',
  '  - ',
  '{ amount: ',
  'currency: ',
  '[',
  ']',
  '{',
  '}',
  '&a ',
  '*a',
  '!!binary ',
  '!!js/function ',
  '__proto__: ',
  '"',
  "'",
  '\n',
  '  ',
  '---',
  ': ',
  '#',
  '2020-02',
  '1e21',
  'NaN',
  '\t',
  '\u0000',
  '\u001b[31m',
]
const htmlBits = [
  '<script>',
  '</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">',
  '[x](javascript:alert(1))',
  '<iframe src=//e>',
  '<svg onload=alert(1)>',
  '<style>@import url(//e)</style>',
  '<object data=x>',
  '<p style="background:url(//e)">',
  '<base href=//e>',
  '<meta http-equiv=refresh content="0;url=//e">',
  '<form action=//e>',
  '<a href="data:text/html,<script>x</script>">',
  '**b**',
  '# h',
  '\n\n',
  '<',
  '>',
  '"',
  "'",
  '=',
  'on',
  'load',
  'script',
  'java',
  'script:',
]

const pieces = (bits: string[]) => fc.array(fc.oneof(fc.constantFrom(...bits), fc.string({ maxLength: 6 })), { maxLength: 40 }).map((parts) => parts.join(''))

describe('property: hostile front matter', () => {
  it('#3 parsing and validating never throws, and every problem has a file line', () => {
    fc.assert(
      fc.property(pieces(yamlBits), pieces(['text', '\n', '# x', '{{x}}']), (matter, body) => {
        const source = parseRecordText(`---\n${matter}\n---\n${body}`, 'content/fuzz.md')
        const result = validateRecord(source)
        if (Array.isArray(result)) for (const error of result) expect(error.loc?.line).toBeGreaterThanOrEqual(1)
        expect(Object.prototype).not.toHaveProperty('polluted')
      }),
      { numRuns: 400 },
    )
  })
})

describe('property: hostile Markdown', () => {
  it('#3 the sanitised HTML never carries scripts, event handlers, javascript: URLs, frames or remote styles', () => {
    fc.assert(
      fc.property(pieces(htmlBits), (source) => {
        const { html } = renderMarkdown(source, { baseDir: '/nonexistent-base' })
        const lower = html.toLowerCase()
        for (const tag of ['<script', '<iframe', '<object', '<embed', '<form', '<base', '<meta', '<style', '<svg', '<link']) expect(lower).not.toContain(tag)
        expect(lower).not.toMatch(/<[^>]+\son[a-z]+\s*=/)
        // Inside a real tag (escaped text such as `&lt;a href="data:…"&gt;` in a code span is only text).
        expect(lower).not.toMatch(/<[a-z][^<>]*\s(href|src)\s*=\s*"\s*(javascript|data:text|vbscript)/)
        // Likewise: `<p style="background:url(…)">` in a code span is text, only a real tag's style attribute counts.
        expect(lower).not.toMatch(/<[a-z][^<>]*\sstyle\s*=\s*"[^"]*url\(/)
      }),
      { numRuns: 400 },
    )
  })
})
