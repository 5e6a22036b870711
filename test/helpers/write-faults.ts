import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {ROOT} from './cli.js'

/**
 * The environment that makes a CLI child's writes to files whose path matches `match` fail
 * with `code` once `afterBytes` bytes have gone to them (test/helpers/write-faults.mjs).
 */
export function writeFaultEnv(match: RegExp, afterBytes: number, code = 'ENOSPC'): Record<string, string> {
  const hook = pathToFileURL(join(ROOT, 'test/helpers/write-faults.mjs')).href
  return {
    NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --import ${hook}`.trim(),
    ALIGNCTL_TEST_WRITE_FAULT: JSON.stringify({match: match.source, afterBytes, code}),
  }
}
