import {AlignctlCommand} from '../core/base-command.js'
import {diagnose, type DoctorReport} from '../engine/doctor.js'

export default class Doctor extends AlignctlCommand {
  static override summary = 'Check what this machine can run: Node, ONNX Runtime, and which execution providers open a session.'
  static override description = 'Each provider is tried on a tiny built-in model, in a worker process. A provider that fails says why and how to install it.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']
  static override enableJsonFlag = true

  public async run(): Promise<DoctorReport> {
    await this.parse(Doctor)
    const report = await diagnose()
    this.log(`Node ${report.node} (${report.platform}), ${report.cpu.cores} cores: ${report.cpu.model}`)
    this.log(`ONNX Runtime ${report.onnxruntime} (onnxruntime-node)`)
    for (const p of report.providers) {
      this.log(`  ${p.works ? 'ok  ' : 'no  '} ${p.provider.padEnd(9)} ${p.bundled ? 'bundled' : 'not bundled'}${p.works ? '' : `: ${p.reason}`}`)
      if (!p.works && p.hint !== undefined) this.log(`        ${p.hint}`)
    }
    this.log(`Model cache: ${report.cacheDir}`)
    return report
  }
}
