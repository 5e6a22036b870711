/**
 * The download cache of a known model (`<cache>/downloads/<name>/`): the hub files `models pull`
 * fetched, and `downloads.json`, what each was checked against when it arrived and its sha256
 * and size then. Every later use checks a file against that record (or the pinned sha256), so
 * a file damaged on disk is found, named and fetched again rather than converted.
 */
import {existsSync} from 'node:fs'
import {readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {inputError} from '../kernel/errors.js'
import {writeFileAtomically} from '../kernel/write-files.js'
import {openCheckpoint} from './checkpoint/index.js'
import {downloadsDir} from './cache.js'
import {sha256File, type DownloadResult, type HubChecksum} from './hub.js'
import type {KnownModel} from './known.js'

export const DOWNLOAD_RECORD = 'downloads.json'

/** One hub file of a known model, where it comes from and what it must hash to when pinned. */
export interface ModelFile {
  repo: string
  revision: string
  file: string
  sha256?: string
}

/** What `downloads.json` keeps for a file. */
export interface DownloadRecordEntry {
  repo: string
  revision: string
  sha256: string
  size: number
  checkedAgainst: HubChecksum
}

export type DownloadRecord = Record<string, DownloadRecordEntry>

/** The three files `models pull` fetches for a known model. */
export function modelFiles(model: KnownModel): ModelFile[] {
  return [
    {repo: model.weights.repo, revision: model.weights.revision, file: model.weights.file, ...(model.weights.sha256 === undefined ? {} : {sha256: model.weights.sha256})},
    {repo: model.base.repo, revision: model.base.revision, file: 'config.json'},
    {repo: model.base.repo, revision: model.base.revision, file: 'tokenizer.json'},
  ]
}

export function downloadFolder(name: string): string {
  return join(downloadsDir(), name)
}

export async function readDownloadRecord(folder: string): Promise<DownloadRecord> {
  try {
    const value = JSON.parse(await readFile(join(folder, DOWNLOAD_RECORD), 'utf8')) as {files?: DownloadRecord}
    return value.files !== null && typeof value.files === 'object' ? value.files : {}
  } catch {
    // None yet, or damaged: every file then counts as unrecorded, and is hashed and reported.
    return {}
  }
}

export async function writeDownloadRecord(folder: string, files: DownloadRecord): Promise<void> {
  await writeFileAtomically(join(folder, DOWNLOAD_RECORD), JSON.stringify({schema: 'alignctl.downloads/v1', files}, null, 2) + '\n', {
    what: 'the download record',
    elsewhere: 'set ALIGNCTL_HOME to a folder on another disk',
  })
}

export function recordEntry(file: ModelFile, result: DownloadResult): DownloadRecordEntry {
  return {repo: file.repo, revision: file.revision, sha256: result.sha256, size: result.size, checkedAgainst: result.checkedAgainst}
}

/** What checking a cached file found. */
export type CachedFileState =
  | {state: 'ok'; entry: DownloadRecordEntry}
  /** No pin and no record (copied in by hand): hashed, with nothing to compare to. */
  | {state: 'unrecorded'; entry: DownloadRecordEntry}
  | {state: 'damaged'; why: string}

/**
 * Checks a file in the download cache against its pin or record, then its content: config.json
 * and tokenizer.json must parse, and a checkpoint's header must fit its size (safetensors
 * ranges, the zip directory of a torch file).
 */
export async function checkCachedFile(folder: string, file: ModelFile, record: DownloadRecord): Promise<CachedFileState> {
  const path = join(folder, file.file)
  const size = (await stat(path)).size
  const recorded = record[file.file]
  const known = recorded !== undefined && recorded.repo === file.repo && recorded.revision === file.revision ? recorded : undefined
  if (known !== undefined && known.size !== size) return {state: 'damaged', why: `${size} bytes where ${known.size} were downloaded`}
  const sha256 = await sha256File(path)
  const expected = file.sha256 ?? known?.sha256
  if (expected !== undefined && sha256 !== expected) return {state: 'damaged', why: `sha256 ${sha256} where ${file.sha256 !== undefined ? 'alignctl pins' : 'the download had'} ${expected}`}
  const why = await contentProblem(path, file.file)
  if (why !== undefined) return {state: 'damaged', why}
  const entry: DownloadRecordEntry = known ?? {repo: file.repo, revision: file.revision, sha256, size, checkedAgainst: file.sha256 !== undefined ? 'pinned' : 'none'}
  return {state: expected === undefined ? 'unrecorded' : 'ok', entry}
}

async function contentProblem(path: string, name: string): Promise<string | undefined> {
  if (name.endsWith('.json')) {
    try {
      JSON.parse(await readFile(path, 'utf8'))
      return undefined
    } catch (error) {
      return `not valid JSON (${(error as Error).message})`
    }
  }
  try {
    const store = await openCheckpoint(path)
    await store.close()
    return undefined
  } catch (error) {
    return (error as Error).message.replace(`${path}: `, '')
  }
}

/**
 * `models verify` for a known model's download cache: each file there is checked, and the
 * first damaged one is an error naming it and `models pull --force`. Returns the files checked.
 */
export async function verifyDownloads(model: KnownModel): Promise<string[]> {
  const folder = downloadFolder(model.name)
  if (!existsSync(folder)) return []
  const record = await readDownloadRecord(folder)
  const checked: string[] = []
  for (const file of modelFiles(model)) {
    const path = join(folder, file.file)
    if (!existsSync(path)) continue
    const found = await checkCachedFile(folder, file, record)
    if (found.state === 'damaged') {
      throw inputError(`${path}: the cached download of ${file.repo}/${file.file} is damaged: ${found.why}.`, `Fetch it again with \`alignctl models pull ${model.name} --force\`.`)
    }
    checked.push(path)
  }
  return checked
}
