import {AlignctlCommand} from '../../core/base-command.js'
import {modelsDir} from '../../models/cache.js'
import {listModels, type StoreEntry} from '../../models/store.js'

export default class ModelsList extends AlignctlCommand {
  static override summary = 'List the models alignctl can pull and the packs in the cache.'
  static override description = 'The cache is $ALIGNCTL_HOME, else $XDG_CACHE_HOME/alignctl, else ~/.cache/alignctl.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']
  static override enableJsonFlag = true

  public async run(): Promise<StoreEntry[]> {
    await this.parse(ModelsList)
    const entries = await listModels()
    this.log(`Cache: ${modelsDir()}`)
    const width = Math.max(...entries.map((e) => e.name.length))
    for (const e of entries) {
      const status = e.cached ? `cached, ${((e.bytes ?? 0) / 1e6).toFixed(1)} MB` : `not pulled (~${((e.downloadBytes ?? 0) / 1e9).toFixed(1)} GB)`
      this.log(`${e.name.padEnd(width)}  ${status.padEnd(24)} ${e.description}`)
    }
    return entries
  }
}
