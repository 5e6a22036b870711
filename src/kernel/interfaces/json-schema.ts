/**
 * A JSON Schema document. Kept as a plain object type so that metric authors can write
 * schemas as literals; ajv checks them when the metric is registered.
 */
export type JsonSchema = {readonly [keyword: string]: unknown}
