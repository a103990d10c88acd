// Stands in for the debug package in dist/: the same loggers, made once per name. Puppeteer asks debug for a new
// logger on every protocol message it sends or receives, and making one costs a check of DEBUG and of the terminal
// (45-55 ms of a 100-sheet build); a logger made once answers as the package's own does, DEBUG honoured.
// By its path: the alias that puts this file in place of debug would catch 'debug/src/node.js' too.
import createDebug from '../node_modules/debug/src/node.js'

const made = new Map()

/** debug(name): the logger for this name, made on first use. */
export default function debug(namespace) {
  let logger = made.get(namespace)
  if (logger === undefined) {
    logger = createDebug(namespace)
    made.set(namespace, logger)
  }
  return logger
}

// debug.enable(), debug.enabled(), debug.formatters and the rest are the package's own.
Object.setPrototypeOf(debug, createDebug)
