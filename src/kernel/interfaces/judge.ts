import type {MetricEngine} from './engine.js'
import type {Logger} from './logger.js'

/** One response to judge: is it a correct answer to the question, given the accepted answers? */
export interface JudgeItem {
  question: string
  response: string
  /** Accepted answers (aliases), at least one. */
  answers: readonly string[]
}

/** A judge's answer for one item. */
export interface JudgeVerdict {
  correct: boolean
  /** The judge's confidence or rating, when it has one (recorded in the row, not used to decide). */
  score?: number
  /** A short reason, recorded in the row. */
  note?: string
}

export interface JudgeContext {
  logger: Logger
  /** Aborted on Ctrl-C or when another part of the run failed: stop early when it is. */
  signal: AbortSignal
  /** The ONNX engine, for judges that run a model pack (`engine.load('<pack>')`). */
  engine?: MetricEngine
}

/**
 * A correctness judge: decides whether free-form responses answer their questions correctly
 * when a metric's own rule (such as substring match) cannot tell. Plugins contribute judges
 * through the `alignctl:judges` hook; a metric uses one only when the user names it in a param
 * (`--param judge=<id>`), so judging is always opt-in.
 */
export interface Judge {
  /** Lower-case id used in `--param judge=<id>`: letters, digits and dashes. */
  id: string
  /** The judge's own version, recorded in reports that used it. */
  version: string
  /** One line saying how it decides. */
  description: string
  /** One verdict per item, in the items' order. Throw to fail the run. */
  judge(items: readonly JudgeItem[], ctx: JudgeContext): Promise<JudgeVerdict[]>
}

/** What a metric sees of the installed judges (`ctx.judges`). */
export interface JudgeLookup {
  /** The judge with this id; throws a usage error listing the known ones when there is none. */
  get(id: string): Judge
}
