/**
 * One transformer layer (HF BertLayer / RobertaLayer / AlbertLayer, post-LayerNorm), in two spellings that
 * compute the same function:
 * - `plain`: standard ONNX ops only; runs anywhere, and ONNX Runtime's optimizer fuses parts
 *   of it (Add + LayerNormalization into SkipLayerNormalization, the erf pattern into Gelu).
 * - `fused`: ONNX Runtime's com.microsoft ops written out: Attention (float weights) or
 *   MultiHeadAttention after int8 projections, SkipLayerNormalization for residual + LayerNorm,
 *   BiasGelu (or Gelu) for the MLP.
 * Linear layers are MatMul + Add, or with int8 weights per-token QuantizeLinear + MatMulIntegerToFloat.
 */
import type {BuildContext} from './context.js'
import {layerNorm} from './embeddings.js'
import {attr} from './graph.js'
import {DataType} from './proto.js'

export type Kernels = 'plain' | 'fused'

const ms = 'com.microsoft'

/** The attention mask in the form each spelling consumes; built once per graph. */
export interface LayerMask {
  /** plain: additive float mask [batch, 1, 1, sequence], (1 - mask) · finfo(dtype).min as in HF. */
  additive?: string
  /** fused: int32 [batch, sequence] of 1 (attend) / 0 (padding): Attention's mask_index, MultiHeadAttention's key_padding_mask. */
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

/** The checkpoint's module names of one transformer layer. */
export interface LayerModules {
  query: string
  key: string
  value: string
  /** Attention output projection, its LayerNorm, the MLP's two Linears and their LayerNorm. */
  attentionOutput: string
  attentionNorm: string
  intermediate: string
  output: string
  outputNorm: string
}

/**
 * Layer `index`'s modules: BERT/RoBERTa `encoder.layer.<i>.…`; ALBERT's single shared layer
 * `encoder.albert_layer_groups.0.albert_layers.0.…` for every index (the same names give the
 * same initializers, so the weights are stored once and used num_hidden_layers times).
 */
export function layerModules(ctx: BuildContext, index: number): LayerModules {
  const {config, prefix} = ctx
  if (config.family === 'albert') {
    const at = `${prefix}encoder.albert_layer_groups.0.albert_layers.0`
    return {
      query: `${at}.attention.query`,
      key: `${at}.attention.key`,
      value: `${at}.attention.value`,
      attentionOutput: `${at}.attention.dense`,
      attentionNorm: `${at}.attention.LayerNorm`,
      intermediate: `${at}.ffn`,
      output: `${at}.ffn_output`,
      outputNorm: `${at}.full_layer_layer_norm`,
    }
  }
  const at = `${prefix}encoder.layer.${index}`
  return {
    query: `${at}.attention.self.query`,
    key: `${at}.attention.self.key`,
    value: `${at}.attention.self.value`,
    attentionOutput: `${at}.attention.output.dense`,
    attentionNorm: `${at}.attention.output.LayerNorm`,
    intermediate: `${at}.intermediate.dense`,
    output: `${at}.output.dense`,
    outputNorm: `${at}.output.LayerNorm`,
  }
}

export function buildLayer(ctx: BuildContext, x: string, index: number, mask: LayerMask, kernels: Kernels): string {
  const {config} = ctx
  const H = config.hiddenSize
  const m = layerModules(ctx, index)
  const name = `layer${index}`
  const fused = kernels === 'fused'

  const context = fused && ctx.w.precision !== 'int8' ? attentionOp(ctx, x, m, mask, name) : selfAttention(ctx, x, m, mask, name, fused)

  const attended = linear(ctx, context, m.attentionOutput, H, H, `${name}/attention_output`, fused)
  const h1 = residualNorm(ctx, attended, x, m.attentionNorm, `${name}/attention_norm`, fused)
  const inner = linear(ctx, h1, m.intermediate, H, config.intermediateSize, `${name}/intermediate`, fused)
  const activated = fused ? fusedGelu(ctx, inner, `${name}/gelu`) : plainGelu(ctx, inner.value, `${name}/gelu`)
  const out = linear(ctx, activated, m.output, config.intermediateSize, H, `${name}/output`, fused)
  return residualNorm(ctx, out, h1, m.outputNorm, `${name}/output_norm`, fused)
}

/**
 * A Linear layer's output. With `deferBias` the float spelling leaves the bias for the next
 * fused op to add (SkipLayerNormalization and BiasGelu take one); otherwise, and always with
 * int8, `value` includes it.
 */
interface Projected {
  value: string
  bias?: string
}

function linear(ctx: BuildContext, input: string, module: string, inF: number, outF: number, stem: string, deferBias = false): Projected {
  const {b, w} = ctx
  if (w.precision === 'int8') {
    const {weight, scale, bias} = w.quantizedLinear(b, module, inF, outF)
    if (ctx.int8Activations === 'per-batch') {
      // One activation scale over the whole tensor: measured for comparison only (README.md), since a row's numbers then depend on its batch.
      return {value: b.op('DynamicQuantizeMatMul', [input, weight, scale, '', bias], {domain: ms, name: `${stem}/DynamicQuantizeMatMul`})}
    }
    if (ctx.int8Activations === 'per-token-asymmetric') return {value: asymmetricPerTokenInt8Linear(ctx, input, module, {weight, scale, bias}, inF, outF, stem)}
    if (ctx.int8Activations === 'static') return {value: staticInt8Linear(ctx, input, {weight, scale, bias}, stem)}
    return {value: perTokenInt8Linear(ctx, input, {weight, scale, bias}, inF, outF, stem)}
  }
  if (ctx.calibrationOutputs) {
    const amax = b.op('ReduceMax', [b.op('Abs', [input], {name: `${stem}/calibration/Abs`})], {name: `${stem}/calibration/ReduceMax`, outputs: [`amax/${stem}`], attributes: {keepdims: attr.int(0)}})
    b.output(amax, DataType.FLOAT, [])
  }
  const {weight, bias} = w.linear(b, module, inF, outF)
  const product = b.op('MatMul', [input, weight], {name: `${stem}/MatMul`})
  return deferBias ? {value: product, bias} : {value: b.op('Add', [product, bias], {name: `${stem}/Add`})}
}

/**
 * x · W + bias with x quantized per token: each token's activations get their own scale,
 * s = max|x| / 127, and are stored as uint8 q = round(x / s) + 128 (symmetric, so the zero point
 * is the constant 128 that ONNX Runtime's integer GEMMs take as a scalar). The integer product
 * is exact, and every other op is elementwise or reduces over the token's own features, so a
 * token's result does not depend on the other tokens, rows or padding in the batch.
 * y = ((q - 128) · Wq · w_scale) · s + bias, the first factor from com.microsoft.MatMulIntegerToFloat.
 * The tokens are flattened to [tokens, in] so that QuantizeLinear can take one scale per row (axis 0).
 */
function perTokenInt8Linear(ctx: BuildContext, input: string, linear: {weight: string; scale: string; bias: string}, inF: number, outF: number, stem: string): string {
  const {b} = ctx
  const float = DataType.FLOAT
  const rows = b.op('Reshape', [input, b.constant([-1, inF], DataType.INT64)], {name: `${stem}/tokens`})
  const amax = b.op('ReduceMax', [b.op('Abs', [rows], {name: `${stem}/Abs`})], {name: `${stem}/ReduceMax`, attributes: {axes: attr.ints([1]), keepdims: attr.int(0)}})
  // A token of zeros gets scale 1 (its q is 128 either way) instead of a division by zero.
  const scale = b.op('Where', [b.op('Greater', [amax, b.constant([0], float, [])], {name: `${stem}/nonzero`}), b.op('Div', [amax, b.constant([127], float, [])], {name: `${stem}/scale`}), b.constant([1], float, [])], {name: `${stem}/safe_scale`})
  // QuantizeLinear wants a zero point of the scale's shape: 128 for every token.
  const zeroPoint = b.op('Cast', [b.op('Add', [b.op('Mul', [scale, b.constant([0], float, [])], {name: `${stem}/zero`}), b.constant([128], float, [])], {name: `${stem}/128`})], {name: `${stem}/zero_point`, attributes: {to: attr.int(DataType.UINT8)}})
  const q = b.op('QuantizeLinear', [rows, scale, zeroPoint], {name: `${stem}/QuantizeLinear`, attributes: {axis: attr.int(0)}})
  const product = b.op('MatMulIntegerToFloat', [q, linear.weight, b.constant([1], float, []), linear.scale, b.constant([128], DataType.UINT8, [])], {domain: ms, name: `${stem}/MatMulIntegerToFloat`})
  const rescaled = b.op('Mul', [product, b.op('Unsqueeze', [scale, b.constant([1], DataType.INT64)], {name: `${stem}/scale_column`})], {name: `${stem}/activation_scale`})
  const shape = b.op('Concat', [b.op('Slice', [b.op('Shape', [input], {name: `${stem}/Shape`}), b.constant([0], DataType.INT64), b.constant([-1], DataType.INT64)], {name: `${stem}/leading`}), b.constant([outF], DataType.INT64)], {name: `${stem}/out_shape`, attributes: {axis: attr.int(0)}})
  return b.op('Add', [b.op('Reshape', [rescaled, shape], {name: `${stem}/unflatten`}), linear.bias], {name: `${stem}/Add`})
}

/**
 * x · W + bias with one constant activation scale per Linear, s = (calibrated max |x|) / 127,
 * fixed when the graph is built (static quantization, QDQ style): QuantizeLinear with that
 * scale and zero point 128 (values past the calibrated range saturate), then
 * MatMulIntegerToFloat with the bias. Nothing depends on the batch, as with per-token scales,
 * but the scales fit the calibration text rather than each input.
 */
function staticInt8Linear(ctx: BuildContext, input: string, linear: {weight: string; scale: string; bias: string}, stem: string): string {
  const {b} = ctx
  const range = ctx.activationRanges?.[stem]
  if (range === undefined) throw new RangeError(`static int8: no calibrated range for ${stem}`)
  const scale = b.constant([range > 0 ? range / 127 : 1], DataType.FLOAT, [])
  const zeroPoint = b.constant([128], DataType.UINT8, [])
  const q = b.op('QuantizeLinear', [input, scale, zeroPoint], {name: `${stem}/QuantizeLinear`})
  return b.op('MatMulIntegerToFloat', [q, linear.weight, scale, linear.scale, zeroPoint, '', linear.bias], {domain: ms, name: `${stem}/MatMulIntegerToFloat`})
}

/**
 * Per token like {@link perTokenInt8Linear}, but asymmetric: the token's [min(x, 0), max(x, 0)]
 * maps to 0..255 with its own zero point z, which MatMulInteger cannot take per row, so the
 * product is corrected in int32: (q - z) · Wq = q · Wq - z · Σ_i Wq[i, ·].
 */
function asymmetricPerTokenInt8Linear(ctx: BuildContext, input: string, module: string, linear: {weight: string; scale: string; bias: string}, inF: number, outF: number, stem: string): string {
  const {b, w} = ctx
  const float = DataType.FLOAT
  const zero = b.constant([0], float, [])
  const rows = b.op('Reshape', [input, b.constant([-1, inF], DataType.INT64)], {name: `${stem}/tokens`})
  const reduce = {axes: attr.ints([1]), keepdims: attr.int(0)}
  const low = b.op('Min', [b.op('ReduceMin', [rows], {name: `${stem}/ReduceMin`, attributes: reduce}), zero], {name: `${stem}/low`})
  const high = b.op('Max', [b.op('ReduceMax', [rows], {name: `${stem}/ReduceMax`, attributes: reduce}), zero], {name: `${stem}/high`})
  const range = b.op('Sub', [high, low], {name: `${stem}/range`})
  const scale = b.op('Where', [b.op('Greater', [range, zero], {name: `${stem}/nonzero`}), b.op('Div', [range, b.constant([255], float, [])], {name: `${stem}/scale`}), b.constant([1], float, [])], {name: `${stem}/safe_scale`})
  const zeroFloat = b.op('Clip', [b.op('Round', [b.op('Div', [b.op('Neg', [low], {name: `${stem}/neg_low`}), scale], {name: `${stem}/zero_real`})], {name: `${stem}/zero_round`}), zero, b.constant([255], float, [])], {name: `${stem}/zero_clip`})
  const zeroPoint = b.op('Cast', [zeroFloat], {name: `${stem}/zero_point`, attributes: {to: attr.int(DataType.UINT8)}})
  const q = b.op('QuantizeLinear', [rows, scale, zeroPoint], {name: `${stem}/QuantizeLinear`, attributes: {axis: attr.int(0)}})
  const product = b.op('MatMulInteger', [q, linear.weight], {name: `${stem}/MatMulInteger`})
  const zeroInt = b.op('Unsqueeze', [b.op('Cast', [zeroFloat], {name: `${stem}/zero_int32`, attributes: {to: attr.int(DataType.INT32)}}), b.constant([1], DataType.INT64)], {name: `${stem}/zero_column`})
  const correction = b.op('Mul', [zeroInt, w.quantizedColumnSums(b, module, inF, outF)], {name: `${stem}/correction`})
  const exact = b.op('Cast', [b.op('Sub', [product, correction], {name: `${stem}/corrected`})], {name: `${stem}/float`, attributes: {to: attr.int(float)}})
  const rescaled = b.op('Mul', [b.op('Mul', [exact, linear.scale], {name: `${stem}/weight_scale`}), b.op('Unsqueeze', [scale, b.constant([1], DataType.INT64)], {name: `${stem}/scale_column`})], {name: `${stem}/activation_scale`})
  const shape = b.op('Concat', [b.op('Slice', [b.op('Shape', [input], {name: `${stem}/Shape`}), b.constant([0], DataType.INT64), b.constant([-1], DataType.INT64)], {name: `${stem}/leading`}), b.constant([outF], DataType.INT64)], {name: `${stem}/out_shape`, attributes: {axis: attr.int(0)}})
  return b.op('Add', [b.op('Reshape', [rescaled, shape], {name: `${stem}/unflatten`}), linear.bias], {name: `${stem}/Add`})
}

/**
 * Float weights, fused: com.microsoft.Attention does the Q/K/V projections (one [H, 3H]
 * weight, prepacked per head) and the attention in one kernel; measured the fastest float
 * spelling on CPU (README.md).
 */
function attentionOp(ctx: BuildContext, x: string, m: LayerModules, mask: LayerMask, name: string): string {
  const {b, w, config} = ctx
  const H = config.hiddenSize
  const qkv = w.stackedLinear(b, [m.query, m.key, m.value], H, H, `${m.query.slice(0, m.query.lastIndexOf('.'))}.qkv`)
  // mask_filter_value -10000 (the op's default, HF's before v4.21) and finfo.min give the same
  // probabilities in float32: exp(-10000) is 0 either way.
  return b.op('Attention', [x, qkv.weight, qkv.bias, mask.keep!], {domain: ms, name: `${name}/Attention`, attributes: {num_heads: attr.int(config.numHeads), mask_filter_value: attr.float(-10000)}})
}

/** Q, K, V projections (float or int8), then the attention core as plain ops or com.microsoft.MultiHeadAttention. */
function selfAttention(ctx: BuildContext, x: string, m: LayerModules, mask: LayerMask, name: string, fused: boolean): string {
  const H = ctx.config.hiddenSize
  const q = linear(ctx, x, m.query, H, H, `${name}/query`).value
  const k = linear(ctx, x, m.key, H, H, `${name}/key`).value
  const v = linear(ctx, x, m.value, H, H, `${name}/value`).value
  if (!fused) return plainAttention(ctx, q, k, v, mask, name)
  return ctx.b.op('MultiHeadAttention', [q, k, v, '', mask.keep!], {domain: ms, name: `${name}/MultiHeadAttention`, attributes: {num_heads: attr.int(ctx.config.numHeads), mask_filter_value: attr.float(-10000)}})
}

function plainAttention(ctx: BuildContext, q: string, k: string, v: string, mask: LayerMask, name: string): string {
  const {b, config, float} = ctx
  const heads = config.numHeads
  const headSize = config.hiddenSize / heads
  const splitHeads = (value: string, perm: number[], stem: string): string => {
    const shaped = b.op('Reshape', [value, b.constant([0, 0, heads, headSize], DataType.INT64)], {name: `${stem}/Reshape`})
    return b.op('Transpose', [shaped], {name: `${stem}/Transpose`, attributes: {perm: attr.ints(perm)}})
  }
  const raw = b.op('MatMul', [splitHeads(q, [0, 2, 1, 3], `${name}/query`), splitHeads(k, [0, 2, 3, 1], `${name}/key`)], {name: `${name}/scores`})
  const scaled = b.op('Div', [raw, b.constant([Math.sqrt(headSize)], float, [])], {name: `${name}/scaled`})
  const masked = b.op('Add', [scaled, mask.additive!], {name: `${name}/masked`})
  const probs = b.op('Softmax', [masked], {name: `${name}/softmax`, attributes: {axis: attr.int(-1)}})
  const context = b.op('MatMul', [probs, splitHeads(v, [0, 2, 1, 3], `${name}/value`)], {name: `${name}/context`})
  const merged = b.op('Transpose', [context], {name: `${name}/context/Transpose`, attributes: {perm: attr.ints([0, 2, 1, 3])}})
  return b.op('Reshape', [merged, b.constant([0, 0, config.hiddenSize], DataType.INT64)], {name: `${name}/context/Reshape`})
}

/** LayerNorm(value + bias + residual): Add + LayerNormalization, or one SkipLayerNormalization. */
function residualNorm(ctx: BuildContext, projected: Projected, residual: string, module: string, name: string, fused: boolean): string {
  const {b, w, config} = ctx
  if (!fused) return layerNorm(ctx, b.op('Add', [projected.value, residual], {name: `${name}/residual`}), module, name)
  const shape = [config.hiddenSize]
  const inputs = [projected.value, residual, w.tensor(b, `${module}.weight`, shape), w.tensor(b, `${module}.bias`, shape), ...(projected.bias === undefined ? [] : [projected.bias])]
  return b.op('SkipLayerNormalization', inputs, {domain: ms, name, attributes: {epsilon: attr.float(config.layerNormEps)}})
}

/**
 * Exact GELU, x · ½ · (1 + erf(x/√2)), in the op pattern ONNX Runtime's GeluFusion recognises;
 * or, for `gelu_new`, HF's tanh approximation ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
 */
function plainGelu(ctx: BuildContext, x: string, name: string): string {
  const {b, float} = ctx
  if (ctx.config.activation === 'gelu_new') {
    const cube = b.op('Mul', [b.op('Mul', [x, x], {name: `${name}/square`}), x], {name: `${name}/cube`})
    const inner = b.op('Add', [x, b.op('Mul', [cube, b.constant([0.044715], float, [])], {name: `${name}/cube_scaled`})], {name: `${name}/inner`})
    const tanh = b.op('Tanh', [b.op('Mul', [inner, b.constant([Math.sqrt(2 / Math.PI)], float, [])], {name: `${name}/tanh_in`})], {name: `${name}/Tanh`})
    const onePlus = b.op('Add', [tanh, b.constant([1], float, [])], {name: `${name}/Add`})
    return b.op('Mul', [b.op('Mul', [x, onePlus], {name: `${name}/Mul`}), b.constant([0.5], float, [])], {name: `${name}/Mul_half`})
  }
  const erf = b.op('Erf', [b.op('Div', [x, b.constant([Math.SQRT2], float, [])], {name: `${name}/Div`})], {name: `${name}/Erf`})
  const onePlus = b.op('Add', [erf, b.constant([1], float, [])], {name: `${name}/Add`})
  return b.op('Mul', [b.op('Mul', [x, onePlus], {name: `${name}/Mul`}), b.constant([0.5], float, [])], {name: `${name}/Mul_half`})
}

/**
 * Exact (erf) GELU of value + bias: com.microsoft BiasGelu, or Gelu when the bias is already in;
 * `gelu_new` (tanh approximation): com.microsoft FastGelu, which takes the bias as an optional input.
 */
function fusedGelu(ctx: BuildContext, projected: Projected, name: string): string {
  const {b} = ctx
  if (ctx.config.activation === 'gelu_new') return b.op('FastGelu', projected.bias === undefined ? [projected.value] : [projected.value, projected.bias], {domain: ms, name})
  if (projected.bias === undefined) return b.op('Gelu', [projected.value], {domain: ms, name})
  return b.op('BiasGelu', [projected.value, projected.bias], {domain: ms, name})
}
