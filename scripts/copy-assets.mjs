// Copies the data files the built code reads at run time next to it in dist/: the JSON
// schemas under src/, the HTML report's page script and styles (src/report/page/), and metric
// data under metrics/ (JSON, the .txt/.tab tables of metrics/alignscore/punkt/english/, and
// prompt files under metrics/<id>/prompts/).
import {cpSync, existsSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'

function copyAssets(from, to, wanted) {
  if (!existsSync(from)) return
  for (const name of readdirSync(from)) {
    const source = join(from, name)
    if (statSync(source).isDirectory()) copyAssets(source, join(to, name), wanted)
    else if (wanted(name)) cpSync(source, join(to, name))
  }
}

const withExtension = (...extensions) => (name) => extensions.some((extension) => name.endsWith(extension))

copyAssets('src', 'dist/src', withExtension('.json'))
copyAssets('src/report/page', 'dist/src/report/page', () => true)
copyAssets('metrics', 'dist/metrics', withExtension('.json', '.txt', '.tab'))
// Versioned prompt files of metrics that ask an LLM (metrics/<id>/prompts/*.md).
for (const metric of readdirSync('metrics')) copyAssets(join('metrics', metric, 'prompts'), join('dist/metrics', metric, 'prompts'), withExtension('.md'))
