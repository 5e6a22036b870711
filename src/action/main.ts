import {installPlugins} from './plugins.js'
import {runAction} from './run.js'
import {Workflow} from './workflow.js'

// The action's entry point (bin/action.js imports this once the package is built):
// `bin/action.js plugins` is the step that adds the `plugins` input's plugins, and
// `bin/action.js` alone is the scoring step (action.yml).
process.exitCode = process.argv[2] === 'plugins' ? installPlugins(process.env, new Workflow(process.env)) : await runAction(process.env)
