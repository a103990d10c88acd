import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkLayers, findCircles, functionSizes, layerOf, listTs, readImportGraph, type ImportGraph } from '../helpers/architecture.ts'
import { ROOT } from '../helpers/project.ts'

const SRC = path.join(ROOT, 'src')
const graph = readImportGraph(SRC)
const files = listTs(SRC)
const relative = (file: string) => path.relative(SRC, file).split(path.sep).join('/')

/** Files whose code matches a pattern, outside the folders allowed to. */
function offenders(pattern: RegExp, allowed: (module: string) => boolean): string[] {
  return files.filter((file) => !allowed(relative(file)) && pattern.test(stripComments(readFileSync(file, 'utf8')))).map(relative)
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
}

describe('#9 the shape of src/', () => {
  it('has every module in a layer, no import circle and no import up a layer or across into a sibling folder', () => {
    expect(graph.size).toBeGreaterThan(30)
    expect(checkLayers(graph)).toEqual([])
  })

  it('keeps core/ free of every other folder of the project', () => {
    const outside = [...graph].flatMap(([module, imports]) => (module.startsWith('core/') ? imports.filter((target) => !target.startsWith('core/')) : []))
    expect(outside).toEqual([])
  })

  it('fails on a circle and on an upward import (a fixture graph)', () => {
    const bad: ImportGraph = new Map([
      ['core/a.ts', ['sheet/model.ts']],
      ['sheet/model.ts', ['theme/theme.ts']],
      ['theme/theme.ts', ['output/write.ts']],
      ['output/write.ts', ['sheet/model.ts']],
      ['record/load.ts', ['theme/theme.ts']],
    ])
    const violations = checkLayers(bad)
    expect(violations.filter((v) => v.rule === 'upward').map((v) => v.module)).toEqual(['core/a.ts', 'theme/theme.ts', 'record/load.ts'])
    expect(findCircles(bad)).toEqual([['sheet/model.ts', 'theme/theme.ts', 'output/write.ts', 'sheet/model.ts']])
    expect(violations.some((v) => v.rule === 'circle')).toBe(true)
    expect(layerOf('core/errors.ts')).toBeLessThan(layerOf('cli/cli.ts'))
  })

  it('prints only from cli/ and exits only from cli/', () => {
    expect(offenders(/process\.(stdout|stderr)\.write|console\.(log|error|warn|info)/, (m) => m.startsWith('cli/'))).toEqual([])
    expect(offenders(/process\.exit\b/, (m) => m.startsWith('cli/'))).toEqual([])
  })

  it('reads the working directory and SOURCE_DATE_EPOCH only in config/ and cli/', () => {
    const entry = (m: string) => m.startsWith('cli/') || m.startsWith('config/')
    expect(offenders(/process\.cwd\(\)/, entry)).toEqual([])
    expect(offenders(/SOURCE_DATE_EPOCH/, entry)).toEqual([])
  })

  it('keeps files under 250 lines and functions under 60', () => {
    const long = files.filter((file) => readFileSync(file, 'utf8').split('\n').length > 250).map(relative)
    expect(long).toEqual([])
    const big = files.flatMap((file) => functionSizes(file)).filter((fn) => fn.lines > 60)
    expect(big.map((fn) => `${relative(fn.file)}:${fn.line} ${fn.name} (${fn.lines} lines)`)).toEqual([])
  }, 60_000)

  it('opens each folder\'s main file with one line saying what the folder is for', () => {
    const folders = [...new Set(files.map(relative).filter((m) => m.includes('/')).map((m) => m.split('/')[0]))]
    const missing = folders.filter((folder) => {
      const first = files.filter((file) => relative(file).startsWith(`${folder}/`)).map((file) => readFileSync(file, 'utf8').split('\n')[0])
      return !first.every((line) => line.startsWith('/** '))
    })
    expect(missing).toEqual([])
  })
})
