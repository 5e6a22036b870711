import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {dirname, extname, isAbsolute, join, resolve} from 'node:path'

import {parse as parseYaml} from 'yaml'

import type {CsvHeader} from './datasets/dataset.js'
import {usageError} from '../kernel/errors.js'
import {loadJsonAsset} from '../kernel/assets.js'
import type {ParamsByMetric} from './params.js'
import {compileSchema} from '../kernel/schema.js'

/** A config file's contents (`alignctl.config.json|yaml`), paths already resolved. */
export interface ConfigFile {
  metrics?: string[]
  /** Input paths by input name; a plain `input` is stored under `default`. */
  inputs?: Record<string, string>
  params?: ParamsByMetric
  map?: Record<string, string>
  /** Lower bounds (`--fail-under`); `failUnder` in the file is the same list. */
  gates?: string[]
  /** Upper bounds (`--fail-over`). */
  failOver?: string[]
  out?: string
  format?: Array<'json' | 'html' | 'md'>
  onError?: 'fail' | 'skip'
  csvHeader?: CsvHeader
  batchSize?: number
  model?: string
  device?: string
  workers?: number
  threads?: number
  maxTokens?: number
  /** `false`: no result cache, as `--no-cache`. */
  cache?: boolean
}

export const CONFIG_NAMES = ['alignctl.config.json', 'alignctl.config.yaml', 'alignctl.config.yml'] as const

const validateConfig = compileSchema(loadJsonAsset('core/schemas/config.schema.json'))

/** The config file in `dir`, if there is one. */
export function findConfig(dir: string): string | undefined {
  return CONFIG_NAMES.map((name) => join(dir, name)).find((file) => existsSync(file))
}

/**
 * Reads and validates a config file, reporting every problem at once, each with its path
 * in the file (`params.alignscore: must be object`). Relative paths in it are taken from
 * the config file's folder, so a config works from any working directory.
 */
export async function loadConfig(file: string): Promise<ConfigFile> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    throw usageError(`${file}: cannot read the config file.`, 'Check the path given to --config.')
  }
  let raw: unknown
  try {
    raw = ['.yaml', '.yml'].includes(extname(file).toLowerCase()) ? parseYaml(text) : JSON.parse(text)
  } catch (error) {
    throw usageError(`${file}: the config file does not parse: ${(error as Error).message}`)
  }
  const problems = validateConfig.validate(raw)
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.field === '' ? '(top level)' : p.field}: ${p.message}`).join('; ')
    throw usageError(`${file}: invalid config: ${list}.`, 'See "Config file" in the README for the fields.')
  }
  const config = raw as Omit<ConfigFile, 'metrics'> & {metrics?: string | string[]; input?: string}
  const base = dirname(resolve(file))
  const at = (path: string) => (isAbsolute(path) ? path : join(base, path))
  const {input, metrics, failUnder, ...rest} = config as typeof config & {failUnder?: string[]}
  const inputs: Record<string, string> = {}
  if (input !== undefined) inputs['default'] = at(input)
  for (const [name, path] of Object.entries(config.inputs ?? {})) inputs[name] = at(path)
  const loaded: ConfigFile = {...rest}
  if (failUnder !== undefined) loaded.gates = [...(rest.gates ?? []), ...failUnder]
  if (metrics !== undefined) loaded.metrics = typeof metrics === 'string' ? [metrics] : metrics
  if (Object.keys(inputs).length > 0) loaded.inputs = inputs
  if (config.out !== undefined) loaded.out = at(config.out)
  // A model given as a path (not a cache name) is relative to the config file too.
  if (config.model !== undefined && (config.model.includes('/') || config.model.startsWith('.'))) loaded.model = at(config.model)
  return loaded
}
