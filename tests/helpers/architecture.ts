/** Reads src/ with TypeScript's API: the import graph, the layer of each module, and the sizes of files and functions. */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

/**
 * The layers, lowest first. A module may import its own folder and lower layers only: `core/` imports nothing else of
 * the project; `record/`, `theme/` and `config/` only `core/`; and so on up to `cli/` and `index.ts`.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['core'],
  ['config', 'record', 'theme'],
  ['sheet'],
  ['print', 'output'],
  ['bundle'],
  ['build'],
  ['pipeline.ts'],
  ['preview'],
  ['cli'],
  ['index.ts'],
]

/** One module of src/ and the modules of src/ it imports (paths relative to src/, with `/`). */
export type ImportGraph = Map<string, string[]>

/** A broken rule: the module, and what is wrong. */
export interface Violation {
  module: string
  rule: 'circle' | 'upward' | 'unknown-layer'
  detail: string
}

/** The import graph of every .ts file under a folder, type-only imports included (a circle through a type is one too). */
export function readImportGraph(srcDir: string): ImportGraph {
  const graph: ImportGraph = new Map()
  for (const file of listTs(srcDir)) {
    const module = path.relative(srcDir, file).split(path.sep).join('/')
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    const local = info.importedFiles.map((ref) => ref.fileName).filter((name) => name.startsWith('.'))
    graph.set(module, local.map((name) => path.posix.normalize(path.posix.join(path.posix.dirname(module), name))))
  }
  return graph
}

/** The layer of a module: the index in LAYERS of its folder (or of the file itself, at the top of src/). */
export function layerOf(module: string): number {
  const head = module.split('/')[0]
  return LAYERS.findIndex((layer) => layer.includes(head))
}

/** Every import that goes up a layer or sideways into another folder of the same layer, and every circle. */
export function checkLayers(graph: ImportGraph): Violation[] {
  const violations: Violation[] = []
  for (const [module, imports] of graph) {
    const mine = layerOf(module)
    if (mine < 0) violations.push({ module, rule: 'unknown-layer', detail: 'is in no layer' })
    for (const target of imports) {
      const theirs = layerOf(target)
      const sameFolder = module.split('/')[0] === target.split('/')[0]
      if (!sameFolder && theirs >= mine) violations.push({ module, rule: 'upward', detail: `imports ${target} (layer ${theirs} from layer ${mine})` })
    }
  }
  for (const circle of findCircles(graph)) violations.push({ module: circle[0], rule: 'circle', detail: circle.join(' → ') })
  return violations
}

/** Import circles: each strongly connected group of two or more modules (or a module importing itself), as a path. */
export function findCircles(graph: ImportGraph): string[][] {
  let index = 0
  const order = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const circles: string[][] = []
  const visit = (node: string) => {
    order.set(node, index)
    low.set(node, index++)
    stack.push(node)
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue
      if (!order.has(next)) {
        visit(next)
        low.set(node, Math.min(low.get(node)!, low.get(next)!))
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node)!, order.get(next)!))
    }
    if (low.get(node) !== order.get(node)) return
    const group: string[] = []
    let top: string
    do {
      top = stack.pop()!
      group.push(top)
    } while (top !== node)
    if (group.length > 1 || graph.get(node)?.includes(node)) circles.push([...group.reverse(), group[0]])
  }
  for (const node of graph.keys()) if (!order.has(node)) visit(node)
  return circles
}

/** A function (or method, or arrow function) and its length in lines. */
export interface FunctionSize {
  file: string
  name: string
  line: number
  lines: number
}

/** Every function-like node of a file with its length in lines, for the size rule. */
export function functionSizes(file: string, text = readFileSync(file, 'utf8')): FunctionSize[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const sizes: FunctionSize[] = []
  const walk = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line
      sizes.push({ file, name: nameOf(node), line: start + 1, lines: end - start + 1 })
    }
    ts.forEachChild(node, walk)
  }
  walk(source)
  return sizes
}

/** Every .ts file under a folder. */
export function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()
}

// --- internal ---

function nameOf(node: ts.Node): string {
  const named = (node as { name?: ts.Node }).name
  if (named && ts.isIdentifier(named)) return named.text
  const parent = node.parent
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text
  return '(anonymous)'
}
