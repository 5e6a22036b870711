/**
 * Function words (articles, pronouns, prepositions, conjunctions, auxiliaries, negations)
 * of English and of a few languages written in the Latin script, for telling short texts
 * apart ({@link looksNonEnglish}). Hand-picked, not from a corpus: a word goes into another
 * language's list only if it is not an ordinary English word (no German `die`, `hat`,
 * `man`, French `son`, `pour`, Spanish `con`, Italian `come`, `per`, Portuguese `um`, Dutch `er`), unless it is in the English
 * list too, where it counts for both and so cannot tip a text away from English. Elisions
 * are split at the apostrophe (French `c'est` → `c`, `est`).
 */
export const ENGLISH_WORDS: ReadonlySet<string> = new Set([
  'the', 'of', 'and', 'to', 'a', 'in', 'is', 'it', 'that', 'for', 'was', 'on', 'are', 'with', 'as', 'i', 'he', 'she', 'they',
  'be', 'at', 'by', 'this', 'have', 'from', 'or', 'an', 'not', 'but', 'what', 'you', 'we', 'his', 'her', 'which', 'their',
  'has', 'were', 'there', 'been', 'can', 'will', 'do', 'does', 'did', 'no', 'yes', 'so', 'if', 'who', 'how', 'my', 'its', 'me',
  'am', 'all', 'any', 'about', 'would', 'then', 'than', 'them', 'these', 'those', 'some', 'into', 'out', 'up', 'our', 'your',
  'him', 'us', 'when', 'where', 'why', 'could', 'should', 'one', 'two', 'just', 'also', 'only', 'very', 'more', 'most', 'other',
  'because', 'after', 'before', 'over', 'under', 'may', 'must', 'had', 'said', 'like', 'know', 'think', 'sure', 'don', 't', 's',
  'm', 're', 've', 'll', 'd', 'here', 'now', 'many', 'much', 'each', 'both', 'such', 'own', 'same', 'between', 'through',
])

export const OTHER_LANGUAGES: Readonly<Record<string, ReadonlySet<string>>> = {
  fr: new Set([
    'le', 'la', 'les', 'des', 'du', 'une', 'un', 'et', 'est', 'que', 'qui', 'qu', 'pas', 'ne', 'je', 'j', 'c', 'l', 'nous', 'vous',
    'ils', 'elle', 'elles', 'dans', 'sur', 'avec', 'ce', 'cette', 'ces', 'au', 'aux', 'mais', 'ou', 'où', 'très', 'sont', 'être',
    'été', 'il', 'y', 'en', 'sais', 'suis', 'sa', 'ses', 'leur', 'par', 'comme', 'quelle', 'quel', 'oui',
  ]),
  de: new Set([
    'der', 'das', 'und', 'ist', 'nicht', 'ich', 'ein', 'eine', 'einen', 'einem', 'zu', 'mit', 'auf', 'für', 'von', 'dem', 'des',
    'sich', 'es', 'wir', 'sie', 'auch', 'wie', 'aber', 'oder', 'noch', 'nur', 'bei', 'nach', 'sehr', 'kann', 'weiß', 'weiss',
    'habe', 'haben', 'sind', 'wird', 'vom', 'zum', 'zur', 'kein', 'keine', 'ja', 'nein', 'ob', 'dass', 'wer', 'wo', 'warum',
    'welche', 'welcher', 'gibt', 'hauptstadt', 'was', 'in', 'so', 'wurde', 'wurden', 'werden', 'worden',
  ]),
  es: new Set([
    'el', 'la', 'los', 'las', 'del', 'que', 'qué', 'por', 'para', 'una', 'uno', 'es', 'está', 'están', 'pero', 'muy', 'sí', 'cómo',
    'lo', 'se', 'su', 'sus', 'al', 'y', 'en', 'de', 'yo', 'sé', 'cuál', 'dónde', 'quién', 'porque', 'también', 'hay', 'ser',
    'fue', 'este', 'esta', 'eso', 'no', 'ni', 'mi', 'tu', 'nos', 'le', 'les', 'estoy', 'estamos', 'somos', 'soy', 'eres',
  ]),
  pt: new Set([
    'os', 'uma', 'não', 'para', 'por', 'que', 'do', 'da', 'dos', 'das', 'em', 'na', 'nas', 'nos', 'é', 'eu', 'ele', 'ela', 'muito',
    'mas', 'como', 'são', 'está', 'isso', 'isto', 'de', 'e', 'se', 'seu', 'sua', 'qual', 'onde', 'quem', 'porque', 'também', 'sei',
    'foi', 'ser', 'tem', 'há', 'ao', 'aos', 'pelo', 'pela', 'você', 'sim', 'no', 'o', 'num', 'numa', 'eles', 'elas', 'estou',
    'estamos', 'tenho',
  ]),
  it: new Set([
    'il', 'lo', 'gli', 'della', 'delle', 'dello', 'che', 'di', 'è', 'sono', 'una', 'un', 'con', 'del', 'mi', 'ti', 'ci', 'ma',
    'anche', 'questo', 'questa', 'molto', 'perché', 'non', 'e', 'la', 'le', 'si', 'io', 'lei', 'lui', 'noi', 'voi', 'loro',
    'qual', 'quale', 'dove', 'chi', 'cosa', 'so', 'nel', 'nella', 'alla', 'al', 'da', 'hanno', 'sì', 'in', 'a', 'sul',
    'sulla', 'dei', 'degli', 'siamo', 'ho', 'hai', 'sei',
  ]),
  nl: new Set([
    'het', 'een', 'niet', 'ik', 'je', 'dat', 'wat', 'zijn', 'voor', 'op', 'maar', 'ook', 'bij', 'naar', 'dit', 'weet', 'geen',
    'de', 'en', 'is', 'in', 'met', 'hij', 'zij', 'wij', 'ze', 'nog', 'wel', 'hoe', 'waar', 'wie', 'welke', 'heeft',
    'hebben', 'kan', 'ben', 'om', 'te', 'uit', 'aan', 'dan', 'hoofdstad', 'ja', 'nee',
  ]),
  id: new Set([
    'yang', 'di', 'ke', 'dari', 'ini', 'itu', 'dengan', 'untuk', 'tidak', 'adalah', 'pada', 'saya', 'akan', 'sudah', 'juga',
    'atau', 'ada', 'karena', 'bisa', 'apa', 'kami', 'kita', 'mereka', 'dia', 'ia', 'dan', 'tahu', 'siapa', 'mana', 'bagaimana',
    'berapa', 'kapan', 'mengapa', 'ibu', 'kota', 'negara', 'sebuah', 'oleh', 'dalam', 'belum', 'tentang', 'ya', 'tahun',
    'kamu', 'aku', 'sangat', 'telah', 'tersebut', 'bukan',
  ]),
}
