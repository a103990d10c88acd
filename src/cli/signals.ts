/** Ctrl-C and SIGTERM during a build: the first stops it cleanly (exit 130/143), a second one a moment later quits at once; the preview's stop. */
import { isRunning, procStat } from '../core/processes.ts'
import type { Reporter } from '../core/reporter.ts'

/** A stop request: the signal the build watches, the exit code it leads to, and how to stop listening. */
export interface SignalStop {
  signal: AbortSignal
  exitCode(): number
  dispose(): void
}

/** First SIGINT/SIGTERM: stop taking sheets, close the browser, finish writing, exit 130/143. A second one exits at once. */
export function stopOnSignals(reporter: Pick<Reporter, 'info'>): SignalStop {
  const controller = new AbortController()
  let received: NodeJS.Signals | undefined
  let at = 0
  const onSignal = (signal: NodeJS.Signals) => {
    // Ctrl-C in a terminal reaches this process twice at once (from the terminal and relayed by npm/tsx): only a
    // second press, a moment later, quits without cleaning up.
    if (received && Date.now() - at < 1000) return
    if (received) process.exit(signal === 'SIGTERM' ? 143 : 130)
    received = signal
    at = Date.now()
    reporter.info(`${signal}: stopping the build (finished sheets are kept; press Ctrl-C again to quit at once)...`)
    controller.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    signal: controller.signal,
    exitCode: () => (received === 'SIGTERM' ? 143 : 130),
    dispose: () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    },
  }
}


/**
 * Resolves at the first SIGINT, SIGTERM or SIGHUP, or once the command that started this process is gone: `npm run`
 * killed (even with SIGKILL) leaves its `sh` and `tsx` children running, so a long-running command (the preview) watches
 * the processes that launched it, its own process group up to npm, and stops with them (#13).
 */
export function untilStopped(): Promise<NodeJS.Signals | 'parent'> {
  return new Promise((resolve) => {
    const launchers = launchedBy()
    const parent = process.ppid
    const stop = (why: NodeJS.Signals | 'parent') => {
      clearInterval(timer)
      for (const signal of STOP_SIGNALS) process.off(signal, stop)
      resolve(why)
    }
    const timer = setInterval(() => {
      if (process.ppid !== parent || launchers.some((pid) => !isRunning(pid))) stop('parent')
    }, PARENT_POLL_MS)
    timer.unref()
    for (const signal of STOP_SIGNALS) process.on(signal, stop)
  })
}

// --- internal ---

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
const PARENT_POLL_MS = 500

/** The parent, and its ancestors in this process's group (npm, its sh, tsx: what `npm run` started), read from /proc. */
function launchedBy(): number[] {
  const own = procStat(process.pid)
  const pids = [process.ppid]
  for (let stat = procStat(process.ppid); stat && own && stat.pgrp === own.pgrp && stat.ppid > 1 && pids.length < 8; stat = procStat(stat.ppid)) {
    pids.push(stat.ppid)
  }
  return pids.filter((pid) => pid > 1)
}
