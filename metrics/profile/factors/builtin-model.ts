import {softmax} from '../../../src/kernel/stats/index.js'
import {usageError} from '../../../src/kernel/errors.js'
import type {LoadedModel, TextRequest} from '../../../src/kernel/interfaces/index.js'
import type {ExtractContext, ExtractOutcome, FactorExtractor, FactorItem} from './registry.js'

/** The AlignScore pack used when neither --param alignscoreModel nor --model names one. */
export const DEFAULT_ALIGNSCORE_MODEL = 'alignscore-base'

/**
 * Factors from an AlignScore pack on the ONNX engine (README.md, "Model-backed factors"). The
 * pack is run directly through the engine API (a metric never imports another metric): one
 * whole-pair request per response, no sentence splitting or chunking, `only_first` truncation
 * (the context's tail is cut) with `longest_first` for a pair whose second text alone is too
 * long.
 */
interface Head {
  output: string
  /** The score from the head's raw output. */
  read(values: Float32Array): number
}

const NLI_ALIGNED: Head = {output: 'tri_logits', read: (v) => softmax(v)[0]!}
const BIN_ALIGNED: Head = {output: 'bin_logits', read: (v) => softmax(v)[1]!}

async function loadAlignScore(ctx: ExtractContext, factor: string): Promise<LoadedModel> {
  if (ctx.engine === undefined) throw usageError(`--param factors=${factor} runs an AlignScore pack, and this run has no ONNX engine.`, 'Run profile through `alignctl eval`, or pass ctx.engine.')
  const name = ctx.params.alignscoreModel ?? ctx.model ?? DEFAULT_ALIGNSCORE_MODEL
  const model = await ctx.engine.load(name)
  if (model.info.task !== 'alignscore') {
    throw usageError(
      `--param factors=${factor}: model pack ${model.info.dir} was converted for "${model.info.task}", not for alignscore.`,
      'Use --param alignscoreModel=alignscore-base (or alignscore-large), or a pack made with `alignctl models convert --arch alignscore`.',
    )
  }
  return model
}

function modelExtractor(id: string, description: string, head: Head, pair: (item: FactorItem) => {first: string; second: string} | null): FactorExtractor {
  return {
    id,
    description,
    names: () => [id],
    async extract(items: readonly FactorItem[], ctx: ExtractContext): Promise<ExtractOutcome[]> {
      const pairs = items.map(pair)
      if (pairs.every((p) => p === null)) return items.map(() => ({values: {}}))
      const model = await loadAlignScore(ctx, id)
      const requests: TextRequest[] = []
      for (const p of pairs) {
        if (p === null) continue
        const request: TextRequest = {first: p.first, second: p.second, truncation: 'only_first'}
        requests.push(model.fits(request) ? request : {...request, truncation: 'longest_first'})
      }
      const outputs = await model.run(requests, {outputs: [head.output], signal: ctx.signal})
      let next = 0
      return pairs.map((p) => ({values: p === null ? {} : {[id]: head.read(outputs[next++]![head.output]!)}}))
    },
  }
}

export const modelExtractors: readonly FactorExtractor[] = [
  modelExtractor(
    'alignscore',
    'factual consistency with the source: AlignScore 3-way head, P(aligned), on (source, response) as one pair; none without a source',
    NLI_ALIGNED,
    ({row, response}) => (row.source === undefined ? null : {first: row.source, second: response}),
  ),
  modelExtractor(
    'relevance',
    'relevance to the prompt: AlignScore binary head, P(aligned), on (response, prompt) as (context, claim)',
    BIN_ALIGNED,
    ({row, response}) => ({first: response, second: row.prompt}),
  ),
]

