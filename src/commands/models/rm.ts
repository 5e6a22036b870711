import {Args} from '@oclif/core'

import {AlignctlCommand} from '../../core/base-command.js'
import {removeModel} from '../../models/store.js'

export default class ModelsRm extends AlignctlCommand {
  static override summary = 'Remove a model pack from the cache.'
  static override examples = ['<%= config.bin %> <%= command.id %> alignscore-base']
  static override args = {name: Args.string({description: 'Name of a cached model (see `alignctl models list`).', required: true})}

  public async run(): Promise<void> {
    const {args} = await this.parse(ModelsRm)
    this.log(`Removed ${await removeModel(args.name)}`)
  }
}
