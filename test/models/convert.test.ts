// `models convert --out` never destroys a good pack: every argument is checked before anything
// is written, and a failure at any later point (a hostile checkpoint that fails late, a full
// disk, a crash between the renames) leaves the old pack byte for byte as it was.
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, before, describe, test} from 'node:test'

import {AlignctlError, ExitCode} from '../../src/kernel/errors.js'
import {ZipArchive} from '../../src/models/checkpoint/zip-archive.js'
import {convertCheckpoint, type ConvertOptions} from '../../src/models/convert.js'
import {openPack} from '../../src/models/pack.js'
import {FIXTURES, tempDir} from '../helpers/cli.js'
import {setWriteFault} from '../helpers/write-faults.mjs'
import {writeZip64} from './checkpoint/zip-writer.js'

const roberta = join(FIXTURES, 'encoders/roberta')
const base = (out: string, overrides: Partial<ConvertOptions> = {}): ConvertOptions => ({
  checkpoint: join(roberta, 'pytorch_model.bin'),
  config: join(roberta, 'config.json'),
  tokenizer: join(FIXTURES, 'tokenizers/roberta-bpe/tokenizer.json'),
  arch: 'ctc-e',
  layer: 1,
  out,
  converter: 'test',
  ...overrides,
})

/** Every file under `dir` with its sha256, and the folder listing beside it. */
function snapshot(parent: string): Record<string, string> {
  const files: Record<string, string> = {'(listing)': readdirSync(parent).sort().join(',')}
  const walk = (dir: string, rel: string) => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path, `${rel}${entry.name}/`)
      else files[`${rel}${entry.name}`] = createHash('sha256').update(readFileSync(path)).digest('hex')
    }
  }
  walk(parent, '')
  return files
}

/**
 * The fixture's torch zip with one storage entry marked deflated: the reader finds out only
 * when it reaches a tensor in it. data/37 holds a weight of the last encoder layer, which a
 * layer-2 graph writes among its last tensors.
 */
async function failsLate(): Promise<string> {
  const archive = await ZipArchive.open(join(roberta, 'pytorch_model.bin'))
  const file = join(tempDir(), 'late.bin')
  try {
    const names = archive.names()
    const last = names.find((n) => n.endsWith('/data/37'))!
    const entries = []
    for (const name of names) entries.push({name, data: await archive.readAll(archive.entry(name)!), ...(name === last ? {method: 8} : {})})
    await writeZip64(file, entries)
  } finally {
    await archive.close()
  }
  return file
}

describe('models convert keeps a good pack when the new one fails', () => {
  let parent: string
  let out: string
  let good: Record<string, string>
  before(async () => {
    parent = tempDir()
    out = join(parent, 'pack')
    await convertCheckpoint(base(out))
    good = snapshot(parent)
  })
  afterEach(() => {
    setWriteFault(null)
    assert.deepEqual(snapshot(parent), good, 'the old pack and its folder are untouched')
  })

  const refused = (exitCode: number, message: RegExp) => (error: AlignctlError) => {
    assert.equal(error.exitCode, exitCode, error.message)
    assert.match(error.message, message)
    return true
  }

  test('a bad --name is refused before anything is written', async () => {
    await assert.rejects(convertCheckpoint(base(out, {name: 'My Pack'})), refused(ExitCode.usage, /--name "My Pack" is not a valid pack name/))
  })

  test('a checkpoint that is not one', async () => {
    const bad = join(tempDir(), 'model.bin')
    writeFileSync(bad, 'not a checkpoint at all')
    await assert.rejects(convertCheckpoint(base(out, {checkpoint: bad})), refused(ExitCode.usage, /neither a PyTorch zip checkpoint nor a safetensors file/))
  })

  test('a tokenizer.json that is not JSON, and a config.json of hundreds of MB', async () => {
    const tokenizer = join(tempDir(), 'tokenizer.json')
    writeFileSync(tokenizer, '{"model": ')
    await assert.rejects(convertCheckpoint(base(out, {tokenizer})), refused(ExitCode.usage, /tokenizer\.json: not valid JSON/))
    const config = join(tempDir(), 'config.json')
    writeFileSync(config, Buffer.alloc(11 * 1024 * 1024, 0x20))
    await assert.rejects(convertCheckpoint(base(out, {config})), refused(ExitCode.usage, /config\.json: 11534336 bytes, more than the 10 MiB alignctl reads for --config/))
  })

  test('a hostile checkpoint that fails late, halfway through writing', async () => {
    const late = await failsLate()
    let progressed = 0
    await assert.rejects(convertCheckpoint(base(out, {checkpoint: late, layer: 2, onProgress: () => progressed++})), refused(ExitCode.usage, /is compressed \(method 8\), so its tensors cannot be read in place/))
    assert.ok(progressed > 20, `it failed late, after ${progressed} tensors were written`)
  })

  test('a disk that fills up while model.onnx is written: exit 3 naming the file, the pack unchanged', async () => {
    setWriteFault({match: 'pack\\.partial-.*model\\.onnx', afterBytes: 20_000, code: 'ENOSPC'})
    await assert.rejects(
      convertCheckpoint(base(out)),
      (error: AlignctlError) => {
        assert.equal(error.exitCode, ExitCode.runtime)
        assert.equal(error.message, `${join(out, 'model.onnx')}: cannot write the model pack: the disk is full (ENOSPC).`)
        assert.deepEqual(error.suggestions, [`Free some space on that disk, or give --out a folder on another disk; the pack at ${out} is unchanged.`])
        return true
      },
    )
  })

  test('a failure between tensors (Ctrl-C)', async () => {
    const controller = new AbortController()
    let tensors = 0
    const stopped = new Error('stopped')
    await assert.rejects(convertCheckpoint(base(out, {signal: controller.signal, onProgress: () => ++tensors === 3 && controller.abort(stopped)})), (error) => error === stopped)
  })
})

describe('models convert --out: what it may replace', () => {
  test('the name taken from the folder is checked first; nothing is created', async () => {
    const parent = tempDir()
    await assert.rejects(convertCheckpoint(base(join(parent, 'My Pack'))), (error: AlignctlError) => {
      assert.match(error.message, /The --out folder's name "My Pack" is not a valid pack name/)
      assert.match(error.suggestions[0]!, /--name my-pack/)
      return true
    })
    assert.deepEqual(readdirSync(parent), [])
  })

  test('a folder that holds other files and no pack is not replaced; a file is not either', async () => {
    const parent = tempDir()
    const out = join(parent, 'documents')
    mkdirSync(out)
    writeFileSync(join(out, 'thesis.tex'), 'years of work')
    await assert.rejects(convertCheckpoint(base(out)), /is a folder that holds other files \(thesis\.tex\) and is not a model pack/)
    assert.equal(readFileSync(join(out, 'thesis.tex'), 'utf8'), 'years of work')
    writeFileSync(join(parent, 'file'), 'x')
    await assert.rejects(convertCheckpoint(base(join(parent, 'file'))), /is a file; a model pack is a folder/)
  })

  test('a good conversion replaces the old pack whole and leaves nothing beside it', async () => {
    const parent = tempDir()
    const out = join(parent, 'pack')
    await convertCheckpoint(base(out, {layer: 1}))
    const {pack, inertGlobals} = await convertCheckpoint(base(out, {layer: 2, name: 'renamed'}))
    assert.deepEqual(inertGlobals, [])
    assert.equal(pack.manifest.layer, 2)
    assert.equal(pack.manifest.name, 'renamed')
    assert.deepEqual(readdirSync(parent), ['pack'])
    await openPack(out, {verify: 'sha256'})
  })

  test('a pack left aside by a conversion killed between its two renames is put back', async () => {
    const parent = tempDir()
    const out = join(parent, 'pack')
    await convertCheckpoint(base(out))
    const before = snapshot(out)
    // What a kill -9 right after the first rename leaves: the old pack aside, none at --out.
    renameSync(out, join(parent, 'pack.replaced-999999999-abcd'))
    const bad = join(tempDir(), 'model.bin')
    writeFileSync(bad, 'garbage')
    await assert.rejects(convertCheckpoint(base(out, {checkpoint: bad})), /neither a PyTorch zip/)
    assert.deepEqual(readdirSync(parent), ['pack'])
    assert.deepEqual(snapshot(out), before)
  })
})
