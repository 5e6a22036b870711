import {Args} from '@oclif/core'

import {AlignctlCommand} from '../../core/base-command.js'
import {verifyPack, type PackVerification} from '../../engine/verify-pack.js'

export default class ModelsVerify extends AlignctlCommand {
  static override summary = 'Check a model pack: manifest, file sizes and sha256, JSON files, and that the graph has the inputs and outputs it promises; for a known model, its cached downloads too.'
  static override examples = ['<%= config.bin %> <%= command.id %> alignscore-base', '<%= config.bin %> <%= command.id %> ./packs/my-model --json']
  static override enableJsonFlag = true
  static override args = {pack: Args.string({description: 'A cached model name or a pack folder.', required: true})}

  public async run(): Promise<PackVerification> {
    const {args} = await this.parse(ModelsVerify)
    const result = await verifyPack(args.pack)
    const downloads = result.downloads === undefined || result.downloads.length === 0 ? '' : `; ${result.downloads.length} cached download${result.downloads.length === 1 ? '' : 's'} checked`
    this.log(`${result.dir}: OK (${result.files} files, sha256 checked; graph inputs ${result.inputs.join(', ')}; outputs ${result.outputs.join(', ')}${downloads})`)
    return result
  }
}
