/**
 * npm run bench -- [--n 100] [--n 1000] [--scale 5000] [--concurrency C] [--write] [--retries R] [--max-wait S] [--keep]
 *
 * For each N, in a temporary project of N generated records: two bare-Chromium baselines (the pipeline's own HTML; the
 * same text in a minimal two-page document without theme fonts), then the real command (node bin/factsheets.mjs, what
 * the npm scripts and the `factsheets` bin run): cold build, no-op rebuild (through `npm run -s build:sheets` and through
 * the bin), one record changed, theme CSS changed. Each step is spawned and timed from the outside; the short ones
 * (no-ops, one record) are run five times and their median kept. The cold build starts without the command's caches
 * of records and themes. Each run waits (up to S seconds, default 120) for other processes to leave the cores alone; a run
 * they disturbed anyway is repeated (up to R more times, default 2) and the least disturbed attempt is kept.
 * --scale N: then one cold build of N generated records, every hundredth invalid (bench/scale.ts). After the tables,
 * issue #14's floors, each met or not (bench/floors.ts).
 */
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { generateProject, retitle, ROOT } from './generate.ts'
import { floors, floorsTable } from './floors.ts'
import { describeMachine, waitForQuiet } from './machine.ts'
import { runMeasured, stopRuns, type RunResult } from './proc.ts'
import { benchScale, scaleTable, type ScaleResult } from './scale.ts'
import { DISTURBED_CORES, detailsTable, LEGEND, summaryTable, type Row, type Step } from './table.ts'

const { values } = parseArgs({
  options: {
    n: { type: 'string', multiple: true },
    scale: { type: 'string' },
    concurrency: { type: 'string' },
    write: { type: 'boolean' },
    retries: { type: 'string' },
    'max-wait': { type: 'string' },
    keep: { type: 'boolean' },
  },
})
const sizes = (values.n ?? ['100']).map(Number)
// The pipeline's default (src/config.ts), passed explicitly to both sides so that they surely match.
const concurrency = values.concurrency ? Number(values.concurrency) : Math.max(1, Math.min(os.availableParallelism(), 16))
const retries = values.retries ? Number(values.retries) : 2
const maxWait = values['max-wait'] ? Number(values['max-wait']) : 120
const scaleN = values.scale === undefined ? undefined : Number(values.scale)
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || (scaleN !== undefined && !(Number.isInteger(scaleN) && scaleN >= 1)) || !Number.isInteger(concurrency) || concurrency < 1 || !(retries >= 0) || !(maxWait >= 0)) {
  console.error('usage: npm run bench -- [--n 100] [--n 1000] [--scale 5000] [--concurrency C] [--retries R] [--max-wait S] [--write] [--keep]')
  process.exit(2)
}

const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx')
const BIN = path.join(ROOT, 'bin', 'factsheets.mjs')
const BASELINE = path.join(ROOT, 'bench', 'baseline.ts')
const problems: string[] = []
/** Runs of each short step (no-op, one record changed); the median is reported. */
const SHORT_RUNS = 5
const temp = await mkdtemp(path.join(os.tmpdir(), 'factsheets-bench-'))
const removeTemp = () => (values.keep ? Promise.resolve() : rm(temp, { recursive: true, force: true }))
// Stopped (Ctrl-C, kill): stop the run in progress, remove the temporary folders, exit 130/143.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)
  process.once(
    signal,
    () =>
      void stopRuns(signal)
        .then(removeTemp)
        .finally(() => process.exit(code)),
  )

try {
  const header = await describeMachine(TSX, BASELINE, concurrency)
  console.log(header)
  const rows: Row[] = []
  for (const n of sizes) rows.push(await benchOne(n))
  const scale = scaleN === undefined ? undefined : await scaleRun(scaleN)
  const tables = [summaryTable(rows), ...(scale ? [scaleTable(scale, DISTURBED_CORES)] : []), floorsTable(floors(rows, scale))].join('\n\n')
  const details = rows.map(detailsTable).join('\n\n')
  const report = `${header}\n\n${tables}\n\n${LEGEND}\n\n${details}\n`
  console.log(`\n${tables}\n\n${LEGEND}\n\n${details}`)
  if (problems.length > 0) console.log(`\nProblems:\n${problems.map((p) => `- ${p}`).join('\n')}`)
  if (values.write) {
    await writeFile(path.join(ROOT, 'bench', 'results.md'), `# Bench results\n\n${report}`)
    console.log('\nWrote bench/results.md')
  }
} catch (error) {
  problems.push(String((error as Error)?.stack ?? error))
  console.error(error)
} finally {
  await removeTemp()
  if (values.keep) console.log(`kept ${temp}`)
}
process.exitCode = problems.length > 0 ? 1 : 0

// --- steps ---

/** The scale run: one cold build of n records, 1% invalid; measured once (a long run), after waiting for quiet. */
async function scaleRun(n: number): Promise<ScaleResult> {
  const dir = path.join(temp, `scale${n}`)
  console.log(`\n== scale: N = ${n}, every hundredth record invalid, in ${dir}`)
  const scale = await benchScale(dir, n, BIN, concurrency, () => waitForQuiet(DISTURBED_CORES, maxWait))
  const r = scale.result
  console.log(
    `scale cold build --force: ${r.seconds.toFixed(2)} s, built ${scale.built ?? '?'}, ${scale.invalid.length} invalid, ${scale.reported} reported,` +
      ` peak PSS ${r.peakPssMiB.toFixed(0)} MiB, RSS ${r.peakRssMiB.toFixed(0)} MiB, other load ${r.otherCores.toFixed(2)} cores` +
      (scale.problems.length ? ` — ${scale.problems.join('; ')}` : ''),
  )
  problems.push(...scale.problems.map((problem) => `scale (N=${n}): ${problem}`))
  return scale
}

async function benchOne(n: number): Promise<Row> {
  const dir = path.join(temp, `n${n}`)
  console.log(`\n== N = ${n}: generating records in ${dir}`)
  const files = await generateProject(dir, n)
  const cli =
    (out: string, ...flags: string[]) =>
    () =>
      runMeasured(process.execPath, [BIN, 'build', ...flags, '--content', 'content', '--out', out, '--templates', 'templates', '--concurrency', String(concurrency)], {
        cwd: dir,
      })

  // The sheets' final HTML, from the pipeline itself (untimed preparation).
  const html = path.join(dir, 'html-out')
  const prepared = check(n, await cli(html, '--html', '--force')(), { built: n })
  console.log(`prepare (untimed): build --html --force: ${prepared.result.seconds.toFixed(2)} s${prepared.problem ? ` — ${prepared.problem}` : ''}`)
  if (prepared.problem) problems.push(`build --html (N=${n}): ${prepared.problem}`)

  const baselineOut = path.join(dir, 'baseline-out')
  const baseline = await step(
    'a. baseline: bare Puppeteer on the same HTML',
    n,
    () => runMeasured(TSX, [BASELINE, '--html', html, '--out', baselineOut, '--concurrency', String(concurrency)], { cwd: dir }),
    { baseline: true },
    () => rm(baselineOut, { recursive: true, force: true }),
  )

  const minimalOut = path.join(dir, 'minimal-out')
  const minimal = await step(
    'a. baseline: bare Puppeteer on the same text, minimal two-page document, no theme fonts',
    n,
    () => runMeasured(TSX, [BASELINE, '--minimal', '--html', html, '--out', minimalOut, '--concurrency', String(concurrency)], { cwd: dir }),
    { baseline: true },
    () => rm(minimalOut, { recursive: true, force: true }),
  )

  const out = path.join(dir, 'out')
  // Cold: no output folder, and none of what the command keeps from earlier builds of records and themes (drawn maps,
  // parsed theme files, font rules); what it keeps of itself and its packages (V8's code cache, the fonts' character sets, the atlas's measures) stays.
  const caches = ['maps', 'yaml', 'font-faces'].map((kind) => path.join(ROOT, 'node_modules', '.cache', 'factsheets', kind))
  const cold = await step('b. cold build --force', n, cli(out, '--force'), { built: n }, () => Promise.all([out, ...caches].map((dir) => rm(dir, { recursive: true, force: true }))))
  const noop = await step('c. no-op rebuild', n, cli(out), { built: 0, skipped: n })
  // As a programme officer runs it: in the project folder, no flags (content/, templates/, out/ are the defaults).
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ private: true, scripts: { 'build:sheets': `node ${BIN} build`, start: 'node -e 0' } }))
  // What any command costs to start on this machine: the floor under the no-op figures.
  const startNode = await step('for reference: node -e 0', n, () => runMeasured(process.execPath, ['-e', '0'], { cwd: dir }), { reference: true, runs: SHORT_RUNS })
  const startNpm = await step('for reference: npm run -s of node -e 0', n, () => runMeasured('npm', ['run', '-s', 'start'], { cwd: dir }), { reference: true, runs: SHORT_RUNS })
  const noopNpm = await step('c. no-op: npm run -s build:sheets', n, () => runMeasured('npm', ['run', '-s', 'build:sheets'], { cwd: dir }), { built: 0, skipped: n, runs: SHORT_RUNS })
  const noopBin = await step('c. no-op: factsheets build (the bin)', n, () => runMeasured(process.execPath, [BIN, 'build'], { cwd: dir }), { built: 0, skipped: n, runs: SHORT_RUNS })
  const record = await step('d. one record changed', n, cli(out), { built: 1, skipped: n - 1, runs: SHORT_RUNS }, (attempt) => retitle(files[0], `${attempt}`).then(() => {}))
  const cssFile = path.join(dir, 'templates', 'mpf', 'sheet.css')
  const css = await step('d. theme CSS changed', n, cli(out), { built: n }, (attempt) =>
    appendFile(cssFile, `\n/* bench edit ${attempt} */\n.bench-marker-${attempt} { color: inherit; }\n`),
  )
  return { n, baseline, minimal, cold, noop, noopNpm, noopBin, record, css, startNode, startNpm }
}

/**
 * Runs a step (prepare untimed, then the measured run) and checks it; repeats it while other processes disturbed it,
 * keeping the least disturbed attempt. A failed run is not repeated: it is reported and makes the bench fail.
 */
async function step(
  label: string,
  n: number,
  run: () => Promise<RunResult>,
  expect: Expect,
  prepare: (attempt: number) => Promise<unknown> = async () => {},
): Promise<Step> {
  let best: Step | undefined
  let attempt = 1
  for (; attempt <= 1 + retries; attempt++) {
    await waitForQuiet(DISTURBED_CORES, maxWait)
    // A short step (a no-op, one record) is run `runs` times and its median run kept: one run of a second or less is
    // as much the machine's noise as the command's time.
    const runs: Step[] = []
    for (let run_ = 0; run_ < (expect.runs ?? 1); run_++) {
      await prepare(attempt * 10 + run_)
      runs.push(check(n, await run(), expect))
    }
    const failed = runs.find((candidate) => candidate.problem)
    const current = failed ?? runs.sort((a, b) => a.result.seconds - b.result.seconds)[Math.floor(runs.length / 2)]
    const result = current.result
    console.log(
      `${label}: ${result.seconds.toFixed(2)} s, peak RSS ${result.peakRssMiB.toFixed(0)} MiB, CPU node ${result.cpu.node.toFixed(1)} s` +
        ` browser ${result.cpu.browser.toFixed(1)} s, other load ${result.otherCores.toFixed(2)} cores${current.problem ? ` — ${current.problem}` : ''}`,
    )
    if (!best || current.problem || result.otherCores < best.result.otherCores) best = current
    if (current.problem || result.otherCores <= DISTURBED_CORES) break
    console.log(`  (disturbed: other processes kept ${result.otherCores.toFixed(2)} cores busy; measuring again)`)
  }
  if (best!.problem) problems.push(`${label} (N=${n}): ${best!.problem}`)
  return { ...best!, attempts: Math.min(attempt, 1 + retries) }
}

/** What a step must have done: the baseline printed N sheets; a build built and skipped these many. */
interface Expect {
  /** Times to run it (the median run is kept); 1 when not given. */
  runs?: number
  /** A reference (what starting a process costs): only its exit code is checked. */
  reference?: boolean
  baseline?: boolean
  built?: number
  skipped?: number
}

function check(n: number, result: RunResult, expect: Expect): Step {
  const step: Step = { result, attempts: 1 }
  if (result.code !== 0) {
    step.problem = `exit code ${result.code ?? result.signal}: ${lastLines(result.stderr || result.stdout)}`
    return step
  }
  if (expect.reference) return step
  if (expect.baseline) {
    const done = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as { sheets?: number; seconds?: number }
    step.internal = done.seconds
    if (done.sheets !== n) step.problem = `printed ${done.sheets} sheets, expected ${n}`
    return step
  }
  const summary = /(?:Built|built) (\d+) sheets?(?:, (\d+) up to date)?.*? in ([\d.]+) s/.exec(result.stdout)
  if (!summary) {
    step.problem = `no summary line: ${lastLines(result.stdout)}`
    return step
  }
  step.built = Number(summary[1])
  step.skipped = Number(summary[2] ?? 0)
  step.internal = Number(summary[3])
  if (expect.built !== undefined && step.built !== expect.built) step.problem = `built ${step.built} sheets, expected ${expect.built}`
  else if (expect.skipped !== undefined && step.skipped !== expect.skipped) step.problem = `${step.skipped} up to date, expected ${expect.skipped}`
  return step
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' / ').slice(0, 500)
}
