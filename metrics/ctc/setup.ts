/**
 * From the params and the packs to one resolved run: which aspects, which aligner kind, which
 * pack serves each of the reference's checkpoints, and each aspect's aggregation and stopword
 * setting. Everything a user can get wrong here is a usage error before any row is scored.
 */
import {usageError} from '../../src/kernel/errors.js'
import type {Logger, MetricEngine} from '../../src/kernel/interfaces/index.js'
import {loadTokenizer} from '../../src/engine/tokenizer/index.js'
import type {Aggregation} from './aggregate.js'
import {DiscriminativeAligner} from './aligners/discriminative.js'
import {EmbeddingAligner} from './aligners/embedding.js'
import {packInfo, packKind, type PackInfo} from './aligners/pack-info.js'
import {RegressionAligner} from './aligners/regression.js'
import type {Aligner} from './aligners/types.js'
import {ASPECT_SPECS, SETTING_CHECKPOINTS, type CheckpointName} from './aspects.js'
import {E_DEFAULT_PACKS, PUBLISHED_BASELINES} from './baselines.js'
import {ASPECTS, type Aspect, type CtcParams} from './schemas.js'
import {stopwords} from './stopwords.js'

export type AlignerKind = 'E' | 'D' | 'R'

export interface AspectSettings {
  /** `none` for R, whose scalar is used as it is. */
  aggregation: Aggregation | 'none'
  stopwords: boolean
}

export interface RunSetup {
  aspects: Aspect[]
  kind: AlignerKind
  /** The aligner as the reference names it: `E-roberta`, `D-cnndm`, or `D`/`R` when the setting is unknown. */
  aligner: string
  aligners: Map<CheckpointName, Aligner>
  /** Pack name serving each checkpoint the aspects use. */
  packs: Partial<Record<CheckpointName, string>>
  settings: Record<string, AspectSettings>
  /** Rescale baseline, when preservation is rescaled. */
  baseline?: {value: number; source: string}
  stopwordSet: ReadonlySet<string>
}

/** The aspects asked for, in the order given, each once. */
export function parseAspects(value: string | readonly string[]): Aspect[] {
  const names = (typeof value === 'string' ? value.split(',') : [...value]).map((s) => s.trim()).filter((s) => s !== '')
  if (names.length === 0) throw usageError('--param aspect is empty.', `Give one or more of ${ASPECTS.join(', ')}, comma-separated.`)
  for (const name of names) {
    if (!(ASPECTS as readonly string[]).includes(name)) throw usageError(`--param aspect: "${name}" is not a CTC aspect.`, `Use one or more of ${ASPECTS.join(', ')}, comma-separated.`)
  }
  return [...new Set(names)] as Aspect[]
}

export function kindOf(aligner: string): AlignerKind {
  return aligner.startsWith('E-') ? 'E' : (aligner[0] as 'D' | 'R')
}

/**
 * Checks that the reference has a checkpoint for every aspect with this D/R setting
 * (configs.py DR_MODEL_LINKS): relevance with D-xsum, say, has none.
 */
export function checkSupport(aligner: string, aspects: readonly Aspect[]): void {
  const setting = /^[DR]-(.+)$/.exec(aligner)?.[1]
  if (setting === undefined) return
  if (setting === 'mix-albert') {
    throw usageError(
      'aligner D-mix-albert is not supported: it needs ALBERT (shared layers, factorised embeddings), which alignctl cannot convert yet, and the reference itself fails on it at its latest commit (its forward reads the RoBERTa attribute the ALBERT branch never sets).',
      'Use D-cnndm or D-xsum for consistency and factual consistency.',
    )
  }
  const available = SETTING_CHECKPOINTS[setting]!
  for (const aspect of aspects) {
    const missing = ASPECT_SPECS[aspect].checkpoints.find((c) => !available.includes(c))
    if (missing === undefined) continue
    const has = Object.entries(SETTING_CHECKPOINTS).filter(([, cs]) => ASPECT_SPECS[aspect].checkpoints.every((c) => cs.includes(c))).map(([s]) => `${aligner[0]}-${s}`)
    throw usageError(
      `aligner ${aligner} cannot compute ${aspect}: the reference has no "${missing}" checkpoint for ${aligner} (it has ${available.join(', ')}).`,
      `Use ${has.filter((s) => s !== 'D-mix-albert').join(' or ')} for ${aspect}, or an E aligner.`,
    )
  }
}

/**
 * The pack (name or folder) serving each checkpoint the aspects use: `--param packs`, else
 * `--model`, else the E aligner's default pack. Usage errors for a setting that has none.
 */
export function packRefs(params: CtcParams, model: string | undefined): Map<CheckpointName, string> {
  const aspects = parseAspects(params.aspect)
  const asked = params.aligner
  if (asked !== undefined) checkSupport(asked, aspects)
  const checkpoints = [...new Set(aspects.flatMap((a) => ASPECT_SPECS[a].checkpoints))]
  const fallback = model ?? (asked === undefined ? E_DEFAULT_PACKS['E-roberta'] : asked.startsWith('E-') ? E_DEFAULT_PACKS[asked as keyof typeof E_DEFAULT_PACKS] : undefined)
  for (const name of Object.keys(params.packs ?? {})) {
    if (!Object.hasOwn(CHECKPOINT_NAMES, name)) throw usageError(`--param packs: "${name}" is not one of the reference's aligner names (${Object.keys(CHECKPOINT_NAMES).join(', ')}).`)
  }
  const refs = new Map<CheckpointName, string>()
  for (const checkpoint of checkpoints) {
    const ref = params.packs?.[checkpoint] ?? fallback
    if (ref === undefined) {
      throw usageError(
        `aligner ${asked}: no pack for the "${checkpoint}" checkpoint. D and R checkpoints cannot be downloaded (the reference's links are dead); convert the reference's ${checkpoint}.ckpt and pass it.`,
        `alignctl models convert --checkpoint ${checkpoint}.ckpt --config config.json --tokenizer tokenizer.json --arch ctc-${asked!.startsWith('D') ? 'd' : 'r'} --out ${checkpoint}, then --model ${checkpoint} (or --param 'packs={"${checkpoint}":"<dir>"}').`,
      )
    }
    refs.set(checkpoint, ref)
  }
  return refs
}

export async function resolveSetup(params: CtcParams, engine: MetricEngine, model: string | undefined, logger: Logger): Promise<RunSetup> {
  const aspects = parseAspects(params.aspect)
  const asked = params.aligner
  const refs = packRefs(params, model)
  const loaded = new Map<string, PackInfo>()
  const models = new Map<string, Awaited<ReturnType<MetricEngine['load']>>>()
  for (const ref of new Set(refs.values())) {
    const m = await engine.load(ref)
    models.set(ref, m)
    loaded.set(ref, packInfo(m))
  }
  const kinds = new Set([...loaded.values()].map(packKind))
  if (kinds.size > 1) throw usageError(`The packs given mix aligner kinds (${[...loaded.values()].map((p) => `${p.name}: ${p.task}`).join(', ')}); one run uses one kind of aligner.`)
  const kind = [...kinds][0]!
  const aligner = resolveAlignerName(asked, kind, [...loaded.values()])

  const settings: Record<string, AspectSettings> = {}
  for (const aspect of aspects) {
    const spec = ASPECT_SPECS[aspect]
    settings[aspect] = kind === 'R' ? {aggregation: 'none', stopwords: false} : {aggregation: params.aggregation ?? spec.aggregation, stopwords: params.stopwords ?? spec.stopwords}
  }
  if (kind === 'R' && (params.aggregation !== undefined || params.stopwords !== undefined)) {
    logger.warn('ctc: the R aligner gives one score per pair, so aggregation and stopwords have no effect (as in the reference).')
  }

  let baseline: RunSetup['baseline']
  if (params.rescale) {
    if (kind !== 'E') throw usageError(`--param rescale=true: the reference rescales only E aligner scores, and this run uses ${aligner}.`, 'Leave rescale out, or use an E aligner.')
    if (!aspects.includes('preservation')) logger.warn('ctc: rescale applies only to preservation (as in the reference); no aspect of this run is rescaled.')
    else baseline = baselineFor(params, aligner, refs.get('sent_to_sent')!, loaded.get(refs.get('sent_to_sent')!)!)
  }

  const aligners = new Map<CheckpointName, Aligner>()
  const byRef = new Map<string, Aligner>()
  for (const [checkpoint, ref] of refs) {
    let built = byRef.get(ref)
    if (built === undefined) {
      const info = loaded.get(ref)!
      const m = models.get(ref)!
      built =
        kind === 'E'
          ? new EmbeddingAligner(m, loadTokenizer(info.tokenizer), {roberta: info.architecture === 'roberta', prefixSpace: params.prefixSpace, decodeCleanup: params.decodeCleanup})
          : kind === 'D'
            ? new DiscriminativeAligner(m, loadTokenizer(info.tokenizer), {cleantext: params.cleantext, decodeCleanup: params.decodeCleanup})
            : new RegressionAligner(m)
      byRef.set(ref, built)
    }
    aligners.set(checkpoint, built)
  }
  const packs: RunSetup['packs'] = {}
  for (const [checkpoint, ref] of refs) packs[checkpoint] = loaded.get(ref)!.name
  if (kind !== 'E' && new Set(refs.values()).size < refs.size) {
    logger.warn(`ctc: one pack serves several of the reference's checkpoints (${[...refs.keys()].join(', ')}); the reference trains one per aligner name. Give the others with --param 'packs={"<name>":"<dir>"}'.`)
  }
  return {aspects, kind, aligner, aligners, packs, settings, ...(baseline === undefined ? {} : {baseline}), stopwordSet: stopwords(params.stopwordList)}
}

const CHECKPOINT_NAMES: Record<CheckpointName, true> = {doc_to_summ: true, summ_to_ref: true, sent_to_sent: true, fact_to_response: true, fact_history_to_response: true}

/** The aligner's name: the param when given (checked against the packs), else what the packs are. */
function resolveAlignerName(asked: string | undefined, kind: AlignerKind, packs: readonly PackInfo[]): string {
  if (asked !== undefined) {
    if (kindOf(asked) !== kind) throw usageError(`--param aligner=${asked}, but ${packs.map((p) => p.name).join(', ')} ${packs.length > 1 ? 'are' : 'is'} ${kind === 'E' ? 'an' : 'a'} ${kind} aligner pack (converted with --arch ctc-${kind.toLowerCase()}).`, `Use --param aligner=${kind}, or a pack of the kind asked for.`)
    if (kind === 'E') {
      const want = asked === 'E-bert' ? 'bert' : 'roberta'
      const wrong = packs.find((p) => p.architecture !== want)
      if (wrong !== undefined) throw usageError(`--param aligner=${asked}, but ${wrong.name} is a ${wrong.architecture} pack.`, `Use the pack of ${asked}, or leave --param aligner out.`)
    }
    return asked
  }
  if (kind !== 'E') return kind
  const pack = packs[0]!
  const published = PUBLISHED_BASELINES.find((b) => pack.repo !== undefined && b.repos.includes(pack.repo))
  if (published !== undefined) return published.aligner
  return pack.architecture === 'bert' ? 'E-bert' : 'E-roberta'
}

function baselineFor(params: CtcParams, aligner: string, ref: string, pack: PackInfo): {value: number; source: string} {
  if (params.baseline !== undefined) return {value: params.baseline, source: 'param'}
  const published = PUBLISHED_BASELINES.find((b) => b.aligner === aligner && (pack.repo === undefined || b.repos.includes(pack.repo)))
  if (published !== undefined && published.layer === pack.layer) return {value: published.baseline, source: `bert_score ${published.model} layer ${published.layer}`}
  throw usageError(
    `--param rescale=true: no published baseline for pack ${ref} (${pack.architecture}, layer ${pack.layer ?? '?'}${pack.repo === undefined ? '' : `, ${pack.repo}`}); bert_score publishes them for bert-base-uncased layer 9, roberta-large layer 17 and roberta-large-mnli layer 9.`,
    'Give one with --param baseline=<B>, or use one of those packs.',
  )
}
