export * from './types';
export { TaskEngine, RECORD_SUFFIX, RECORD_SCHEMA, type EngineLimits, type TaskEngineOptions } from './engine';
export { InputError, prepareInput, checkLocalFile, substituteUploads, localPathOf, PLACEHOLDER_ORIGIN } from './inputs';
export { Journal, JOURNAL_FILE, JOURNAL_PREVIOUS, type JournalLoad } from './journal';
export { TokenBucket, type Grant, type TokenBucketOptions } from './budget';
export { PollScheduler, type PollOutcome, type ScheduledTask, type SchedulerOptions } from './scheduler';
export {
  DEFAULT_POLICY, DurationStats, nextPollDelay, finishDistribution, blendedDistribution, logNormalOf, quantileSeconds, normalQuantile,
  type DurationPrior, type LearntDuration, type PollPolicyOptions, type PollState, type LogNormal,
} from './policy';
export { realClock, VirtualClock, sleepOn, type Clock } from './clock';
export { DownloadError, downloadToTemp, kindMatches, type DownloadRequest, type DownloadResult } from './download';
export { placeExclusive, writeExclusive, candidateName } from './place';
export {
  assetsDir, categoryDir, partialDir, outputBaseName, expandPattern, safeBaseName, safeExtension, slugify, shortModelName, promptOf, isInside,
  UnsafePathError, DEFAULT_ASSETS_FOLDER, DEFAULT_PATTERN, PARTIAL_FOLDER, type NameVars,
} from './naming';
