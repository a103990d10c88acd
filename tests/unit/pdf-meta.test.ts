/** The headings a sheet's bookmarks are mended with, read from its HTML. */
import { describe, expect, it } from 'vitest'
import { headingTexts } from '../../src/print/pdf-meta.ts'

describe('headingTexts', () => {
  it('reads every h1-h6 in order, inline markup and entities included, whitespace folded', () => {
    const html =
      '<body><header class="top"><h1 class="title">Migration\n   Partnership &amp; <em>Facility</em></h1></header>' +
      '<p>Text with <b>h2</b> in it</p><svg viewBox="0 0 1 1"><path d="M0,0L1,1Z"/></svg>' +
      '<section><H2 id="a">Activities</H2><hr><h3>Training of <a href="https://example.org">caseworkers</a></h3></section>' +
      '<h6\n>Last</h6 ></body>'
    expect(headingTexts(html)).toEqual(['Migration Partnership & Facility', 'Activities', 'Training of caseworkers', 'Last'])
  })

  it('finds none in a body without headings, and keeps a heading left open', () => {
    expect(headingTexts('<body><p>No heading</p><header>Not one</header></body>')).toEqual([])
    expect(headingTexts('<body><h2>Budget</body>')).toEqual(['Budget'])
  })
})
