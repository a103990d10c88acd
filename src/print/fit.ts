/** Copy-fitting: prints a sheet, and when it overflows the theme's preferred page count steps down the fit ladder; balances the last page. */
import type { ThemeTokens } from '../theme/schema.ts'
import { pageBox, type PageBox } from './page-box.ts'

/** What fitting needs to know of a theme: the page budget, the ladder, the break candidates and the printable area. */
export interface FitPlan {
  prefer: number
  max: number
  /** Steps 1..n of the ladder (step 0 sets nothing). */
  steps: { name: string; set: Record<string, string> }[]
  breaks: string[]
  minLastPage: number
  box: PageBox
}

/** The layout of a sheet measured on screen at one step: its height and the flow position of each break candidate. */
export interface Layout {
  height: number
  breaks: number[]
}

/** A page holding the sheet's HTML, which fitting prints, measures and adjusts. */
export interface FitTarget {
  /** Prints the page as it is now. */
  pdf(): Promise<Uint8Array>
  /** Sets the step's properties (and a page break before candidate `breakAt`, if given) and measures the layout. */
  layout(set: Record<string, string>, breaks: readonly string[], breakAt?: number): Promise<Layout>
  /** Sets them without measuring (the print lays the page out anyway). */
  set(set: Record<string, string>, breaks: readonly string[], breakAt?: number): Promise<void>
}

/** Which step a sheet was printed at, how many pages it has, and what it cost. */
export interface FitOutcome {
  /** 0 for the theme's own spacing, n for the n-th step of the ladder. */
  step: number
  /** The step's name ("none" for step 0). */
  stepName: string
  pages: number
  /** Prints this sheet took: 1 when it fitted at once. */
  prints: number
  /** Whether a page break was moved to give the last page a real share. */
  balanced: boolean
  /** The estimated share of the last page that holds content (1 for a one-page sheet). */
  lastPage: number
}

/** How much shorter than the page the screen layout must be before a step is tried (print breaks add a little). */
const SLACK = 0.015

/** A theme's fit plan, or undefined when its page box cannot be measured (then sheets print at step 0 only). */
export function fitPlan(tokens: ThemeTokens): FitPlan | undefined {
  const box = pageBox(tokens.page.size, tokens.page.margin)
  if (!box) return undefined
  const { prefer, max, fit, breaks, minLastPage } = tokens.pages
  return { prefer, max, steps: fit, breaks, minLastPage, box }
}

/**
 * Measures the sheet on screen first, so that it is printed, as a rule, once: at step 0 when it fits its preferred page
 * count; at the gentlest step the measure says fits when it does not (the next one if the print disagrees); and, when it
 * still runs over one page with a last page under `minLastPage`, with a page break moved earlier to balance it. Every
 * guess is checked against the printed page count, and a wrong one costs a print, never the result. Each step of the
 * ladder is taken to be at least as tight as the one before it. Deterministic: the same HTML gives the same step, the
 * same break and the same bytes.
 */
export async function printFitted(
  target: FitTarget,
  plan: FitPlan | undefined,
  countPages: (pdf: Uint8Array) => Promise<number>,
): Promise<{ pdf: Uint8Array; outcome: FitOutcome }> {
  const fitting = new Fitting(target, plan, countPages)
  if (!plan) {
    const { pdf, pages } = await fitting.print(0)
    return { pdf, outcome: { step: 0, stepName: 'none', pages, prints: 1, balanced: false, lastPage: 1 } }
  }
  const page = plan.box.height
  const base = await fitting.measure(0)
  // Laid out taller than its preferred pages, it cannot print on fewer: step down without printing step 0 first.
  let printed = base.height <= plan.prefer * page * (1 + SLACK) ? await fitting.print(0) : undefined
  let step = 0
  if (!printed || printed.pages > plan.prefer) {
    const fitted = await stepDown(fitting, plan, printed?.pages ?? estimatePages(base, page))
    if (fitted) [printed, step] = [fitted.printed, fitted.step]
  }
  const stepName = step === 0 ? 'none' : plan.steps[step - 1]!.name
  const layout = await fitting.measure(step)
  const done = (at: Printed, balanced: boolean, lastPage: number) => ({ pdf: at.pdf, outcome: { step, stepName, pages: at.pages, prints: fitting.prints, balanced, lastPage } })
  const shareAt = (breakAt: number) => Math.round(Math.min(1, (layout.height - layout.breaks[breakAt]!) / page) * 100) / 100
  // Still over one page: balanced before the first print when the measure tells the page count, else after it.
  const pages = printed?.pages ?? estimatePages(layout, page)
  const lastPage = pages === 1 ? 1 : lastPageShare(layout, pages, page)
  const choice = pages > 1 && lastPage < plan.minLastPage ? balanceBreak(plan, layout, pages) : -1
  if (choice >= 0) {
    const balanced = await fitting.print(step, choice)
    if (balanced.pages === pages) return done(balanced, true, shareAt(choice))
  }
  if (printed) return done(printed, false, lastPage)
  // The estimate was wrong, or there was nothing to balance: print as laid out, and balance with the real page count.
  printed = await fitting.print(step)
  const share = printed.pages === 1 ? 1 : lastPageShare(layout, printed.pages, page)
  const retry = printed.pages > 1 && printed.pages !== pages && share < plan.minLastPage ? balanceBreak(plan, layout, printed.pages) : -1
  if (retry >= 0) {
    const balanced = await fitting.print(step, retry)
    if (balanced.pages === printed.pages) return done(balanced, true, shareAt(retry))
    printed = await fitting.print(step)
  }
  return done(printed, false, share)
}

// --- internal ---

/** A print and its page count. */
interface Printed {
  pdf: Uint8Array
  pages: number
}

/** One sheet's fitting: what the page is set to now, the layouts measured at each step, and the prints made. */
class Fitting {
  prints = 0
  private at = { step: 0, breakAt: -1 }
  private readonly layouts = new Map<number, Layout>()

  constructor(
    private readonly target: FitTarget,
    private readonly plan: FitPlan | undefined,
    private readonly countPages: (pdf: Uint8Array) => Promise<number>,
  ) {}

  /** The layout at a step, measured once (which leaves the page at that step). */
  async measure(step: number): Promise<Layout> {
    let layout = this.layouts.get(step)
    if (!layout) {
      layout = await this.target.layout(this.setOf(step), this.plan!.breaks)
      this.layouts.set(step, layout)
      this.at = { step, breakAt: -1 }
    }
    return layout
  }

  /** Prints the page at a step (and with a page break before candidate `breakAt`). */
  async print(step: number, breakAt = -1): Promise<Printed> {
    if (this.at.step !== step || this.at.breakAt !== breakAt) {
      await this.target.set(this.setOf(step), this.plan!.breaks, breakAt < 0 ? undefined : breakAt)
      this.at = { step, breakAt }
    }
    this.prints++
    const pdf = await this.target.pdf()
    return { pdf, pages: await this.countPages(pdf) }
  }

  private setOf(step: number): Record<string, string> {
    return step === 0 || !this.plan ? {} : this.plan.steps[step - 1]!.set
  }
}

/** The pages a layout of this height prints on, as the screen measure tells it. */
function estimatePages(layout: Layout, pageHeight: number): number {
  return Math.max(1, Math.ceil(layout.height / pageHeight - SLACK))
}

/**
 * The gentlest step that brings the sheet to fewer pages (down to `prefer`), printed at it: the gentlest step measured
 * first, then the tightest (when that does not fit, none does), then halving the steps between.
 */
async function stepDown(fitting: Fitting, plan: FitPlan, printed: number): Promise<{ printed: Printed; step: number } | undefined> {
  const last = plan.steps.length
  for (let goal = plan.prefer; goal < printed && goal <= plan.max && last > 0; goal++) {
    const fits = async (step: number) => (await fitting.measure(step)).height <= goal * plan.box.height * (1 - SLACK)
    if (!(await fits(last))) continue
    let [low, high] = [1, last]
    if (await fits(1)) high = 1
    while (low < high) {
      const middle = (low + high) >> 1
      if (await fits(middle)) high = middle
      else low = middle + 1
    }
    for (let step = high; step <= last; step++) {
      if (step > high && !(await fits(step))) continue
      const result = await fitting.print(step)
      if (result.pages <= goal) return { printed: result, step }
    }
  }
  return undefined
}

/** The share of the last page the content reaches, from the measured height. */
function lastPageShare(layout: Layout, pages: number, pageHeight: number): number {
  const share = layout.height / pageHeight - (pages - 1)
  return Math.round(Math.min(1, Math.max(0, share)) * 100) / 100
}

/**
 * The candidate block to break the page before so that the last page carries at least `minLastPage` (with a margin)
 * and the page before it stays at least 40% full: the latest such block, or -1 when there is none.
 */
function balanceBreak(plan: FitPlan, layout: Layout, pages: number): number {
  const page = plan.box.height
  const lastStart = (pages - 1) * page
  const want = Math.min(0.9, plan.minLastPage + 0.02) * page
  let choice = -1
  layout.breaks.forEach((y, index) => {
    const fits = y >= 0 && y < lastStart && y > lastStart - 0.6 * page && layout.height - y >= want && layout.height - y <= page * (1 - SLACK)
    if (fits && (choice < 0 || y > layout.breaks[choice]!)) choice = index
  })
  return choice
}
