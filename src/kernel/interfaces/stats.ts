/**
 * Summary stats as declared data (issue 13). A metric says, for each stat its summary holds,
 * which way is better, what kind of number it is and how many rows it rests on. Gates,
 * `compare` and the report read these declarations (also from an old report.json, which
 * records them), so no layer below the metric needs to know the metric.
 */

/** Which way a stat should move for the model to be better; `none` for stats that describe the data. */
export type StatDirection = 'higher' | 'lower' | 'none'

/**
 * - `quality`: a score of the model or data under evaluation (gates and `compare` judge it);
 * - `count`: a number of rows, pairs or responses;
 * - `descriptive`: anything else that describes the data or the run (a tuned threshold, an
 *   interval bound, a share of labels).
 */
export type StatKind = 'quality' | 'count' | 'descriptive'

export interface StatDeclaration {
  /**
   * Dotted path into the summary. A `*` segment matches any one key, so
   * `byDataset.*.rocAuc` declares the ROC AUC of every dataset.
   */
  path: string
  direction: StatDirection
  kind: StatKind
  /** The values the stat can take, when known: `{min: 0, max: 1}`; `{min: -1, max: 1}` for a correlation. */
  range?: {min?: number; max?: number}
  /**
   * Where the summary holds the number of rows this stat rests on, as a dotted path whose `*`
   * segments take the keys the stat's own `*` matched (`byDataset.*.n` for `byDataset.*.rocAuc`).
   * Absent: the metric's scored rows. A gate on a stat resting on zero rows fails.
   */
  support?: string
  /**
   * For stats that are the mean over rows of a per-row number: where that number sits in the
   * row's result in scores.jsonl, as a dotted path (`''` for a result that is the number itself,
   * `score` for `{score, ...}`). `compare` uses it for a paired significance test over the rows
   * both runs scored, so declare it only on stats over all rows (not `byDataset.*.mean`).
   */
  meanOf?: string
  /** One sentence a reader of the report can act on: what the number means. */
  meaning: string
}
