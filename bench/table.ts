/** The bench's results as Markdown: the summary table and a details table per N. */
import type { RunResult } from './proc.ts'

/** One measured step: the attempt kept (the least disturbed), how many were made, and what went wrong. */
export interface Step {
  result: RunResult
  attempts: number
  /** Sheets built and up to date, from the CLI's summary line (undefined for the baseline). */
  built?: number
  skipped?: number
  /** Seconds the CLI reports for the build itself (after start-up), from its summary line. */
  internal?: number
  problem?: string
}

/** The steps of one N. */
export interface Row {
  n: number
  baseline: Step
  /** The second baseline: the same text in a minimal two-page document without theme fonts. */
  minimal: Step
  cold: Step
  noop: Step
  noopNpm: Step
  noopBin: Step
  record: Step
  css: Step
  /** What starting a command costs here, for reading the no-op figures: `node -e 0`, and through `npm run -s`. */
  startNode: Step
  startNpm: Step
}

/** A step is disturbed when other processes kept more than this many cores busy on average while it ran. */
export const DISTURBED_CORES = 0.25

export function summaryTable(rows: Row[]): string {
  const lines = [
    '| N | baseline s | minimal baseline s | cold build s | cold sheets/s | cold/baseline throughput | cold/minimal throughput | no-op npm s | no-op bin s | one record s | CSS change s | peak memory (PSS) baseline MiB | peak memory (PSS) cold MiB | peak RSS cold MiB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ]
  for (const { n, baseline, minimal, cold, noopNpm, noopBin, record, css } of rows) {
    const b = baseline.result.seconds
    const c = cold.result.seconds
    lines.push(
      `| ${[
        n,
        secs(baseline),
        secs(minimal),
        secs(cold),
        (n / c).toFixed(2),
        `${(b / c).toFixed(2)}×`,
        `${(minimal.result.seconds / c).toFixed(2)}×`,
        secs(noopNpm),
        secs(noopBin),
        secs(record),
        secs(css),
        baseline.result.peakPssMiB.toFixed(0),
        cold.result.peakPssMiB.toFixed(0),
        cold.result.peakRssMiB.toFixed(0),
      ].join(' | ')} |`,
    )
  }
  return lines.join('\n')
}

export function detailsTable(row: Row): string {
  const lines = [
    `N = ${row.n}:`,
    '',
    '| step | wall s | built / up to date | CLI-reported s | CPU node s | CPU browser s | peak PSS MiB | peak RSS MiB | other load (cores) | attempts |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ]
  const names: [keyof Omit<Row, 'n'>, string][] = [
    ['baseline', 'baseline (bare Puppeteer)'],
    ['minimal', 'minimal baseline (same text, no theme fonts)'],
    ['cold', 'cold build --force'],
    ['noop', 'no-op rebuild (flags given)'],
    ['noopNpm', 'no-op: npm run -s build:sheets'],
    ['noopBin', 'no-op: factsheets build (bin)'],
    ['record', 'one record changed'],
    ['css', 'theme CSS changed'],
    ['startNode', 'for reference: node -e 0'],
    ['startNpm', 'for reference: npm run -s of node -e 0'],
  ]
  for (const [key, label] of names) {
    const step = row[key]
    const r = step.result
    lines.push(
      `| ${[
        label,
        secs(step),
        step.built === undefined ? '–' : `${step.built} / ${step.skipped ?? 0}`,
        step.internal === undefined ? '–' : step.internal.toFixed(2),
        r.cpu.node.toFixed(1),
        r.cpu.browser.toFixed(1),
        r.peakPssMiB.toFixed(0),
        r.peakRssMiB.toFixed(0),
        r.otherCores.toFixed(2),
        step.attempts,
      ].join(' | ')} |`,
    )
  }
  return lines.join('\n')
}

/** Seconds with two decimals, marked * when still disturbed after the retries and ! when something was wrong. */
function secs(step: Step): string {
  const mark = step.problem ? ' !' : step.result.otherCores > DISTURBED_CORES ? ' *' : ''
  return `${step.result.seconds.toFixed(2)}${mark}`
}

export const LEGEND = [
  '- for reference (details tables, and beside the no-op floors): `node -e 0`, and `npm run -s` of a script that runs it:',
  '  what starting any command costs on this machine (its environment, such as NODE_EXTRA_CA_CERTS, included).',
  '- baseline: the same HTML (out/<id>.html of a `--html` build) printed by a bare Puppeteer loop (bench/baseline.ts): same',
  '  Chromium and flags (PRINTER_ARGS), same concurrency, setContent + page.pdf with the same options; spawn to exit.',
  '- minimal baseline: the same bare loop on each sheet\'s text alone (tags stripped) in a minimal two-page A4 document',
  '  with the browser\'s default font: no theme fonts, CSS or images (bench/baseline.ts --minimal).',
  '- cold: `node bin/factsheets.mjs build --force` (what the npm scripts and the bin run) into an empty out dir, spawn to',
  '  exit; no-op, one record, CSS change: the same command without --force after nothing changed, after one title was',
  '  edited, after a rule was appended to sheet.css. no-op npm / bin: `npm run -s build:sheets` and `factsheets build`',
  '  in the project folder with no flags, as a programme officer runs them.',
  '- throughput ratios: pipeline sheets/s ÷ bare-Chromium sheets/s (1.00× = the pipeline adds nothing), against each baseline.',
  '- peak memory (PSS): the highest sum of Pss over the process tree (node + every chromium process), sampled every',
  '  500 ms: shared pages are split among the processes sharing them, so this is the memory the run really holds.',
  '  (Reading Pss makes the kernel walk page tables, 4 ms a process: read every 100 ms it took 40% of a core.)',
  '- peak RSS: the highest sum of VmRSS over the process tree, sampled every 100 ms;',
  '  shared pages count once per process, so this over-states real memory use.',
  '- scale (--scale N): one `build --force` of N generated records where record i is invalid when i % 100 === 99, in turn',
  '  an unknown status, 2021-02-30 as start, an unclosed quote, a tab indent, no title. Exit code 1 is expected; built:',
  '  the summary line (and the PDFs in out/); reported: named as content/<id>.md:<line> in an error block and in the',
  '  summary\'s Failed list. Measured once, after waiting for a quiet machine (no repeats: it is a long run).',
  '- floors: issue #14\'s floors checked against this run; flat memory and linear time compare the smallest and largest N.',
  `- * still disturbed after the retries (other processes used > ${DISTURBED_CORES} cores meanwhile); ! a check failed.`,
].join('\n')
