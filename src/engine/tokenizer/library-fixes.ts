/**
 * Where @huggingface/tokenizers 0.2.0 (the pure-JS port) encodes differently from the Rust
 * `tokenizers` crate that defines tokenizer.json semantics, and the fixes we apply to a
 * loaded instance. Each fix is checked by the parity fixtures (fixtures/tokenizers/).
 *
 * 1. ByteLevel pre-tokenizer: the GPT-2 pattern uses JavaScript's `\s`, which includes
 *    U+FEFF and lacks U+0085; the Rust crate compiles it with Oniguruma, whose `\s` is the
 *    Unicode White_Space set. Fix: the same pattern over `\p{White_Space}`.
 * 2. Lowercasing (BertNormalizer, Lowercase): `String.prototype.toLowerCase` turns a final
 *    capital sigma into ς; Rust lowercases one character at a time (Σ → σ always).
 * 3. BertNormalizer, handle_chinese_chars: the port walks UTF-16 code units, so ideographs
 *    outside the BMP (CJK Extension B and later) get no spaces around them; its
 *    unassigned-code-point (Cn) check is missing from clean_text; and it strips accents
 *    after lowercasing, where Rust strips them before. Fix: our own BertNormalizer.
 * 4. StripAccents removes every mark (\p{M}); Rust removes nonspacing marks (Mn) only.
 * 5. BertPreTokenizer splits on JavaScript's `\s`; Rust on White_Space (this matters only
 *    with clean_text off, since clean_text already maps whitespace to spaces).
 * Not patched here but avoided by our own layer: the port's RobertaProcessing gives the
 * second text type id 1 (Rust: 0), and `encode(text, {text_pair: ''})` drops an empty
 * second text (Rust keeps `<s> A </s></s></s>`). We encode each text alone and add special
 * tokens ourselves (template.ts).
 */
import {
  BertNormalizer,
  BertPreTokenizer,
  ByteLevelPreTokenizer,
  type Constructor,
  LowercaseNormalizer,
  type PortNormalizer,
  type PortPreTokenizer,
  type PortTokenizer,
  SequenceNormalizer,
  SequencePreTokenizer,
  StripAccentsNormalizer,
} from './port.js'

// The patterns 0.2.0 ships; a fix is applied only to the exact pattern it was written for.
const PORT_BYTE_LEVEL_PATTERN = String.raw`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
const BYTE_LEVEL_PATTERN = new RegExp(
  String.raw`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\p{White_Space}\p{L}\p{N}]+|\p{White_Space}+(?!\P{White_Space})|\p{White_Space}+`,
  'gu',
)
const BERT_PUNCTUATION = String.raw`\p{P}\u0021-\u002F\u003A-\u0040\u005B-\u0060\u007B-\u007E`
const PORT_BERT_PRE_TOKENIZER_PATTERN = String.raw`[^\s${BERT_PUNCTUATION}]+|[${BERT_PUNCTUATION}]`
const BERT_PRE_TOKENIZER_PATTERN = new RegExp(String.raw`[^\p{White_Space}${BERT_PUNCTUATION}]+|[${BERT_PUNCTUATION}]`, 'gu')

/** Names of the fixes applied, for diagnostics (`alignctl doctor`, tests). */
export type LibraryFix = 'byte-level-whitespace' | 'bert-normalizer' | 'lowercase-per-character' | 'strip-nonspacing-marks' | 'bert-pre-tokenizer-whitespace'

/** Applies the fixes above to a freshly built tokenizer, in place; returns which applied. */
export function applyLibraryFixes(tokenizer: PortTokenizer): LibraryFix[] {
  const applied = new Set<LibraryFix>()
  if (tokenizer.normalizer) tokenizer.normalizer = fixNormalizer(tokenizer.normalizer, applied)
  if (tokenizer.pre_tokenizer) fixPreTokenizer(tokenizer.pre_tokenizer, applied)
  return [...applied]
}

function fixNormalizer(normalizer: PortNormalizer, applied: Set<LibraryFix>): PortNormalizer {
  if (normalizer instanceof SequenceNormalizer) {
    normalizer.normalizers = normalizer.normalizers.map((n) => (n ? fixNormalizer(n, applied) : n))
    return normalizer
  }
  // Exact class match: our replacements subclass the port's classes.
  const fix = NORMALIZER_FIXES.find(([portClass]) => Object.getPrototypeOf(normalizer) === portClass.prototype)
  if (!fix) return normalizer
  const [, Replacement, name] = fix
  applied.add(name)
  return new Replacement(normalizer.config)
}

function fixPreTokenizer(preTokenizer: PortPreTokenizer, applied: Set<LibraryFix>): void {
  if (preTokenizer instanceof SequencePreTokenizer) {
    for (const inner of preTokenizer.tokenizers) if (inner) fixPreTokenizer(inner, applied)
  } else if (preTokenizer instanceof ByteLevelPreTokenizer && preTokenizer.pattern.source === PORT_BYTE_LEVEL_PATTERN) {
    preTokenizer.pattern = BYTE_LEVEL_PATTERN
    applied.add('byte-level-whitespace')
  } else if (preTokenizer instanceof BertPreTokenizer && preTokenizer.pattern.source === PORT_BERT_PRE_TOKENIZER_PATTERN) {
    preTokenizer.pattern = BERT_PRE_TOKENIZER_PATTERN
    applied.add('bert-pre-tokenizer-whitespace')
  }
}

// Rust's is_control: categories Cc, Cf, Cs, Co and Cn, except tab, newline and return,
// which count as whitespace. NUL and U+FFFD are dropped too.
const BERT_DROPPED = /[\0\uFFFD]|(?![\t\n\r])[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/gu
const WHITE_SPACE = /\p{White_Space}/gu
// tokenizers' is_chinese_char, by code point.
const CJK_IDEOGRAPH =
  /[\u{4E00}-\u{9FFF}\u{3400}-\u{4DBF}\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B920}-\u{2CEAF}\u{F900}-\u{FAFF}\u{2F800}-\u{2FA1F}]/gu
const NONSPACING_MARK = /\p{Mn}/gu

/** Lowercase one character at a time, as Rust's `char::to_lowercase`: Σ is always σ. */
export function lowercasePerCharacter(text: string): string {
  // Final_Sigma is the only context-dependent rule of toLowerCase; pre-mapping Σ avoids it.
  return (text.includes('Σ') ? text.replaceAll('Σ', 'σ') : text).toLowerCase()
}

/** BertNormalizer exactly as tokenizers' normalizers/bert.rs orders and defines its steps. */
class RustBertNormalizer extends BertNormalizer {
  override normalize(text: string): string {
    // Rust requires every field in tokenizer.json; when one is absent we take its Default.
    const option = (name: string) => (typeof this.config[name] === 'boolean' ? (this.config[name] as boolean) : undefined)
    const lowercase = option('lowercase') ?? true
    if (option('clean_text') ?? true) text = text.replace(BERT_DROPPED, '').replace(WHITE_SPACE, ' ')
    if (option('handle_chinese_chars') ?? true) text = text.replace(CJK_IDEOGRAPH, ' $& ')
    if (option('strip_accents') ?? lowercase) text = text.normalize('NFD').replace(NONSPACING_MARK, '')
    if (lowercase) text = lowercasePerCharacter(text)
    return text
  }
}

class RustLowercase extends LowercaseNormalizer {
  override normalize(text: string): string {
    return lowercasePerCharacter(text)
  }
}

class RustStripAccents extends StripAccentsNormalizer {
  override normalize(text: string): string {
    return text.replace(NONSPACING_MARK, '')
  }
}

// Port class, its replacement, and the fix's name.
const NORMALIZER_FIXES: ReadonlyArray<[Constructor<PortNormalizer>, Constructor<PortNormalizer>, LibraryFix]> = [
  [BertNormalizer, RustBertNormalizer, 'bert-normalizer'],
  [LowercaseNormalizer, RustLowercase, 'lowercase-per-character'],
  [StripAccentsNormalizer, RustStripAccents, 'strip-nonspacing-marks'],
]
