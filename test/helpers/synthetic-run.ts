import {writeFileSync, mkdirSync} from 'node:fs'
import {join} from 'node:path'

import {alignscoreStats} from '../../metrics/alignscore/stats.js'
import type {Report, ScoreLine} from '../../src/report/report.js'

export interface SyntheticRunOptions {
  rows: number
  /** Seed of the scores; two runs with one seed have the same scores. */
  seed?: number
  /** Added to every score of rows whose index is a multiple of `shiftEvery` (then clamped to [0, 1]). */
  shift?: number
  shiftEvery?: number
  /** Rows carry ids (`r000042`), so `compare` matches them by id. */
  ids?: boolean
  /** Overrides of summary numbers, to stage a regression. */
  summary?: Record<string, unknown>
}

/** xorshift32: a tiny seeded generator, enough to make scores that look like a model's. */
function generator(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x / 0x1_0000_0000
  }
}

const DATASETS = ['xsum', 'cnndm', 'frank', 'polytope']

/**
 * Writes report.json and scores.jsonl of an AlignScore-shaped run (alignscore is not built
 * in yet): per row `{score, sentences: [{text, score, chunk}]}`, a summary with `threshold`
 * and `byDataset`. It stands in for large or hand-shaped runs in report and compare tests.
 */
export function writeSyntheticRun(dir: string, options: SyntheticRunOptions): {report: Report; lines: ScoreLine[]} {
  const random = generator(options.seed ?? 1)
  const lines: ScoreLine[] = []
  let sum = 0
  for (let i = 0; i < options.rows; i++) {
    const sentences = Array.from({length: 1 + (i % 3)}, (_, k) => ({text: `Claim ${i} sentence ${k} about ${DATASETS[i % DATASETS.length]}.`, score: Math.round(random() * 1e4) / 1e4, chunk: k % 2}))
    let score = sentences.reduce((a, s) => a + s.score, 0) / sentences.length
    if (options.shift !== undefined && i % (options.shiftEvery ?? 1) === 0) score = Math.min(1, Math.max(0, score + options.shift))
    sum += score
    const line: ScoreLine = {row: i, alignscore: {score, sentences}}
    if (options.ids) line.id = `r${String(i).padStart(6, '0')}`
    lines.push(line)
  }
  const mean = options.rows > 0 ? sum / options.rows : 0
  const byDataset = Object.fromEntries(DATASETS.map((name, k) => [name, {n: Math.ceil((options.rows - k) / DATASETS.length), mean, rocAuc: 0.7 + k * 0.05, balancedAccuracy: 0.65 + k * 0.04}]))
  const report: Report = {
    schema: 'alignctl.report/v1',
    tool: {name: 'alignctl', version: '0.1.0'},
    createdAt: new Date().toISOString(),
    inputs: {default: {path: 'synthetic.jsonl', rows: options.rows, sha256: '0'.repeat(64)}},
    metrics: {
      alignscore: {
        version: '0.0.0-test',
        source: 'built-in',
        inputs: ['default'],
        params: {mode: 'nli_sp'},
        stats: [...alignscoreStats],
        summary: {mean, n: options.rows, rocAuc: 0.81, balancedAccuracy: 0.74, threshold: 0.42, pearson: 0.5, spearman: 0.48, kendall: 0.35, byDataset, ...options.summary},
        rows: options.rows,
        skipped: 0,
        errors: [],
        timing: {seconds: 1, rowsPerSecond: options.rows},
      },
    },
    gates: [],
    passed: true,
  }
  mkdirSync(dir, {recursive: true})
  writeFileSync(join(dir, 'report.json'), JSON.stringify(report, null, 2))
  writeFileSync(join(dir, 'scores.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
  return {report, lines}
}
