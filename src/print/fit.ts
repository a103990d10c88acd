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
 * Prints the sheet at step 0; when it has more pages than preferred, measures the layout at each step once and prints
 * at the gentlest step the measure says fits (the next one if the print disagrees). A sheet that still runs over one
 * page gets a page break moved earlier when its last page would carry less than `minLastPage`. Deterministic: the same
 * HTML gives the same step, the same break and the same bytes.
 */
export async function printFitted(
  target: FitTarget,
  plan: FitPlan | undefined,
  countPages: (pdf: Uint8Array) => Promise<number>,
): Promise<{ pdf: Uint8Array; outcome: FitOutcome }> {
  let pdf = await target.pdf()
  const pages = await countPages(pdf)
  let outcome: FitOutcome = { step: 0, stepName: 'none', pages, prints: 1, balanced: false, lastPage: 1 }
  if (!plan || pages === 1) return { pdf, outcome }
  const layouts = new Map<number, Layout>()
  const measure = async (step: number) => {
    if (!layouts.has(step)) layouts.set(step, await target.layout(setOf(plan, step), plan.breaks))
    return layouts.get(step)!
  }
  const { fitted, prints } = await stepDown(target, plan, pages, measure, countPages)
  outcome.prints += prints
  if (fitted) {
    pdf = fitted.pdf
    outcome = { ...outcome, step: fitted.step, stepName: plan.steps[fitted.step - 1]!.name, pages: fitted.pages }
  }
  if (outcome.pages === 1) return { pdf, outcome }
  const layout = await measure(outcome.step) // also puts the page back at the chosen step
  outcome.lastPage = lastPageShare(layout, outcome.pages, plan.box.height)
  if (outcome.lastPage >= plan.minLastPage) return { pdf, outcome }
  const balanced = await balance(target, plan, layout, outcome, countPages)
  return balanced ?? { pdf, outcome }
}

// --- internal ---

function setOf(plan: FitPlan, step: number): Record<string, string> {
  return step === 0 ? {} : plan.steps[step - 1]!.set
}

/** The gentlest step that brings the sheet to fewer pages (down to `prefer`), printed, and the prints it took. */
async function stepDown(
  target: FitTarget,
  plan: FitPlan,
  printed: number,
  measure: (step: number) => Promise<Layout>,
  countPages: (pdf: Uint8Array) => Promise<number>,
): Promise<{ fitted?: { pdf: Uint8Array; step: number; pages: number }; prints: number }> {
  let prints = 0
  for (let goal = plan.prefer; goal < printed && goal <= plan.max; goal++) {
    for (let step = 1; step <= plan.steps.length; step++) {
      const layout = await measure(step)
      if (layout.height > goal * plan.box.height * (1 - SLACK)) continue
      await target.layout(setOf(plan, step), plan.breaks)
      const pdf = await target.pdf()
      prints++
      const pages = await countPages(pdf)
      if (pages <= goal) return { fitted: { pdf, step, pages }, prints }
    }
  }
  return { prints }
}

/** The share of the last page the content reaches, from the measured height. */
function lastPageShare(layout: Layout, pages: number, pageHeight: number): number {
  const share = layout.height / pageHeight - (pages - 1)
  return Math.round(Math.min(1, Math.max(0, share)) * 100) / 100
}

/**
 * Moves the last page break earlier, before the latest candidate block that leaves the last page at least
 * `minLastPage` (with a margin) and the page before it at least 40% full; kept only if the page count stays.
 */
async function balance(
  target: FitTarget,
  plan: FitPlan,
  layout: Layout,
  outcome: FitOutcome,
  countPages: (pdf: Uint8Array) => Promise<number>,
): Promise<{ pdf: Uint8Array; outcome: FitOutcome } | undefined> {
  const page = plan.box.height
  const lastStart = (outcome.pages - 1) * page
  const want = Math.min(0.9, plan.minLastPage + 0.02) * page
  let choice = -1
  layout.breaks.forEach((y, index) => {
    const fits = y >= 0 && y < lastStart && y > lastStart - 0.6 * page && layout.height - y >= want && layout.height - y <= page * (1 - SLACK)
    if (fits && (choice < 0 || y > layout.breaks[choice]!)) choice = index
  })
  if (choice < 0) return undefined
  const set = setOf(plan, outcome.step)
  await target.layout(set, plan.breaks, choice)
  const pdf = await target.pdf()
  const pages = await countPages(pdf)
  if (pages !== outcome.pages) {
    await target.layout(set, plan.breaks)
    return undefined
  }
  const share = Math.round(Math.min(1, (layout.height - layout.breaks[choice]!) / page) * 100) / 100
  return { pdf, outcome: { ...outcome, prints: outcome.prints + 1, balanced: true, lastPage: share } }
}
