import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CONFIG_FILE, DEFAULT_THEME, resolveConfig, type UserConfig } from '../../src/config/config.ts'
import { SheetError } from '../../src/core/errors.ts'

let cwd: string

beforeEach(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'factsheets-config-'))
})

afterEach(() => {
  fs.rmSync(cwd, { recursive: true, force: true })
})

const writeConfig = (text: string) => fs.writeFileSync(path.join(cwd, CONFIG_FILE), text)

/** The SheetError resolveConfig throws; fails the test if it throws nothing or something else. */
async function configError(flags: UserConfig = {}): Promise<SheetError> {
  try {
    await resolveConfig(flags, cwd)
  } catch (error) {
    if (error instanceof SheetError) return error
    throw error
  }
  throw new Error('expected resolveConfig to throw')
}

describe('resolveConfig defaults', () => {
  it('puts content, out and templates as absolute folders under the working directory', async () => {
    const config = await resolveConfig({}, cwd)
    expect(config.cwd).toBe(cwd)
    expect(config.content).toBe(path.join(cwd, 'content'))
    expect(config.out).toBe(path.join(cwd, 'out'))
    expect(config.templates).toBe(path.join(cwd, 'templates'))
    for (const dir of [config.content, config.out, config.templates]) expect(path.isAbsolute(dir)).toBe(true)
  })

  it('uses the mpf theme, at least one sheet at a time, and the documented defaults', async () => {
    const config = await resolveConfig({}, cwd)
    expect(config.theme).toBe('mpf')
    expect(DEFAULT_THEME).toBe('mpf')
    expect(Number.isInteger(config.concurrency)).toBe(true)
    expect(config.concurrency).toBeGreaterThanOrEqual(1)
    expect(config).toMatchObject({
      only: undefined,
      html: false,
      force: false,
      timeout: 30_000,
      maxPages: 20,
      browser: undefined,
      shard: undefined,
      browserWsEndpoint: undefined,
      clean: false,
      bundle: undefined,
      where: [],
      bundles: undefined,
      bundleLang: undefined,
      languages: [],
      verbose: false,
    })
  })
})

describe('resolveConfig flags', () => {
  it('lets flags override every default', async () => {
    const config = await resolveConfig(
      {
        content: 'records',
        out: 'build/pdf',
        templates: '/themes',
        theme: 'brand',
        only: ['jempas-ii'],
        concurrency: 3,
        html: true,
        force: true,
        timeout: 5000,
        maxPages: 4,
        fit: false,
        preflight: 'warn',
        browser: '/usr/bin/chromium',
        shard: '2/4',
        browserWsEndpoint: 'ws://127.0.0.1:9222/devtools/browser/x',
        clean: true,
        bundle: 'donor-amif',
        where: ['fund=AMIF'],
        bundles: 'bundles.yaml',
        bundleLang: 'fr',
        languages: ['en', 'fr', 'ar'],
        verbose: true,
      },
      cwd,
    )
    expect(config).toEqual({
      cwd,
      content: path.join(cwd, 'records'),
      out: path.join(cwd, 'build', 'pdf'),
      templates: path.resolve('/themes'),
      theme: 'brand',
      only: ['jempas-ii'],
      concurrency: 3,
      html: true,
      force: true,
      timeout: 5000,
      maxPages: 4,
      fit: false,
      preflight: 'warn',
      browser: '/usr/bin/chromium',
      shard: { index: 2, count: 4 },
      browserWsEndpoint: 'ws://127.0.0.1:9222/devtools/browser/x',
      clean: true,
      bundle: 'donor-amif',
      where: ['fund=AMIF'],
      bundles: path.join(cwd, 'bundles.yaml'),
      bundleLang: 'fr',
      languages: ['en', 'fr', 'ar'],
      verbose: true,
    })
  })

  it('ignores flags given as undefined', async () => {
    expect(await resolveConfig({ theme: undefined, out: undefined }, cwd)).toMatchObject({ theme: 'mpf', out: path.join(cwd, 'out') })
  })

  it('refuses a bad flag value with a UsageError naming the flag and the value', async () => {
    const error = await configError({ concurrency: 0 })
    expect(error.code).toBe('UsageError')
    expect(error.message).toMatch(/^--concurrency: /)
    expect(error.message).toContain('(got 0)')
  })

  it('refuses a theme name that is not a folder name with a UsageError', async () => {
    const error = await configError({ theme: 'My Theme' })
    expect(error.code).toBe('UsageError')
    expect(error.message).toBe('--theme: expected a theme folder name (got "My Theme")')
  })

  it('refuses a shard outside 1..N with a UsageError', async () => {
    for (const shard of ['5/4', '0/4', '1/0', 'half']) {
      const error = await configError({ shard })
      expect(error.code, shard).toBe('UsageError')
      expect(error.message, shard).toMatch(/^--shard: expected I\/N/)
    }
  })

  it('refuses a flag of the wrong type with a UsageError', async () => {
    const error = await configError({ timeout: 'soon' as unknown as number })
    expect(error.code).toBe('UsageError')
    expect(error.message).toMatch(/^--timeout: .*\(got "soon"\)$/)
  })
})

describe('sheets.config.json', () => {
  it('is read from the working directory', async () => {
    writeConfig('{\n  "out": "build",\n  "theme": "brand",\n  "concurrency": 2,\n  "html": true\n}\n')
    expect(await resolveConfig({}, cwd)).toMatchObject({
      out: path.join(cwd, 'build'),
      theme: 'brand',
      concurrency: 2,
      html: true,
      content: path.join(cwd, 'content'),
    })
  })

  it('is overridden by flags', async () => {
    writeConfig('{ "out": "build", "theme": "brand" }\n')
    expect(await resolveConfig({ out: 'elsewhere' }, cwd)).toMatchObject({ out: path.join(cwd, 'elsewhere'), theme: 'brand' })
  })

  it('is not read from other folders than the working directory', async () => {
    fs.mkdirSync(path.join(cwd, 'sub'))
    writeConfig('{ "theme": "brand" }\n')
    expect((await resolveConfig({}, path.join(cwd, 'sub'))).theme).toBe('mpf')
  })

  it('refuses an unknown key with ConfigInvalid naming sheets.config.json, the line and the field', async () => {
    writeConfig('{\n  "out": "build",\n  "themes": "brand"\n}\n')
    const error = await configError()
    expect(error.code).toBe('ConfigInvalid')
    expect(error.loc).toEqual({ file: 'sheets.config.json', line: 3 })
    expect(error.field).toBe('themes')
    expect(error.message).toContain('is not a setting')
    expect(error.message).toContain('theme')
  })

  it('refuses a bad value with ConfigInvalid naming the line and the field', async () => {
    writeConfig('{\n  "content": "records",\n  "out": "build",\n  "concurrency": 0\n}\n')
    const error = await configError()
    expect(error.code).toBe('ConfigInvalid')
    expect(error.loc).toEqual({ file: 'sheets.config.json', line: 4 })
    expect(error.field).toBe('concurrency')
    expect(error.message).toContain('(got 0)')
  })

  it('refuses text that is not JSON with ConfigInvalid and its line', async () => {
    writeConfig('{\n  "out": "build",\n  "out": "again"\n}\n')
    const error = await configError()
    expect(error.code).toBe('ConfigInvalid')
    expect(error.loc?.file).toBe('sheets.config.json')
    expect(error.loc?.line).toBe(3)
    expect(error.message).toBe('the field "out" is given twice')
    writeConfig('{\n  "out": "build",\n  "html": [true\n}\n')
    expect((await configError()).message).toMatch(/^sheets\.config\.json is not valid JSON/)
  })

  it('is checked even when a flag sets the same key', async () => {
    writeConfig('{ "concurrency": "many" }\n')
    expect((await configError({ concurrency: 2 })).code).toBe('ConfigInvalid')
  })
})
