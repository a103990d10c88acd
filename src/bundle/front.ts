/** Donor bundles, front matter: the cover and the table of contents as one HTML document, from the theme's bundle.hbs. */
import Handlebars from 'handlebars'
import { formatList, type CurrencyTotal } from '../core/format.ts'
import { renderDocument } from '../core/html.ts'
import { STATUSES } from '../record/schema.ts'
import { footerMarks, sheetLanguage, type FooterMark } from '../sheet/model.ts'
import { placeNames } from '../sheet/place-names.ts'
import { countWord, findLanguage, formatLocale } from '../theme/languages.ts'
import type { Theme } from '../theme/theme.ts'
import type { ManifestEntry } from '../output/manifest.ts'
import { buildCoverFigures, type CoverFigures } from './cover.ts'
import type { Where } from './where.ts'

/** Where a table-of-contents line links to: Chromium prints it as a /URI link, which the merge turns into a jump to the sheet. */
export const SHEET_LINK = 'https://bundle.invalid/sheet/'

/** One line of the table of contents. */
export interface BundleEntry {
  id: string
  /** The line's link target; keep it as the href of the line's <a>: the merge turns it into a jump to `page`. */
  href: string
  title: string
  subtitle: string | null
  /** The sheet's status: its key (planned, ongoing, completed) and its label as the sheet prints it ("Project completed"). */
  status: { key: string; label: string }
  /** "EU countries, Jordan" */
  countriesText: string
  /** "February 2020 - October 2021" */
  period: string
  /** The bundle page the sheet starts on (1-based, counting the cover and the contents). */
  page: number
  /** The sheet's language and direction: its title and facts are written in them (lang="{{lang}}" dir="{{dir}}"). */
  lang: string
  dir: 'ltr' | 'rtl'
}

/**
 * What templates/<theme>/bundle.hbs sees (strict mode: every field exists; optional ones are null).
 * The cover: brand, logo, title, date, number of projects, totals per currency; then the contents: one entry per sheet.
 */
export interface BundleModel {
  lang: string
  /** ltr, or rtl for a bundle in Arabic. */
  dir: 'ltr' | 'rtl'
  /** The bundle's title: its definition's title, or one built from its filter ("Projects funded by AMIF"). */
  title: string
  /** "29 November 2026", and "2026-11-29" for <time datetime>. */
  date: string
  dateIso: string
  /** The number of projects, and the same in words: "3 projects". */
  projects: number
  projectsText: string
  /** Projects per status present, in the order planned, ongoing, completed: { key, label: "completed", count, text: "3 completed" }. */
  statuses: { key: string; label: string; count: number; text: string }[]
  /**
   * The exact total budget per currency (every fund), the most used currency first, then by code:
   * { currency, minor: "39571190", amount: "EUR 395,711.90" }. The same as total.totals.
   */
  totals: CurrencyTotal[]
  /** When the bundle filters by fund: { label: "AMIF share", totals } with that fund's lines only; else null. */
  share: CoverFigures['share']
  /** { label: "Total budget" (or "Total budget of the projects, all funds" beside a share), totals }. */
  total: CoverFigures['total']
  /** A map of all the bundle's countries (`{{{map.svg}}}`), or null. */
  map: CoverFigures['map']
  /** The bundle's money by fund, per currency (the sheets' chart model), or null. */
  chart: CoverFigures['chart']
  /** The theme's brand name (theme.json name). */
  brand: string
  /** The theme's logo as a data: URL with its text, or null. */
  logo: { src: string; text: string } | null
  /** The funders' marks for the footer partial, as the sheets print them. */
  marks: FooterMark[]
  /** The words the bundle prints. */
  text: BundleWords
  /** One entry per sheet, in bundle order. */
  entries: BundleEntry[]
}

/** The words of the cover and the contents, in the bundle's language (the theme's words). */
export interface BundleWords {
  kicker: string
  projects: string
  totalBudget: string
  contents: string
  contentsIntro: string
  page: string
}

/** Builds the model of a bundle's cover and contents; `starts` holds the bundle page each sheet starts on. */
export function buildBundleModel(args: {
  title: string
  date: Date
  sheets: readonly ManifestEntry[]
  starts: readonly number[]
  theme: Theme
  where?: Where
  /** The bundle's language (its cover and contents); default en. */
  lang?: string
}): BundleModel {
  const { sheets, theme } = args
  const lang = args.lang ?? 'en'
  const language = sheetLanguage(theme, lang)
  const locale = formatLocale(lang === 'en' ? 'en-GB' : lang, language)
  const text = language.text
  const figures = buildCoverFigures(sheets, args.where ?? {}, theme, language, lang)
  const count = (key: string) => sheets.filter((sheet) => sheet.facts.status === key).length
  const counted = { planned: text.bundleStatusPlanned, ongoing: text.bundleStatusOngoing, completed: text.bundleStatusCompleted }
  const statuses = STATUSES.filter((key) => count(key) > 0).map((key) => ({ key, label: key, count: count(key), text: countWord(counted[key], count(key), locale) }))
  const logo = theme.tokens.logo ? { src: theme.assets.get(theme.tokens.logo.image) ?? '', text: language.logo ?? theme.tokens.logo.text } : null
  // Each line of the contents says its sheet's facts in that sheet's language.
  const entryLanguage = (tag: string) => findLanguage(theme.languages, tag) ?? language
  const placeList = (countries: readonly string[], tag: string) => formatList(placeNames(countries, theme.tokens.groups, entryLanguage(tag), tag).names, formatLocale(tag, entryLanguage(tag)))
  return {
    lang,
    dir: language.dir,
    title: args.title,
    date: new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(args.date),
    dateIso: args.date.toISOString().slice(0, 10),
    projects: sheets.length,
    projectsText: countWord(text.bundleProjectCount, sheets.length, locale),
    statuses,
    totals: figures.total.totals,
    ...figures,
    brand: language.name,
    logo: logo?.src ? logo : null,
    marks: footerMarks(theme, language),
    text: { kicker: text.bundleKicker, projects: text.bundleProjects, totalBudget: text.bundleTotalBudget, contents: text.bundleContents, contentsIntro: text.bundleContentsIntro, page: text.bundlePage },
    entries: sheets.map(({ id, facts }, i) => ({
      id,
      href: SHEET_LINK + id,
      title: facts.title,
      subtitle: facts.subtitle,
      status: { key: facts.status, label: facts.statusLabel },
      countriesText: placeList(facts.countries, facts.lang),
      period: facts.period,
      page: args.starts[i],
      lang: facts.lang,
      dir: entryLanguage(facts.lang).dir,
    })),
  }
}

/**
 * The cover and contents as one self-contained HTML document: the theme's bundle.hbs (or a built-in minimal template when
 * the theme has none) in the theme's CSS, then the bundle's own rules. Page numbers count the way each sheet's do: the
 * cover and contents are one part numbered on its own ("Page 2 of 2", none on the cover), like every sheet after it;
 * the contents list the page of the bundle's PDF each sheet starts on (where its link and bookmark go).
 */
export function renderBundleHtml(model: BundleModel, theme: Theme): string {
  const template = theme.templates.get('bundle') ?? (fallback ??= Handlebars.create().compile(FALLBACK_TEMPLATE, { strict: true }))
  const language = sheetLanguage(theme, model.lang)
  const side = language.dir === 'rtl' ? 'bottom-left' : 'bottom-right'
  const pages = `@page :first { @${side} { content: none; } }\n`
  return renderDocument(template(model), { lang: model.lang, dir: model.dir, title: model.title, css: `${theme.css}\n${language.css}\n${BUNDLE_CSS}${pages}`, bodyClass: 'bundle' })
}

/** The bundle's own CSS, after the theme's: it uses the theme's --color-* and --font-* properties, so any brand fits. */
export const BUNDLE_CSS = `
.bundle-cover { break-after: page; }
.bundle-kicker { margin: 0; font-size: 8.5pt; font-weight: 700; letter-spacing: 0.08em; text-transform: uppercase; color: var(--color-muted, #555); }
.bundle-hero { position: relative; overflow: hidden; margin-top: 8mm; min-height: 96mm; padding: 18mm 14mm 13mm; display: flex; flex-direction: column;
  background: var(--color-primary, #123a63); color: #fff; border-bottom: 2.2mm solid var(--color-highlight, #f2a900); }
.bundle-hero-logo { position: absolute; inset-inline-end: -22mm; bottom: -26mm; width: 118mm; height: 118mm; opacity: 0.09; }
.bundle-eyebrow { position: relative; margin: 0 0 5mm; font-size: 9pt; font-weight: 700; letter-spacing: 0.12em; text-transform: uppercase; color: var(--color-highlight, #f2a900); }
.bundle-title { position: relative; margin: 0; max-width: 140mm; font: 700 32pt/1.08 var(--font-heading, serif); color: #fff; }
.bundle-date { position: relative; margin: auto 0 0; padding-top: 10mm; font-size: 11pt; font-weight: 600; color: #fff; }
.bundle-brand-line { position: relative; margin: 1mm 0 0; font-size: 9.5pt; color: #fff; opacity: 0.85; }
.bundle-figures { display: grid; grid-template-columns: 38mm; grid-auto-columns: 1fr; grid-auto-flow: column; column-gap: 6mm; margin: 7mm 0 0; }
.bundle-chart .chart-title { display: none; }
.bundle-visuals { display: grid; grid-template-columns: 88mm 1fr; column-gap: 7mm; align-items: start; margin: 7mm 0 0; }
.bundle-visuals .figure-map { padding: 0; }
.bundle-visuals .map { background: var(--color-panel, #eef3f7); }
.bundle-chart-title { margin: 0 0 2mm; font-size: 8.6pt; font-weight: 700; color: var(--color-accent, #00727d); }
.bundle-figure { margin: 0; padding: 4mm 5mm 4mm; background: var(--color-panel, #eef3f7); border-top: 1.2pt solid var(--color-accent, #00727d); }
.bundle-figure dt { font-size: 8.6pt; font-weight: 700; letter-spacing: 0.02em; color: var(--color-accent, #00727d); margin-bottom: 1.5mm; }
.bundle-figure dd { margin: 0; }
.bundle-number { font: 700 30pt/1 var(--font-heading, serif); color: var(--color-primary, #123a63); }
.bundle-statuses { margin-top: 2.5mm !important; font-size: 9pt; color: var(--color-text, #222); }
.bundle-statuses span { display: inline-block; white-space: nowrap; }
.bundle-statuses span + span::before { content: " · "; color: var(--color-muted, #555); }
.bundle-amount { font-size: 13pt; font-weight: 700; line-height: 1.35; color: var(--color-primary, #123a63); font-variant-numeric: tabular-nums; }
.bundle-toc-title { font: 700 21pt/1.12 var(--font-heading, serif); color: var(--color-primary, #123a63); margin: 2mm 0 1.5mm; }
.bundle-toc-title::before { content: ""; display: block; width: 14mm; height: 1.4mm; background: var(--color-highlight, #f2a900); margin-bottom: 3mm; }
.bundle-toc-intro { margin: 0 0 5mm; color: var(--color-muted, #555); }
.toc { list-style: none; margin: 0; padding: 0; border-top: 1.2pt solid var(--color-primary, #123a63); }
.toc li { break-inside: avoid; border-bottom: 0.6pt solid var(--color-rule, #ccc); }
.toc-entry { display: flex; align-items: baseline; gap: 4mm; padding: 3mm 0; color: inherit; text-decoration: none; }
.toc-main { flex: 1; min-width: 0; }
.toc-title { display: block; font-size: 11pt; font-weight: 700; line-height: 1.25; color: var(--color-primary, #123a63); }
.toc-meta { display: block; margin-top: 0.8mm; font-size: 8.4pt; color: var(--color-muted, #555); }
.toc-period { white-space: nowrap; }
/* Margin boxes print only with fonts the body loaded: the fallback uses the footer's weight (600) itself. */
.toc-status { flex: none; font-weight: 600; font-size: 8.5pt; color: var(--color-muted, #555); }
.bundle-fallback-date { font-weight: 600; }
/* Arabic joins its letters: no letter-spacing or case change on it. */
:lang(ar) .bundle-kicker, :lang(ar) .bundle-eyebrow, :lang(ar) .bundle-figure dt { letter-spacing: 0; text-transform: none; }
.toc-entry .badge { flex: none; width: 30mm; justify-content: center; font-size: 7.5pt; padding: 0.9mm 2.6mm; }
.toc-page { flex: none; width: 11mm; text-align: end; font: 700 13pt/1 var(--font-heading, serif); color: var(--color-primary, #123a63); font-variant-numeric: tabular-nums; }
`

// --- internal ---

let fallback: Handlebars.TemplateDelegate | undefined

/** For themes without a bundle.hbs: the same model, plainly laid out. */
const FALLBACK_TEMPLATE = `<section class="bundle-cover">
{{#if logo}}<img src="{{logo.src}}" alt="{{logo.text}}" style="width:14mm;height:14mm">{{/if}}
<p class="bundle-kicker">{{text.kicker}}</p>
<h1 class="bundle-toc-title">{{title}}</h1>
<p class="bundle-fallback-date"><time datetime="{{dateIso}}">{{date}}</time></p>
<dl class="bundle-figures"><div class="bundle-figure"><dt>{{text.projects}}</dt><dd class="bundle-number">{{projects}}</dd></div>
{{#if share}}<div class="bundle-figure"><dt>{{share.label}}</dt>{{#each share.totals}}<dd class="bundle-amount">{{amount}}</dd>{{/each}}</div>{{/if}}
<div class="bundle-figure"><dt>{{total.label}}</dt>{{#each total.totals}}<dd class="bundle-amount">{{amount}}</dd>{{/each}}</div></dl>
</section>
<section class="bundle-toc"><h2 class="bundle-toc-title">{{text.contents}}</h2>
<ol class="toc">{{#each entries}}<li><a class="toc-entry" href="{{href}}"><span class="toc-main"><span class="toc-title">{{title}}</span></span>
<span class="toc-status">{{status.label}}</span><span class="toc-page">{{page}}</span></a></li>{{/each}}</ol>
</section>`
