import {usageError} from '../../src/kernel/errors.js'
import type {Metric} from '../../src/kernel/interfaces/index.js'
import {textsLookNonEnglish, warnIfRowsNotEnglish} from '../../src/kernel/language.js'
import {input, paramsSchema, type CtcParams, type CtcRow} from './schemas.js'
import {scoreBatch, type CtcResult} from './score.js'
import {packRefs, resolveSetup, type RunSetup} from './setup.js'
import {ctcStats} from './stats.js'
import {keptCtcRow, summarizeCtc, type CtcSummary, type KeptCtcRow} from './summary.js'
import {ctcViews} from './views.js'

/**
 * CTC information alignment (Deng et al. 2021): consistency, relevance, preservation,
 * engagingness, groundedness and factual consistency from token-level alignment with an
 * embedding (E), discriminative (D) or regression (R) aligner. See README.md.
 */

/** The texts CTC scores, one per task: checked for language. */
const SCORED_FIELDS = ['summary', 'output', 'response', 'hypothesis'] as const

// One resolved setup per run: the params object is the run's own (score and summarize get the same one).
const setups = new WeakMap<object, Promise<RunSetup>>()

const ctc: Metric<CtcRow, CtcParams, CtcResult, CtcSummary, KeptCtcRow & {nonEnglish: boolean}> = {
  id: 'ctc',
  version: '0.1.0',
  description: 'CTC information alignment (E/D/R aligners): summary consistency and relevance, style-transfer preservation, dialog engagingness and groundedness, factual consistency.',
  reference: 'Deng et al. 2021, Compression, Transduction, and Creation (github tanyuqian/ctc-gen-eval, ctc_score/; bert_score 0.3.9)',
  inputs: [input],
  stats: ctcStats,
  views: ctcViews,
  paramsSchema,
  models: [
    {name: 'ctc-e-roberta', description: 'E aligner: roberta-large, layer 17 (default)'},
    {name: 'ctc-e-bert', description: 'E aligner: bert-base-uncased, layer 9', optional: true},
    {name: 'ctc-e-roberta-mnli', description: 'E aligner: roberta-large-mnli, layer 9', optional: true},
  ],
  // Larger batches let the engine pack more texts by length and share more documents.
  batchSize: 64,
  // Each row is aligned on its own: its result is cached by its own content (README.md).
  cache: 'row',
  packs: (params, model) => [...packRefs(params, model).values()],

  async score(batch, ctx) {
    if (ctx.engine === undefined) throw usageError('ctc needs the ONNX engine, and none was started.')
    let setup = setups.get(ctx.params)
    if (setup === undefined) {
      setup = resolveSetup(ctx.params, ctx.engine, ctx.model, ctx.logger)
      setups.set(ctx.params, setup)
    }
    return scoreBatch(batch, ctx, await setup)
  },

  summaryRow(scored) {
    return {...keptCtcRow(scored), nonEnglish: textsLookNonEnglish(SCORED_FIELDS.map((f) => scored.input[f] as string | undefined))}
  },

  async summarize(scored, {params, logger, engine, model}) {
    warnIfRowsNotEnglish(logger, 'ctc', scored, 'its stopword lists and models are English')
    // Every row came from the result cache, so score never ran: the summary's settings still come from the run's setup.
    if (!setups.has(params) && scored.length > 0 && engine !== undefined) setups.set(params, resolveSetup(params, engine, model, logger))
    const setup = await setups.get(params)?.catch(() => undefined)
    return summarizeCtc(scored, params, setup)
  },
}

export default ctc
