import {AlignctlCommand} from '../../core/base-command.js'
import {describeMetric, type MetricDescription} from '../../core/describe.js'

export default class MetricsList extends AlignctlCommand {
  static override summary = 'List the metrics alignctl can run: built in and from installed plugins.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']
  static override enableJsonFlag = true

  public async run(): Promise<MetricDescription[]> {
    await this.parse(MetricsList)
    const metrics = (await this.loadRegistry()).list().map(describeMetric)
    if (metrics.length === 0) this.log('No metrics are installed. Install one with `alignctl plugins install <package>`.')
    const width = Math.max(...metrics.map((m) => m.id.length), 2)
    for (const m of metrics) this.log(`${m.id.padEnd(width)}  ${m.version.padEnd(8)} ${m.description}${m.source === 'built-in' ? '' : ` (plugin ${m.source})`}`)
    return metrics
  }
}
