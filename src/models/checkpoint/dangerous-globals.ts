/**
 * The globals that refuse a whole checkpoint: entry points that run processes or shells,
 * touch the file system or the network, import modules or compile and run code. This is the
 * first of two tiers, as in picklescan and the Hugging Face hub's pickle scanner: a global
 * here refuses the file wherever it sits; any other global outside the tensor-rebuild list
 * stays an inert placeholder and is only reported.
 *
 * The list is our own, drawn from what those scanners flag (picklescan's list as of 2026) and
 * from the review (hardening, issue 14). Whole modules match their submodules too
 * (`os` matches `os.path`). Deviations from picklescan: `functools.partial` itself is inert
 * (its callable is a global of its own and is judged as one), `uuid.UUID` is inert while the
 * rest of `uuid` is refused, and only CPython's `test.support` helpers are refused, not every
 * module named `test`. alignctl refuses more than picklescan where it lists whole modules
 * (importlib, tempfile, http, urllib, multiprocessing and others below).
 */

/** Modules every global of which is dangerous (and their submodules). */
const DANGEROUS_MODULES: readonly string[] = [
  // Processes and shells.
  'os', 'posix', 'nt', 'subprocess', 'pty', 'commands', 'popen2', 'multiprocessing', 'signal',
  // The interpreter itself, imports, code execution, debuggers.
  'sys', 'importlib', 'imp', 'pkgutil', 'zipimport', 'runpy', 'code', 'codeop', 'bdb', 'pdb', 'trace', 'timeit', 'profile', 'cProfile',
  'ctypes', '_ctypes', 'marshal', 'pickle', '_pickle', 'cPickle', 'dill', 'cloudpickle', 'shelve', 'joblib',
  'asyncio', 'threading', '_thread', 'concurrent', 'venv', 'ensurepip', 'pip', 'setuptools', 'distutils',
  // File system.
  'shutil', 'tempfile', 'glob', 'fileinput', 'zipfile', 'tarfile',
  // Network.
  'socket', '_socket', 'ssl', 'select', 'selectors', 'http', 'httplib', 'urllib', 'urllib2', 'urllib3', 'requests', 'aiohttp',
  'ftplib', 'smtplib', 'telnetlib', 'xmlrpc', 'webbrowser', 'socketserver',
  // Modules with helpers that run commands or code (picklescan lists these whole).
  'numpy.f2py', 'numpy.testing._private.utils', 'pydoc', 'idlelib', 'lib2to3', '_osx_support', '_aix_support', '_pyrepl',
  'torch.utils.bottleneck', 'torch.utils.collect_env',
  // CPython's own test helpers spawn interpreters. picklescan refuses the whole `test` package;
  // alignctl only its helpers, so that a user's own module named `test` still loads.
  'test.support', 'test.libregrtest',
]

/** In an otherwise dangerous module, names that are plain data classes (kept inert). */
const HARMLESS_IN_DANGEROUS: ReadonlySet<string> = new Set(['uuid.UUID', 'uuid.SafeUUID'])

/** Single dangerous names in otherwise harmless modules. */
const DANGEROUS_NAMES: ReadonlySet<string> = new Set([
  ...['eval', 'exec', 'execfile', 'compile', 'getattr', 'setattr', 'delattr', '__import__', 'open', 'apply', 'breakpoint', 'input', 'globals', 'locals', 'vars', 'reload'].map(
    (name) => `builtins.${name}`,
  ),
  'io.open', 'io.open_code', 'io.FileIO', '_io.open', '_io.open_code', '_io.FileIO', 'codecs.open',
  'types.CodeType', 'types.FunctionType', 'types.MethodType', 'types.LambdaType',
  'operator.attrgetter', 'operator.methodcaller', 'operator.itemgetter', '_operator.attrgetter', '_operator.methodcaller', '_operator.itemgetter',
  'logging.FileHandler', 'logging.handlers.RotatingFileHandler', 'logging.handlers.TimedRotatingFileHandler', 'logging.handlers.WatchedFileHandler', 'logging.handlers.SocketHandler',
  'doctest.debug_script', 'doctest.debug_src', 'imaplib.IMAP4_stream',
  'cloudpickle.cloudpickle._builtin_type', 'cloudpickle.cloudpickle._make_function', 'cloudpickle.cloudpickle.subimport',
  'torch._dynamo.guards.GuardBuilder.get', 'torch.fx.experimental.symbolic_shapes.ShapeEnv.evaluate_guards_expression', 'torch.jit.unsupported_tensor_ops.execWrapper',
  'torch.utils._config_module.ConfigModule.load_config', 'torch.utils.data.datapipes.utils.decoder.basichandlers',
  'numpy.load',
  'torch.load', 'torch.serialization.load', 'torch.hub.load', 'torch.hub.load_state_dict_from_url', 'torch.hub.download_url_to_file',
  'torch.jit.load', 'torch._inductor.codecache.compile_file', 'torch.utils.cpp_extension.load', 'torch.utils.cpp_extension.load_inline',
])

/**
 * Whether `module.name` refuses a checkpoint (it is on the dangerous list).
 * A dotted name (`getattr.__call__`, protocol 4) is judged by its first part as well.
 */
export function dangerousGlobal(module: string, name: string): boolean {
  if (HARMLESS_IN_DANGEROUS.has(`${module}.${name}`)) return false
  if (module === 'uuid') return true
  if (DANGEROUS_MODULES.some((dangerous) => module === dangerous || module.startsWith(`${dangerous}.`))) return true
  const head = name.split('.')[0] ?? name
  return DANGEROUS_NAMES.has(`${module}.${name}`) || DANGEROUS_NAMES.has(`${module}.${head}`)
}

/** The dangerous list, for documentation and tests. */
export function dangerousModules(): readonly string[] {
  return DANGEROUS_MODULES
}
