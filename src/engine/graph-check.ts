import {inputError} from '../kernel/errors.js'
import type {ModelPack, PackValue} from '../models/pack.js'
import type {EnginePool} from './pool.js'
import {probeSession} from './probe.js'
import type {ProbeResult} from './protocol.js'
import type {ProviderName} from './providers.js'

/**
 * Opens the pack's graph in a worker and checks that its inputs and outputs are the ones the
 * manifest promises (names and element types), so a mismatched pack fails before any scoring.
 */
export async function checkPackGraph(pool: EnginePool, pack: ModelPack, providers: ProviderName[] = ['cpu']): Promise<ProbeResult> {
  const probe = await probeSession(pool, {model: pack.model, providers, threads: pool.threads}, `the graph of ${pack.dir}`)
  const problems = [...compare('input', pack.manifest.inputs, probe.inputs), ...compare('output', pack.manifest.outputs, probe.outputs)]
  if (problems.length > 0) {
    throw inputError(`${pack.model}: the graph does not match ${pack.dir}/alignctl-model.json: ${problems.join('; ')}.`, 'Convert the model again with `alignctl models convert`.')
  }
  return probe
}

function compare(kind: string, expected: readonly PackValue[], actual: ProbeResult['inputs']): string[] {
  const problems: string[] = []
  for (const value of expected) {
    const found = actual.find((a) => a.name === value.name)
    if (found === undefined) problems.push(`${kind} "${value.name}" is missing from the graph`)
    else if (found.type !== value.type) problems.push(`${kind} "${value.name}" is ${found.type} in the graph, ${value.type} in the manifest`)
  }
  for (const value of actual) if (!expected.some((e) => e.name === value.name)) problems.push(`the graph has an ${kind} "${value.name}" the manifest does not list`)
  return problems
}
