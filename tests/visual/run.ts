/**
 * npm run test:visual [-- --update] [-- --theme mpf]
 * Renders the sample records of tests/fixtures/records/sample and their translations (tests/fixtures/records/languages; never content/, which programme staff edit) in every theme (or the named ones), compares each page with
 * tests/visual/baselines/<theme>/<id>-p<n>.png and writes out/visual-report/index.html.
 * Exit 0: no page changed (or --update wrote the baselines); 1: some page changed, is new or is gone; 2: usage.
 */
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { ROOT } from '../helpers/project.ts'
import { checkPages, renderPages, updateBaselines, visualProject } from './visual.ts'

const REPORT_DIR = path.join(ROOT, 'out', 'visual-report')

async function main(): Promise<number> {
  let values: { update?: boolean; theme?: string[]; only?: string }
  try {
    ;({ values } = parseArgs({ options: { update: { type: 'boolean' }, theme: { type: 'string', multiple: true }, only: { type: 'string' } } }))
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nUsage: npm run test:visual -- [--update] [--theme NAME[,NAME]] [--only ID[,ID]]\n`)
    return 2
  }
  const templates = path.join(ROOT, 'templates')
  const all = readdirSync(templates)
    .filter((name) => existsSync(path.join(templates, name, 'theme.json')))
    .sort()
  const themes = values.theme?.flatMap((theme) => theme.split(',')) ?? all
  const unknown = themes.filter((theme) => !all.includes(theme))
  if (unknown.length) {
    process.stderr.write(`no theme ${unknown.map((name) => `"${name}"`).join(', ')} in templates/ (themes: ${all.join(', ')})\n`)
    return 2
  }
  const only = values.only?.split(',').filter(Boolean)
  if (values.update && only?.length) {
    process.stderr.write('--update renders every record: leave out --only\n')
    return 2
  }

  const started = performance.now()
  const project = visualProject()
  try {
    const pages = (await Promise.all(themes.map((theme) => renderPages(project, theme, { only })))).flat()
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    if (values.update) {
      const { written, deleted } = updateBaselines(pages, themes)
      for (const key of deleted) process.stdout.write(`deleted baseline ${key} (page no longer exists)\n`)
      process.stdout.write(`Wrote ${written} baselines for ${themes.join(', ')} to tests/visual/baselines/ in ${seconds} s.\n`)
      return 0
    }
    const result = checkPages(pages, { themes, only, reportDir: REPORT_DIR })
    for (const page of result.failures) process.stdout.write(`${page.status.padEnd(7)} ${page.key}: ${page.reason}\n`)
    for (const page of result.pages.filter((page) => page.status === 'unchanged' && page.diffFile))
      process.stdout.write(`minor   ${page.key}: ${page.reason}, under the threshold (not failing)\n`)
    const report = path.relative(process.cwd(), result.report) || result.report
    const unchanged = result.pages.length - result.failures.length
    process.stdout.write(
      result.failures.length
        ? `${result.failures.length} page(s) changed, ${unchanged} unchanged (${seconds} s). Review ${report}; if intended, run npm run test:visual -- --update\n`
        : `${unchanged} pages unchanged (${seconds} s). Report: ${report}\n`,
    )
    return result.failures.length ? 1 : 0
  } finally {
    project.remove()
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(2)
  },
)
