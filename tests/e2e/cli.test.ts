import { readFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { pdfFlatText } from '../helpers/pdf.ts'
import { ROOT, tempProject, type TempProject } from '../helpers/project.ts'
import { runCli, runCommand } from '../helpers/run.ts'

const GOOD = (title: string) => `---
title: ${title}
status: ongoing
implementer: ICMPD
countries: [Jordan]
period:
  start: 2023-03
budget:
  - { amount: 1000, currency: EUR, fund: AMIF }
---

Lead text of ${title}.
`

// A wrong currency (line 9) and a missing title (reported at line 1, the record itself) in one record.
const BAD = `---
status: ongoing
implementer: ICMPD
countries: [Jordan]
period:
  start: 2023-03
budget:
  - amount: 1000
    currency: EURO
    fund: AMIF
---

Lead.
`

describe('the command line', () => {
  let project: TempProject | undefined
  afterEach(() => project?.remove())

  it('#2 reports every error of a bad record with file, line and field, exits 1, and builds the others', async () => {
    project = tempProject({ from: null })
    project.write('content/alpha.md', GOOD('Alpha project'))
    project.write('content/bad.md', BAD)
    project.write('content/omega.md', GOOD('Omega project'))
    const result = await runCli([], { cwd: project.dir })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('content/bad.md:1 title: is required')
    expect(result.stderr).toMatch(/^content\/bad\.md:9 budget\[0\]\.currency: expected a 3-letter ISO 4217 currency code such as EUR \(got "EURO"\)$/m)
    expect(result.stderr).toContain('hint: did you mean "EUR"?')
    expect(result.stderr).not.toMatch(/\n\s+at /) // no stack trace for a user error
    expect(result.stdout).toMatch(/^Built 2 sheets, 1 failed, in .*Failed: content\/bad\.md\.$/m)
    expect(pdfFlatText(path.join(project.out, 'alpha.pdf'))).toContain('Alpha project')
    expect(pdfFlatText(path.join(project.out, 'omega.pdf'))).toContain('Omega project')
    expect(existsSync(path.join(project.out, 'bad.pdf'))).toBe(false)
  })

  it('#2 keeps the last good PDF byte for byte when its record turns bad', async () => {
    project = tempProject({ from: null })
    project.write('content/alpha.md', GOOD('Alpha project'))
    expect((await runCli([], { cwd: project.dir })).code).toBe(0)
    const pdf = path.join(project.out, 'alpha.pdf')
    const before = readFileSync(pdf)
    project.write('content/alpha.md', BAD)
    const result = await runCli([], { cwd: project.dir })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('out/alpha.pdf from the last build was kept (stale).')
    expect(readFileSync(pdf).equals(before)).toBe(true)
    const manifest = JSON.parse(readFileSync(path.join(project.out, 'manifest.json'), 'utf8'))
    expect(manifest.sheets.map((sheet: { id: string }) => sheet.id)).toEqual(['alpha'])
  })

  it('exits 2 for a usage error, naming the flag', async () => {
    const result = await runCli(['--concurrency', 'many'], { cwd: ROOT })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--concurrency expects a number (got "many")')
    const unknown = await runCli(['--thme', 'horizon'], { cwd: ROOT })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('unknown option --thme')
    expect(unknown.stderr).toContain('hint: did you mean --theme?')
    expect(unknown.stderr).not.toMatch(/positional argument/)
  })

  it('#9 check --content with a file, not a folder, exits 2 with one sentence and no stack trace', async () => {
    const result = await runCli(['check', '--content', 'package.json'], { cwd: ROOT })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^package\.json: the content folder package\.json is not a folder$/m)
    expect(result.stderr).toContain('[FileSystemError]')
    expect(result.stderr).not.toMatch(/internal error|ENOTDIR|\n\s+at /)
  })

  it('exits 2 when the content folder does not exist', async () => {
    project = tempProject({ from: null })
    const result = await runCli(['--content', 'nowhere'], { cwd: project.dir })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('the content folder nowhere does not exist')
  })

  it('exits 2 when the theme does not exist, listing the themes there are', async () => {
    project = tempProject()
    const result = await runCli(['--theme', 'nope'], { cwd: project.dir })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('there is no theme "nope"')
    expect(result.stderr).toContain('themes here: horizon, mpf')
  })

  it('npm run check:sheets validates the sample records without printing', async () => {
    const result = await runCommand('npm', ['run', '--silent', 'check:sheets'], { cwd: ROOT })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^Checked \d+ records: \d+ valid, 0 with errors$/m)
  })

  it('npm run check:sheets exits 1 with every error of every record', async () => {
    project = tempProject({ from: null })
    project.write('content/bad.md', BAD)
    project.write('content/worse.md', BAD.replace('status: ongoing', 'status: done'))
    const result = await runCli(['check'], { cwd: project.dir })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('content/bad.md:9 budget[0].currency')
    expect(result.stderr).toContain('content/worse.md:2 status: expected one of planned, ongoing, completed (got "done")')
    expect(result.stderr).toContain('content/worse.md:9 budget[0].currency')
    expect(result.stdout).toMatch(/Checked 2 records: 0 valid, 2 with errors/)
  })
})

describe('donor bundles from the command line', () => {
  let project: TempProject | undefined
  afterEach(() => project?.remove())

  it('#6 --bundle NAME --where fund=AMIF writes out/bundles/NAME.pdf after the sheets, and only once', async () => {
    project = tempProject()
    const first = await runCli(['--bundle', 'donor-amif', '--where', 'fund=AMIF'], { cwd: project.dir })
    expect(first.code).toBe(0)
    expect(first.stderr).toMatch(/^out\/bundles\/donor-amif\.pdf: 4 sheets, \d+ pages$/m)
    const bundle = path.join(project.out, 'bundles', 'donor-amif.pdf')
    const text = pdfFlatText(bundle)
    expect(text).toContain('Projects funded by AMIF')
    expect(text).toContain('Capacity Building for Migration Management')
    const again = await runCli(['--bundle', 'donor-amif', '--where', 'fund=AMIF'], { cwd: project.dir })
    expect(again.stderr).toMatch(/donor-amif\.pdf: 4 sheets, \d+ pages \(up to date\)/)
    const none = await runCli(['--bundle', 'none', '--where', 'fund=XYZ'], { cwd: project.dir })
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('no sheet matches fund=XYZ')
  })

  it('#9 a bundle that cannot be written does not hide the build report: failures and summary first, then the bundle error', async () => {
    project = tempProject()
    project.write('content/broken.md', BAD)
    const result = await runCli(['--bundle', 'none', '--where', 'fund=XYZ'], { cwd: project.dir })
    expect(result.code).toBe(2)
    expect(result.stdout).toMatch(/^Built 5 sheets, 1 failed, in [\d.]+ s/m)
    expect(result.stderr).toContain('content/broken.md:9 budget[0].currency')
    const [before, after] = result.stderr.split('no sheet matches fund=XYZ')
    expect(before).toContain('content/broken.md:9')
    expect(after).toContain('[UsageError]')
  })

  it('#6 a bundle file defines several named bundles', async () => {
    project = tempProject()
    project.write(
      'bundles.yaml',
      'bundles:\n  - name: jordan\n    title: Our work in Jordan\n    where: { country: [Jordan] }\n  - name: completed\n    where: { status: [completed] }\n',
    )
    const result = await runCli(['--bundles', 'bundles.yaml'], { cwd: project.dir })
    expect(result.code).toBe(0)
    expect(pdfFlatText(path.join(project.out, 'bundles', 'jordan.pdf'))).toContain('Our work in Jordan')
    expect(existsSync(path.join(project.out, 'bundles', 'completed.pdf'))).toBe(true)
  })
})
