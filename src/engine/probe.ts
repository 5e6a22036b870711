import type {EnginePool} from './pool.js'
import type {ProbeOutcome, ProbeResult, SessionSpec} from './protocol.js'
import type {ProviderChoice} from './providers.js'

/** No execution provider in the list could create a session for the model. */
export class ProviderLoadError extends Error {
  constructor(
    readonly model: string,
    /** Each provider tried, in order, with ONNX Runtime's reason. */
    readonly fallbacks: ProviderChoice['fallbacks'],
  ) {
    super(`No execution provider could load ${model} (${fallbacks.map((f) => `${f.provider}: ${f.reason}`).join('; ')})`)
    this.name = 'ProviderLoadError'
  }
}

/** Opens (or reuses) a session in a worker and describes its graph; throws {@link ProviderLoadError} when no provider can. */
export async function probeSession(pool: EnginePool, session: SessionSpec, label: string): Promise<ProbeResult> {
  const outcome = await pool.run<ProbeOutcome>({probe: true, session}, label)
  if ('loadFailure' in outcome) throw new ProviderLoadError(outcome.loadFailure.model, outcome.loadFailure.fallbacks)
  return outcome
}
