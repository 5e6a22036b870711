import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {test} from 'node:test'

import {FIXTURES} from '../helpers/cli.js'

import type {Logger} from '../../src/kernel/interfaces/index.js'
import {looksNonEnglish, warnIfNotEnglish} from '../../src/kernel/language.js'

function recorder(): Logger & {warnings: string[]} {
  const warnings: string[] = []
  return {warnings, info: () => {}, debug: () => {}, warn: (m) => warnings.push(m)}
}

test('English passes, short or long; other scripts and Latin-script languages do not', () => {
  assert.equal(looksNonEnglish('Paris.'), false)
  assert.equal(looksNonEnglish('The old lighthouse on the northern cape was built in 1871 and guided ships for almost a century.'), false)
  assert.equal(looksNonEnglish('I apologize, but I\'m not able to provide an answer to the question.'), false)
  // Too little to tell: numbers, a name, punctuation.
  assert.equal(looksNonEnglish('42'), false)
  assert.equal(looksNonEnglish('—'), false)
  assert.equal(looksNonEnglish('Zürich'), false)
  assert.equal(looksNonEnglish('巴黎是法国的首都。'), true)
  assert.equal(looksNonEnglish('Москва — столица России.'), true)
  assert.equal(looksNonEnglish('القاهرة هي عاصمة مصر'), true)
  // English with a few foreign names stays English.
  assert.equal(looksNonEnglish('The capital of China is 北京, which is also called Beijing in the English press.'), false)
  assert.equal(looksNonEnglish('Der alte Leuchtturm am nördlichen Kap wurde 1871 gebaut und führte fast ein Jahrhundert lang Schiffe sicher heim.'), true)
  assert.equal(looksNonEnglish('Le vieux phare du cap nord fut construit en 1871 et guida les navires pendant presque un siècle entier.'), true)
})

test('one warning naming how many rows and which, only when many look non-English', () => {
  const english = Array.from({length: 18}, (_, row) => ({row, texts: ['What is the capital of France?', 'It is Paris.']}))
  const log = recorder()
  assert.equal(warnIfNotEnglish(log, 'm', [...english, {row: 18, texts: ['Quelle est la capitale ?', '巴黎是法国的首都。']}], 'its keywords are English'), 1)
  // 1 of 19 is under a tenth: no warning.
  assert.deepEqual(log.warnings, [])
  const many = [...english, ...Array.from({length: 7}, (_, i) => ({row: 18 + i, texts: ['Столица Франции?', undefined]}))]
  assert.equal(warnIfNotEnglish(log, 'm', many, 'its keywords are English'), 7)
  assert.deepEqual(log.warnings, ['m: 7 of 25 rows look non-English (rows 18, 19, 20, 21, 22, …); m is English-only: its keywords are English. Their scores may mean little.'])
})

/** fixtures/language/<file>: {lang, text} rows (scripts/fixtures/language.mjs). */
function samples(file: string): Map<string, string[]> {
  const byLanguage = new Map<string, string[]>()
  for (const line of readFileSync(join(FIXTURES, 'language', file), 'utf8').trim().split('\n')) {
    const {lang, text} = JSON.parse(line) as {lang: string; text: string}
    byLanguage.set(lang, [...(byLanguage.get(lang) ?? []), text])
  }
  return byLanguage
}

test('short Latin-script texts: the sample sets, measured (English never flagged)', (t) => {
  for (const [file, least] of [['short-texts.jsonl', 0.8], ['held-out.jsonl', 0.6]] as const) {
    const sets = samples(file)
    const rates: string[] = []
    let caught = 0
    let total = 0
    for (const [lang, texts] of sets) {
      const flagged = texts.filter((text) => looksNonEnglish(text))
      if (lang === 'en') {
        assert.deepEqual(flagged, [], `${file}: English texts flagged`)
        continue
      }
      caught += flagged.length
      total += texts.length
      rates.push(`${lang} ${flagged.length}/${texts.length}`)
      // Each language is caught more often than not: no language rests on the others.
      assert.ok(flagged.length / texts.length >= 0.5, `${file}: ${lang} ${flagged.length}/${texts.length}`)
    }
    assert.equal(sets.size, 8)
    t.diagnostic(`${file}: ${caught}/${total} non-English caught (${rates.join(', ')}); English ${sets.get('en')!.length}/${sets.get('en')!.length} passed`)
    assert.ok(caught / total >= least, `${file}: ${caught}/${total}`)
  }
})

test('function words decide, not single letters, hashes or a borrowed word', () => {
  for (const text of ['Je ne sais pas.', 'No lo sé.', 'Ich weiß es nicht.', 'Saya tidak tahu.', 'Ik weet het niet.', 'Non lo so.', 'Eu não sei.', '¿Sí, claro?'])
    assert.equal(looksNonEnglish(text), true, text)
  for (const text of ['C) or D)', 'They die in the war.', 'El Niño affects the weather.', 'José went to the café.', 'Smith et al. found it.', 'd0fb68bd48af123ee07d823cfa41acbe2ceecebe980dcc3e30bfa63d4662d43e', 'Oui', 'Dan and I went home.'])
    assert.equal(looksNonEnglish(text), false, text)
})

test("the English-only metrics' fixtures pass, except their deliberately non-English rows", () => {
  const files = ['honesty/handmade.jsonl', 'honesty/synthetic.jsonl', 'honesty/judge.jsonl', 'honesty/nonambigqa-sample.jsonl', 'honesty/pkqa-sample.jsonl', 'honesty/puqa-sample.jsonl', 'honesty/mmlu.jsonl', 'alignscore/pairs.jsonl', 'ctc/rows.jsonl', 'profile/supplied.jsonl', 'profile/exact.jsonl', 'exact-match/qa.jsonl']
  const strings = (value: unknown): string[] => (typeof value === 'string' ? [value] : value !== null && typeof value === 'object' ? Object.values(value).flatMap(strings) : [])
  let checked = 0
  for (const file of files) {
    for (const line of readFileSync(join(FIXTURES, file), 'utf8').split('\n')) {
      if (line.trim() === '') continue
      for (const text of strings(JSON.parse(line))) {
        checked++
        // Greek answers (honesty's Unicode cases) and one word repeated (profile's length judges) are meant to be odd.
        if (looksNonEnglish(text)) assert.ok(/\p{Script=Greek}/u.test(text) || /^(\w+)( \1)+$/.test(text), `${file}: ${JSON.stringify(text.slice(0, 120))}`)
      }
    }
  }
  assert.ok(checked > 1000, `${checked} texts`)
})
