import {runAction} from './run.js'

// The action's entry point (bin/action.js imports this once the package is built).
process.exitCode = await runAction(process.env)
