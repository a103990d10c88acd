/** The SheetError a call throws, for tests of messages. */
import { SheetError } from '../../src/core/errors.ts'

/** The SheetError a call throws; fails the test if it throws nothing or something else. */
export function thrown(call: () => unknown): SheetError {
  try {
    call()
  } catch (error) {
    if (error instanceof SheetError) return error
    throw error
  }
  throw new Error('expected a SheetError')
}
