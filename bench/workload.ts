/**
 * The benchmark's workload (issue 3): AlignScore-style examples with claims of 1 to 4
 * sentences and contexts of 30 to 1,500 words, half of them under 300, made of common English
 * words so that byte-level BPE gives realistic token counts. Seeded: every run is the same.
 */
import {createRandom} from '../src/kernel/stats/random.js'

const WORDS = `the of and to in a is that for it as was with be by on not he I this are or his from at which but
have an they you were her she there been one all we their has would when if so no what up out said about
who more can other its into some could them time than first then only two these may like also new any after
people made over did most many world very should where through years work way even because much those while
state between under during however government company market report study data results model system
evidence information analysis process development health research policy public local national million
percent according officials president city court police school students water energy climate economic
production growth increase decline season team players coach league match victory record history
century war army river mountain island species population disease treatment patients hospital doctors`.split(/\s+/)

export interface Example {
  context: string
  claim: string
}

function sentence(random: ReturnType<typeof createRandom>, words: number): string {
  const picked = Array.from({length: words}, () => WORDS[Math.floor(random.next() * WORDS.length)]!)
  picked[0] = picked[0]!.charAt(0).toUpperCase() + picked[0]!.slice(1)
  // A comma now and then, and a number, as in news text.
  if (words > 8) picked[Math.floor(words / 2)] += ','
  if (random.next() < 0.3) picked[words - 1] = String(Math.floor(random.next() * 2000))
  return `${picked.join(' ')}.`
}

function paragraph(random: ReturnType<typeof createRandom>, targetWords: number): string {
  const sentences: string[] = []
  let words = 0
  while (words < targetWords) {
    const n = Math.min(8 + Math.floor(random.next() * 18), Math.max(3, targetWords - words))
    sentences.push(sentence(random, n))
    words += n
  }
  return sentences.join(' ')
}

export function makeWorkload(examples: number, seed = 7): Example[] {
  const random = createRandom(seed)
  return Array.from({length: examples}, (_, i) => {
    // Half the contexts under 300 words, the rest up to 1,500.
    const contextWords = i % 2 === 0 ? 30 + Math.floor(random.next() * 270) : 300 + Math.floor(random.next() * 1200)
    const claimSentences = 1 + Math.floor(random.next() * 4)
    const claim = Array.from({length: claimSentences}, () => sentence(random, 8 + Math.floor(random.next() * 14))).join(' ')
    return {context: paragraph(random, contextWords), claim}
  })
}
