import type {EvalFlags} from '../core/eval-request.js'
import type {ActionInputs} from './inputs.js'

/**
 * The `alignctl eval` flags the action's inputs stand for: the same object the CLI's parser
 * gives for `evalArgs(inputs)`, so the action and the command line build one request.
 */
export function evalFlags(inputs: ActionInputs): EvalFlags & {config?: string} {
  return {
    ...(inputs.metrics.length > 0 ? {metric: inputs.metrics} : {}),
    ...(inputs.inputs.length > 0 ? {input: inputs.inputs} : {}),
    ...(inputs.config === undefined ? {} : {config: inputs.config}),
    ...(inputs.params.length > 0 ? {param: inputs.params} : {}),
    ...(inputs.failUnder.length > 0 ? {'fail-under': inputs.failUnder} : {}),
    ...(inputs.failOver.length > 0 ? {'fail-over': inputs.failOver} : {}),
    out: inputs.out,
    ...(inputs.formats === undefined ? {} : {format: inputs.formats}),
    ...(inputs.onError === undefined ? {} : {'on-error': inputs.onError}),
    ...(inputs.model === undefined ? {} : {model: inputs.model}),
    ...(inputs.device === undefined ? {} : {device: inputs.device}),
    ...(inputs.workers === undefined ? {} : {workers: inputs.workers}),
  }
}

/** The flags as the command line a user can run to get the same run: `alignctl eval <these>`. */
export function evalArgs(inputs: ActionInputs): string[] {
  const flags = evalFlags(inputs)
  return Object.entries(flags).flatMap(([name, value]) => {
    const values = Array.isArray(value) ? value : [value]
    return values.flatMap((v) => [`--${name}`, String(v)])
  })
}

/** An argument list as a POSIX shell would read it back: plain words bare, anything else single-quoted. */
export function shellLine(args: readonly string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ')
}
