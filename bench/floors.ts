/** Issue #14's floors: each checked against this run's figures, as a Markdown table (what, floor, measured, met). */
import type { ScaleResult } from './scale.ts'
import { DISTURBED_CORES, type Row, type Step } from './table.ts'

/** One floor at one N: what it is, the floor, what was measured, and whether it was met. */
export interface Floor {
  what: string
  floor: string
  measured: string
  met: boolean
}

/** Flat memory and linear time: the largest N's figure may be at most this many times the smallest N's. */
export const FLAT = 1.25
export const LINEAR = 1.2
const GIB_MIB = 1024

/** Every floor that applies to the sizes run (and to the scale run, when there was one). */
export function floors(rows: Row[], scale?: ScaleResult): Floor[] {
  const list: Floor[] = []
  for (const row of rows) list.push(...perN(row))
  const sorted = [...rows].sort((a, b) => a.n - b.n)
  const [small, large] = [sorted[0], sorted.at(-1)]
  if (large && large.n < 1000 && !sorted.some((row) => row.n >= 1000)) list.push(memoryCeiling(large, ` (floor stated for N = 1000; largest N here ${large.n})`))
  if (small && large && small !== large) list.push(...growth(small, large))
  if (scale) list.push(scaleFloor(scale, rows.find((row) => row.n === 100) ?? small))
  return list
}

export function floorsTable(list: Floor[]): string {
  const lines = [
    'Floors (#14), all from this one run on this machine:',
    '',
    '| what | floor | measured | |',
    '|---|---|---|---|',
    ...list.map((f) => `| ${f.what} | ${f.floor} | ${f.measured} | ${f.met ? 'met' : '**NOT met**'} |`),
    '',
    `Met: ${list.filter((f) => f.met).length} of ${list.length}. (* measured while other processes kept > ${DISTURBED_CORES} cores busy; ! a check failed)`,
  ]
  return lines.join('\n')
}

// --- internal ---

function perN(row: Row): Floor[] {
  const { n } = row
  const list: Floor[] = []
  // The no-op floors are stated for N = 100 and N = 1000; a smaller N is held to the next stated size's floor.
  const npm = n <= 100 ? { at: 100, s: 0.5 } : n <= 1000 ? { at: 1000, s: 0.7 } : undefined
  // Beside each no-op, what starting a process alone costs here (npm running `node -e 0`; `node -e 0`).
  const start = (reference: Step) => ` (starting alone: ${reference.result.seconds.toFixed(2)} s)`
  if (npm) list.push(under(`no-op rebuild, npm run -s build:sheets, N = ${n}${stated(n, npm.at)}`, row.noopNpm, npm.s, start(row.startNpm)))
  if (n <= 100) list.push(under(`no-op rebuild, factsheets bin, N = ${n}${stated(n, 100)}`, row.noopBin, 0.2, start(row.startNode)))
  list.push(under(`one record changed, end to end, N = ${n}`, row.record, 1.2))
  list.push(throughput(`cold build vs baseline (the project's HTML), N = ${n}`, row.cold, row.baseline, 1.0))
  list.push(throughput(`cold build vs minimal baseline, N = ${n}`, row.cold, row.minimal, 0.75))
  if (n >= 1000) list.push(memoryCeiling(row, ''))
  return list
}

function memoryCeiling(row: Row, note: string): Floor {
  const pss = row.cold.result.peakPssMiB
  return {
    what: `peak memory (PSS, Node + Chromium) of the cold build, N = ${row.n}${note}`,
    floor: `< 1 GiB (${GIB_MIB} MiB)`,
    measured: `${pss.toFixed(0)} MiB${marks(row.cold)}`,
    met: pss < GIB_MIB && !row.cold.problem,
  }
}

/** Flat memory and linear time between the smallest and the largest N. */
function growth(small: Row, large: Row): Floor[] {
  const range = `N = ${small.n} → ${large.n}${large.n < 1000 ? ` (the floor is for N = 100 → 1000; largest N here ${large.n})` : ''}`
  const pss = large.cold.result.peakPssMiB / small.cold.result.peakPssMiB
  const perSheet = (row: Row) => row.cold.result.seconds / row.n
  const time = perSheet(large) / perSheet(small)
  const ok = !small.cold.problem && !large.cold.problem
  return [
    {
      what: `flat memory: peak PSS of the cold build, ${range}`,
      floor: `≤ ${FLAT.toFixed(2)}× the smaller N's`,
      measured: `${small.cold.result.peakPssMiB.toFixed(0)} → ${large.cold.result.peakPssMiB.toFixed(0)} MiB: ${pss.toFixed(2)}×${marks(small.cold, large.cold)}`,
      met: pss <= FLAT && ok,
    },
    {
      what: `linear time: seconds per sheet of the cold build, ${range}`,
      floor: `≤ ${LINEAR.toFixed(2)}× the smaller N's`,
      measured: `${perSheet(small).toFixed(3)} → ${perSheet(large).toFixed(3)} s/sheet: ${time.toFixed(2)}×${marks(small.cold, large.cold)}`,
      met: time <= LINEAR && ok,
    },
  ]
}

/** Every valid record built, every invalid one reported, peak PSS at most FLAT× the N = 100 cold build's. */
function scaleFloor(scale: ScaleResult, reference: Row | undefined): Floor {
  const valid = scale.n - scale.invalid.length
  const built = scale.built ?? 0
  const pss = scale.result.peakPssMiB
  const ref = reference?.cold.result.peakPssMiB
  const refText = !reference ? 'no --n run to compare with' : `${(pss / ref!).toFixed(2)}× N = ${reference.n}'s ${ref!.toFixed(0)} MiB`
  const note = scale.n !== 5000 ? ` (floor stated for 5,000; ran ${scale.n})` : ''
  const refNote = reference && reference.n !== 100 ? ` (no N = 100 run: compared with N = ${reference.n})` : ''
  return {
    what: `${scale.n.toLocaleString('en')} records, 1% invalid${note}${refNote}`,
    floor: `all valid built, all invalid reported, peak PSS ≤ ${FLAT.toFixed(2)}× N = 100's`,
    measured: `built ${built} / ${valid}, reported ${scale.reported} / ${scale.invalid.length}, peak PSS ${pss.toFixed(0)} MiB = ${refText}${marks({ problem: scale.problems[0], result: scale.result })}`,
    met: scale.problems.length === 0 && built === valid && scale.reported === scale.invalid.length && ref !== undefined && pss <= FLAT * ref,
  }
}

function under(what: string, step: Step, seconds: number, note = ''): Floor {
  return { what, floor: `< ${seconds.toFixed(1)} s`, measured: `${step.result.seconds.toFixed(2)} s${note}${marks(step)}`, met: step.result.seconds < seconds && !step.problem }
}

/** Pipeline throughput ÷ bare-Chromium throughput = baseline seconds ÷ cold seconds (same N). */
function throughput(what: string, cold: Step, base: Step, ratio: number): Floor {
  const measured = base.result.seconds / cold.result.seconds
  return {
    what,
    floor: `≥ ${ratio.toFixed(2)}× its throughput`,
    measured: `${measured.toFixed(2)}× (${cold.result.seconds.toFixed(2)} s vs ${base.result.seconds.toFixed(2)} s)${marks(cold, base)}`,
    met: measured >= ratio && !cold.problem && !base.problem,
  }
}

function stated(n: number, at: number): string {
  return n === at ? '' : ` (floor stated for N = ${at})`
}

/** ! when a check of one of the steps failed, else * when one was still disturbed by other processes. */
function marks(...steps: Pick<Step, 'problem' | 'result'>[]): string {
  return steps.some((step) => step.problem) ? ' !' : steps.some((step) => step.result.otherCores > DISTURBED_CORES) ? ' *' : ''
}
