import {Ajv, type ErrorObject, type ValidateFunction} from 'ajv'
import addFormats from 'ajv-formats'

import type {JsonSchema} from './interfaces/index.js'

/** One problem found by a schema, located by a JSON Pointer-ish dotted path. */
export interface SchemaProblem {
  /** Dotted path to the offending field (`claim`, `answers.2`), empty for the whole value. */
  field: string
  message: string
}

/**
 * Compiled validators. `coerce` is for values that arrive as strings (CSV cells, `--param k=v`):
 * ajv turns "3" into 3 where the schema asks for a number.
 */
export interface CompiledSchema {
  validate(value: unknown): SchemaProblem[]
}

// Compile once: one Ajv per coercion mode, shared by every schema in the process.
const strictAjv = createAjv(false)
const coercingAjv = createAjv(true)

function createAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({allErrors: true, useDefaults: true, coerceTypes: coerce, strict: false, ownProperties: true})
  addFormats.default(ajv)
  return ajv
}

export function compileSchema(schema: JsonSchema, options: {coerce?: boolean} = {}): CompiledSchema {
  const ajv = options.coerce ? coercingAjv : strictAjv
  const validate: ValidateFunction = ajv.compile(schema as object)
  return {
    validate(value) {
      return validate(value) ? [] : (validate.errors ?? []).map(toProblem)
    },
  }
}

/** Checks that a schema is itself valid; returns ajv's complaint, or undefined. */
export function schemaError(schema: JsonSchema): string | undefined {
  try {
    strictAjv.compile(schema as object)
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

function toProblem(error: ErrorObject): SchemaProblem {
  const path = error.instancePath.split('/').slice(1).map(unescapePointer)
  // ajv reports a missing property at its parent; name the property itself.
  if (error.keyword === 'required') path.push(String(error.params['missingProperty']))
  if (error.keyword === 'additionalProperties') path.push(String(error.params['additionalProperty']))
  return {field: path.join('.'), message: describeError(error)}
}

function describeError(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required':
      return 'is missing'
    case 'enum':
      return `must be one of ${(error.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
    case 'const':
      return `must be ${JSON.stringify(error.params['allowedValue'])}`
    default:
      return error.message ?? 'is invalid'
  }
}

function unescapePointer(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~')
}

/** `field "claim": is missing; field "score": must be number` */
export function formatProblems(problems: readonly SchemaProblem[]): string {
  return problems.map((p) => (p.field === '' ? p.message : `field "${p.field}": ${p.message}`)).join('; ')
}
