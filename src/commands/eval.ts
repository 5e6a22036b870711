import {Flags} from '@oclif/core'

import {AlignctlCommand} from '../core/base-command.js'
import {findConfig, loadConfig} from '../core/config.js'
import {ExitCode} from '../kernel/errors.js'
import {buildEvalRequest, DEFAULT_OUT} from '../core/eval-request.js'
import {evaluate} from '../core/evaluate.js'
import {resultsTable} from '../core/results-table.js'

import type {Report} from '../report/report.js'

export default class Eval extends AlignctlCommand {
  static override summary = 'Score an input file with one or more metrics and write the reports.'
  static override description = `Reads JSONL, JSON-array or CSV rows, scores them, and writes report.json, scores.jsonl, report.html and summary.md to --out.
Bad input rows stop the run with the file, line and field at fault (exit 2) unless --on-error skip.
Exit codes: 0 success, 1 a --fail-under or --fail-over gate failed, 2 usage or input error, 3 runtime failure or interrupted (Ctrl-C; --resume continues).
A config file (alignctl.config.json or .yaml in the working folder, or --config) supplies defaults; flags override it.`

  static override examples = [
    {description: 'Score a file with the honesty metric.', command: '<%= config.bin %> <%= command.id %> --metric honesty --input answers.jsonl'},
    {description: 'Two named inputs, a param, and a gate that fails the run below 0.5.', command: '<%= config.bin %> <%= command.id %> --metric rating-ranking --input ratings=ratings.csv --input rankings=rankings.csv --fail-under rating-ranking.consistency=0.5'},
    {description: 'Fail the run when over-conservativeness (lower is better) is above 0.2.', command: '<%= config.bin %> <%= command.id %> --metric honesty --input answers.jsonl --fail-over honesty.overConservativeness=0.2'},
    {description: 'Split a long run over two machines, then join the parts into one report.', command: '<%= config.bin %> <%= command.id %> -m alignscore -i pairs.jsonl --shard 1/2 -o part1   # and --shard 2/2 -o part2 elsewhere\n<%= config.bin %> merge part1 part2 -o results'},
    {
      description: 'In a Kubernetes Indexed Job (completions: 4), each pod scores the shard its JOB_COMPLETION_INDEX (0-based) names; a merge Job then joins the folders (docs/scale.md).',
      command: '<%= config.bin %> <%= command.id %> -m alignscore -i /shared/pairs.jsonl --shards 4 --resume -o /shared/out/shard-$JOB_COMPLETION_INDEX\n<%= config.bin %> merge /shared/out/shard-* -o /shared/out/merged --fail-under alignscore.mean=0.7',
    },
    {
      description: 'In a GitHub Actions matrix (shard: [0, 1, 2, 3]), pass the 0-based index in ALIGNCTL_SHARD_INDEX (env: ALIGNCTL_SHARD_INDEX: ${{ matrix.shard }}) or as --shard-index.',
      command: '<%= config.bin %> <%= command.id %> -m alignscore -i pairs.jsonl --shards 4 --shard-index ${{ matrix.shard }} -o out/shard-${{ matrix.shard }}',
    },
    {description: 'Continue a run that was interrupted (Ctrl-C, a crash): only the rows not yet scored are scored.', command: '<%= config.bin %> <%= command.id %> --metric alignscore --input pairs.jsonl --out results --resume'},
    {description: 'Score every row again, ignoring the results kept from earlier runs (`alignctl cache stats` shows what is kept).', command: '<%= config.bin %> <%= command.id %> --metric honesty --input answers.jsonl --no-cache'},
    {description: 'Read column "summary" as the field "claim", skip bad rows, print the report as JSON.', command: '<%= config.bin %> <%= command.id %> --metric alignscore --input data.csv --map claim=summary --on-error skip --json'},
  ]

  static override enableJsonFlag = true

  static override flags = {
    metric: Flags.string({char: 'm', summary: 'Metric id(s) to run, comma-separated or repeated.', multiple: true}),
    input: Flags.string({char: 'i', summary: 'Input file, or <name>=<path> for a metric with several inputs.', multiple: true}),
    config: Flags.string({char: 'c', summary: 'Config file (.json or .yaml); default: alignctl.config.* in the working folder.'}),
    param: Flags.string({char: 'p', summary: 'Metric param as key=value or <metric>.key=value.', multiple: true}),
    map: Flags.string({summary: 'Read a file column as a metric field: field=column.', multiple: true}),
    out: Flags.string({char: 'o', summary: `Output folder [default: ./${DEFAULT_OUT}].`}),
    format: Flags.string({summary: 'Report formats: json, html, md (report.json and scores.jsonl are always written) [default: json,html,md].', multiple: true}),
    'fail-under': Flags.string({summary: 'Gate <metric>.<stat>=<x>: exit 1 when the stat is below x (or has no value, or rests on no rows).', multiple: true}),
    'fail-over': Flags.string({summary: 'Gate <metric>.<stat>=<x>: exit 1 when the stat is above x, for lower-is-better stats (or has no value, or rests on no rows).', multiple: true}),
    'on-error': Flags.option({options: ['fail', 'skip'] as const, summary: 'On a bad input row: fail (exit 2), or skip it and list it in the report [default: fail].'})(),
    delimiter: Flags.string({summary: 'CSV field separator: one character, or "tab" [default: "," for .csv, tab for .tsv].'}),
    'csv-header': Flags.option({options: ['auto', 'present', 'absent'] as const, summary: 'Whether CSV inputs start with a header row [default: auto].'})(),
    'max-row-bytes': Flags.integer({summary: 'Largest input row (line or JSON array element) in bytes; a larger one is a bad row [default: 33554432, 32 MiB].', min: 1}),
    model: Flags.string({summary: 'Model pack: a cache name (alignscore-base) or a pack folder [default: the metric\'s].'}),
    device: Flags.option({options: ['auto', 'cpu', 'cuda', 'tensorrt', 'webgpu'] as const, summary: 'Execution provider; auto tries CUDA, then CPU [default: auto].'})(),
    workers: Flags.integer({summary: 'Engine worker processes [default: 1].', min: 1}),
    threads: Flags.integer({summary: 'ONNX Runtime threads per worker [default: cores / workers].', min: 1}),
    'batch-size': Flags.integer({summary: 'Most requests in one model batch [default: 64].', min: 1}),
    shard: Flags.string({summary: 'Score only part i of n of the rows (i/n, e.g. 2/4), for spreading a run over machines; join the parts with `alignctl merge`.'}),
    shards: Flags.integer({
      summary: 'Score one of n parts of the rows, the 0-based index coming from --shard-index, ALIGNCTL_SHARD_INDEX or JOB_COMPLETION_INDEX (set by a Kubernetes Indexed Job); report.json records it 1-based, as --shard i/n.',
      min: 1,
    }),
    'shard-index': Flags.string({summary: 'With --shards n: which part this run scores, 0 to n-1 (such as ${{ matrix.shard }} in a GitHub Actions matrix).'}),
    resume: Flags.boolean({summary: 'Continue an interrupted run into the same --out: rows it already scored are not scored again.'}),
    fresh: Flags.boolean({summary: 'Discard the rows an interrupted run saved in --out and start again.'}),
    cache: Flags.boolean({allowNo: true, summary: 'Reuse the results of rows scored before (the result cache, on by default; ALIGNCTL_NO_CACHE=1 turns it off); --no-cache scores every row and stores nothing.'}),
    'max-tokens': Flags.integer({summary: 'Most tokens one model batch computes, padding included [default: 8192].', min: 1}),
    verbose: Flags.boolean({summary: 'Also say which execution providers could not load and why (report.json always records it).'}),
  }

  public async run(): Promise<Report> {
    const {flags} = await this.parse(Eval)
    const json = this.jsonEnabled()
    const configFile = flags.config ?? findConfig(process.cwd())
    const config = configFile === undefined ? {} : await loadConfig(configFile)
    const registry = await this.loadRegistry()
    const request = buildEvalRequest(flags, config, configFile, (id) => registry.get(id).metric)

    const signal = this.interruptSignal('the run did not finish; no report was written, and the rows scored so far are kept.', 'Run the same command with --resume to continue where it stopped.')
    const {report, files} = await evaluate(request, await this.evalServices(json, signal, {verbose: flags.verbose}))
    if (!json) {
      for (const line of resultsTable(report)) this.log(line)
      this.log(`Wrote ${files.join(', ')}`)
    }
    if (!report.passed) process.exitCode = ExitCode.gateFailed
    return report
  }
}
