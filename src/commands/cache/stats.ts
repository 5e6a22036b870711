import {Flags} from '@oclif/core'

import {AlignctlCommand} from '../../core/base-command.js'
import {describeCacheStats, resultCacheStats} from '../../core/cache-admin.js'
import type {CacheStats} from '../../core/result-cache.js'

export default class CacheStatsCommand extends AlignctlCommand {
  static override summary = 'Show how many row results the result cache holds, per metric, and its size.'
  static override description = `The result cache keeps each scored row's result, so a re-run of unchanged rows scores nothing (eval --no-cache turns it off).
It is results.sqlite in $ALIGNCTL_HOME, else $XDG_CACHE_HOME/alignctl, else ~/.cache/alignctl.`

  static override examples = [
    {description: 'Every metric\'s cached rows.', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'One metric, as JSON.', command: '<%= config.bin %> <%= command.id %> --metric alignscore --json'},
  ]

  static override enableJsonFlag = true
  static override flags = {metric: Flags.string({char: 'm', summary: 'Only this metric\'s entries.'})}

  public async run(): Promise<CacheStats> {
    const {flags} = await this.parse(CacheStatsCommand)
    const stats = resultCacheStats({logger: this.logger(this.jsonEnabled()), ...(flags.metric === undefined ? {} : {metric: flags.metric})})
    for (const line of describeCacheStats(stats)) this.log(line)
    return stats
  }
}
