/** Processes of this machine, read from /proc on Linux: whether one still runs, and its state, parent and group. */
import { readFileSync } from 'node:fs'

/** True while a process exists and is not a zombie (a killed process whose parent has not collected it yet). */
export function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === 'EPERM'
  }
  return procStat(pid)?.state !== 'Z'
}

/** State, parent and process group of a process from /proc/<pid>/stat (Linux); undefined elsewhere or when it is gone. */
export function procStat(pid: number): { state: string; ppid: number; pgrp: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return { state, ppid: Number(ppid), pgrp: Number(pgrp) }
  } catch {
    return undefined
  }
}
