/** Markdown (record bodies, programme blurbs) → sanitised HTML: an allowlist of what a fact sheet needs, images inlined, nothing else kept. */
import { Parser } from 'htmlparser2'
import MarkdownIt from 'markdown-it'
import sanitizeHtml from 'sanitize-html'
import { findInside, imageDataUrl } from './files.ts'

/** Options for rendering a record's Markdown. */
export interface MarkdownOptions {
  /** Folder relative image paths are read from; an image outside it is dropped. */
  baseDir: string
  /** Heading levels are shifted so that the body's top level is this level (the sheet's title is h1). */
  topLevel?: number
}

/** Rendered Markdown: the lead (text before the first heading), the rest, and what was dropped. */
export interface RenderedMarkdown {
  /** Everything as one HTML string. */
  html: string
  /** Text before the first heading. */
  lead: string
  /** From the first heading on. */
  sections: string
  /** Human-readable notes about removed content (remote images, unsafe links). */
  warnings: string[]
}

/** Renders Markdown (which may carry HTML) to HTML that keeps only allowlisted tags, attributes and URL schemes. */
export function renderMarkdown(source: string, options: MarkdownOptions): RenderedMarkdown {
  const warnings: string[] = []
  const tokens = md.parse(source, {})
  const levels = tokens.filter((token) => token.type === 'heading_open').map((token) => Number(token.tag.slice(1)))
  // The body's own top heading level becomes topLevel (the sheet's title is h1), keeping the body's hierarchy.
  const shift = (options.topLevel ?? 2) - (levels.length > 0 ? Math.min(...levels) : 2)
  const split = tokens.findIndex((token) => token.type === 'heading_open')
  const render = (part: typeof tokens) => sanitize(md.renderer.render(part, md.options, {}), options, shift, warnings)
  const lead = render(split === -1 ? tokens : tokens.slice(0, split))
  const sections = split === -1 ? '' : render(tokens.slice(split))
  return { html: lead + sections, lead, sections, warnings }
}

/** Images in Markdown (or its HTML) without a text alternative, with their 0-based line in the source. */
export function findImagesWithoutAlt(source: string): { line: number; src: string }[] {
  const found: { line: number; src: string }[] = []
  // Most records have no image at all: no need to parse them for this.
  if (!source.includes('![') && !/<img/i.test(source)) return found
  let blockLine = 0
  for (const token of md.parse(source, {})) {
    if (token.map) blockLine = token.map[0]
    if (token.type === 'html_block') found.push(...htmlImagesWithoutAlt(token.content, blockLine))
    for (const child of token.children ?? []) {
      if (child.type === 'image' && !child.content.trim()) found.push({ line: blockLine, src: child.attrGet('src') ?? '' })
      if (child.type === 'html_inline') found.push(...htmlImagesWithoutAlt(child.content, blockLine))
    }
  }
  return found
}

// --- internal ---

function htmlImagesWithoutAlt(html: string, line: number): { line: number; src: string }[] {
  const found: { line: number; src: string }[] = []
  const parser = new Parser({
    onopentag(name, attributes) {
      if (name === 'img' && !attributes.alt?.trim())
        found.push({ line: line + (html.slice(0, parser.startIndex).match(/\n/g)?.length ?? 0), src: attributes.src ?? '' })
    },
  })
  parser.end(html)
  return found
}

const md = new MarkdownIt({ html: true, linkify: true, typographer: true, breaks: false })
// Every link reaches the sanitizer, which keeps http(s) and mailto and reports the rest, instead of markdown-it
// silently printing a refused link's source text.
md.validateLink = () => true

const HEADING = /^h[1-6]$/

const ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'strong',
  'b',
  'em',
  'i',
  'u',
  's',
  'del',
  'ins',
  'mark',
  'small',
  'sub',
  'sup',
  'abbr',
  'cite',
  'q',
  'code',
  'pre',
  'span',
  'a',
  'img',
  'figure',
  'figcaption',
  'table',
  'caption',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'colgroup',
  'col',
]

function sanitize(html: string, options: MarkdownOptions, shift: number, warnings: string[]): string {
  const heading = (level: number) => `h${Math.min(6, Math.max(2, level + shift))}`
  const removed = new Set<string>()
  const clean = sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    disallowedTagsMode: 'discard',
    // Say what was dropped, so that whoever wrote it learns it will not print.
    onOpenTag: (name, attributes) => {
      if (!ALLOWED_TAGS.includes(name) && !HEADING.test(name)) removed.add(`<${name}>`)
      for (const attribute of Object.keys(attributes))
        if (/^on/i.test(attribute) || (attribute === 'style' && name !== 'th' && name !== 'td')) removed.add(`${attribute}=`)
    },
    allowedAttributes: {
      a: ['href', 'title'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      abbr: ['title'],
      th: ['colspan', 'rowspan', 'scope', 'align', 'style'],
      td: ['colspan', 'rowspan', 'align', 'style'],
      ol: ['start'],
      col: ['span'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['data'] },
    allowProtocolRelative: false,
    // Only table column alignment, as markdown-it writes it; no other inline style (no url(), no positioning).
    allowedStyles: { th: { 'text-align': [/^(left|right|center)$/] }, td: { 'text-align': [/^(left|right|center)$/] } },
    // Text inside dropped script/style/iframe elements is dropped too, not printed.
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'template', 'title', 'head', 'svg', 'math'],
    transformTags: {
      h1: heading(1),
      h2: heading(2),
      h3: heading(3),
      h4: heading(4),
      h5: heading(5),
      h6: heading(6),
      a: (tagName, attribs) => {
        const href = attribs.href ?? ''
        if (href && !/^(https?:|mailto:)/i.test(href)) {
          warnings.push(`link "${href}" was removed: only http, https and mailto links are kept`)
          const { href: _dropped, ...rest } = attribs
          return { tagName, attribs: rest }
        }
        return { tagName, attribs }
      },
      img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, src: inlineImage(attribs.src ?? '', options.baseDir, warnings) } }),
    },
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
  })
  if (removed.size > 0) warnings.push(`removed what a fact sheet does not print: ${[...removed].slice(0, 12).join(', ')}`)
  return clean
}

function inlineImage(src: string, baseDir: string, warnings: string[]): string {
  if (src.startsWith('data:image/') && !src.startsWith('data:image/svg')) return src
  const file = findInside([baseDir], src)
  const data = file ? imageDataUrl(file) : undefined
  if (!data) warnings.push(`image "${src.slice(0, 100)}" was removed: images must be files in the content folder (png, jpg, gif, webp or svg)`)
  return data ?? ''
}
