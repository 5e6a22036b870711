import {dirname, join} from 'node:path'

import {Args, Flags} from '@oclif/core'

import {AlignctlCommand} from '../core/base-command.js'
import {ExitCode, usageError} from '../kernel/errors.js'
import {writeComparison, type CompareFormat} from '../report/compare-output.js'
import {compareReportFiles, type Comparison} from '../report/compare.js'

export default class Compare extends AlignctlCommand {
  static override summary = 'Compare two report.json files: what moved, and what regressed.'
  static override description = `First, what differs between the runs besides the scores: model (name, precision, weights sha256), inputs (sha256), params, metric versions.
Then per metric and summary number: base, head, delta, and whether it regressed (moved the wrong way by more than --tolerance). Which way is better comes from the stat declarations recorded in each report.json; only quality stats can regress (counts and descriptive stats never do).
For means over rows (such as alignscore.mean), a seeded paired bootstrap test over the rows both runs scored gives a p-value; with --significance, such a stat counts as regressed only when p is below the level.
When both runs' scores.jsonl (beside each report.json) cover the same rows, matched by id or else by row index, the rows that moved most are listed.
Exit codes: 0 done, 1 something regressed and --fail-on-regression was given, 2 a report is missing or invalid.`

  static override examples = [
    {description: 'Print the comparison as Markdown.', command: '<%= config.bin %> <%= command.id %> main-out/report.json alignctl-out/report.json'},
    {description: 'Fail (exit 1) when a stat drops by more than 0.01.', command: '<%= config.bin %> <%= command.id %> base/report.json head/report.json --tolerance 0.01 --fail-on-regression'},
    {description: 'In CI: fail only on regressions that are not noise.', command: '<%= config.bin %> <%= command.id %> base/report.json head/report.json --fail-on-regression --significance 0.05'},
    {description: 'Write the head report as HTML with a baseline comparison section.', command: '<%= config.bin %> <%= command.id %> base/report.json head/report.json --format html --output compare.html'},
  ]

  static override enableJsonFlag = true

  static override args = {
    base: Args.string({description: 'The baseline report.json (for instance from the main branch).', required: true}),
    head: Args.string({description: 'The report.json to judge against it.', required: true}),
  }

  static override flags = {
    tolerance: Flags.string({summary: 'How far a stat may move the wrong way before it counts as a regression [default: 0].'}),
    'fail-on-regression': Flags.boolean({summary: 'Exit 1 when any stat regressed.'}),
    format: Flags.option({options: ['md', 'json', 'html'] as const, summary: 'Output format [default: md].'})(),
    output: Flags.string({summary: 'File to write, or - for stdout [default: stdout; for html, compare.html beside the head report].'}),
    movers: Flags.integer({summary: 'Rows listed among the biggest drops and gains [default: 10].', min: 0}),
    significance: Flags.string({summary: 'Count a regression of a mean over rows only when a paired bootstrap test over the shared rows gives p below this level (e.g. 0.05); other stats count as before.'}),
  }

  public async run(): Promise<Comparison> {
    const {args, flags} = await this.parse(Compare)
    const tolerance = flags.tolerance === undefined ? undefined : Number(flags.tolerance)
    if (tolerance !== undefined && (flags.tolerance!.trim() === '' || Number.isNaN(tolerance))) throw usageError(`--tolerance "${flags.tolerance}" is not a number.`, 'For example: --tolerance 0.01')
    const significance = flags.significance === undefined ? undefined : Number(flags.significance)
    if (significance !== undefined && (flags.significance!.trim() === '' || !(significance > 0 && significance < 1))) {
      throw usageError(`--significance "${flags.significance}" is not a level between 0 and 1.`, 'For example: --significance 0.05')
    }
    const {comparison, head} = await compareReportFiles(args.base, args.head, {
      ...(tolerance === undefined ? {} : {tolerance}),
      ...(flags.movers === undefined ? {} : {movers: flags.movers}),
      ...(significance === undefined ? {} : {significance}),
    })
    const format: CompareFormat = flags.format ?? 'md'
    const output = flags.output ?? (format === 'html' ? join(dirname(args.head), 'compare.html') : '-')
    // Under --json the comparison object is the output; a file is still written when asked for.
    if (!this.jsonEnabled() || output !== '-') {
      const registry = await this.loadRegistry()
      const written = await writeComparison(comparison, head, format, output === '-' ? undefined : output, (id) => registry.views(id))
      if (written !== undefined) this.log(`Wrote ${written}`)
    }
    if (flags['fail-on-regression'] && comparison.regressed) process.exitCode = ExitCode.gateFailed
    return comparison
  }
}
