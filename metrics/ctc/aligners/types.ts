/** What every CTC aligner does: score the input text's tokens (or the pair) against a context. */
export interface AlignRequest {
  input: string
  context: string
  /** Field names for messages: `summary`, `document`. */
  inputField: string
  contextField: string
}

/** A token (E: one decoded sub-word id; D: one whitespace word) and how well the context supports it. */
export interface TokenScore {
  text: string
  score: number
}

/** E and D give token scores; R one scalar for the pair; any may fail for a row with a reason. */
export type AlignOutcome = {tokens: TokenScore[]} | {scalar: number} | {error: string}

export interface Aligner {
  readonly kind: 'E' | 'D' | 'R'
  /** One outcome per request, in order; the requests go to the engine together. */
  align(requests: readonly AlignRequest[], signal: AbortSignal): Promise<AlignOutcome[]>
}

