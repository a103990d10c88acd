/** The public API: build and check records, configure, and the error model. */
export { build, check, type BuildResult } from './pipeline.ts'
export { defineConfig, resolveConfig, type UserConfig, type ResolvedConfig } from './config.ts'
export { SheetError, isSheetError, type ErrorCode, type SourceLocation } from './errors.ts'
export { recordSchema, type RecordFields } from './schema.ts'
export type { SheetModel } from './model.ts'
export type { ManifestEntry } from './write.ts'
