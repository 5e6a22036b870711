#!/usr/bin/env node
// Outside a terminal (CI logs, pipes) print messages unwrapped, so a path in an error is never
// split across lines. Must be set before oclif loads: it reads the width once.
if (!process.stderr.isTTY) process.env.OCLIF_COLUMNS ??= '1000'

const {execute, settings} = await import('@oclif/core')

// Plugins run from their compiled output (`npm run build` in the plugin), also when linked.
settings.enableAutoTranspile = false

await execute({dir: import.meta.url})
