// Hostile pickles built here, opcode by opcode: dangerous globals refuse the whole file wherever
// they sit (read or not); harmless unknown classes stay inert and are listed; deep nesting is an
// input error, never a stack overflow. Nothing in any of them is ever called.
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {ExitCode} from '../../../src/kernel/errors.js'
import {dangerousGlobal} from '../../../src/models/checkpoint/dangerous-globals.js'
import {listInertGlobals, openCheckpoint} from '../../../src/models/checkpoint/open-checkpoint.js'
import {unpickle} from '../../../src/models/checkpoint/pickle/unpickler.js'
import {findTorchGlobal} from '../../../src/models/checkpoint/torch-globals.js'
import {TorchCheckpointStore} from '../../../src/models/checkpoint/torch-store.js'
import {tempFile} from '../../helpers/cli.js'
import {failure} from './fixtures.js'
import {call, dict, op, pickle, tensor, writeCheckpoint} from './hostile-pickle.js'

const checkpoint = (name: string, bytes: Uint8Array) => writeCheckpoint(tempFile(name, ''), bytes, [[1, 2]])

/** A Lightning-like checkpoint: a real state dict beside hyper_parameters holding `payload`. */
const lightning = (payload: number[]) => pickle(dict(['state_dict', dict(['weight', tensor('0', 2)])], ['hyper_parameters', dict(['cb', payload])]))

const unpickleHooks = {
  findGlobal: findTorchGlobal,
  persistentLoad: () => null,
  isDangerous: dangerousGlobal,
}

describe('dangerous globals', () => {
  test('os.system under hyper_parameters (a key alignctl never reads) refuses the file, naming it and its path', async () => {
    const file = await checkpoint('hp.ckpt', lightning(call('os', 'system', op.str('touch /tmp/alignctl-pwned'))))
    const error = await failure(openCheckpoint(file))
    assert.equal(error.exitCode, ExitCode.usage)
    assert.match(error.message, /hp\.ckpt \(archive\/data\.pkl\): the pickle references os\.system \(at \["hyper_parameters"\]\["cb"\] \(called\)\)/)
    assert.match(error.message, /refused the whole file and ran nothing/)
  })

  test('a getattr chain in optimizer state is refused, naming builtins.getattr', async () => {
    const chain = call('builtins', 'getattr', call('builtins', '__import__', op.str('os')), op.str('system'))
    const file = await checkpoint('opt.ckpt', pickle(dict(['state_dict', dict(['weight', tensor('0', 2)])], ['optimizer_states', [...op.emptyList, ...chain, ...op.append]])))
    const error = await failure(openCheckpoint(file))
    assert.match(error.message, /references builtins\.getattr \(at \["optimizer_states"\]\[0\] \(called\)\), builtins\.__import__ \(at \["optimizer_states"\]\[0\]\.args\[0\] \(called\)\)/)
  })

  test('a dangerous global that is referenced and then dropped from the stack still refuses the file', async () => {
    const file = await checkpoint('dropped.pt', pickle(op.global('subprocess', 'Popen'), op.pop, dict(['weight', tensor('0', 2)])))
    assert.match((await failure(openCheckpoint(file))).message, /references subprocess\.Popen \(not kept in the loaded object\)/)
  })

  for (const [module, name] of [
    ['posix', 'system'],
    ['nt', 'system'],
    ['subprocess', 'check_output'],
    ['builtins', 'eval'],
    ['builtins', 'exec'],
    ['builtins', 'compile'],
    ['builtins', 'open'],
    ['__builtin__', 'eval'],
    ['sys', 'modules'],
    ['shutil', 'rmtree'],
    ['socket', 'create_connection'],
    ['importlib', 'import_module'],
    ['importlib.util', 'spec_from_file_location'],
    ['runpy', '_run_code'],
    ['pickle', 'loads'],
    ['_pickle', 'loads'],
    ['types', 'CodeType'],
    ['operator', 'attrgetter'],
    ['operator', 'methodcaller'],
    ['os.path', 'join'],
    ['webbrowser', 'open'],
    ['torch.serialization', 'load'],
  ]) {
    test(`${module}.${name} is refused wherever it sits`, () => {
      const bytes = pickle(dict(['deep', dict(['x', [...op.emptyList, ...op.global(module as string, name as string), ...op.append]])]))
      assert.throws(
        () => unpickle(bytes, unpickleHooks, {source: 'p.pkl'}),
        (error: Error & {exitCode?: number}) => error.exitCode === ExitCode.usage && error.message.includes(`at ["deep"]["x"][0]`),
      )
    })
  }

  test('functools.partial of a dangerous global is refused through its argument', () => {
    const bytes = pickle(dict(['cb', call('functools', 'partial', op.global('os', 'system'), op.str('id'))]))
    assert.throws(() => unpickle(bytes, unpickleHooks, {source: 'p.pkl'}), /references os\.system \(at \["cb"\]\.args\[0\]\)/)
  })

  test('harmless classes (Lightning, omegaconf, numpy scalars, argparse, pathlib) stay inert and are listed', async () => {
    const hp = dict(
      ['args', call('argparse', 'Namespace')],
      ['conf', call('omegaconf.dictconfig', 'DictConfig', op.none)],
      ['lr', call('numpy.core.multiarray', 'scalar', op.str('x'))],
      ['dir', call('pathlib', 'PosixPath', op.str('/data'))],
      ['attr', call('pytorch_lightning.utilities.parsing', 'AttributeDict')],
    )
    const file = await checkpoint('harmless.ckpt', pickle(dict(['state_dict', dict(['weight', tensor('0', 2)])], ['hyper_parameters', hp])))
    const store = await TorchCheckpointStore.open(file)
    try {
      assert.deepEqual(store.unlistedGlobals, ['argparse.Namespace', 'omegaconf.dictconfig.DictConfig', 'numpy.core.multiarray.scalar', 'pathlib.PosixPath'])
      assert.deepEqual([...(await store.readFloat32('weight'))], [1, 2])
    } finally {
      await store.close()
    }

    assert.deepEqual(await listInertGlobals(file), ['argparse.Namespace', 'omegaconf.dictconfig.DictConfig', 'numpy.core.multiarray.scalar', 'pathlib.PosixPath'])
  })
})

describe('deep nesting', () => {
  const nested = (depth: number, open: number[], close: number[]): Uint8Array => {
    const parts: number[] = []
    for (let i = 0; i < depth; i++) parts.push(...open)
    parts.push(...op.none)
    for (let i = 0; i < depth; i++) parts.push(...close)
    return pickle(dict(['weight', tensor('0', 2)], ['junk', parts]))
  }

  for (const [what, open, close] of [
    ['REDUCE calls of an unknown class', op.global('foo', 'Bar'), [...op.tuple1, ...op.reduce]],
    ['REDUCE calls of builtins.list', op.global('builtins', 'list'), [...op.tuple1, ...op.reduce]],
    ['tuples', [], op.tuple1],
    ['lists', [...op.emptyList], [...op.append]],
  ] as const) {
    test(`100000 nested ${what} are an input error, not a stack overflow`, async () => {
      // Lists: 100000 empty lists, then APPENDs that fold each into the one below it.
      const bytes =
        what === 'lists'
          ? pickle(dict(['weight', tensor('0', 2)], ['junk', [...Array.from({length: 100_000}, () => op.emptyList).flat(), ...Array.from({length: 99_999}, () => op.append).flat()]]))
          : nested(100_000, [...open], [...close])
      const file = await checkpoint(`deep-${what.split(' ')[0]}.pt`, bytes)
      const error = await failure(openCheckpoint(file))
      assert.equal(error.exitCode, ExitCode.usage)
      assert.match(error.message, /nests containers or calls more than 1000 levels deep/)
    })
  }

  test('nesting a real checkpoint uses (a few levels) is fine', async () => {
    const file = await checkpoint('shallow.pt', nested(50, op.global('foo', 'Bar'), [...op.tuple1, ...op.reduce]))
    const store = await openCheckpoint(file)
    await store.close()
  })
})

describe('the dangerous list', () => {
  test('covers what picklescan flags, and keeps plain data classes inert', () => {
    for (const [module, name] of [
      ['logging', 'FileHandler'],
      ['_io', 'FileIO'],
      ['numpy.testing._private.utils', 'runstring'],
      ['numpy.f2py.crackfortran', 'getlincoef'],
      ['pydoc', 'locate'],
      ['pkgutil', 'resolve_name'],
      ['cProfile', 'run'],
      ['torch._inductor.codecache', 'compile_file'],
      ['torch.fx.experimental.symbolic_shapes', 'ShapeEnv.evaluate_guards_expression'],
      ['code', 'InteractiveInterpreter.runcode'],
      ['uuid', '_get_command_stdout'],
      ['builtins', 'getattr.__call__'],
    ]) {
      assert.equal(dangerousGlobal(module as string, name as string), true, `${module}.${name}`)
    }

    for (const [module, name] of [
      ['argparse', 'Namespace'],
      ['pathlib', 'PosixPath'],
      ['omegaconf.dictconfig', 'DictConfig'],
      ['numpy.core.multiarray', 'scalar'],
      ['numpy', 'dtype'],
      ['uuid', 'UUID'],
      ['functools', 'partial'],
      ['collections', 'OrderedDict'],
      ['test', 'MyModel'],
      ['ossify', 'system'],
    ]) {
      assert.equal(dangerousGlobal(module as string, name as string), false, `${module}.${name}`)
    }
  })
})
