/** A seeded PRNG and the vocabulary of migration-project records: realistic, deterministic prose for the bench. */

/** mulberry32: a small, fast 32-bit PRNG; the same seed gives the same sequence on every machine. */
export function rng(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]
  const chance = (p: number) => next() < p
  const sample = <T>(items: readonly T[], k: number): T[] => {
    const pool = [...items]
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1))
      ;[pool[i], pool[j]] = [pool[j], pool[i]]
    }
    return pool.slice(0, k)
  }
  return { next, int, pick, chance, sample }
}

export type Rng = ReturnType<typeof rng>

/** A word list written as one '|'-separated string. */
const words = (list: string): readonly string[] => list.split('|')

export const COUNTRIES = words(
  'Albania|Algeria|Armenia|Austria|Azerbaijan|Bangladesh|Belgium|Benin|Bosnia and Herzegovina|Bulgaria|Côte d’Ivoire|Croatia|Curaçao' +
    '|Cyprus|Czechia|Egypt|Ethiopia|EU countries|France|Gambia|Georgia|Germany|Ghana|Greece|Guinea-Bissau|Hungary|Iraq|Italy|Jordan' +
    '|Kazakhstan|Kenya|Kosovo|Kyrgyzstan|Lebanon|Libya|Mali|Malta|Mauritania|Moldova|Montenegro|Morocco|Netherlands|Niger|Nigeria' +
    '|North Macedonia|Pakistan|Poland|Portugal|Réunion|Romania|São Tomé and Príncipe|Senegal|Serbia|Slovenia|Spain|Sri Lanka|Sweden' +
    '|Tajikistan|Togo|Tunisia|Türkiye|Ukraine|Uzbekistan|Åland Islands',
)

export const FUNDS: Record<'EUR' | 'USD' | 'CHF', readonly string[]> = {
  EUR: ['AMIF', 'ISF-Police', 'BMVI', 'NDICI-Global Europe', 'IPA III', 'EU Emergency Trust Fund for Africa', 'Austrian Development Agency'],
  USD: ['US Department of State (PRM)', 'USAID', 'Global Compact Fund', 'IOM Development Fund'],
  CHF: ['Swiss State Secretariat for Migration (SEM)', 'Swiss Agency for Development and Cooperation (SDC)', 'Liechtenstein'],
}

export const IMPLEMENTERS = words('ICMPD|ICMPD|ICMPD|Enabel|Expertise France|GIZ|ICMPD and FIIAPP|the Austrian Federal Ministry of the Interior')

export const BENEFICIARIES = words(
  'the Ministry of Interior|the national employment agency|the asylum authorities of the partner countries|the border police' +
    '|the Ministry of Labour and Social Protection|the ECOWAS Commission|the State Agency for Migration',
)

const ACTIONS = ['Strengthening', 'Support to', 'Enhancing', 'Capacity Building for', 'Piloting', 'Improving', 'Towards', 'Developing']
const TOPICS = words(
  'Migration Management|Labour Mobility|Border Data Exchange|Asylum and Reception Systems|Diaspora Engagement' +
    '|Return and Reintegration|Skills Partnerships|Anti-Trafficking Cooperation|Migration Statistics|Consular Services' +
    '|Integrated Border Management|Legal Pathways',
)
const REGIONS = ['the Western Balkans', 'the Silk Routes Region', 'North Africa', 'West Africa', 'the Eastern Partnership', 'Central Asia', 'the Mediterranean']
const ACRONYMS = ['JEMPAS', 'PALIM', 'SARC', 'BORDEX', 'MOBILISE', 'THAMM', 'DIASPORA-LINK', 'SKILLS4WORK', 'EUROMED', 'MIGRADATA']

const SUBJECTS = words(
  'The project|The action|The project team|Partner authorities|The national employment agency|Border police officers' +
    '|An inter-ministerial working group|Local municipalities|The steering committee|Civil society organisations' +
    '|Experts from EU Member States|The Ministry of Interior|Consular staff|Regional coordinators',
)
const VERBS = words(
  'developed|reviewed|piloted|strengthened|supported the drafting of|trained staff on|set up|mapped|assessed|carried out a study on' +
    '|published guidance on|consolidated|tested|agreed on',
)
const OBJECTS = words(
  'standard operating procedures for the referral of vulnerable migrants|a national strategy on labour migration' +
    '|data exchange between border crossing points|reception conditions for asylum seekers|a training curriculum for consular staff' +
    '|diaspora engagement policies|return and reintegration counselling|a case management system|the recognition of vocational skills' +
    '|pre-departure orientation for jobseekers|the protection of unaccompanied children|a risk analysis methodology' +
    '|bilateral labour agreements|the collection of migration statistics|fair recruitment practices',
)
const TAILS = words(
  '|| in close cooperation with the Ministry of Interior| with the support of experts from {country}| across {k} pilot regions' +
    '| during a series of {k} workshops|, building on the results of the first phase| in line with the EU acquis' +
    '| together with employers’ associations| for more than {n} officials| at the request of the national authorities',
)
const OPENERS = ['', '', '', 'In addition, ', 'As a result, ', 'Following the inception phase, ', 'In {year}, ', 'Despite travel restrictions, ']
const ACTIVITY_TITLES = words(
  'Legal and policy review|Training of {staff}|Study visit to {country}|Support to {institution}|Needs assessment' +
    '|Awareness raising on {topic}|Peer exchanges between {country} and EU Member States|Data and statistics' +
    '|Pre-departure training and skills recognition|Regional dialogue on {topic}|Quality assurance of first-instance decisions' +
    '|Information campaigns for prospective migrants|Return and reintegration support|Coordination and visibility',
)
const STAFF = ['border guards', 'asylum caseworkers', 'labour inspectors', 'consular officers', 'employment counsellors', 'prosecutors and judges']
const INSTITUTIONS = ['the national migration observatory', 'the State Agency for Migration', 'the Directorate of Refugee Affairs', 'the employment agency']

function fill(rand: Rng, template: string): string {
  return template
    .replace('{country}', () => rand.pick(COUNTRIES.filter((c) => c !== 'EU countries')))
    .replace('{k}', () => String(rand.int(3, 12)))
    .replace('{n}', () => String(rand.int(4, 60) * 10))
    .replace('{year}', () => String(rand.int(2016, 2025)))
    .replace('{staff}', () => rand.pick(STAFF))
    .replace('{institution}', () => rand.pick(INSTITUTIONS))
    .replace('{topic}', () => rand.pick(TOPICS).toLowerCase())
}

/** A sentence of about 12-30 words. */
export function sentence(rand: Rng): string {
  const opener = fill(rand, rand.pick(OPENERS))
  const subject = rand.pick(SUBJECTS)
  let text = `${opener}${opener ? subject.charAt(0).toLowerCase() + subject.slice(1) : subject} ${rand.pick(VERBS)} ${rand.pick(OBJECTS)}`
  text += fill(rand, rand.pick(TAILS))
  if (rand.chance(0.35)) text += `, and ${rand.pick(VERBS)} ${rand.pick(OBJECTS)}${fill(rand, rand.pick(TAILS))}`
  if (rand.chance(0.08)) text = text.replace(/(\w+ \w+)$/, '*$1*')
  if (rand.chance(0.05)) text += ' (see [the programme website](https://www.migrationpartnershipfacility.eu))'
  return `${text}.`
}

/** A paragraph of about `words` words. */
export function paragraph(rand: Rng, words: number): string {
  const sentences: string[] = []
  let count = 0
  do {
    const next = sentence(rand)
    sentences.push(next)
    count += next.split(/\s+/).length
  } while (count < words - 12)
  return sentences.join(' ')
}

/** A bullet list of 2-5 short items in the house style ("…;" and a final "."). */
export function bulletList(rand: Rng): string {
  const items = rand.sample(OBJECTS, rand.int(2, 5))
  return items.map((item, i) => `- ${item}${i === items.length - 1 ? '.' : ';'}`).join('\n')
}

export function activityTitle(rand: Rng): string {
  const title = fill(rand, rand.pick(ACTIVITY_TITLES))
  return `${title.charAt(0).toUpperCase()}${title.slice(1)}`
}

/** A title of 3 to ~25 words, and maybe a subtitle of very different length. */
export function titles(rand: Rng): { title: string; subtitle?: string } {
  const shape = rand.int(0, 3)
  let title = `${rand.pick(ACTIONS)} ${rand.pick(TOPICS)}`
  if (shape >= 1) title += ` in ${rand.pick(REGIONS)}`
  if (shape >= 2) title += ` and ${rand.pick(TOPICS)} with ${rand.pick(COUNTRIES)}`
  if (shape === 3) title += `: ${rand.pick(ACTIONS)} ${rand.pick(TOPICS)} between the EU and ${rand.pick(REGIONS)} (${rand.pick(ACRONYMS)} ${rand.int(1, 3)})`
  if (title.length > 200) title = title.replace(/ \(.*$/, '')
  if (title.length > 200) title = title.replace(/:.*$/, '')
  if (!rand.chance(0.75)) return { title }
  const acronym = `${rand.pick(ACRONYMS)}${rand.chance(0.5) ? ` ${['I', 'II', 'III'][rand.int(0, 2)]}` : ''}`
  const subtitle = rand.chance(0.5)
    ? `${rand.pick(ACTIONS)} the ${rand.pick(TOPICS).toLowerCase()} partnership (${acronym})`
    : `${rand.pick(ACTIONS)} ${rand.pick(OBJECTS)} and ${rand.pick(OBJECTS)} along the routes through ${rand.sample(REGIONS, 2).join(' and ')} (${acronym})`
  return { title, subtitle }
}
