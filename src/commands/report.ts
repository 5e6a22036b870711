import {dirname, join} from 'node:path'

import {Args, Flags} from '@oclif/core'

import {AlignctlCommand} from '../core/base-command.js'
import {rereadRowInputs} from '../core/report-inputs.js'
import {usageError} from '../kernel/errors.js'
import {renderReport} from '../report/render.js'

export default class ReportCommand extends AlignctlCommand {
  static override summary = 'Re-render a report.json as HTML or Markdown.'
  static override description = 'Reads report.json and the scores.jsonl beside it (for the row table) and writes report.html or summary.md.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> alignctl-out/report.json --format html',
    '<%= config.bin %> <%= command.id %> alignctl-out/report.json --format md --output -',
  ]

  static override args = {report: Args.string({description: 'Path to a report.json written by `alignctl eval`.', required: true})}
  static override flags = {
    format: Flags.option({options: ['html', 'md'] as const, summary: 'Output format (required): html writes report.html, md writes summary.md.'})(),
    output: Flags.string({summary: 'File to write, or - for stdout [default: report.html or summary.md beside the report].'}),
  }

  public async run(): Promise<void> {
    const {args, flags} = await this.parse(ReportCommand)
    // Checked here rather than by oclif, whose "Missing required flag" says nothing of the choices.
    if (flags.format === undefined) {
      throw usageError(`alignctl report needs --format: which file to render from ${args.report}.`, `Pass --format html (report.html) or --format md (summary.md), for example: alignctl report ${args.report} --format html`)
    }
    const format = flags.format
    const output = flags.output ?? join(dirname(args.report), format === 'html' ? 'report.html' : 'summary.md')
    const registry = await this.loadRegistry()
    // The row table's inputs come from the run's input files, where they are unchanged.
    const inputs = (report: Parameters<typeof rereadRowInputs>[0], lines: Parameters<typeof rereadRowInputs>[1]) => rereadRowInputs(report, lines, registry, this.logger(false))
    const written = await renderReport(args.report, format, output === '-' ? undefined : output, (id) => registry.views(id), inputs)
    if (written === undefined) return
    this.log(`Wrote ${written.file}`)
  }
}
