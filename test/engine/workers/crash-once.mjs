// A pool worker for tests: dies (native abort) the first time it sees a task whose marker
// file does not exist yet, then answers normally. Proves a crashed batch is retried once.
import {existsSync, writeFileSync} from 'node:fs'

export default async function (task) {
  if (task.crash === 'always') process.abort()
  if (task.crash === 'once' && !existsSync(task.marker)) {
    writeFileSync(task.marker, 'crashed')
    process.abort()
  }
  if (task.fail) throw new Error(task.fail)
  return {echo: task.value}
}
