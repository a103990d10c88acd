/** The process tree under a pid, read from /proc (Linux), for fault tests that kill or count browsers. */
import { readdirSync, readFileSync } from 'node:fs'

/** Every process below pid: [pid, command line]. */
export function descendants(root: number): { pid: number; command: string }[] {
  const parents = new Map<number, number[]>()
  for (const name of readdirSync('/proc')) {
    const pid = Number(name)
    if (!Number.isInteger(pid)) continue
    try {
      // The parent pid is the 4th field after the parenthesised command name.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      parents.set(ppid, [...(parents.get(ppid) ?? []), pid])
    } catch {
      // The process ended while we looked.
    }
  }
  const found: { pid: number; command: string }[] = []
  const walk = (pid: number) => {
    for (const child of parents.get(pid) ?? []) {
      let command = ''
      try {
        command = readFileSync(`/proc/${child}/cmdline`, 'utf8').replace(/\0/g, ' ')
      } catch {
        continue
      }
      found.push({ pid: child, command })
      walk(child)
    }
  }
  walk(root)
  return found
}

/** True while a process with this pid exists (and is not a zombie). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}
