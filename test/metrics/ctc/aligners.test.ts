import assert from 'node:assert/strict'
import {join} from 'node:path'
import {test} from 'node:test'

import type {LoadedModel, RequestOutputs, TextRequest} from '../../../src/kernel/interfaces/index.js'
import {loadTokenizer} from '../../../src/engine/tokenizer/index.js'
import {DiscriminativeAligner, groupWords} from '../../../metrics/ctc/aligners/discriminative.js'
import {bestMatches, EmbeddingAligner} from '../../../metrics/ctc/aligners/embedding.js'
import {RegressionAligner} from '../../../metrics/ctc/aligners/regression.js'
import {FIXTURES} from '../../helpers/cli.js'

const roberta = loadTokenizer(join(FIXTURES, 'tokenizers/roberta-bpe/tokenizer.json'))
const bert = loadTokenizer(join(FIXTURES, 'tokenizers/bert-wordpiece/tokenizer.json'))
const signal = new AbortController().signal

/**
 * A model whose outputs are simple functions of the token ids (tokenized as the engine
 * does), so that the aligners' arithmetic can be checked by hand; it records every run.
 */
function fakeModel(tokenizer: typeof roberta, maxLength: number, outputs: (ids: number[]) => RequestOutputs): LoadedModel & {runs: TextRequest[][]} {
  const encode = (r: TextRequest) => (r.second === undefined ? tokenizer.encode(r.first, {maxLength, strategy: r.truncation}) : tokenizer.encodePair(r.first, r.second, {maxLength, strategy: r.truncation}))
  const runs: TextRequest[][] = []
  return {
    runs,
    info: {name: 'fake', dir: '/fake', task: 'ctc', precision: 'fp32', maxLength, outputs: []},
    fits: (r) => encode(r).truncation.outcome !== 'cannot-fit',
    run: async (requests) => {
      runs.push([...requests])
      return requests.map((r) => outputs(encode(r).ids))
    },
  }
}

/** Hidden state of a token: a 3-vector from its id (not normalised: the aligner must normalise). */
const stateOf = (id: number) => [1 + (id % 3), (id % 5) - 2, 2 * ((id % 7) + 1)]
const hidden = (ids: number[]) => ({hidden_states: Float32Array.from(ids.flatMap(stateOf))})
const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0) / Math.hypot(...a) / Math.hypot(...b)

test('E: each input token scored by its best cosine in the context, specials dropped, tokens decoded one by one', async () => {
  const model = fakeModel(roberta, 32, hidden)
  const aligner = new EmbeddingAligner(model, roberta, {roberta: true, prefixSpace: true, decodeCleanup: true})
  const [outcome] = await aligner.align([{input: ' the cat ', context: 'a dog sat', inputField: 'summary', contextField: 'document'}], signal)
  assert.ok(outcome !== undefined && 'tokens' in outcome)
  const a = roberta.encode(' the cat').ids.slice(1, -1)
  const b = roberta.encode(' a dog sat').ids.slice(1, -1)
  assert.deepEqual(outcome.tokens.map((t) => t.text), a.map((id) => roberta.decode([id])))
  assert.equal(outcome.tokens[0]!.text, ' the')
  outcome.tokens.forEach((t, i) => {
    const want = Math.max(...b.map((j) => cosine(stateOf(a[i]!), stateOf(j))))
    assert.ok(Math.abs(t.score - want) < 1e-6, `token ${i}`)
  })
})

test('E: the RoBERTa prefix space is a param; BERT never gets one', () => {
  const model = fakeModel(roberta, 32, hidden)
  assert.equal(new EmbeddingAligner(model, roberta, {roberta: true, prefixSpace: true, decodeCleanup: true}).prepare('  Hi there \n'), ' Hi there')
  assert.equal(new EmbeddingAligner(model, roberta, {roberta: true, prefixSpace: false, decodeCleanup: true}).prepare('  Hi there \n'), 'Hi there')
  assert.equal(new EmbeddingAligner(model, roberta, {roberta: true, prefixSpace: true, decodeCleanup: true}).prepare('  '), '')
  assert.equal(new EmbeddingAligner(fakeModel(bert, 32, hidden), bert, {roberta: false, prefixSpace: true, decodeCleanup: true}).prepare(' Hi'), 'Hi')
})

test('E: an empty context is a row error, an empty input has no tokens', async () => {
  const aligner = new EmbeddingAligner(fakeModel(roberta, 32, hidden), roberta, {roberta: true, prefixSpace: true, decodeCleanup: true})
  const [emptyContext, emptyInput] = await aligner.align(
    [
      {input: 'the cat', context: '  ', inputField: 'summary', contextField: 'document'},
      {input: '', context: 'the cat', inputField: 'summary', contextField: 'document'},
    ],
    signal,
  )
  assert.ok(emptyContext !== undefined && 'error' in emptyContext)
  assert.match(emptyContext.error, /field "document" is empty: the E aligner scores each token of summary by its best match in document/)
  assert.deepEqual(emptyInput, {tokens: []})
})

test('E: a text shared by many calls is encoded once per run, in one engine run per batch', async () => {
  const model = fakeModel(roberta, 32, hidden)
  const aligner = new EmbeddingAligner(model, roberta, {roberta: true, prefixSpace: true, decodeCleanup: true})
  const doc = 'the same long document'
  await aligner.align(['one', 'two', 'three'].map((s) => ({input: s, context: doc, inputField: 'summary', contextField: 'document'})), signal)
  assert.equal(model.runs.length, 1)
  assert.equal(model.runs[0]!.length, 4)
  await aligner.align([{input: 'four', context: doc, inputField: 'summary', contextField: 'document'}], signal)
  assert.deepEqual(model.runs[1]!.map((r) => r.first), [' four'])
  assert.equal(aligner.cache.hits, 1)
})

test('E: inputs longer than the max length are cut from the right, specials kept', async () => {
  const model = fakeModel(roberta, 8, hidden)
  const aligner = new EmbeddingAligner(model, roberta, {roberta: true, prefixSpace: true, decodeCleanup: true})
  const [outcome] = await aligner.align([{input: 'one two three four five six seven eight nine', context: 'one', inputField: 'summary', contextField: 'document'}], signal)
  assert.ok(outcome !== undefined && 'tokens' in outcome)
  assert.equal(outcome.tokens.length, 6)
})

test('D: words grouped at Ġ boundaries; the first token never opens a group; no tokens give one empty group', () => {
  assert.deepEqual(groupWords(['the', 'Ġc', 'at', 'Ġsat']), [[1], [2, 3], [4]])
  assert.deepEqual(groupWords(['Ġthe', 'Ġcat']), [[1], [2]])
  assert.deepEqual(groupWords([]), [[]])
})

test('D: the input is cleaned, cut to half the max length, decoded with the clean-up, and paired with the context', () => {
  const aligner = new DiscriminativeAligner(fakeModel(roberta, 64, () => ({})), roberta, {cleantext: '1.1.4', decodeCleanup: true})
  const plan = aligner.plan({input: 'Sterling \u2019s  Remarks , he said .', context: 'The Context', inputField: 'summary', contextField: 'document'})
  assert.ok(!('error' in plan))
  assert.deepEqual(plan.words, ["sterling's", 'remarks,', 'he', 'said.'])
  assert.deepEqual(plan.request, {first: "sterling's remarks, he said.", second: 'the context', truncation: 'only_second'})
  const noCleanup = new DiscriminativeAligner(fakeModel(roberta, 64, () => ({})), roberta, {cleantext: '1.1.4', decodeCleanup: false}).plan({input: 'he said .', context: 'x', inputField: 'summary', contextField: 'document'})
  assert.ok(!('error' in noCleanup))
  assert.deepEqual(noCleanup.words, ['he', 'said', '.'])
  const short = new DiscriminativeAligner(fakeModel(roberta, 8, () => ({})), roberta, {cleantext: '1.1.4', decodeCleanup: true}).plan({input: 'one two three four five six seven', context: 'x', inputField: 'summary', contextField: 'document'})
  assert.ok(!('error' in short))
  // ⌊8/2⌋ ids including <s>: three content tokens survive.
  assert.equal(roberta.encode(short.request.first).ids.length, 5)
})

test('D: an empty text, or words the BPE groups differently, are row errors with the reason', () => {
  const aligner = new DiscriminativeAligner(fakeModel(roberta, 64, () => ({})), roberta, {cleantext: '1.1.4', decodeCleanup: true})
  const empty = aligner.plan({input: '', context: 'x', inputField: 'summary', contextField: 'document'})
  assert.ok('error' in empty)
  assert.match(empty.error, /field "summary" is empty: the D aligner's text cleaning \(cleantext\) rejects an empty text/)
  const blank = aligner.plan({input: '   ', context: 'x', inputField: 'response', contextField: 'fact'})
  assert.ok('error' in blank)
  assert.match(blank.error, /field "response": the D aligner cannot map its tokens to words: it is empty after cleaning/)
  const newline = aligner.plan({input: 'one\ntwo', context: 'x', inputField: 'response', contextField: 'fact'})
  assert.ok('error' in newline)
  assert.match(newline.error, /its 2 whitespace words split into 1 BPE word groups/)
  const emptyContext = aligner.plan({input: 'a', context: '', inputField: 'summary', contextField: 'document'})
  assert.ok('error' in emptyContext)
  assert.match(emptyContext.error, /field "document" is empty/)
})

test('D: word score = softmax(Σ sub-token logits + bias once)[0]', async () => {
  // Logits per token: [id / 100, 0]; bias [0.5, -0.25].
  const model = fakeModel(roberta, 64, (ids) => ({token_logits: Float32Array.from(ids.flatMap((id) => [id / 100, 0])), token_logits_bias: Float32Array.from([0.5, -0.25])}))
  const aligner = new DiscriminativeAligner(model, roberta, {cleantext: '1.1.4', decodeCleanup: true})
  const [outcome] = await aligner.align([{input: 'the catalogue', context: 'ctx', inputField: 'summary', contextField: 'document'}], signal)
  assert.ok(outcome !== undefined && 'tokens' in outcome)
  const ids = roberta.encode('the catalogue').ids
  const groups = groupWords(ids.slice(1, -1).map((id) => roberta.idToToken(id)))
  assert.deepEqual(outcome.tokens.map((t) => t.text), ['the', 'catalogue'])
  groups.forEach((group, w) => {
    const a = 0.5 + group.reduce((s, p) => s + ids[p]! / 100, 0)
    const want = 1 / (1 + Math.exp(-0.25 - a))
    assert.ok(Math.abs(outcome.tokens[w]!.score - want) < 1e-6, `word ${w}`)
  })
})

test('R: the pair is (context, input) with longest_first, and the score is the raw scalar', async () => {
  const model = fakeModel(bert, 16, (ids) => ({score: Float32Array.from([ids.length - 7.5])}))
  const [outcome] = await new RegressionAligner(model).align([{input: 'the response', context: 'the fact is long enough to be cut here', inputField: 'response', contextField: 'fact'}], signal)
  assert.deepEqual(model.runs[0], [{first: 'the fact is long enough to be cut here', second: 'the response', truncation: 'longest_first'}])
  assert.deepEqual(outcome, {scalar: 16 - 7.5})
})

test('E: the best-match loop equals the plain one for any number of context tokens', () => {
  const h = 5
  for (const m of [1, 3, 4, 5, 9]) {
    const n = 3
    const a = Float32Array.from({length: (n + 2) * h}, (_, i) => Math.sin(i * 1.3))
    const b = Float32Array.from({length: (m + 2) * h}, (_, i) => Math.cos(i * 0.7))
    const got = bestMatches(a, b, h, n, m)
    for (let i = 1; i <= n; i++) {
      let want = Number.NEGATIVE_INFINITY
      for (let j = 1; j <= m; j++) {
        let dot = 0
        for (let k = 0; k < h; k++) dot += a[i * h + k]! * b[j * h + k]!
        want = Math.max(want, dot)
      }
      assert.equal(got[i - 1], want, `m=${m} token ${i}`)
    }
  }
})
