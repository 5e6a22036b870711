/**
 * One transformer layer (HF BertLayer / RobertaLayer, post-LayerNorm), in two spellings that
 * compute the same function:
 * - `plain`: standard ONNX ops only; runs anywhere, and ONNX Runtime's optimizer fuses parts of it.
 * - `fused`: ONNX Runtime's com.microsoft Attention, SkipLayerNormalization and BiasGelu,
 *   which do QKV projection + attention, residual + LayerNorm, and bias + GELU in one kernel each.
 */
import type {BuildContext} from './context.js'
import {layerNorm} from './embeddings.js'
import {attr} from './graph.js'
import {DataType} from './proto.js'

export type Kernels = 'plain' | 'fused'

/** The attention mask in the form each spelling consumes; built once per graph. */
export interface LayerMask {
  /** plain: additive float mask [batch, 1, 1, sequence], (1 - mask) · finfo(dtype).min as in HF. */
  additive?: string
  /** fused: int32 [batch, sequence] of 1 (attend) / 0 (padding), for Attention's mask_index. */
  keep?: string
}

export function buildMask(ctx: BuildContext, attentionMask: string, kernels: Kernels): LayerMask {
  const {b, float} = ctx
  if (kernels === 'fused') return {keep: b.op('Cast', [attentionMask], {name: 'mask/int32', attributes: {to: attr.int(DataType.INT32)}})}
  const mask = b.op('Cast', [attentionMask], {name: 'mask/float', attributes: {to: attr.int(float)}})
  const inverted = b.op('Sub', [b.constant([1], float, []), mask], {name: 'mask/inverted'})
  // HF's get_extended_attention_mask: the dtype's most negative finite value on padded keys.
  const lowest = float === DataType.FLOAT16 ? -65504 : -3.4028234663852886e38
  const additive = b.op('Mul', [inverted, b.constant([lowest], float, [])], {name: 'mask/additive'})
  return {additive: b.op('Unsqueeze', [additive, b.constant([1, 2], DataType.INT64)], {name: 'mask/broadcast'})}
}

export function buildLayer(ctx: BuildContext, x: string, index: number, mask: LayerMask, kernels: Kernels): string {
  return kernels === 'fused' ? fusedLayer(ctx, x, index, mask) : plainLayer(ctx, x, index, mask)
}

function plainLayer(ctx: BuildContext, x: string, index: number, mask: LayerMask): string {
  const {b, w, config, prefix, float} = ctx
  const H = config.hiddenSize
  const heads = config.numHeads
  const headSize = H / heads
  const at = `${prefix}encoder.layer.${index}`
  const name = `layer${index}`
  const dense = (input: string, module: string, inF: number, outF: number, stem: string): string => {
    const {weight, bias} = w.linear(b, module, inF, outF)
    return b.op('Add', [b.op('MatMul', [input, weight], {name: `${stem}/MatMul`}), bias], {name: `${stem}/Add`})
  }
  const splitHeads = (v: string, perm: number[], stem: string): string => {
    const shaped = b.op('Reshape', [v, b.constant([0, 0, heads, headSize], DataType.INT64)], {name: `${stem}/Reshape`})
    return b.op('Transpose', [shaped], {name: `${stem}/Transpose`, attributes: {perm: attr.ints(perm)}})
  }

  const q = splitHeads(dense(x, `${at}.attention.self.query`, H, H, `${name}/query`), [0, 2, 1, 3], `${name}/query`)
  const k = splitHeads(dense(x, `${at}.attention.self.key`, H, H, `${name}/key`), [0, 2, 3, 1], `${name}/key`)
  const v = splitHeads(dense(x, `${at}.attention.self.value`, H, H, `${name}/value`), [0, 2, 1, 3], `${name}/value`)
  const raw = b.op('MatMul', [q, k], {name: `${name}/scores`})
  const scaled = b.op('Div', [raw, b.constant([Math.sqrt(headSize)], float, [])], {name: `${name}/scaled`})
  const masked = b.op('Add', [scaled, mask.additive!], {name: `${name}/masked`})
  const probs = b.op('Softmax', [masked], {name: `${name}/softmax`, attributes: {axis: attr.int(-1)}})
  const context = b.op('MatMul', [probs, v], {name: `${name}/context`})
  const merged = b.op('Reshape', [b.op('Transpose', [context], {name: `${name}/context/Transpose`, attributes: {perm: attr.ints([0, 2, 1, 3])}}), b.constant([0, 0, H], DataType.INT64)], {name: `${name}/context/Reshape`})

  const attended = dense(merged, `${at}.attention.output.dense`, H, H, `${name}/attention_output`)
  const residual1 = b.op('Add', [attended, x], {name: `${name}/attention_residual`})
  const h1 = layerNorm(ctx, residual1, `${at}.attention.output.LayerNorm`, `${name}/attention_LayerNorm`)

  const inner = dense(h1, `${at}.intermediate.dense`, H, config.intermediateSize, `${name}/intermediate`)
  const activated = gelu(ctx, inner, `${name}/gelu`)
  const out = dense(activated, `${at}.output.dense`, config.intermediateSize, H, `${name}/output`)
  const residual2 = b.op('Add', [out, h1], {name: `${name}/output_residual`})
  return layerNorm(ctx, residual2, `${at}.output.LayerNorm`, `${name}/output_LayerNorm`)
}

/** Exact GELU, x · ½ · (1 + erf(x/√2)), in the op pattern ONNX Runtime's GeluFusion recognises. */
function gelu(ctx: BuildContext, x: string, name: string): string {
  const {b, float} = ctx
  const erf = b.op('Erf', [b.op('Div', [x, b.constant([Math.SQRT2], float, [])], {name: `${name}/Div`})], {name: `${name}/Erf`})
  const onePlus = b.op('Add', [erf, b.constant([1], float, [])], {name: `${name}/Add`})
  return b.op('Mul', [b.op('Mul', [x, onePlus], {name: `${name}/Mul`}), b.constant([0.5], float, [])], {name: `${name}/Mul_half`})
}

function fusedLayer(ctx: BuildContext, x: string, index: number, mask: LayerMask): string {
  const {b, w, config, prefix} = ctx
  const H = config.hiddenSize
  const at = `${prefix}encoder.layer.${index}`
  const name = `layer${index}`
  const ms = {domain: 'com.microsoft'}
  const self = `${at}.attention.self`
  const qkv = w.stackedLinear(b, [`${self}.query`, `${self}.key`, `${self}.value`], H, H, `${self}.qkv`)
  // mask_filter_value -10000 (the op's default, HF's before v4.21) and finfo.min give the same
  // probabilities in float32: exp(-10000) is 0 either way.
  const context = b.op('Attention', [x, qkv.weight, qkv.bias, mask.keep!], {...ms, name: `${name}/Attention`, attributes: {num_heads: attr.int(config.numHeads), mask_filter_value: attr.float(-10000)}})

  const attnOut = w.linear(b, `${at}.attention.output.dense`, H, H)
  const h1 = skipLayerNorm(ctx, b.op('MatMul', [context, attnOut.weight], {name: `${name}/attention_output/MatMul`}), x, attnOut.bias, `${at}.attention.output.LayerNorm`, `${name}/attention_SkipLayerNorm`)

  const inter = w.linear(b, `${at}.intermediate.dense`, H, config.intermediateSize)
  const activated = b.op('BiasGelu', [b.op('MatMul', [h1, inter.weight], {name: `${name}/intermediate/MatMul`}), inter.bias], {...ms, name: `${name}/BiasGelu`})
  const out = w.linear(b, `${at}.output.dense`, config.intermediateSize, H)
  return skipLayerNorm(ctx, b.op('MatMul', [activated, out.weight], {name: `${name}/output/MatMul`}), h1, out.bias, `${at}.output.LayerNorm`, `${name}/output_SkipLayerNorm`)
}

/** LayerNorm(input + bias + skip) in one com.microsoft.SkipLayerNormalization. */
function skipLayerNorm(ctx: BuildContext, input: string, skip: string, bias: string, module: string, name: string): string {
  const {b, w, config} = ctx
  const shape = [config.hiddenSize]
  return b.op('SkipLayerNormalization', [input, skip, w.tensor(b, `${module}.weight`, shape), w.tensor(b, `${module}.bias`, shape), bias], {domain: 'com.microsoft', name, attributes: {epsilon: attr.float(config.layerNormEps)}})
}
