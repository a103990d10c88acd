/** Field paths in a YAML document: the path of a node, of the key on a line, and its name as users read it. */
import { isPair, isScalar, isSeq, visit, type Document, type LineCounter } from 'yaml'

/** "budget[1].currency" for ['budget', 1, 'currency']. */
export function fieldName(fieldPath: readonly PropertyKey[]): string {
  return fieldPath.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`)).join('')
}

/** The field path of a node from its ancestors (Document, maps, pairs, sequences), such as ['budget', 0, 'currency']. */
export function pathOf(ancestors: readonly unknown[], node: unknown): (string | number)[] {
  const chain = [...ancestors, node]
  const parts: (string | number)[] = []
  for (let i = 0; i < chain.length - 1; i++) {
    const here = chain[i]
    if (isPair(here) && here.value === chain[i + 1] && isScalar(here.key)) parts.push(String(here.key.value))
    else if (isSeq(here)) parts.push(here.items.indexOf(chain[i + 1] as never))
  }
  return parts
}

/** The field a node is the value of, such as "budget[0].currency". */
export function fieldOf(doc: Document, target: unknown): string | undefined {
  let found: string | undefined
  visit(doc, {
    Node(_key, node, ancestors) {
      if (node !== target) return
      found = fieldName(pathOf(ancestors, node)) || undefined
      return visit.BREAK
    },
  })
  return found
}

/** The field whose key starts this line, when the parser read one there. */
export function fieldAtLine({ doc, lines }: { doc: Document; lines: LineCounter }, line: number): string | undefined {
  let found: string | undefined
  visit(doc, {
    Pair(_key, pair, ancestors) {
      if (!isScalar(pair.key) || !pair.key.range || lines.linePos(pair.key.range[0]).line !== line) return
      found = fieldName([...pathOf(ancestors, pair), String(pair.key.value)])
      return visit.BREAK
    },
  })
  return found
}
