import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempProject, type TempProject } from '../helpers/project.ts'
import { runCli, type RunResult } from '../helpers/run.ts'

/** Every file under a folder (hidden files aside: the lock, the journal and stamps are not what a build delivers), relative. */
function deliveredFiles(dir: string, sub = ''): string[] {
  return readdirSync(path.join(dir, sub))
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) => (statSync(path.join(dir, sub, name)).isDirectory() ? deliveredFiles(dir, path.join(sub, name)) : [path.join(sub, name)]))
    .sort()
}

const BUNDLE = ['--bundle', 'amif', '--where', 'fund=AMIF']
// Byte-identical output needs a fixed date (the PDFs' dates, the catalogue's "generated").
const env = { SOURCE_DATE_EPOCH: '1700000000' }

describe('#14 merge:sheets puts shards back together', () => {
  let project: TempProject
  const run = (args: string[]) => runCli(args, { cwd: project.dir, env })

  beforeAll(async () => {
    project = tempProject()
    const whole = await run(BUNDLE)
    expect(whole.code, whole.stdout + whole.stderr).toBe(0)
    renameSync(project.out, path.join(project.dir, 'unsharded'))
    for (const shard of [1, 2, 3]) {
      const result = await run(['--shard', `${shard}/3`, '--out', `shard-${shard}`])
      expect(result.code, result.stdout + result.stderr).toBe(0)
    }
  })
  afterAll(() => project.remove())

  it('#14 three shards merged equal an unsharded build, file by file: PDFs, manifest, catalogue, CSV and bundle', async () => {
    // `factsheets merge`, which `npm run merge:sheets --` runs in the project folder.
    const result = await run(['merge', 'shard-1', 'shard-2', 'shard-3', '--out', 'out', ...BUNDLE])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toMatch(/Merged 5 sheets from 3 folders into out\./)
    const expected = deliveredFiles(path.join(project.dir, 'unsharded'))
    expect(expected).toEqual(expect.arrayContaining(['manifest.json', 'index.html', 'sheets.csv', 'jempas-ii.pdf', path.join('bundles', 'amif.pdf')]))
    expect(deliveredFiles(project.out)).toEqual(expected)
    for (const file of expected) {
      const same = readFileSync(path.join(project.out, file)).equals(readFileSync(path.join(project.dir, 'unsharded', file)))
      expect(same, `${file} differs from the unsharded build's`).toBe(true)
    }
  })

  it('#14 two shards holding the same id are an error naming both folders', async () => {
    const result = await run(['merge', 'shard-1', 'unsharded', '--out', 'twice'])
    expect(result.code).toBe(2)
    expect(result.stdout + result.stderr).toMatch(/shard-1 and unsharded both hold the sheet "[a-z0-9-]+"/)
  })

  it('#14 a shard of another tool version or theme is an error naming both', async () => {
    const edit = (shard: string, change: (manifest: { generator: string; sheets: { themeHash: string }[] }) => void) => {
      const file = path.join(project.dir, shard, 'manifest.json')
      const manifest = JSON.parse(readFileSync(file, 'utf8'))
      change(manifest)
      writeFileSync(file, JSON.stringify(manifest))
    }
    edit('shard-2', (manifest) => manifest.sheets.forEach((sheet) => (sheet.themeHash = 'f'.repeat(64))))
    let result: RunResult = await run(['merge', 'shard-1', 'shard-2', '--out', 'mixed'])
    expect(result.code).toBe(2)
    expect(result.stdout + result.stderr).toMatch(/shard-1 and shard-2 were built with different versions of the theme "mpf"/)
    edit('shard-3', (manifest) => (manifest.generator = 'factsheets 0.0.1'))
    result = await run(['merge', 'shard-1', 'shard-3', '--out', 'mixed'])
    expect(result.code).toBe(2)
    expect(result.stdout + result.stderr).toMatch(/shard-3 was built by factsheets 0\.0\.1, this is factsheets \d/)
  })
})
