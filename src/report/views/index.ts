import {registerMetricView} from '../metric-view.js'
import {alignscoreView} from './alignscore.js'
import {honestyView} from './honesty.js'
import {ratingRankingView} from './rating-ranking.js'

/** The views of the built-in metrics, by metric id. */
registerMetricView('alignscore', alignscoreView)
registerMetricView('honesty', honestyView)
registerMetricView('rating-ranking', ratingRankingView)
