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
      // Precision, and for int8 how it was quantized: per-token activations give batch-independent scores.
      const label = e.precision === undefined ? undefined : e.quantization === undefined ? e.precision : `${e.precision}, ${e.quantization.activations} activations`
      this.log([e.name.padEnd(width), status.padEnd(24), ...(label === undefined ? [] : [label]), e.description].join('  '))
    }
    return entries
  }
}
