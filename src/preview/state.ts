/** The preview's current picture of the project: the latest snapshot, its version, and one scan at a time after changes. */
import type { ResolvedConfig } from '../config/config.ts'
import { scanProject, type SheetPrinter, type Snapshot } from './sheets.ts'

/** Who hears about each scan: a line for the log, and the snapshot (to tell open pages). */
export interface PreviewHooks {
  log: (line: string) => void
  onUpdate: (snapshot: Snapshot) => void
}

/**
 * Owns the snapshot every request is answered from. Each scan gets a new version (`<instance>-<generation>`, so a
 * restarted server never repeats one); `rescan` runs one scan at a time, and changes during a scan make exactly one
 * more scan after it. After each scan the printer drops sheets whose inputs changed and `onUpdate` hears the snapshot.
 */
export class PreviewState {
  /** The first scan was generation 1. */
  private generation = 1
  private scanning: Promise<void> | undefined
  private again = false

  private constructor(
    private readonly config: ResolvedConfig,
    private readonly printer: SheetPrinter,
    private readonly hooks: PreviewHooks,
    private readonly instance: string,
    private current: Snapshot,
  ) {}

  /** Scans the project a first time (never throws: problems land in the snapshot). */
  static async open(config: ResolvedConfig, printer: SheetPrinter, hooks: PreviewHooks): Promise<PreviewState> {
    const instance = Date.now().toString(36)
    return new PreviewState(config, printer, hooks, instance, await scanProject(config, `${instance}-1`))
  }

  /** The latest snapshot: a request reads it once and answers from that one. */
  get snapshot(): Snapshot {
    return this.current
  }

  /** Scans again; while a scan runs, asks for one more after it. Resolves when no scan is left to run. */
  rescan(): Promise<void> {
    if (this.scanning) {
      this.again = true
      return this.scanning
    }
    this.scanning = this.scanLoop().finally(() => (this.scanning = undefined))
    return this.scanning
  }

  /** Waits for a running scan, if any, to end (its errors are already in the snapshot). */
  async settled(): Promise<void> {
    await this.scanning?.catch(() => {})
  }

  private nextVersion(): string {
    return `${this.instance}-${++this.generation}`
  }

  private async scanLoop(): Promise<void> {
    do {
      this.again = false
      try {
        this.current = await scanProject(this.config, this.nextVersion())
        this.printer.refresh(this.current)
      } catch (cause) {
        this.current = { ...this.current, version: this.nextVersion(), errors: [cause] }
      }
      this.hooks.log(updateLine(this.current))
      this.hooks.onUpdate(this.current)
    } while (this.again)
  }
}

// --- internal ---

function updateLine(snapshot: Snapshot): string {
  const failing = snapshot.records.filter((record) => record.errors.length > 0).length
  return `Updated: ${snapshot.records.length} records${failing ? `, ${failing} with errors` : ''}${snapshot.errors.length ? ', the project has errors' : ''}`
}
