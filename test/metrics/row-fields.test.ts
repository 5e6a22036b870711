import assert from 'node:assert/strict'
import {test} from 'node:test'

import type {AnyMetric} from '../../src/kernel/interfaces/index.js'
import alignscore from '../../metrics/alignscore/index.js'
import ctc from '../../metrics/ctc/index.js'
import honesty from '../../metrics/honesty/index.js'
import profile from '../../metrics/profile/index.js'

test('the input fields each metric shows in the row table are fields of its input', () => {
  for (const metric of [alignscore, ctc, honesty, profile] as AnyMetric[]) {
    const properties = Object.keys((metric.inputs[0]!.rowSchema['properties'] ?? {}) as Record<string, unknown>)
    const shown = (metric.views?.rowFields ?? []).map((f) => (typeof f === 'string' ? f : f.field))
    assert.ok(shown.length > 0, `${metric.id} names its row fields`)
    for (const field of shown) assert.ok(properties.includes(field), `${metric.id}: ${field} is not an input field`)
    if (metric.views?.rowLabel !== undefined) assert.ok(properties.includes(metric.views.rowLabel.field), `${metric.id}: label field`)
  }
})
