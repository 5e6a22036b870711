/**
 * Shared statistics for metrics: descriptive statistics, rank correlations as scipy computes
 * them, a seeded generator and bootstrap intervals. Plain arrays in, numbers out; undefined
 * results are NaN (the caller turns them into null for reports).
 */
export {mean, normalMeanInterval, sem, std, variance, type Interval} from './descriptive.js'
export {averageRanks} from './ranks.js'
export {kendallTauB, pearson, spearman} from './correlation.js'
export {createRandom, type Random} from './random.js'
export {bootstrapDistribution, bootstrapInterval, pairedMeanDifference, percentileInterval, quantile, type BootstrapOptions} from './bootstrap.js'
export {balancedAccuracy, predictAbove, rocAuc, tuneThreshold} from './classification.js'
export {softmax} from './softmax.js'
