/** The public API: build and check records, configure, and the error model. */
export { build, check, planProject, type BuildResult, type ProjectPlan } from './pipeline.ts'
export { defineConfig, resolveConfig, type UserConfig, type ResolvedConfig } from './config/config.ts'
export { ERROR_CATALOGUE, SheetError, isSheetError, type ErrorCode, type SourceLocation } from './core/errors.ts'
export { recordSchema, type RecordFields } from './record/schema.ts'
export type { SheetModel } from './sheet/model.ts'
export type { ManifestEntry } from './output/manifest.ts'
