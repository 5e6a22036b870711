import {loadJsonAsset} from '../kernel/assets.js'
import {compileSchema, formatProblems} from '../kernel/schema.js'
import {usageError} from '../kernel/errors.js'
import type {Report} from './report.js'

/** The report JSON Schema, as shipped. */
export const reportSchema = loadJsonAsset('report/schemas/report.v1.schema.json')

const validate = compileSchema(reportSchema)

/** Checks a parsed report.json; throws a usage error naming `file` and the fields at fault. */
export function assertReport(value: unknown, file: string): asserts value is Report {
  const problems = validate.validate(value)
  if (problems.length > 0) {
    throw usageError(`${file}: not an alignctl v1 report: ${formatProblems(problems)}.`, 'Give the report.json that `alignctl eval` wrote.')
  }
}
