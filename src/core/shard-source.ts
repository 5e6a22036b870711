import {usageError} from '../kernel/errors.js'
import type {Shard} from './runner.js'

/**
 * Where `eval --shards n` finds which shard this process is, in this order of mention; every
 * source is 0-based. `JOB_COMPLETION_INDEX` is what a Kubernetes Indexed Job sets in each pod;
 * `ALIGNCTL_SHARD_INDEX` and `--shard-index` are for schedulers that pass an index themselves,
 * such as a GitHub Actions matrix (`ALIGNCTL_SHARD_INDEX: ${{ matrix.shard }}`).
 */
export const SHARD_INDEX_ENV = ['ALIGNCTL_SHARD_INDEX', 'JOB_COMPLETION_INDEX'] as const

export interface ShardFlags {
  /** `--shard i/n`, 1-based. */
  shard?: string | undefined
  /** `--shards n`: the number of shards, the index coming from `--shard-index` or the environment. */
  shards?: number | undefined
  /** `--shard-index k`, 0-based. */
  'shard-index'?: string | number | undefined
}

/**
 * The shard a run scores (1-based, as `--shard i/n` and `report.json`'s `run.shard`), or
 * undefined for the whole input. `--shard i/n` names it outright (the environment is then not
 * read; `--shards`, if also given, must equal n). `--shards n` takes a 0-based index from
 * `--shard-index` or the variables of {@link SHARD_INDEX_ENV}; when several are given they
 * must agree, so a workflow that sets two of them differently stops instead of scoring the
 * wrong rows.
 */
export function resolveShard(flags: ShardFlags, env: Readonly<Record<string, string | undefined>>): Shard | undefined {
  const explicit = flags.shard === undefined ? undefined : parseShard(flags.shard)
  const given = flags['shard-index']
  if (flags.shards === undefined) {
    if (given !== undefined) throw usageError(`--shard-index ${given} needs --shards n, the number of shards.`, 'Pass --shards n with it, or --shard i/n (1-based) instead.')
    return explicit
  }
  const count = flags.shards
  if (!Number.isInteger(count) || count < 1) throw usageError(`--shards ${count}: the number of shards must be a whole number of at least 1.`)
  if (explicit !== undefined) {
    if (explicit.count !== count) {
      throw usageError(`--shard ${flags.shard} and --shards ${count} disagree: one says ${explicit.count} shards, the other ${count}.`, `Give one of them: --shard i/${count}, or --shards ${count} with the index from the environment.`)
    }
    if (given !== undefined && parseIndex('--shard-index', String(given), count) !== explicit.index - 1) {
      throw usageError(
        `--shard ${flags.shard} and --shard-index ${given} disagree: --shard is 1-based (shard ${explicit.index} is --shard-index ${explicit.index - 1}).`,
        'Give one of them.',
      )
    }
    return explicit
  }

  const sources: Array<{name: string; index: number; raw: string}> = []
  if (given !== undefined) sources.push({name: '--shard-index', raw: String(given), index: parseIndex('--shard-index', String(given), count)})
  for (const name of SHARD_INDEX_ENV) {
    const raw = env[name]
    if (raw !== undefined) sources.push({name, raw, index: parseIndex(name, raw, count)})
  }
  const [first, ...others] = sources
  if (first === undefined) {
    throw usageError(
      `--shards ${count} needs the index of this shard, and neither --shard-index nor ${SHARD_INDEX_ENV.join(' nor ')} is set.`,
      `A Kubernetes Indexed Job sets JOB_COMPLETION_INDEX itself; in a GitHub Actions matrix set ALIGNCTL_SHARD_INDEX: \${{ matrix.shard }} (0 to ${count - 1}); or pass --shard-index k, or --shard i/${count} (1-based). See docs/scale.md.`,
    )
  }
  for (const other of others) {
    if (other.index !== first.index) {
      throw usageError(`${describe(first)} and ${describe(other)} disagree on which shard this is.`, 'Set only one of them, or make them equal.')
    }
  }
  return {index: first.index + 1, count}
}

/** `--shard i/n`: the i-th (1-based) of n parts. */
export function parseShard(value: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim())
  const index = Number(match?.[1])
  const count = Number(match?.[2])
  if (match === null || count < 1 || index < 1 || index > count) {
    throw usageError(`--shard ${value}: expected i/n with 1 ≤ i ≤ n, such as 2/4.`, 'Run shards 1/n to n/n, each with its own --out, then `alignctl merge` their folders.')
  }
  return {index, count}
}

/** A 0-based shard index from a flag or a variable: a whole number below `count`. */
function parseIndex(name: string, raw: string, count: number): number {
  const shown = name.startsWith('--') ? `${name} ${JSON.stringify(raw)}` : `${name}=${JSON.stringify(raw)}`
  if (!/^\d+$/.test(raw.trim())) {
    throw usageError(
      `${shown} is not a shard index: it must be a whole number from 0 to ${count - 1} (0-based) for --shards ${count}.`,
      raw.trim() === '' ? `${name} is empty: check the expression that sets it (a misspelt matrix key gives an empty string).` : `Set ${name} to 0 for the first shard, ${count - 1} for the last.`,
    )
  }
  const index = Number(raw.trim())
  if (index >= count) {
    throw usageError(
      `${shown} is out of range for --shards ${count}: a shard index is 0-based, from 0 to ${count - 1}.`,
      index === count ? `Indexes count from 0: the last of ${count} shards is ${count - 1} (--shard ${count}/${count} in the 1-based form).` : 'Check that --shards equals the number of indexes the scheduler hands out (completions, matrix size).',
    )
  }
  return index
}

function describe(source: {name: string; raw: string}): string {
  return source.name.startsWith('--') ? `${source.name} ${source.raw}` : `${source.name}=${source.raw}`
}
