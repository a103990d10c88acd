/** The in-page measurement of the contrast check: each text element's computed colour and the background painted behind it. */

/** A text element as the page paints it. */
export interface PaintedText {
  /** "p.badge.badge-ongoing" */
  element: string
  /** Its first words. */
  text: string
  /** #rrggbb, its computed colour composited over its background. */
  color: string
  /** #rrggbb, the backgrounds of it and its ancestors composited over white paper. */
  background: string
  /** 18pt, or 14pt bold: WCAG's large text. */
  large: boolean
  /** The selector of the last style rule that sets `color` on it or on the ancestor it inherits its colour from. */
  rule: string | null
  /** The selector of the last style rule that paints the nearest background behind it, if any. */
  backgroundRule: string | null
}

/**
 * The script evaluated in the page (a string: it must not carry the bundler's helpers). It walks every element with
 * its own visible text, composites background colours from the element up to the paper, and finds the rule of its colour.
 */
export const paintedText = `(() => {
  const parse = (value) => {
    const numbers = (value.match(/-?[\\d.]+/g) || []).map(Number)
    if (value.startsWith('color(srgb')) return { r: numbers[0] * 255, g: numbers[1] * 255, b: numbers[2] * 255, a: numbers.length > 3 ? numbers[3] : 1 }
    return { r: numbers[0] || 0, g: numbers[1] || 0, b: numbers[2] || 0, a: numbers.length > 3 ? numbers[3] : 1 }
  }
  const over = (top, bottom) => ({ r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a), b: top.b * top.a + bottom.b * (1 - top.a), a: 1 })
  const hex = (c) => '#' + [c.r, c.g, c.b].map((n) => Math.round(Math.max(0, Math.min(255, n))).toString(16).padStart(2, '0')).join('')
  const styleRules = []
  for (const sheet of document.styleSheets) for (const rule of sheet.cssRules) if (rule.selectorText) styleRules.push(rule)
  const ruleOf = (element, props, stop) => {
    for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
      const matching = styleRules.filter((rule) => props.some((prop) => rule.style.getPropertyValue(prop)) && (() => { try { return node.matches(rule.selectorText) } catch { return false } })())
      if (matching.length > 0) return matching[matching.length - 1].selectorText
      if (stop) return null
    }
    return null
  }
  const backgroundElement = (element) => {
    for (let node = element; node && node.nodeType === 1; node = node.parentElement) if (parse(getComputedStyle(node).backgroundColor).a > 0) return node
    return null
  }
  const backgroundOf = (element) => {
    const layers = []
    for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor)
      if (colour.a > 0) layers.push(colour)
      if (colour.a >= 1) break
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), { r: 255, g: 255, b: 255, a: 1 })
  }
  const found = []
  for (const element of document.body.querySelectorAll('*')) {
    const own = [...element.childNodes].filter((node) => node.nodeType === 3 && node.textContent.trim()).map((node) => node.textContent.trim()).join(' ')
    if (!own) continue
    const style = getComputedStyle(element)
    if (style.display === 'none' || style.visibility !== 'visible' || element.getClientRects().length === 0) continue
    const background = backgroundOf(element)
    const size = parseFloat(style.fontSize)
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700)
    const element_ = element.tagName.toLowerCase() + [...element.classList].map((name) => '.' + name).join('')
    found.push({ element: element_, text: own.slice(0, 40), color: hex(over(parse(style.color), background)), background: hex(background), large, rule: ruleOf(element, ['color'], false), backgroundRule: backgroundElement(element) && ruleOf(backgroundElement(element), ['background', 'background-color'], true) })
  }
  return found
})()`
