/** XMP metadata for a sheet's PDF: the document facts a catalogue or archive reads, and how the sheet was built. */
import { PDFDocument, PDFName } from 'pdf-lib'

/** The namespace of the pipeline's own XMP properties (record id, input hash, theme, fit step). */
export const XMP_NAMESPACE = 'urn:factsheets:xmp:1.0:'

/** What a sheet's PDF says of itself, in its document information and its XMP packet. */
export interface DocumentInfo {
  title: string
  subject?: string
  author: string
  keywords: string[]
  lang: string
  /** The tool, as "factsheets 0.1.0". */
  creator: string
  /** Creation and modification date. */
  date: Date
}

/** What the XMP packet says: the document information, and how the sheet was built. */
export interface XmpFacts extends DocumentInfo {
  id: string
  inputHash: string
  theme: string
  themeVersion?: string
  fitStep: number
  fitStepName: string
  pages: number
}

/** Writes the XMP packet as the catalog's uncompressed /Metadata stream (readable with `pdfinfo -meta`). */
export function setXmp(doc: PDFDocument, facts: XmpFacts): void {
  const xml = xmpPacket(facts)
  const stream = doc.context.stream(new TextEncoder().encode(xml), { Type: 'Metadata', Subtype: 'XML' })
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(stream))
}

/** The XMP packet's text. */
export function xmpPacket(facts: XmpFacts): string {
  const date = facts.date.toISOString().replace(/\.\d{3}Z$/, 'Z')
  const own: [string, string | number | undefined][] = [
    ['RecordId', facts.id],
    ['InputHash', facts.inputHash],
    ['Theme', facts.theme],
    ['ThemeVersion', facts.themeVersion],
    ['FitStep', facts.fitStep],
    ['FitStepName', facts.fitStepName],
    ['Pages', facts.pages],
  ]
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    `  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:fs="${XMP_NAMESPACE}">`,
    `   <dc:format>application/pdf</dc:format>`,
    `   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(facts.title)}</rdf:li></rdf:Alt></dc:title>`,
    ...(facts.subject ? [`   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xml(facts.subject)}</rdf:li></rdf:Alt></dc:description>`] : []),
    `   <dc:creator><rdf:Seq><rdf:li>${xml(facts.author)}</rdf:li></rdf:Seq></dc:creator>`,
    `   <dc:language><rdf:Bag><rdf:li>${xml(facts.lang)}</rdf:li></rdf:Bag></dc:language>`,
    `   <dc:subject><rdf:Bag>${facts.keywords.map((word) => `<rdf:li>${xml(word)}</rdf:li>`).join('')}</rdf:Bag></dc:subject>`,
    `   <xmp:CreatorTool>${xml(facts.creator)}</xmp:CreatorTool>`,
    `   <xmp:CreateDate>${date}</xmp:CreateDate>`,
    `   <xmp:ModifyDate>${date}</xmp:ModifyDate>`,
    `   <xmp:MetadataDate>${date}</xmp:MetadataDate>`,
    `   <pdf:Producer>${xml(facts.creator)}</pdf:Producer>`,
    `   <pdf:Keywords>${xml(facts.keywords.join(', '))}</pdf:Keywords>`,
    ...own.filter(([, value]) => value !== undefined).map(([key, value]) => `   <fs:${key}>${xml(String(value))}</fs:${key}>`),
    '  </rdf:Description>',
    ' </rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('\n')
}

// --- internal ---

function xml(text: string): string {
  // Control characters are not allowed in XML 1.0; the rest is escaped.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`)
}
