#!/usr/bin/env node
import {execute, settings} from '@oclif/core'

// Plugins run from their compiled output (`npm run build` in the plugin), also when linked.
settings.enableAutoTranspile = false

await execute({dir: import.meta.url})
