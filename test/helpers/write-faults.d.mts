/** A fault for {@link setWriteFault}: writes to paths matching `match` (a RegExp source) fail with `code` after `afterBytes` bytes. */
export interface WriteFault {
  match: string
  afterBytes: number
  code: string
}

export function setWriteFault(fault: WriteFault | null): void
