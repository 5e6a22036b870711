import {Flags} from '@oclif/core'

import {AlignctlCommand} from '../../core/base-command.js'
import {createStepProgress} from '../../core/progress.js'
import {CONVERT_ARCHS, PACK_PRECISIONS, convertCheckpoint} from '../../models/convert.js'

export default class ModelsConvert extends AlignctlCommand {
  static override summary = 'Convert a local checkpoint (PyTorch or safetensors) into an ONNX model pack.'
  static override description = `For checkpoints whose download links are dead (CTC's D and R aligners) or that you already have.
The checkpoint is read without running anything in it. The pack gets model.onnx, tokenizer.json, config.json and alignctl-model.json.
Encoders: BERT, RoBERTa, ALBERT. Every tensor the graph needs must be in the checkpoint; a missing one is named and nothing is written.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --checkpoint AlignScore-base.ckpt --config roberta-base/config.json --tokenizer roberta-base/tokenizer.json --arch alignscore --out packs/alignscore-base',
    '<%= config.bin %> <%= command.id %> --checkpoint bert/model.safetensors --config bert/config.json --tokenizer bert/tokenizer.json --arch ctc-e --layer 9 --out packs/ctc-e-bert',
    '<%= config.bin %> <%= command.id %> --checkpoint ctc_score_models/D-cnndm/doc_to_summ.ckpt --config roberta-large/config.json --tokenizer roberta-large/tokenizer.json --arch ctc-d --out packs/ctc-d-cnndm-doc_to_summ',
    '<%= config.bin %> <%= command.id %> --checkpoint ctc_score_models/R-cnndm/doc_to_summ.ckpt --config bert-base-uncased/config.json --tokenizer bert-base-uncased/tokenizer.json --arch ctc-r --out packs/ctc-r-cnndm-doc_to_summ',
    '<%= config.bin %> <%= command.id %> --checkpoint AlignScore-large.ckpt --config roberta-large/config.json --tokenizer roberta-large/tokenizer.json --arch alignscore --precision int8 --out packs/alignscore-large-int8',
  ]
  static override enableJsonFlag = true
  static override flags = {
    checkpoint: Flags.string({summary: 'PyTorch (.ckpt, .bin, .pt) or .safetensors file.', required: true}),
    config: Flags.string({summary: "The model's Hugging Face config.json.", required: true}),
    tokenizer: Flags.string({summary: "The model's tokenizer.json.", required: true}),
    arch: Flags.option({options: CONVERT_ARCHS, summary: 'What the graph outputs: AlignScore heads, CTC D/E/R aligners.', required: true})(),
    layer: Flags.integer({summary: 'Hidden-state layer for --arch ctc-e (0 = embeddings).', min: 0}),
    precision: Flags.option({options: PACK_PRECISIONS, summary: 'fp32; fp16 (half the size, for GPUs); int8 (about 2× faster on CPU, scores drift slightly) [default: fp32].'})(),
    kernels: Flags.option({options: ['fused', 'plain'] as const, summary: 'ONNX Runtime fused contrib operators, or plain ONNX operators [default: fused].'})(),
    prefix: Flags.string({summary: 'Tensor-name prefix of the encoder [default: base_model. for alignscore, else detected].'}),
    'max-length': Flags.integer({summary: 'Longest input in tokens [default: from config.json].', min: 1}),
    name: Flags.string({summary: "Pack name [default: the --out folder's name]."}),
    out: Flags.string({summary: 'Pack folder to create; a pack already there is replaced only by a complete, verified new one.', required: true}),
  }

  public async run(): Promise<{dir: string; name: string; inertGlobals: string[]}> {
    const {flags} = await this.parse(ModelsConvert)
    const progress = createStepProgress({json: this.jsonEnabled()})
    try {
      const signal = this.interruptSignal('the conversion stopped and nothing was written.', 'Run the same command again to convert.')
      const {pack, inertGlobals} = await convertCheckpoint({
        signal,
        // Said as soon as the checkpoint is open (a dangerous global has refused it by then), before the writing.
        onInertGlobals: (globals) => {
          if (globals.length === 0) return
          const plural = globals.length === 1 ? '' : 's'
          this.logger(false).warn(`${flags.checkpoint}: the checkpoint references ${globals.length} class${plural === 's' ? 'es' : ''} or function${plural} outside alignctl's tensor-rebuild list, kept as inert records and never run: ${globals.join(', ')}.`)
        },
        checkpoint: flags.checkpoint,
        config: flags.config,
        tokenizer: flags.tokenizer,
        arch: flags.arch,
        out: flags.out,
        ...(flags.precision === undefined ? {} : {precision: flags.precision}),
        converter: `${this.config.name} ${this.config.version}`,
        ...(flags.layer === undefined ? {} : {layer: flags.layer}),
        ...(flags.kernels === undefined ? {} : {kernels: flags.kernels}),
        ...(flags.prefix === undefined ? {} : {prefix: flags.prefix}),
        ...(flags['max-length'] === undefined ? {} : {maxLength: flags['max-length']}),
        ...(flags.name === undefined ? {} : {name: flags.name}),
        onProgress: (written, total) => progress.update('writing model.onnx', total === 0 ? 1 : written / total),
      })
      progress.done()
      this.log(`Wrote ${pack.dir} (${pack.manifest.files.map((f) => f.path).join(', ')})`)
      return {dir: pack.dir, name: pack.manifest.name, inertGlobals}
    } finally {
      progress.done()
    }
  }
}
