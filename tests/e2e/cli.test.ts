import { readFileSync, existsSync, writeFileSync } from 'node:fs'
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

  it('#13 a record from new:sheet with the usual slips: each in a plain sentence at its line, exit 1, the other sheets untouched', async () => {
    project = tempProject({ from: null })
    project.write('content/alpha.md', GOOD('Alpha project'))
    expect((await runCli([], { cwd: project.dir })).code).toBe(0)
    const before = readFileSync(path.join(project.out, 'alpha.pdf'))
    expect((await runCli(['new', 'jempas-iii'], { cwd: project.dir })).code).toBe(0)
    const file = path.join(project.content, 'jempas-iii.md')
    const skeleton = readFileSync(file, 'utf8')
    // First try: an unclosed quote (line 3) and a tab (line 11) in the front matter.
    project.write('content/jempas-iii.md', skeleton.replace('title: ""', 'title: "Capacity Building III').replace('  start:', '\tstart:'))
    const syntax = await runCli(['check'], { cwd: project.dir })
    expect(syntax.code).toBe(1)
    expect(syntax.stderr).toMatch(/^content\/jempas-iii\.md:3 title: opens a quote \("\) that is never closed$/m)
    expect(syntax.stderr).toContain(`hint: close it at the end of the value: title: "Capacity Building III"                 # required: the project's title`)
    expect(syntax.stderr).toMatch(/^content\/jempas-iii\.md:11 front matter is indented with a tab \(shown as →\)$/m)
    expect(syntax.stderr).toMatch(/^ {2}> 11 \| →start: /m)
    expect(syntax.stderr).toContain('hint: indent with spaces: YAML does not allow tabs')
    // Second try: the syntax fixed, then a misspelt field holding a wrong currency, a status synonym, thousands separators.
    const filled = skeleton
      .replace('title: ""', 'title: Capacity Building III')
      .replace('implementer: ""', 'implementer: ICMPD')
      .replace('countries: []', 'countries: [Jordan]')
      .replace(/^subtitle: .*\n/m, '')
      .replace(/^beneficiary: .*\n/m, '')
      .replace('status: planned', 'status: finished')
      .replace('budget:', 'budjet:')
      .replace('amount: 0.00', 'amount: 1,250,000.50')
      .replace('currency: EUR', 'currency: EURO')
      .replace('fund: ""', 'fund: AMIF')
      .replace('# end:', 'end:')
    project.write('content/jempas-iii.md', filled)
    const result = await runCli([], { cwd: project.dir })
    expect(result.code).toBe(1)
    const headers = result.stderr.split('\n').filter((line) => line.startsWith('content/'))
    expect(headers).toEqual([
      'content/jempas-iii.md:4 status: expected one of planned, ongoing, completed (got "finished")',
      'content/jempas-iii.md:11 budjet: is not a field of a record: checked as "budget", the missing field closest to it',
      'content/jempas-iii.md:12 budget[0].amount: expected a number such as 189403.21, without currency or thousands separators (got "1,250,000.50")',
      'content/jempas-iii.md:13 budget[0].currency: expected a 3-letter ISO 4217 currency code such as EUR (got "EURO")',
    ])
    for (const hint of ['write completed: the statuses are planned, ongoing, completed', 'rename budjet: to budget:', 'write 1250000.50, without thousands separators', 'did you mean "EUR"?'])
      expect(result.stderr).toContain(`hint: ${hint}`)
    expect(result.stderr).not.toContain('is required')
    expect(result.stdout).toMatch(/^Built 0 sheets, 1 up to date, 1 failed, in .* Failed: content\/jempas-iii\.md\.$/m)
    expect(readFileSync(path.join(project.out, 'alpha.pdf')).equals(before)).toBe(true)
    expect(existsSync(path.join(project.out, 'jempas-iii.pdf'))).toBe(false)
  }, 600_000) // four runs of the command, two of them builds

  it('#13 names every path in messages and hints relative to where the command runs, never as the machine\'s absolute path', async () => {
    project = tempProject()
    const record = path.join(project.content, 'jempas-ii.md')
    writeFileSync(record, readFileSync(record, 'utf8').replace(/^programme: .*$/m, 'programme: budapest'))
    const tokens = path.join(project.templates, 'mpf', 'theme.json')
    const runs = [
      { args: ['check'], cwd: project.dir, expect: 'hint: add templates/mpf/programmes/budapest.md' },
      { args: ['check', '--content', '.', '--templates', '../templates'], cwd: project.content, expect: 'hint: add ../templates/mpf/programmes/budapest.md' },
      { args: ['check', '--theme', 'nope'], cwd: project.dir, expect: 'nope' },
      { args: ['check', '--content', 'missing'], cwd: project.dir, expect: 'the content folder missing does not exist' },
      { args: ['--bundles', 'missing.yaml'], cwd: project.dir, expect: 'missing.yaml' },
    ]
    for (const run of runs) {
      const result = await runCli(run.args, { cwd: run.cwd })
      expect(result.stderr, run.args.join(' ')).toContain(run.expect)
      expect(result.stderr + result.stdout, run.args.join(' ')).not.toContain(project.dir)
      expect(result.stderr + result.stdout, run.args.join(' ')).not.toContain(ROOT)
    }
    // A font weight the package does not ship: the hint names the weights, not the package's folder in node_modules.
    writeFileSync(tokens, readFileSync(tokens, 'utf8').replace('"weights": [600, 700]', '"weights": [100, 600, 700]'))
    const font = await runCli(['check'], { cwd: project.dir })
    expect(font.code).toBe(2)
    expect(font.stderr).toMatch(/hint: list only weights @fontsource\/source-serif-4 ships: 200, 300, 400, 500, 600, 700, 800, 900/)
    expect(font.stderr).not.toContain(ROOT)
  }, 600_000) // seven runs of the command: on a loaded machine each start-up alone takes seconds

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
