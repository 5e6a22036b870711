import assert from 'node:assert/strict'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {dirname, join, relative, resolve, sep} from 'node:path'
import {test} from 'node:test'

/** docs/architecture.md's table: what each layer may import (besides itself). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  'src/kernel': [],
  'src/models': ['src/kernel'],
  'src/engine': ['src/kernel', 'src/models'],
  'src/report': ['src/kernel'],
  'src/core': ['src/kernel', 'src/engine', 'src/models', 'src/report'],
  'src/commands': ['src/kernel', 'src/engine', 'src/models', 'src/report', 'src/core', 'src/action'],
  'src/action': ['src/kernel', 'src/engine', 'src/models', 'src/report', 'src/core'],
  metrics: ['src/kernel', 'src/engine'],
}

const ROOT = resolve(import.meta.dirname, '..')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : files(path)
    return /\.(ts|js)$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

/** The layer of a repository path: `src/<dir>`, `metrics/<id>` (each metric its own), or undefined. */
function layerOf(path: string): string | undefined {
  const parts = relative(ROOT, path).split(sep)
  if (parts[0] === 'src' && parts.length > 2) return `src/${parts[1]}`
  if (parts[0] === 'metrics' && parts.length > 2) return `metrics/${parts[1]}`
  return undefined
}

/** Relative import specifiers of a source file (static and dynamic, type imports included). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/(?:from|import\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!)
}

/** The imports of `file` (its specifiers) that cross the rules. */
function violations(file: string, specifiers: readonly string[]): string[] {
  const from = layerOf(file)
  if (from === undefined) return []
  return specifiers.flatMap((specifier) => {
    const to = layerOf(resolve(dirname(file), specifier))
    if (to === undefined || to === from) return []
    const rule = from.startsWith('metrics/') ? MAY_IMPORT['metrics']! : MAY_IMPORT[from]
    return rule !== undefined && rule.includes(to) ? [] : [`${relative(ROOT, file)} imports ${specifier} (${from} → ${to})`]
  })
}

test('every import follows the layer rules of docs/architecture.md', () => {
  const found = [...files(join(ROOT, 'src')), ...files(join(ROOT, 'metrics'))].flatMap((file) => violations(file, imports(file)))
  assert.deepEqual(found, [])
})

test('the report layer names no metric', () => {
  const ids = readdirSync(join(ROOT, 'metrics')).filter((name) => statSync(join(ROOT, 'metrics', name)).isDirectory())
  assert.ok(ids.length >= 3)
  const named = files(join(ROOT, 'src/report')).flatMap((file) => {
    const text = readFileSync(file, 'utf8')
    return ids.filter((id) => new RegExp(`\\b${id}\\b`, 'i').test(text)).map((id) => `${relative(ROOT, file)} names ${id}`)
  })
  assert.deepEqual(named, [])
})

test('crossing imports are caught: upwards, into core from a metric, and between metrics', () => {
  assert.deepEqual(violations(join(ROOT, 'src/report/html.ts'), ['../core/gates.js', '../kernel/errors.js', './flatten.js']), ['src/report/html.ts imports ../core/gates.js (src/report → src/core)'])
  assert.equal(violations(join(ROOT, 'metrics/ctc/index.ts'), ['../../src/core/evaluate.js', '../honesty/index.js', '../../src/engine/llm/index.js', './score.js']).length, 2)
  assert.equal(violations(join(ROOT, 'src/kernel/errors.ts'), ['../models/pack.js']).length, 1)
})
