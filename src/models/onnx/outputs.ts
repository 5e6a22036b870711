/**
 * What an encoder graph returns. Each output is one of a few kinds; the presets below name
 * the combinations alignctl's metrics use, with their checkpoints' tensor names.
 */
import type {BuildContext} from './context.js'
import {attr, type Dim} from './graph.js'
import {DataType} from './proto.js'

/** A Linear(hidden, outFeatures) on the pooled output tanh(dense(h[CLS])), e.g. AlignScore's tri/bin/reg heads. Output [batch, outFeatures]. */
export interface PooledLinearOutput {
  kind: 'pooled-linear'
  /** The nn.Linear's full tensor-name stem in the checkpoint, e.g. 'tri_layer'. */
  module: string
  outFeatures: number
  output: string
}

/** A Linear(hidden, outFeatures) on every token's last hidden state (token classification). Output [batch, sequence, outFeatures]. */
export interface TokenLinearOutput {
  kind: 'token-linear'
  module: string
  outFeatures: number
  output: string
  /**
   * Leave the bias out of `output` and return it as `<output>_bias` [outFeatures]: for callers
   * that sum a word's sub-token logits and add the bias once (CTC's D aligner).
   */
  splitBias?: boolean
}

/** HF's hidden_states[layer]: 0 is the embedding output, L the last layer. Output [batch, sequence, hidden]. */
export interface HiddenStateOutput {
  kind: 'hidden-state'
  layer: number
  output: string
}

/** The pooled output itself, tanh(dense(h[CLS])). Output [batch, hidden]. */
export interface PooledOutput {
  kind: 'pooled'
  output: string
}

export type OutputSpec = PooledLinearOutput | TokenLinearOutput | HiddenStateOutput | PooledOutput

/** The layers a set of outputs needs: a graph for hidden_states[k] alone stops after layer k. */
export function layersNeeded(outputs: readonly OutputSpec[], numLayers: number): number {
  return Math.max(0, ...outputs.map((o) => (o.kind === 'hidden-state' ? o.layer : numLayers)))
}

/** Hidden states by layer index (0 = embeddings), as far as the graph computes them. */
export type HiddenStates = readonly string[]

export function buildOutputs(ctx: BuildContext, outputs: readonly OutputSpec[], hidden: HiddenStates): void {
  const {b, w, config, prefix} = ctx
  const H = config.hiddenSize
  const last = hidden[hidden.length - 1]!
  let pooled: string | undefined
  const pool = (): string => {
    if (pooled !== undefined) return pooled
    const first = b.op('Gather', [last, b.constant([0], DataType.INT64, [])], {name: 'pooler/first_token', attributes: {axis: attr.int(1)}})
    // ALBERT's pooler is a bare Linear (`pooler`, then `pooler_activation`); BERT's is `pooler.dense`.
    const {weight, bias} = w.linear(b, config.family === 'albert' ? `${prefix}pooler` : `${prefix}pooler.dense`, H, H)
    const dense = b.op('Add', [b.op('MatMul', [first, weight], {name: 'pooler/MatMul'}), bias], {name: 'pooler/Add'})
    pooled = b.op('Tanh', [dense], {name: 'pooler/Tanh'})
    return pooled
  }

  for (const spec of outputs) {
    switch (spec.kind) {
      case 'pooled':
        emit(ctx, pool(), spec.output, ['batch', H])
        break
      case 'pooled-linear': {
        const {weight, bias} = w.linear(b, spec.module, H, spec.outFeatures)
        const logits = b.op('Add', [b.op('MatMul', [pool(), weight], {name: `${spec.output}/MatMul`}), bias], {name: `${spec.output}/Add`})
        emit(ctx, logits, spec.output, ['batch', spec.outFeatures])
        break
      }
      case 'token-linear': {
        const {weight, bias} = w.linear(b, spec.module, H, spec.outFeatures)
        const product = b.op('MatMul', [last, weight], {name: `${spec.output}/MatMul`})
        if (spec.splitBias === true) {
          emit(ctx, product, spec.output, ['batch', 'sequence', spec.outFeatures])
          emit(ctx, bias, `${spec.output}_bias`, [spec.outFeatures])
        } else {
          emit(ctx, b.op('Add', [product, bias], {name: `${spec.output}/Add`}), spec.output, ['batch', 'sequence', spec.outFeatures])
        }
        break
      }
      case 'hidden-state': {
        const state = hidden[spec.layer]
        if (state === undefined) throw new RangeError(`hidden-state layer ${spec.layer} is out of range 0..${config.numLayers}`)
        emit(ctx, state, spec.output, ['batch', 'sequence', H])
        break
      }
    }
  }
}

/** Graph outputs are float32 whatever the precision inside: fp16 graphs end in a Cast. */
function emit(ctx: BuildContext, value: string, name: string, dims: readonly Dim[]): void {
  const {b, float} = ctx
  if (float === DataType.FLOAT) b.node('Identity', [value], {name: `${name}/Identity`, outputs: [name]})
  else b.node('Cast', [value], {name: `${name}/Cast`, outputs: [name], attributes: {to: attr.int(DataType.FLOAT)}})
  b.output(name, DataType.FLOAT, dims)
}

/** Output sets of alignctl's models, with the head names their checkpoints use. */
export const outputPresets = {
  /** AlignScore (yuh-zha/AlignScore): tri_logits [batch, 3], bin_logits [batch, 2], reg [batch, 1]. */
  alignscore: (): OutputSpec[] => [
    {kind: 'pooled-linear', module: 'tri_layer', outFeatures: 3, output: 'tri_logits'},
    {kind: 'pooled-linear', module: 'bin_layer', outFeatures: 2, output: 'bin_logits'},
    {kind: 'pooled-linear', module: 'reg_layer', outFeatures: 1, output: 'reg'},
  ],
  /** CTC's discriminative aligner: a 2-way token classifier (`_classifier`), bias split off so word logits can be summed. */
  ctcD: (module = '_classifier', labels = 2): OutputSpec[] => [{kind: 'token-linear', module, outFeatures: labels, output: 'token_logits', splitBias: true}],
  /** CTC's embedding aligner: hidden_states[layer] as `hidden_states` [batch, sequence, hidden]. */
  ctcE: (layer: number): OutputSpec[] => [{kind: 'hidden-state', layer, output: 'hidden_states'}],
  /** CTC's BERT regressor (BLEURT-style): `score` [batch, 1] = dense(pooled). */
  ctcR: (module = 'dense'): OutputSpec[] => [{kind: 'pooled-linear', module, outFeatures: 1, output: 'score'}],
} as const
