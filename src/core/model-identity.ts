import {contentHash} from '../kernel/content-hash.js'
import type {AnyMetric} from '../kernel/interfaces/index.js'
import {packQuantization, type ModelPack, type PackQuantization} from '../models/pack.js'

/**
 * What makes two model packs give the same numbers: their weights (model.onnx's sha256, as
 * report.json records it), the rest of their manifest that decides outputs (every file's
 * hash, tokenizer settings, maximum length, heads, layer), and how they were quantized. A
 * pack converted again from other weights, or at another precision, is another identity;
 * its name, folder, source and creation time are not part of it.
 */
export interface PackIdentity {
  sha256: string
  /** sha256 of the manifest's canonical content without name, source and createdAt. */
  manifest: string
  precision: string
  /** int8 packs: weights and activations quantization; null for float packs. */
  quantization: PackQuantization | null
}

export function packIdentity(pack: ModelPack): PackIdentity {
  const {name: _name, source: _source, createdAt: _createdAt, ...deciding} = pack.manifest
  const graph = pack.manifest.files.find((f) => f.path === 'model.onnx')
  return {
    sha256: graph?.sha256 ?? '',
    manifest: contentHash(deciding),
    precision: pack.manifest.precision,
    quantization: packQuantization(pack.manifest) ?? null,
  }
}

/**
 * The identities of the packs a metric will run with these params, in the order its
 * {@link AnyMetric.packs} names them: resolved (and fetched when missing) before any row is
 * scored. `[]` for a metric without models; undefined when the metric declares models but
 * not which ones a run loads, so its numbers cannot be tied to a pack.
 */
export async function runPackIdentities(
  metric: AnyMetric,
  params: Record<string, unknown>,
  model: string | undefined,
  resolvePack: (ref: string) => Promise<ModelPack>,
): Promise<PackIdentity[] | undefined> {
  if (metric.packs === undefined) return (metric.models ?? []).length === 0 ? [] : undefined
  const identities: PackIdentity[] = []
  const resolved = new Map<string, PackIdentity>()
  for (const ref of metric.packs(params, model)) {
    let identity = resolved.get(ref)
    if (identity === undefined) {
      identity = packIdentity(await resolvePack(ref))
      resolved.set(ref, identity)
    }
    identities.push(identity)
  }
  return identities
}

/**
 * Packs whose results depend on the other requests of their batch (int8 with one activation
 * scale per batch, issue #18): the same row can score differently from run to run, so its
 * result is never cached.
 */
export function batchDependent(identities: readonly PackIdentity[]): boolean {
  return identities.some((i) => i.quantization?.activations === 'uint8-dynamic-per-batch')
}
