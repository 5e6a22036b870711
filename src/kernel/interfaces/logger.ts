/** Where metrics and services write human-readable lines. Quiet under `--json`. */
export interface Logger {
  info(message: string): void
  warn(message: string): void
  debug(message: string): void
}
