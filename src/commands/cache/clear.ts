import {Flags} from '@oclif/core'

import {AlignctlCommand} from '../../core/base-command.js'
import {clearResultCache} from '../../core/cache-admin.js'

export default class CacheClear extends AlignctlCommand {
  static override summary = 'Remove the results the result cache holds (all of them, or one metric\'s).'
  static override description = 'The next run scores those rows again. Model packs are not touched (alignctl models rm removes those).'
  static override examples = [
    {description: 'Remove every cached result.', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Remove only the honesty metric\'s results.', command: '<%= config.bin %> <%= command.id %> --metric honesty'},
  ]

  static override enableJsonFlag = true
  static override flags = {metric: Flags.string({char: 'm', summary: 'Only this metric\'s entries.'})}

  public async run(): Promise<{file: string; removed: number}> {
    const {flags} = await this.parse(CacheClear)
    const result = clearResultCache({logger: this.logger(this.jsonEnabled()), ...(flags.metric === undefined ? {} : {metric: flags.metric})})
    this.log(`Removed ${result.removed} cached row result(s)${flags.metric === undefined ? '' : ` of ${flags.metric}`} from ${result.file}.`)
    return result
  }
}
