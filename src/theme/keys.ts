/** Every key of theme.json checked: fixed keys against the schema, colour and font names against what the theme uses. */
import { closest, SheetError } from '../core/errors.ts'
import { locate } from '../core/located-yaml.ts'
import type { ThemeTokens } from './schema.ts'
import type { ThemeLayer, ThemeWarning } from './tokens.ts'

/**
 * Colour and font names that nothing uses: a near-miss of a name the base theme defines or the CSS uses (`primray` for
 * `primary`) is an error at its line, with the name it likely meant; any other unused name is a warning.
 */
export function checkTokenNames(chain: readonly ThemeLayer[], tokens: ThemeTokens, css: string): ThemeWarning[] {
  const warnings: ThemeWarning[] = []
  for (const group of ['colors', 'fonts'] as const) {
    const prefix = group === 'colors' ? 'color' : 'font'
    const used = new Set([...css.matchAll(new RegExp(`var\\(\\s*--${prefix}-([a-z][a-z0-9-]*)`, 'g'))].map((match) => match[1]))
    if (group === 'colors') {
      for (const pair of tokens.contrast) for (const ref of [pair.text, pair.background]) if (!ref.startsWith('#')) used.add(ref)
      for (const mark of tokens.marks) used.add(mark.color ?? 'primary')
    }
    chain.forEach((layer, index) => {
      const own = layer.raw[group]
      if (typeof own !== 'object' || own === null) return
      const inherited = new Set(chain.slice(0, index).flatMap((base) => Object.keys((base.raw[group] as object | undefined) ?? {})))
      for (const name of Object.keys(own)) {
        if (used.has(name) || inherited.has(name)) continue
        const guess = closest(name, [...new Set([...used, ...inherited])])
        const line = locate(layer.doc, layer.lines, [group, name], true)
        if (guess) {
          throw new SheetError({
            code: 'ThemeInvalid',
            message: `"${name}" is not a ${prefix} name that the theme or its base uses, so it changes nothing`,
            field: `${group}.${name}`,
            loc: { file: layer.shown, line },
            hint: `did you mean "${guess}"?`,
          })
        }
        warnings.push({ file: `${layer.shown}:${line}`, message: `${group}.${name} is used by no CSS of the theme (var(--${prefix}-${name})) nor by a contrast pair` })
      }
    })
  }
  return warnings
}
