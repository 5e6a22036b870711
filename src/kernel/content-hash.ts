import {createHash} from 'node:crypto'

/**
 * A value's content as one string, the same for equal values whatever their keys' order:
 * canonical JSON (object keys sorted by code unit, no spaces) for JSON values, and for the
 * values JSON cannot hold a bare token that no JSON text can contain (`NaN`, `-0`,
 * `Infinity`, `undefined`, `12n`, `Date(...)`, `bytes(...)`), so no two different values
 * read alike. Object keys whose value is undefined are left out, as JSON does: a metric reads
 * a missing field and an undefined one the same way.
 */
export function canonicalEncode(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      if (Number.isNaN(value)) return 'NaN'
      if (Object.is(value, -0)) return '-0'
      return Number.isFinite(value) ? JSON.stringify(value) : value > 0 ? 'Infinity' : '-Infinity'
    case 'bigint':
      return `${value}n`
    case 'undefined':
      return 'undefined'
    case 'object':
      return encodeObject(value)
    default:
      throw new TypeError(`cannot encode a ${typeof value} as content`)
  }
}

function encodeObject(value: object | null): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return `[${value.map(canonicalEncode).join(',')}]`
  if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? 'NaN' : value.toISOString()})`
  if (ArrayBuffer.isView(value)) {
    return `bytes(${value.constructor.name},${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')})`
  }
  const proto = Object.getPrototypeOf(value) as unknown
  if (proto !== Object.prototype && proto !== null) throw new TypeError(`cannot encode a ${value.constructor.name} as content`)
  const entries = Object.entries(value).filter(([, v]) => v !== undefined)
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalEncode(v)}`).join(',')}}`
}

/** sha256 (hex) of a value's {@link canonicalEncode canonical content}. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalEncode(value)).digest('hex')
}
