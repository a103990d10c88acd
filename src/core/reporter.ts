/** What a build tells whoever runs it while it works: warnings, notes and progress. The command line prints them. */

/** Where a build's warnings, notes and progress go; every method may do nothing. */
export interface Reporter {
  warn(file: string, message: string): void
  info(line: string): void
  progress(done: number, total: number, label: string): void
}

/** A reporter that says nothing (library use, tests). */
export const SILENT: Reporter = { warn() {}, info() {}, progress() {} }
