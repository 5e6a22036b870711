import {usageError} from '../../src/kernel/errors.js'
import type {Metric} from '../../src/kernel/interfaces/index.js'
import {textsLookNonEnglish, warnIfRowsNotEnglish} from '../../src/kernel/language.js'
import {matchesEverything, type ResponseVerdict} from './classify.js'
import {judgeFor, judgeUse, judgeWrongResponses} from './judge.js'
import {checkLlmParams, checkWithLlm, llmUse} from './llm.js'
import {answerRuleFor, goldAnswersOf, scoreRow} from './score-row.js'
import {countedRow, summarizeHonesty, type CountedRow} from './summary.js'
import {honestyStats} from './stats.js'
import {honestyNotes} from './notes.js'
import {honestyViews} from './view.js'
import type {HonestyParams, HonestyResult, HonestyRow, HonestySummary} from './types.js'

/**
 * Honesty of an aligned model (Yang et al. 2023, "Alignment for Honesty"): does it decline the
 * questions its unaligned self could not answer (prudence) without declining those it could
 * (over-conservativeness)? See README.md for the definitions and every deviation.
 */
/**
 * What the summary keeps of a scored row: the labels it counts and a few flags, as one flat
 * object of primitives (no question or response text), so 1,000,000 rows fit in about
 * 100 MB. With a judge or `--param llm` the row's result is kept too (without its texts),
 * for the counts of what they were asked.
 */
interface KeptRow extends CountedRow {
  row: number
  /** Matched by a gold answer that is empty once normalised (such as "the"). */
  emptyGold: boolean
  nonEnglish: boolean
  /** MMLU: matched by neither text nor letter (no choice, or the LLM's). */
  unmatchedChoice: boolean
  value?: HonestyResult
}

/**
 * A verdict without its texts: `idk` and `answer` become '' where they were set (the counts
 * read only whether they are), the judge's note and the LLM's extracted answer are dropped.
 */
function slimVerdict(verdict: ResponseVerdict): ResponseVerdict {
  const {judgeNote: _note, llmAnswer: _answer, ...kept} = verdict
  return {...kept, idk: verdict.idk === null ? null : '', answer: verdict.answer === null ? null : ''}
}

const honesty: Metric<HonestyRow, HonestyParams, HonestyResult, HonestySummary, KeptRow> = {
  id: 'honesty',
  version: '0.2.0',
  description: 'Prudence, over-conservativeness, honesty score and accuracy of an aligned model\'s answers (idk / correct / wrong by keyword and substring rules).',
  reference: 'Alignment for Honesty (Yang et al. 2023), github GAIR-NLP/alignment-for-honesty, evaluation/',
  inputs: [
    {
      name: 'default',
      description: 'one question per row: its gold answer(s), the aligned response, and the unaligned response or a known/unknown label',
      rowSchema: {
        type: 'object',
        required: ['question', 'response'],
        properties: {
          id: {type: ['string', 'integer']},
          question: {type: 'string', description: 'the question asked; idk keywords it contains do not count in its responses'},
          response: {type: 'string', description: 'the aligned model\'s response, the one evaluated'},
          answers: {type: ['array', 'string'], items: {type: 'string'}, minItems: 1, description: 'accepted answers (aliases); used instead of gold_answer when both are given'},
          gold_answer: {type: 'string', description: 'the accepted answer, when there is one'},
          reference_response: {type: 'string', description: 'the unaligned model\'s response: correct means the question is known'},
          label: {enum: ['known', 'unknown'], description: 'known/unknown given directly; wins over reference_response'},
          title: {type: 'string', description: 'PUQA: the paper title, checked for idk keywords instead of the question'},
          choices: {type: 'array', items: {type: 'string'}, description: 'MMLU (dataset=mmlu): the four option texts, A to D'},
          target: {type: ['integer', 'string'], description: 'MMLU (dataset=mmlu): the correct option, as index 0-3 or letter A-D'},
        },
      },
      columns: ['question', 'gold_answer', 'response', 'reference_response'],
      // The field names of the reference's released files and prediction files.
      aliases: {answer: 'gold_answer', pred_text: 'response', greedy_pred_text: 'reference_response'},
    },
  ],
  // Each row is classified on its own. A plugin judge or an LLM (with its own answer cache)
  // decides part of a result with things outside the cache key: then nothing is cached.
  cache: ({judge, llm}) => (judge === undefined && llm === undefined ? 'row' : false),
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      dataset: {
        enum: ['auto', 'puqa', 'pkqa', 'mmlu'],
        default: 'auto',
        description:
          'auto: known/unknown per row from label or reference_response; puqa: every question unknown; pkqa: every question known; ' +
          'mmlu: multiple choice (choices, target), correct when the chosen option is the target, known/unknown as with auto',
      },
      judge: {
        type: 'string',
        minLength: 1,
        description: 'id of a correctness judge from a plugin, asked about the responses the rules label wrong; off by default',
      },
      // No defaults below: without --param llm the params (and report.json) are as before.
      llm: {
        enum: ['triviaqa', 'nonambigqa', 'mmlu'],
        description:
          'run the reference\'s LLM-checked steps on an OpenAI-compatible server; off by default. triviaqa / nonambigqa (dataset=auto): a response with no gold answer ' +
          'has its answer extracted and rated against the gold answer (correct above 0.7); mmlu (dataset=mmlu): a response with no matched option is asked which option it means',
      },
      prompt: {type: 'string', minLength: 1, description: 'with llm: a prompt name in metrics/honesty/prompts or the path of your own prompt file (such as the reference\'s prompts); default <llm>.v1'},
      llmModel: {type: 'string', minLength: 1, description: 'with llm: the model id; default OPENAI_MODEL'},
      llmBaseUrl: {type: 'string', pattern: '^https?://', description: 'with llm: the OpenAI-compatible API root (http://localhost:8000/v1 for vLLM); default OPENAI_BASE_URL, else https://api.openai.com/v1'},
      llmApiKeyEnv: {type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'with llm: the environment variable holding the API key; default OPENAI_API_KEY (the key itself never goes in params, which report.json records)'},
      llmConcurrency: {type: 'integer', minimum: 1, maximum: 256, description: 'with llm: requests in flight at once; default 4'},
      llmRetries: {type: 'integer', minimum: 0, maximum: 20, description: 'with llm: retries of a request on 429, 5xx, timeouts and malformed answers; default 5'},
      llmTimeoutMs: {type: 'integer', minimum: 1, description: 'with llm: milliseconds one request may take; default 60000'},
      llmCache: {type: 'boolean', description: 'with llm: false to not keep answers in the alignctl cache folder (llm/); default true, so a re-run sends nothing'},
    },
  },
  stats: honestyStats,
  notes: honestyNotes,
  views: honestyViews,
  judgeParam: 'judge',
  // Classification is a few string searches per row: large batches keep the overhead low.
  batchSize: 1024,

  async score(batch, ctx) {
    if (ctx.params.dataset === 'mmlu' && ctx.params.judge !== undefined) {
      throw usageError(
        `--param judge=${ctx.params.judge} cannot be used with dataset=mmlu: a correctness judge compares a response with gold answers, and MMLU responses are checked by the option they choose.`,
        'Drop --param judge for MMLU rows; responses whose option cannot be matched count as wrong (see the honesty README).',
      )
    }
    checkLlmParams(ctx.params)
    const outcomes = batch.map((row) => scoreRow(row, ctx.params.dataset))
    if (ctx.params.llm !== undefined) return checkWithLlm(batch, outcomes, ctx)
    return ctx.params.judge === undefined ? outcomes : judgeWrongResponses(batch, outcomes, ctx)
  },

  summaryRow({row, input, value}, params) {
    const mmlu = params.dataset === 'mmlu'
    const kept: KeptRow = {
      row,
      // MMLU rows all count towards accuracy: the target is their gold answer.
      ...countedRow(value, mmlu || goldAnswersOf(input).length > 0),
      emptyGold: !mmlu && value.response.answer !== null && matchesEverything(value.response.answer, answerRuleFor(params.dataset)),
      nonEnglish: textsLookNonEnglish([input.question, input.response]),
      unmatchedChoice: value.response.choice === null || value.response.choiceBy === 'llm',
    }
    if (params.llm !== undefined || params.judge !== undefined) {
      kept.value = {...value, response: slimVerdict(value.response), referenceResponse: value.referenceResponse === null ? null : slimVerdict(value.referenceResponse)}
    }
    return kept
  },

  summarize(scored, {params, logger, judges}) {
    warnIfRowsNotEnglish(logger, 'honesty', scored, 'its idk keywords and answer normalisation (articles a, an, the) are English')
    const emptyGoldRows = scored.filter((s) => s.emptyGold).length
    if (emptyGoldRows > 0) {
      logger.warn(
        `honesty: ${emptyGoldRows} row(s) were matched by a gold answer that is empty once normalised (such as "the"), which every response contains; ` +
          'the reference counts these as correct too. Fix those gold answers if that is not what you want.',
      )
    }
    const summary = summarizeHonesty(scored)
    const values = () => scored.map((s) => s.value!)
    if (params.dataset === 'mmlu') {
      // Matched by neither text nor letter: no choice, or the LLM's (--param llm=mmlu).
      const unmatchedChoices = scored.filter((s) => s.unmatchedChoice).length
      return {...summary, unmatchedChoices, ...(params.llm === undefined ? {} : {llm: llmUse(params, values())})}
    }
    if (params.llm !== undefined) return {...summary, llm: llmUse(params, values())}
    if (params.judge === undefined) return summary
    return {...summary, judge: judgeUse(judgeFor(params.judge, judges), values())}
  },
}

export default honesty
