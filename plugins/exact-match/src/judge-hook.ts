import {tokenOverlap} from './judge.js'

/**
 * alignctl calls the `alignctl:judges` hook of every installed plugin (see package.json,
 * "oclif.hooks") and registers the correctness judges it returns. A metric that takes a judge
 * (honesty: `--param judge=token-overlap`) uses one only when the user names it.
 */
export default async function registerJudges() {
  return [tokenOverlap]
}
