/** The machine a bench ran on, and waiting until other processes leave its cores alone. */
import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import { ROOT } from './generate.ts'
import { idleLoad, runMeasured } from './proc.ts'

/** Waits (up to maxWait seconds) until other processes use at most `quiet` cores, so that a run starts on a quiet machine. */
export async function waitForQuiet(quiet: number, maxWait: number): Promise<void> {
  const started = performance.now()
  let load = await idleLoad(1000)
  if (load <= quiet) return
  process.stdout.write(`  (waiting for the machine to quiet down: other processes use ${load.toFixed(2)} cores`)
  while (load > quiet && performance.now() - started < maxWait * 1000) load = await idleLoad(2000)
  console.log(`; ${load <= quiet ? 'quiet' : 'gave up'} after ${((performance.now() - started) / 1000).toFixed(0)} s)`)
}

/** Date, CPU, cores, Node and browser versions, concurrency and the background load, as the report's header lines. */
export async function describeMachine(tsx: string, baseline: string, concurrency: number): Promise<string> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8')
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown'
  const cores = (cpuinfo.match(/^processor\s*:/gm) ?? []).length
  // Also compiles bench/baseline.ts and src/browser.ts into tsx's cache and warms Chromium, outside any timing.
  const version = await runMeasured(tsx, [baseline, '--version'], { cwd: ROOT })
  if (version.code !== 0) throw new Error(`the browser did not start: ${version.stderr.trim().split('\n').slice(-3).join(' / ')}`)
  const defaultConcurrency = Math.max(1, Math.min(os.availableParallelism(), 16))
  return [
    `Date: ${execFileSync('date', ['-u'], { encoding: 'utf8' }).trim()}`,
    `CPU: ${model}, ${cores} cores (os.availableParallelism() = ${os.availableParallelism()}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `Node ${process.version}, browser ${version.stdout.trim()}`,
    `Concurrency: ${concurrency} pages (pipeline default: ${defaultConcurrency}), background load before start: ${(await idleLoad()).toFixed(2)} cores`,
  ].join('\n')
}
