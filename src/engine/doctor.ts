import {mkdtemp, rm} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {availableParallelism, cpus, tmpdir} from 'node:os'
import {join} from 'node:path'

import {buildEncoder, outputPresets, randomEncoderWeights, writeModel, type EncoderConfig} from '../models/onnx/index.js'
import {cacheDir} from '../models/cache.js'
import {EnginePool} from './pool.js'
import {probeSession, ProviderLoadError} from './probe.js'
import {providerHint, type ProviderName} from './providers.js'

export interface ProviderCheck {
  provider: ProviderName
  /** Whether onnxruntime-node ships this provider in the install (its own listSupportedBackends). */
  bundled: boolean
  /** Whether a session on the probe model was created with it. */
  works: boolean
  reason?: string
  hint?: string
  /**
   * What the native libraries printed on stderr while this provider was tried (Dawn's "Couldn't
   * load Vulkan", for one): kept in `doctor --json`, not printed, since `reason` and `hint` already say it.
   */
  output?: string[]
}

export interface DoctorReport {
  node: string
  platform: string
  cpu: {model: string; cores: number}
  onnxruntime: string
  providers: ProviderCheck[]
  cacheDir: string
}

// A one-layer, 8-wide RoBERTa with AlignScore heads: the same operators as a real pack, tiny.
const PROBE_CONFIG: EncoderConfig = {
  modelType: 'roberta',
  family: 'bert',
  positionScheme: 'padding-offset',
  numLayers: 1,
  hiddenSize: 8,
  embeddingSize: 8,
  numHeads: 2,
  intermediateSize: 16,
  vocabSize: 16,
  maxPositions: 16,
  typeVocabSize: 1,
  layerNormEps: 1e-5,
  padTokenId: 1,
  activation: 'gelu',
}

const PROVIDERS: readonly ProviderName[] = ['cpu', 'cuda', 'tensorrt', 'webgpu']

/**
 * What this machine can run: versions, and for each execution provider whether a session
 * actually opens on a tiny built-in model (in a worker process, so a provider that crashes
 * natively is reported instead of taking the command down).
 */
export async function diagnose(): Promise<DoctorReport> {
  const require = createRequire(import.meta.url)
  const ort = require('onnxruntime-node') as {listSupportedBackends(): Array<{name: string; bundled: boolean}>}
  const ortVersion = (require('onnxruntime-node/package.json') as {version: string}).version
  const bundled = new Map(ort.listSupportedBackends().map((b) => [b.name, b.bundled]))

  const dir = await mkdtemp(join(tmpdir(), 'alignctl-doctor-'))
  const pool = new EnginePool({workers: 1, threads: 1})
  const captured = captureStderr()
  try {
    const model = join(dir, 'probe.onnx')
    const store = randomEncoderWeights(PROBE_CONFIG, {heads: {tri_layer: 3, bin_layer: 2, reg_layer: 1}})
    await writeModel(buildEncoder(store, PROBE_CONFIG, {outputs: outputPresets.alignscore(), kernels: 'plain'}), model)
    const providers: ProviderCheck[] = []
    for (const provider of PROVIDERS) {
      captured.take()
      try {
        await probeSession(pool, {model, providers: [provider], threads: 1}, `the ${provider} probe`)
        providers.push({provider, bundled: bundled.get(provider) ?? false, works: true})
      } catch (error) {
        const reason = error instanceof ProviderLoadError ? (error.fallbacks[0]?.reason ?? error.message) : (error as Error).message
        providers.push({provider, bundled: bundled.get(provider) ?? false, works: false, reason, hint: providerHint(provider)})
      }
      // Worker output arrives on its own pipe, not in order with the result: let it drain.
      await new Promise((resolve) => setTimeout(resolve, 50))
      const output = captured.take()
      const check = providers.at(-1)
      if (output.length > 0 && check !== undefined) check.output = output
    }
    return {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpu: {model: cpus()[0]?.model.trim() ?? 'unknown', cores: availableParallelism()},
      onnxruntime: ortVersion,
      providers,
      cacheDir: cacheDir(),
    }
  } finally {
    await pool.destroy()
    captured.restore()
    await rm(dir, {recursive: true, force: true})
  }
}

/**
 * Holds back what is written to this process's stderr (where the engine's worker processes'
 * stderr is piped) while the providers are probed: native libraries print their own warnings
 * there, which `doctor` reports per provider instead of showing raw.
 */
function captureStderr(): {take: () => string[]; restore: () => void} {
  const write = process.stderr.write.bind(process.stderr)
  let text = ''
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined
    callback?.()
    return true
  }) as typeof process.stderr.write
  return {
    take() {
      const lines = text.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '')
      text = ''
      return lines
    },
    restore() {
      process.stderr.write = write
    },
  }
}
