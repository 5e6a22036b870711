import {usageError} from '../../src/kernel/errors.js'
import type {Metric} from '../../src/kernel/interfaces/index.js'
import {textsLookNonEnglish, warnIfRowsNotEnglish} from '../../src/kernel/language.js'
import {summarizeEvaluation, type Evaluation, type EvaluatedRow} from './evaluation.js'
import {input, paramsSchema, type AlignScoreParams, type AlignScoreRow} from './schemas.js'
import {checkClassesParam, scoreBatch, type AlignScoreResult} from './score.js'
import {alignscoreStats} from './stats.js'
import {alignscoreViews} from './view.js'

/** The model used when `--model` is not given. */
export const DEFAULT_MODEL = 'alignscore-large'

/** What the summary keeps of a scored row: its score and the row's label, human score, dataset and split; no text, no sentences. */
interface KeptRow extends EvaluatedRow {
  row: number
  nonEnglish: boolean
}

const alignscore: Metric<AlignScoreRow, AlignScoreParams, AlignScoreResult, Evaluation, KeptRow> = {
  id: 'alignscore',
  version: '0.2.0',
  description: 'Factual consistency of a claim with its context (AlignScore: chunk × sentence alignment, max over chunks, mean over sentences).',
  reference: 'Zha et al. 2023, AlignScore (github yuh-zha/AlignScore, src/alignscore/inference.py)',
  inputs: [input],
  stats: alignscoreStats,
  views: alignscoreViews,
  paramsSchema,
  models: [
    {name: 'alignscore-large', description: 'RoBERTa-large AlignScore checkpoint (default)'},
    {name: 'alignscore-base', description: 'RoBERTa-base AlignScore checkpoint (faster)'},
  ],
  // A multiple of the reference batch size (about 256 rows), so that no group of rows the
  // reference tokenizes together is split across two calls.
  rowGroup: ({referenceBatchSize}) => referenceBatchSize,
  batchSize: ({referenceBatchSize}) => Math.max(1, Math.round(256 / referenceBatchSize)) * referenceBatchSize,
  // The _sp modes score each row on its own; the whole-pair modes' truncation fallback is
  // shared by a row group, so there a group's results are cached (and reused) only together.
  cache: ({mode}) => (mode.endsWith('_sp') ? 'row' : 'group'),
  packs: (_params, model) => [model ?? DEFAULT_MODEL],

  async score(batch, ctx) {
    checkClassesParam(ctx.params)
    if (ctx.engine === undefined) throw usageError('alignscore needs the ONNX engine, and none was started.')
    const model = await ctx.engine.load(ctx.model ?? DEFAULT_MODEL)
    if (model.info.task !== 'alignscore') {
      throw usageError(
        `Model pack ${model.info.dir} was converted for "${model.info.task}", not for alignscore: it has no tri/bin/reg heads.`,
        'Use --model alignscore-base or alignscore-large, or a pack made with `alignctl models convert --arch alignscore`.',
      )
    }
    return scoreBatch(batch, ctx, model)
  },

  summaryRow({row, input, value}) {
    return {
      row,
      score: value.score,
      ...(input.label === undefined ? {} : {label: Number(input.label)}),
      ...(input.score === undefined ? {} : {human: input.score}),
      ...(input.dataset === undefined ? {} : {dataset: input.dataset}),
      ...(input.split === undefined ? {} : {split: input.split}),
      nonEnglish: textsLookNonEnglish([input.context, input.claim]),
    }
  },

  summarize(scored, {params, logger}) {
    warnIfRowsNotEnglish(logger, 'alignscore', scored, 'its models were trained on English text')
    return summarizeEvaluation(scored, params.threshold)
  },
}

export default alignscore
