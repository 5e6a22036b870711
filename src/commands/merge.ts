import {resolve} from 'node:path'

import {Args, Flags} from '@oclif/core'

import {AlignctlCommand} from '../core/base-command.js'
import {ExitCode} from '../kernel/errors.js'
import {DEFAULT_OUT, parseFormats} from '../core/eval-request.js'
import {gateSpecs} from '../core/gates.js'
import {mergeShards} from '../core/merge.js'
import {resultsTable} from '../core/results-table.js'
import type {Report} from '../report/report.js'

export default class Merge extends AlignctlCommand {
  static override summary = 'Join the output folders of a sharded run (eval --shard i/n) into one report.'
  static override description = `Rows are put back together without scoring anything again, and every summary is computed anew over all rows.
The shards must be all the parts of one run: same metrics, params and unchanged input files.`
  static override examples = ['<%= config.bin %> <%= command.id %> part1 part2 part3 --out results', '<%= config.bin %> <%= command.id %> shards/* --fail-under alignscore.mean=0.7 --json']
  static override enableJsonFlag = true
  static override strict = false
  static override args = {dirs: Args.string({description: 'Output folders of the shards.', required: true})}
  static override flags = {
    out: Flags.string({char: 'o', summary: `Output folder [default: ./${DEFAULT_OUT}].`}),
    format: Flags.string({summary: 'Report formats: json, html, md [default: json,html,md].', multiple: true}),
    'fail-under': Flags.string({summary: 'Gate <metric>.<stat>=<x>: exit 1 when the stat is below x (or has no value, or rests on no rows).', multiple: true}),
    'fail-over': Flags.string({summary: 'Gate <metric>.<stat>=<x>: exit 1 when the stat is above x, for lower-is-better stats.', multiple: true}),
  }

  public async run(): Promise<Report> {
    const {argv, flags} = await this.parse(Merge)
    const json = this.jsonEnabled()
    const signal = this.interruptSignal('the merge did not finish; no report was written, and the shard folders are unchanged.', 'Run the same merge again.')
    const {report, files} = await mergeShards(
      {dirs: argv as string[], out: resolve(flags.out ?? DEFAULT_OUT), formats: parseFormats(flags.format), gates: gateSpecs(flags['fail-under'], flags['fail-over'])},
      await this.evalServices(json, signal),
    )
    if (!json) {
      for (const line of resultsTable(report)) this.log(line)
      this.log(`Merged ${argv.length} shards: wrote ${files.join(', ')}`)
    }
    if (!report.passed) process.exitCode = ExitCode.gateFailed
    return report
  }
}
