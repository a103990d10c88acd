import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderMarkdown } from '../../src/core/markdown.ts'

/** A 1x1 transparent PNG. */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='

let tmp: string
let contentDir: string

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'factsheets-markdown-'))
  contentDir = path.join(tmp, 'content')
  fs.mkdirSync(path.join(contentDir, 'images'), { recursive: true })
  fs.writeFileSync(path.join(contentDir, 'images', 'dot.png'), Buffer.from(PNG_BASE64, 'base64'))
  fs.writeFileSync(path.join(contentDir, 'mark.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
  // A real image outside the content folder: dropping it proves the traversal check, not a missing file.
  fs.writeFileSync(path.join(tmp, 'outside.png'), Buffer.from(PNG_BASE64, 'base64'))
  fs.writeFileSync(path.join(contentDir, 'notes.txt'), 'not an image')
})

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true })
})

const render = (source: string) => renderMarkdown(source, { baseDir: contentDir })

describe('what renderMarkdown keeps', () => {
  it('keeps emphasis and strong text', () => {
    expect(render('Some *em* and **strong** text.').html).toBe('<p>Some <em>em</em> and <strong>strong</strong> text.</p>\n')
  })

  it('keeps bullet and numbered lists', () => {
    const { html } = render('- one\n- two\n\n3. three\n4. four\n')
    expect(html).toContain('<ul>\n<li>one</li>\n<li>two</li>\n</ul>')
    expect(html).toContain('<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>')
  })

  it('keeps tables', () => {
    const { html } = render('| Fund | Amount |\n|---|---|\n| AMIF | 5 |\n')
    expect(html).toBe(
      '<table>\n<thead>\n<tr>\n<th>Fund</th>\n<th>Amount</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>AMIF</td>\n<td>5</td>\n</tr>\n</tbody>\n</table>\n',
    )
  })

  it('keeps https and mailto links with their text', () => {
    const { html, warnings } = render('[ICMPD](https://www.icmpd.org/) and [mail](mailto:mpf@icmpd.org)')
    expect(html).toContain('<a href="https://www.icmpd.org/">ICMPD</a>')
    expect(html).toContain('<a href="mailto:mpf@icmpd.org">mail</a>')
    expect(warnings).toEqual([])
  })

  it('turns a # heading into h2, because the sheet title is the only h1', () => {
    const { html } = render('# Activities\n')
    expect(html).toBe('<h2>Activities</h2>\n')
    expect(html).not.toContain('<h1')
  })

  it('keeps a body that starts at ## as h2, with ### under it as h3', () => {
    expect(render('## Activities\n\n### Training\n').html).toBe('<h2>Activities</h2>\n<h3>Training</h3>\n')
  })

  it('keeps {{x}} and other template syntax as literal text', () => {
    const { html } = render('Hello {{x}}, {{{lead}}} and {{#if a}}b{{/if}}.')
    expect(html).toContain('{{x}}')
    expect(html).toContain('{{{lead}}}')
    expect(html).toContain('{{#if a}}b{{/if}}')
  })
})

describe('what renderMarkdown drops', () => {
  it('drops <script> with its content', () => {
    const { html } = render('Text <script>alert("x")</script> more\n\n<script>\nalert(2)\n</script>\n')
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toContain('alert')
  })

  it('drops <iframe>, <object> and <embed>', () => {
    const { html } = render('<iframe src="https://evil.example/"></iframe>\n<object data="x.swf">fallback</object>\n<embed src="x.swf">\n\nText.')
    expect(html).not.toMatch(/<(iframe|object|embed)/i)
    expect(html).not.toContain('evil.example')
    expect(html).not.toContain('x.swf')
    expect(html).toContain('<p>Text.</p>')
  })

  it('drops <form> and its inputs', () => {
    const { html } = render('<form action="https://evil.example/steal"><input name="a"><button>Send</button></form>\n\nText.')
    expect(html).not.toMatch(/<(form|input|button)/i)
    expect(html).not.toContain('evil.example')
  })

  it('drops <meta>, <base> and <style>', () => {
    const { html } = render(
      '<meta http-equiv="refresh" content="0;url=https://evil.example/">\n<base href="https://evil.example/">\n<style>body { background: url(https://evil.example/x.png) }</style>\n\nText.',
    )
    expect(html).not.toMatch(/<(meta|base|style)/i)
    expect(html).not.toContain('evil.example')
    expect(html).not.toContain('background')
  })

  it('drops on* event handlers and keeps the element', () => {
    const { html } = render('<span onclick="steal()" onmouseover="steal()">hover</span> <img src="images/dot.png" onerror="steal()" alt="dot">')
    expect(html).not.toMatch(/\son\w+=/i)
    expect(html).not.toContain('steal')
    expect(html).toContain('<span>hover</span>')
    expect(html).toContain('alt="dot"')
  })

  it('drops the href of a javascript: link, keeps its text, and reports a warning', () => {
    const { html, warnings } = render('<a href="javascript:alert(1)">click</a> and <a href="JaVaScRiPt:alert(2)">this</a>')
    expect(html).not.toMatch(/javascript/i)
    expect(html).toContain('<a>click</a>')
    expect(warnings).toHaveLength(2)
    expect(warnings[0]).toContain('javascript:alert(1)')
    expect(warnings[0]).toContain('only http, https and mailto links are kept')
  })

  it('drops links to data:, file: and relative targets with a warning', () => {
    const { html, warnings } = render('<a href="data:text/html,hi">a</a> <a href="file:///etc/passwd">b</a> <a href="//evil.example/">c</a>')
    expect(html).not.toContain('href')
    expect(warnings).toHaveLength(3)
  })

  it('drops a remote image and reports a warning', () => {
    const { html, warnings } = render('![remote](https://evil.example/track.png)')
    expect(html).not.toContain('<img')
    expect(html).not.toContain('evil.example')
    expect(warnings).toEqual(['image "https://evil.example/track.png" was removed: images must be files in the content folder (png, jpg, gif, webp or svg)'])
  })

  it('drops an image that climbs out of the content folder with ../ and reports a warning', () => {
    const { html, warnings } = render('![outside](../outside.png) ![also](images/../../outside.png)')
    expect(html).not.toContain('<img')
    expect(warnings).toHaveLength(2)
    expect(warnings[0]).toContain('"../outside.png" was removed')
  })

  it('drops absolute and protocol-relative image paths with a warning', () => {
    const { html, warnings } = render(`![abs](${path.join(tmp, 'outside.png')}) ![proto](//evil.example/x.png)`)
    expect(html).not.toContain('<img')
    expect(warnings).toHaveLength(2)
  })

  it('drops a file that is not an image, and a missing image, with a warning', () => {
    const { html, warnings } = render('![notes](notes.txt) ![gone](images/missing.png)')
    expect(html).not.toContain('<img')
    expect(warnings).toHaveLength(2)
  })
})

describe('images inside the content folder', () => {
  it('inlines a relative PNG as a data: URL with its bytes', () => {
    const { html, warnings } = render('![A dot](images/dot.png)')
    expect(html).toBe(`<p><img src="data:image/png;base64,${PNG_BASE64}" alt="A dot" /></p>\n`)
    expect(warnings).toEqual([])
  })

  it('inlines a relative SVG written with ./ as a data: URL', () => {
    const { html } = render('![Mark](./mark.svg)')
    const expected = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>').toString('base64')
    expect(html).toContain(`src="data:image/svg+xml;base64,${expected}"`)
  })

  it('inlines an image given as HTML <img> too', () => {
    expect(render('<img src="images/dot.png" alt="dot" width="10">').html).toContain(`<img src="data:image/png;base64,${PNG_BASE64}" alt="dot" width="10" />`)
  })
})

describe('heading levels and Markdown-syntax links (regressions: these failed on the first version of markdown.ts)', () => {
  it('shifts headings so that a body using # and ## keeps its hierarchy: # becomes h2 and ## becomes h3', () => {
    // The first version clamped (max(2, level)) instead of shifting, so # and ## both came out as h2.
    expect(render('# Activities\n\n## Training\n').html).toBe('<h2>Activities</h2>\n<h3>Training</h3>\n')
  })

  it('puts the top heading of the body at topLevel: with topLevel 3, # becomes h3', () => {
    // MarkdownOptions.topLevel says the body's top level becomes this level; # used to come out as h2.
    expect(renderMarkdown('# Activities\n', { baseDir: contentDir, topLevel: 3 }).html).toBe('<h3>Activities</h3>\n')
  })

  it('reports a warning for a javascript: link written in Markdown syntax, and does not print it as raw text', () => {
    // markdown-it's own validateLink refused [text](javascript:...), which then stayed as literal Markdown, with no warning.
    const { html, warnings } = render('[click](javascript:alert(1))')
    expect(html).not.toContain('javascript:')
    expect(warnings.some((warning) => warning.includes('javascript:'))).toBe(true)
  })
})
