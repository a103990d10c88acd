/**
 * Runs a command and measures it from the outside: wall time from spawn to exit, the peak of the summed RSS of its
 * whole process tree (node and every chromium process under it), CPU time per process kind, and how much CPU
 * other processes on the machine used meanwhile (a measurement disturbed by someone else's tests shows it there).
 * Linux only: reads /proc every 100 ms (Pss every 500 ms: it is costly to read).
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

/** What one measured run did. */
export interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  /** Spawn to exit, seconds. */
  seconds: number
  /** Peak of the summed VmRSS of the process tree, MiB (shared pages count once per process, so it over-counts). */
  peakRssMiB: number
  /** Peak of the summed Pss (proportional set size) of the tree, MiB: shared pages split among their sharers, so the
   * sum is the memory the run really holds. */
  peakPssMiB: number
  /** CPU seconds of the tree's node processes and of everything else in it (the browser). */
  cpu: { node: number; browser: number }
  /** Average number of cores busy with processes outside the tree (and outside this process) while it ran. */
  otherCores: number
  stdout: string
  stderr: string
  /** Every process of the tree seen, with its last-seen CPU ticks (own + reaped children's); for diagnosis. */
  processes: { pid: number; comm: string; ppid: number; ticks: number; reaped: boolean }[]
}

/** Children running now, so that a bench stopped by a signal can stop them too. */
const running = new Set<import('node:child_process').ChildProcess>()

/** Sends the signal to every measured run still going (the CLI then closes its browser and exits). */
export function stopRuns(signal: NodeJS.Signals): Promise<void> {
  const exits = [...running].map((child) => new Promise<void>((resolve) => child.once('exit', () => resolve())))
  for (const child of running) child.kill(signal)
  return Promise.race([Promise.all(exits).then(() => {}), new Promise<void>((resolve) => setTimeout(resolve, 10_000))])
}

const TICKS = 100 // USER_HZ: /proc reports CPU time in 1/100 s on Linux
export const SAMPLE_MS = 100
/** Pss is read at every fifth sample (every 500 ms); RSS and CPU at every one. */
export const PSS_EVERY = 5

/** Spawns `command args` and samples its process tree every 100 ms until it exits. */
export async function runMeasured(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<RunResult> {
  // Every process of the tree ever seen: own CPU ticks and those of its reaped children (cutime), last values.
  const seen = new Map<number, { comm: string; ppid: number; ticks: number; reaped: boolean }>()
  let peakKiB = 0
  let peakPssKiB = 0
  const started = performance.now()
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  child.once('exit', () => running.delete(child))
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()))
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('exit', (code, signal) => resolve([code, signal]))
    child.on('error', reject)
  })
  const first = { machine: machineTicks(), self: selfTicks() }
  let last = first
  let samples = 0
  const sample = () => {
    if (!child.pid) return
    let kib = 0
    let pss = 0
    // Pss costs the kernel a walk of each process's page tables: about 4 ms a process, 40% of a core at every
    // sample. It is read every PSS_EVERY-th sample, so that measuring does not slow what is measured.
    const withPss = samples++ % PSS_EVERY === 0
    const alive = new Set<number>()
    // Parents before children (breadth first): a child reaped between the two reads is then at worst missed once,
    // never counted both on its own and in its parent's cutime.
    for (const pid of processTree(child.pid)) {
      const stat = readStat(pid)
      if (!stat) continue
      alive.add(pid)
      seen.set(pid, { comm: stat.comm, ppid: stat.ppid, ticks: stat.ticks + stat.childTicks, reaped: false })
      kib += rssKiB(pid)
      if (withPss) pss += pssKiB(pid)
    }
    // Gone while its parent lives on: reaped, so its time is now in the parent's cutime; count it there only. Chromium
    // starts a short-lived process for every page.pdf() (PrintCompositor); most live less than a sample interval.
    for (const [pid, entry] of seen) if (!entry.reaped && !alive.has(pid) && alive.has(entry.ppid)) entry.reaped = true
    peakKiB = Math.max(peakKiB, kib)
    peakPssKiB = Math.max(peakPssKiB, pss)
    last = { machine: machineTicks(), self: selfTicks() }
  }
  sample()
  const timer = setInterval(sample, SAMPLE_MS)
  const [code, signal] = await exited.finally(() => clearInterval(timer))
  const seconds = (performance.now() - started) / 1000
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000))])
  const cpu = { node: 0, browser: 0 }
  const kind = (comm: string) => (comm.startsWith('node') ? 'node' : 'browser')
  for (const { comm, ppid, ticks, reaped } of seen.values()) {
    if (!reaped) cpu[kind(comm)] += ticks / TICKS
    else if (seen.has(ppid)) {
      // Its time is in its parent's cutime: move what was seen of it from the parent's kind to its own (node reaps chromium).
      cpu[kind(comm)] += ticks / TICKS
      cpu[kind(seen.get(ppid)!.comm)] -= ticks / TICKS
    }
  }
  const wallTicks = (last.machine.total - first.machine.total) / cpuCount()
  const foreign = last.machine.busy - first.machine.busy - (cpu.node + cpu.browser) * TICKS - (last.self - first.self)
  return {
    code,
    signal,
    seconds,
    peakRssMiB: peakKiB / 1024,
    peakPssMiB: peakPssKiB / 1024,
    cpu,
    otherCores: wallTicks > 0 ? Math.max(0, foreign / wallTicks) : 0,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
    processes: [...seen].map(([pid, entry]) => ({ pid, ...entry })),
  }
}

/** Average cores busy on the machine over `ms` while this process sleeps: the background noise before a run. */
export async function idleLoad(ms = 1000): Promise<number> {
  const before = { machine: machineTicks(), self: selfTicks() }
  await new Promise((resolve) => setTimeout(resolve, ms))
  const after = { machine: machineTicks(), self: selfTicks() }
  const wallTicks = (after.machine.total - before.machine.total) / cpuCount()
  return wallTicks > 0 ? (after.machine.busy - before.machine.busy - (after.self - before.self)) / wallTicks : 0
}

// --- internal ---

/** The pid and all its descendants, from the parent pids of every process in /proc. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const stat = readStat(Number(name))
    if (!stat) continue
    const list = children.get(stat.ppid)
    if (list) list.push(Number(name))
    else children.set(stat.ppid, [Number(name)])
  }
  const tree = [root]
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []))
  return tree
}

/** comm, ppid, own CPU ticks (utime + stime) and those of reaped children (cutime + cstime), or undefined when gone. */
function readStat(pid: number | 'self'): { comm: string; ppid: number; ticks: number; childTicks: number } | undefined {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  const close = text.lastIndexOf(')')
  const fields = text.slice(close + 2).split(' ') // fields[0] is field 3 (state)
  return {
    comm: text.slice(text.indexOf('(') + 1, close),
    ppid: Number(fields[1]),
    ticks: Number(fields[11]) + Number(fields[12]),
    childTicks: Number(fields[13]) + Number(fields[14]),
  }
}

function pssKiB(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0)
  } catch {
    return 0
  }
}

function rssKiB(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
  } catch {
    return 0
  }
}

function selfTicks(): number {
  return readStat('self')?.ticks ?? 0
}

/** Busy and total ticks of all CPUs together, from the first line of /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/)
  const [user, nice, system, idle, iowait, irq, softirq, steal] = values.map(Number)
  const busy = user + nice + system + irq + softirq + steal
  return { busy, total: busy + idle + iowait }
}

function cpuCount(): number {
  return (readFileSync('/proc/stat', 'utf8').match(/^cpu\d+ /gm) ?? ['cpu0 ']).length
}
