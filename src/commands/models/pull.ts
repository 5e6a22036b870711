import {Args, Flags} from '@oclif/core'

import {AlignctlCommand} from '../../core/base-command.js'
import {createStepProgress} from '../../core/progress.js'
import {PACK_PRECISIONS} from '../../models/convert.js'
import {pullModel} from '../../models/pull.js'

export default class ModelsPull extends AlignctlCommand {
  static override summary = 'Download a known model from the Hugging Face hub and convert it to an ONNX pack.'
  static override description = `Known models: alignscore-base, alignscore-large, ctc-e-bert, ctc-e-roberta, ctc-e-roberta-mnli.
Downloads resume where they stopped and are checked by sha256. HF_ENDPOINT points at a mirror; HF_TOKEN authorises private repositories and is sent only over https, to the endpoint's own host and port. Slow or silent servers time out after HF_HUB_DOWNLOAD_TIMEOUT or --timeout seconds (10 by default); transient failures are retried twice.
No Python is needed: the checkpoint is read and converted in alignctl.`
  static override examples = ['<%= config.bin %> <%= command.id %> alignscore-base', '<%= config.bin %> <%= command.id %> alignscore-large --precision fp16', 'HF_ENDPOINT=https://hf-mirror.example <%= config.bin %> <%= command.id %> ctc-e-bert']
  static override enableJsonFlag = true
  static override args = {name: Args.string({description: 'A known model (see `alignctl models list`).', required: true})}
  static override flags = {
    precision: Flags.option({options: PACK_PRECISIONS, summary: 'fp32; fp16 (half the size, for GPUs); int8 (about 2× faster on CPU, scores drift slightly) [default: fp32].'})(),
    force: Flags.boolean({summary: 'Download every file again and convert again, even if the pack is cached.'}),
    timeout: Flags.integer({summary: 'Seconds to wait for a connection, a response, or the next bytes of a download [default: $HF_HUB_DOWNLOAD_TIMEOUT, else 10].', min: 1}),
  }

  public async run(): Promise<{name: string; dir: string}> {
    const {args, flags} = await this.parse(ModelsPull)
    const progress = createStepProgress({json: this.jsonEnabled()})
    try {
      const signal = this.interruptSignal('the pull stopped; downloaded files are kept and no partial pack was left.', 'Run the same command again: the download resumes where it stopped.')
      const pack = await pullModel(args.name, {signal, ...(flags.precision === undefined ? {} : {precision: flags.precision}), force: flags.force, ...(flags.timeout === undefined ? {} : {timeoutSeconds: flags.timeout}), converter: `${this.config.name} ${this.config.version}`, onProgress: progress.update, onWarning: (message) => this.logger(false).warn(`${args.name}: ${message}`)})
      progress.done()
      this.log(`Pulled ${args.name} into ${pack.dir}`)
      return {name: args.name, dir: pack.dir}
    } finally {
      progress.done()
    }
  }
}
