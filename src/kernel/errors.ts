/**
 * Exit codes (DESIGN.md §3.1). One table, used by every command through {@link AlignctlError}.
 */
export const ExitCode = {
  /** The run finished and every gate passed. */
  ok: 0,
  /** A `--fail-under` gate failed. */
  gateFailed: 1,
  /** The command line, a config file or an input file is wrong. */
  usage: 2,
  /** Something broke while running: a metric, a model, the disk. */
  runtime: 3,
} as const

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/**
 * The one error type that services throw. Commands let it reach oclif, which prints the
 * message and the suggestions and exits with `exitCode`; services never call `process.exit`.
 */
export class AlignctlError extends Error {
  readonly exitCode: ExitCode
  readonly suggestions: string[]

  constructor(message: string, options: {exitCode: ExitCode; suggestions?: string[]; cause?: unknown}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'AlignctlError'
    this.exitCode = options.exitCode
    this.suggestions = options.suggestions ?? []
  }
}

/**
 * Whether `error` is an alignctl error. Checked by shape, not `instanceof`: a plugin may bring
 * its own copy of alignctl, whose error class is a different object.
 */
export function isAlignctlError(error: unknown): error is AlignctlError {
  return error instanceof Error && error.name === 'AlignctlError' && typeof (error as {exitCode?: unknown}).exitCode === 'number'
}

/** A wrong flag, config entry or argument: exit 2. */
export function usageError(message: string, ...suggestions: string[]): AlignctlError {
  return new AlignctlError(message, {exitCode: ExitCode.usage, suggestions})
}

/** A problem with an input file, already located (`file:line: field "x": ...`): exit 2. */
export function inputError(message: string, ...suggestions: string[]): AlignctlError {
  return new AlignctlError(message, {exitCode: ExitCode.usage, suggestions})
}

/**
 * What a runtime error carries besides its message. Not an Error: `stack` is declared `never`
 * so that passing the caught error itself (`runtimeError(msg, error)`) is a type error.
 */
export interface RuntimeErrorOptions {
  cause?: unknown
  suggestions?: string[]
  stack?: never
}

/** A failure while running (a metric threw, a model could not load): exit 3. */
export function runtimeError(message: string, options: RuntimeErrorOptions = {}): AlignctlError {
  return new AlignctlError(message, {exitCode: ExitCode.runtime, suggestions: options.suggestions ?? [], cause: options.cause})
}
