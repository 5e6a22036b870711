import {softmax} from '../../src/kernel/stats/index.js'
import {usageError} from '../../src/kernel/errors.js'
import type {LoadedModel, MetricContext, RowOutcome, TextRequest} from '../../src/kernel/interfaces/index.js'
import {aggregate, chunkContext, type NliClasses, type SentenceScore} from './chunks.js'
import {applyReferenceTruncation, groupsOf} from './pairs.js'
import {splitSentences, type PunktVersion} from './punkt/index.js'
import type {AlignScoreParams, AlignScoreRow, Mode} from './schemas.js'

export interface AlignScoreResult {
  score: number
  /** Whole-pair `nli` mode with `--param classes=true`: the pair's three class probabilities. */
  classes?: NliClasses
  /** For the `_sp` modes: each claim sentence, its best score, and the chunk that gave it. */
  sentences?: SentenceScore[]
  /** The context chunks, when there is more than one (so `chunk` can be looked up). */
  chunks?: number
}

/**
 * Graph output each mode reads, and how a probability comes out of it. The three-way head's
 * classes are those of the NLI data it was trained on (MNLI's label order): 0 aligned
 * (entailment), 1 neutral, 2 contradict; the score is the aligned probability.
 */
const HEADS: Record<'nli' | 'bin' | 'reg', {output: string; read: (values: Float32Array) => number}> = {
  nli: {output: 'tri_logits', read: (v) => softmax(v)[0]!},
  bin: {output: 'bin_logits', read: (v) => softmax(v)[1]!},
  reg: {output: 'reg', read: (v) => v[0]!},
}

/** The three probabilities of a `tri_logits` output. */
export function nliClasses(logits: ArrayLike<number>): NliClasses {
  const [aligned, neutral, contradict] = softmax(logits)
  return {aligned: aligned!, neutral: neutral!, contradict: contradict!}
}

/** `--param classes=true` is only meaningful where the three-way head is read. */
export function checkClassesParam(params: Pick<AlignScoreParams, 'mode' | 'classes'>): void {
  if (params.classes && !params.mode.startsWith('nli')) {
    throw usageError(
      `--param classes=true needs the three-way NLI head, and mode ${params.mode} reads the ${params.mode.startsWith('bin') ? 'binary' : 'regression'} head.`,
      'Use --param mode=nli_sp (the default) or mode=nli with classes=true, or drop classes.',
    )
  }
}

/** A row turned into model requests: the chunk × sentence grid, or the whole pair. */
interface RowPlan {
  chunks: number
  sentences: string[]
  requests: TextRequest[]
}

export async function scoreBatch(batch: readonly AlignScoreRow[], ctx: MetricContext<AlignScoreParams>, model: LoadedModel): Promise<Array<RowOutcome<AlignScoreResult>>> {
  const {mode, referenceBatchSize, punkt, classes} = ctx.params
  checkClassesParam(ctx.params)
  const split = mode.endsWith('_sp')
  const head = HEADS[mode.replace('_sp', '') as 'nli' | 'bin' | 'reg']
  const plans = batch.map((row) => planRow(row, split, punkt))

  // Group requests as the reference batches them: per row in the _sp modes (it scores one
  // example at a time), across consecutive rows otherwise.
  let requestGroups: TextRequest[][]
  if (split) {
    requestGroups = plans.flatMap((plan) => ('error' in plan ? [] : [applyReferenceTruncation(model, groupsOf(plan.requests, referenceBatchSize)).flat()]))
  } else {
    const byGroup = new Map<number, TextRequest[]>()
    plans.forEach((plan, i) => {
      if ('error' in plan) return
      const group = Math.floor(ctx.rows[i]! / referenceBatchSize)
      byGroup.set(group, [...(byGroup.get(group) ?? []), ...plan.requests])
    })
    requestGroups = applyReferenceTruncation(model, [...byGroup.values()])
  }
  const requests = requestGroups.flat()
  // A long context makes thousands of chunk × sentence pairs: the bar moves with the pairs done.
  let pairsDone = 0
  const onProgress = (done: number) => {
    pairsDone += done
    ctx.progress?.(pairsDone / requests.length)
  }
  const outputs = await model.run(requests, {outputs: [head.output], signal: ctx.signal, onProgress})
  const scores = outputs.map((o) => head.read(o[head.output]!))
  const probabilities = classes ? outputs.map((o) => nliClasses(o[head.output]!)) : undefined

  let next = 0
  return plans.map((plan) => {
    if ('error' in plan) return {error: plan.error}
    const own = scores.slice(next, next + plan.requests.length)
    const ownClasses = probabilities?.slice(next, next + plan.requests.length)
    next += plan.requests.length
    if (!split) return {value: ownClasses === undefined ? {score: own[0]!} : {score: own[0]!, classes: ownClasses[0]!}}
    const {score, sentences} = aggregate(own, plan.chunks, plan.sentences, ownClasses)
    return {value: {score, sentences, chunks: plan.chunks}}
  })
}

function planRow(row: AlignScoreRow, split: boolean, punkt: PunktVersion): RowPlan | {error: string} {
  // The reference crashes on an empty claim (no sentences to average); here it is a row error.
  if (row.claim.trim() === '') return {error: emptyClaim(row)}
  if (!split) return {chunks: 1, sentences: [row.claim], requests: [{first: row.context, second: row.claim, truncation: 'only_first'}]}
  const chunks = chunkContext(row.context, splitSentences(row.context, punkt))
  const sentences = splitSentences(row.claim, punkt)
  if (sentences.length === 0) return {error: emptyClaim(row)}
  const requests: TextRequest[] = []
  for (const chunk of chunks) for (const sentence of sentences) requests.push({first: chunk, second: sentence, truncation: 'only_first'})
  return {chunks: chunks.length, sentences, requests}
}

function emptyClaim(row: AlignScoreRow): string {
  return `field "claim" is empty${row.claim === '' ? '' : ' (only whitespace)'}: there is nothing to check. Give the row a claim, or remove it.`
}

export type {Mode}
