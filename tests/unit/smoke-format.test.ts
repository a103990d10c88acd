import { describe, expect, it } from 'vitest'
import { formatMoney } from '../../src/format.ts'

describe('formatMoney', () => {
  it('writes EUR with two decimals', () => {
    expect(formatMoney(100000n, 'EUR', 'en').replace(/\u00a0/g, ' ')).toBe('EUR 1,000.00')
  })
})
