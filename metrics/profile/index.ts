import type {Metric} from '../../src/kernel/interfaces/index.js'
import {DEFAULT_ALIGNSCORE_MODEL, modelExtractors} from './factors/builtin-model.js'
import {chatClientFor, llmFactorNames} from './factors/builtin-llm.js'
import {loadPrompt} from './prompt.js'
import {input, paramsSchema} from './schemas.js'
import {scoreBatch, selectedExtractors} from './score.js'
import {profileStats} from './stats.js'
import {summarizeProfile, type SummaryRow} from './summary.js'
import type {ProfileParams, ProfileResult, ProfileRow, ProfileSummary} from './types.js'
import {profileViews} from './views.js'

/** The factors computed on an AlignScore pack. */
const MODEL_FACTORS = new Set(modelExtractors.map((e) => e.id))

/**
 * PROFILE (Oh et al. 2024, arXiv 2410.06965): which factors drive each judge's pairwise
 * preferences (factor influence τ), and how far the judges weigh them alike (factor-level
 * alignment). See README.md for the formulas, the factor extractors and every choice made.
 */
const profile: Metric<ProfileRow, ProfileParams, ProfileResult, ProfileSummary, SummaryRow & {row: number}> = {
  id: 'profile',
  version: '0.1.0',
  description: 'Factor-level preference analysis: Kendall τ-b of each factor (length, readability, overlap, AlignScore, LLM-rated, or your own) with each judge\'s preferences, and factor-level alignment between judges.',
  reference: 'PROFILE (Oh et al. 2024, arXiv 2410.06965; no public code); factor set after DecipherPref (Hu et al. 2023, arXiv 2305.14702)',
  inputs: [input],
  paramsSchema,
  models: [{name: DEFAULT_ALIGNSCORE_MODEL, description: 'AlignScore pack for --param factors=alignscore or relevance (any AlignScore pack via --param alignscoreModel)', optional: true}],
  stats: profileStats,
  views: profileViews,
  // Text factors are cheap; model and LLM factors batch their requests per call.
  batchSize: 256,
  // Each pair's factors are its own. LLM ratings depend on a server and prompt file outside
  // the key (and have their own answer cache), and the tokens factor on a tokenizer file.
  cache: (params) => (selectedExtractors(params).some((e) => e.id === 'llm' || e.id === 'tokens') ? false : 'row'),
  packs: (params, model) => (selectedExtractors(params).some((e) => MODEL_FACTORS.has(e.id)) ? [params.alignscoreModel ?? model ?? DEFAULT_ALIGNSCORE_MODEL] : []),

  async score(batch, ctx) {
    return scoreBatch(batch, {
      params: ctx.params,
      logger: ctx.logger,
      signal: ctx.signal,
      ...(ctx.engine === undefined ? {} : {engine: ctx.engine}),
      ...(ctx.model === undefined ? {} : {model: ctx.model}),
    })
  },

  summaryRow({row, input, value}) {
    return {row, input: {preferences: input.preferences, ...(input.task === undefined ? {} : {task: input.task})}, value}
  },

  summarize(scored, {params, logger}) {
    const extractors = selectedExtractors(params)
    const requested = extractors.flatMap((e) => e.names(params))
    const summary: ProfileSummary = summarizeProfile(scored, params, requested)
    const tasks = [...new Set(scored.flatMap((s) => (s.input.task === undefined ? [] : [s.input.task])))]
    // PROFILE reads factor preferences per task (summarization, instruction following, QA):
    // with rows of several tasks, each task is also analysed on its own pairs.
    if (tasks.length > 1) {
      summary.byTask = Object.fromEntries(tasks.map((task) => [task, summarizeProfile(scored.filter((s) => s.input.task === task), params, requested)]))
    }
    for (const [factor, rows] of Object.entries(summary.factorRows)) {
      if (rows === 0) logger.warn(`profile: factor "${factor}" covers none of the ${summary.pairs} pairs (a response lacks it in every pair${factor.startsWith('source') || factor === 'alignscore' ? ': do the rows have a "source"?' : ''}); it has no τ.`)
      else if (rows < summary.pairs) logger.warn(`profile: factor "${factor}" covers ${rows} of ${summary.pairs} pairs; its τ is computed over those only.`)
    }
    if (extractors.some((e) => e.id === 'llm')) {
      const prompt = loadPrompt(params.llmPrompt)
      const client = chatClientFor(params)
      const requests = scored.reduce((sum, s) => sum + (s.value.llm?.requests ?? 0), 0)
      const cached = scored.reduce((sum, s) => sum + (s.value.llm?.cached ?? 0), 0)
      summary.llm = {model: client.model, baseUrl: client.baseUrl, prompt: params.llmPrompt, promptSha256: prompt.sha256, factors: llmFactorNames(params, prompt), requests, cached}
    }
    return summary
  },
}

export default profile
