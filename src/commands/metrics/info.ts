import {Args} from '@oclif/core'

import {AlignctlCommand} from '../../core/base-command.js'
import {describeMetric, renderMetricDescription, type MetricDescription} from '../../core/describe.js'

export default class MetricsInfo extends AlignctlCommand {
  static override summary = 'Show what a metric reads, its params and defaults, and the models it needs.'
  static override examples = ['<%= config.bin %> <%= command.id %> honesty', '<%= config.bin %> <%= command.id %> rating-ranking --json']
  static override enableJsonFlag = true
  static override args = {id: Args.string({description: 'Metric id (see `alignctl metrics list`).', required: true})}

  public async run(): Promise<MetricDescription> {
    const {args} = await this.parse(MetricsInfo)
    const description = describeMetric((await this.loadRegistry()).get(args.id))
    this.log(renderMetricDescription(description))
    return description
  }
}
