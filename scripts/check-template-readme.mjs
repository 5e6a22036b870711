// The plugin template as an outside author meets it, against the packed alignctl tarball
// (argument 1; scripts/check-install.sh passes it):
// 1. plugins/exact-match/README.md's "From an empty folder to a report": its shell blocks,
//    run verbatim and in order by bash in an empty folder, with one substitution: the
//    `alignctl` of `npm install --save-dev alignctl` is the tarball (not on the registry yet).
//    Then the report the last block wrote is checked.
// 2. A copy of the template folder: `npm install --save-dev <tarball>`, `npm test` (its
//    build and its own tests), `npx alignctl plugins link`, and an eval of its metric.
import {execFileSync, spawnSync} from 'node:child_process'
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'

const root = resolve(import.meta.dirname, '..')
const template = join(root, 'plugins/exact-match')
const tarball = resolve(process.argv[2] ?? '')
if (!tarball.endsWith('.tgz')) throw new Error('usage: node scripts/check-template-readme.mjs <alignctl tarball>')

const SECTION = '## From an empty folder to a report'

/** The shell blocks of the README's section, dedented by their fence's indentation. */
function shellBlocks(markdown, heading) {
  const start = markdown.indexOf(`\n${heading}\n`)
  if (start < 0) throw new Error(`README: no section "${heading}"`)
  const next = markdown.indexOf('\n## ', start + heading.length + 2)
  const section = markdown.slice(start, next < 0 ? undefined : next)
  return [...section.matchAll(/^( *)```sh\n([\s\S]*?)^\1```$/gm)].map(([, indent, body]) =>
    body.split('\n').map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line)).join('\n'))
}

const work = mkdtempSync(join(tmpdir(), 'template-readme-'))
const isolated = (name) => ({XDG_DATA_HOME: join(work, name, 'data'), XDG_CONFIG_HOME: join(work, name, 'config'), XDG_CACHE_HOME: join(work, name, 'cache')})
const npmQuiet = {npm_config_audit: 'false', npm_config_fund: 'false', npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false'}
try {
  // 1. The README, verbatim but for the one substitution.
  const blocks = shellBlocks(readFileSync(join(template, 'README.md'), 'utf8'), SECTION)
  if (blocks.length < 5) throw new Error(`README: only ${blocks.length} shell blocks in "${SECTION}"`)
  let script = blocks.join('\n')
  const install = /^(.*npm install --save-dev )alignctl( |$)/m
  if (!install.test(script)) throw new Error('README: no `npm install --save-dev alignctl` line to point at the tarball')
  script = script.replace(install, (_, head, tail) => `${head}'${tarball.replaceAll("'", `'\\''`)}'${tail}`)
  const empty = join(work, 'readme')
  execFileSync('mkdir', [empty])
  writeFileSync(join(work, 'readme.sh'), `set -euo pipefail\n${script}\n`)
  const env = {...process.env, ...isolated('readme'), ...npmQuiet}
  delete env.ONNXRUNTIME_NODE_INSTALL // the README sets it itself
  const run = spawnSync('bash', [join(work, 'readme.sh')], {cwd: empty, env, encoding: 'utf8'})
  if (run.status !== 0) throw new Error(`README blocks failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`)
  const report = JSON.parse(readFileSync(join(empty, 'alignctl-plugin-contains/out/report.json'), 'utf8'))
  const contains = report.metrics.contains
  if (contains?.rows !== 3 || Math.abs(contains.summary.rate - 2 / 3) > 1e-12 || report.passed !== true) throw new Error(`README run: unexpected report ${JSON.stringify(contains)}`)
  const pkg = JSON.parse(readFileSync(join(empty, 'alignctl-plugin-contains/package.json'), 'utf8'))
  if (pkg.peerDependencies?.alignctl !== '>=0.1.0' || !String(pkg.devDependencies?.alignctl).startsWith('file:')) throw new Error(`README run: unexpected package.json ${JSON.stringify(pkg)}`)
  console.log(`check-template-readme: the README's ${blocks.length} shell blocks built, linked and ran "contains" (rate ${contains.summary.rate.toFixed(4)} over ${contains.rows} rows).`)

  // 2. The template folder, copied out of the clone, as its README's last paragraph says.
  const copy = join(work, 'exact-match')
  for (const entry of ['package.json', 'tsconfig.json', 'README.md', 'src', 'test']) cpSync(join(template, entry), join(copy, entry), {recursive: true})
  const env2 = {...process.env, ...isolated('template'), ...npmQuiet, ONNXRUNTIME_NODE_INSTALL: 'skip'}
  const sh = (command) => {
    const step = spawnSync('bash', ['-euo', 'pipefail', '-c', command], {cwd: copy, env: env2, encoding: 'utf8'})
    if (step.status !== 0) throw new Error(`template copy: \`${command}\` failed (exit ${step.status}):\n${step.stdout}\n${step.stderr}`)
    return step.stdout
  }
  // The README run's node_modules, hard-linked in first, so npm has the tree and only checks it.
  execFileSync('cp', ['-al', join(empty, 'alignctl-plugin-contains/node_modules'), join(copy, 'node_modules')])
  sh(`npm install --save-dev '${tarball}' >/dev/null`)
  sh('npm test >/dev/null 2>&1 || npm test')
  sh('npx alignctl plugins link . --no-install')
  sh(`npx alignctl eval --metric exact-match --input '${join(root, 'fixtures/exact-match/qa.jsonl')}' --out out --json >/dev/null`)
  const exact = JSON.parse(readFileSync(join(copy, 'out/report.json'), 'utf8')).metrics['exact-match']
  if (exact?.rows !== 6) throw new Error(`template copy: unexpected report ${JSON.stringify(exact)}`)
  console.log(`check-template-readme: a copy of plugins/exact-match installed the tarball, passed its own tests and ran (exactMatch ${exact.summary.exactMatch.toFixed(4)}).`)
} finally {
  rmSync(work, {recursive: true, force: true})
}
