// Copies what the built code reads beside itself to dist/src/: the JSON files under src/
// (schemas) and the HTML report's page script and styles (src/report/page/).
import {cpSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'

function copy(from, to, wanted) {
  for (const name of readdirSync(from)) {
    const source = join(from, name)
    if (statSync(source).isDirectory()) copy(source, join(to, name), wanted)
    else if (wanted(source)) cpSync(source, join(to, name))
  }
}

copy('src', 'dist/src', (file) => file.endsWith('.json'))
copy('src/report/page', 'dist/src/report/page', () => true)
