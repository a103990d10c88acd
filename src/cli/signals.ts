/** Ctrl-C and SIGTERM during a build: the first stops it cleanly (exit 130/143), a second one a moment later quits at once. */
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

