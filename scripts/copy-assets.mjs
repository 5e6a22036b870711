// Copies the data files the built code reads at run time next to it in dist/: the JSON
// schemas under src/, and metric data under metrics/ (JSON, and the .txt/.tab tables of
// metrics/alignscore/punkt/english/).
import {cpSync, existsSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'

function copyAssets(from, to, extensions) {
  if (!existsSync(from)) return
  for (const name of readdirSync(from)) {
    const source = join(from, name)
    if (statSync(source).isDirectory()) copyAssets(source, join(to, name), extensions)
    else if (extensions.some((extension) => name.endsWith(extension))) cpSync(source, join(to, name))
  }
}

copyAssets('src', 'dist/src', ['.json'])
copyAssets('metrics', 'dist/metrics', ['.json', '.txt', '.tab'])
