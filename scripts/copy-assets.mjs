// Copies the JSON files under src/ (schemas) to dist/src/, where the built code reads them.
import {cpSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'

function copyJson(from, to) {
  for (const name of readdirSync(from)) {
    const source = join(from, name)
    if (statSync(source).isDirectory()) copyJson(source, join(to, name))
    else if (name.endsWith('.json')) cpSync(source, join(to, name))
  }
}

copyJson('src', 'dist/src')
