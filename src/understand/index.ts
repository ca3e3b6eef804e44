/**
 * Understanding what citizens type, with no I/O: questions in plain Italian or English, lists of places
 * to follow, quiet hours, English and other foreign names of Italian places, and "did you mean".
 */
export { EXONYMS, italianName } from "./exonyms.js";
export { type CommandList, type CommandListOptions, type FollowTarget, parseCommandList } from "./lists.js";
export { type MatchQuality, parseQuestion, type Question, resolveSubject } from "./question.js";
export {
  formatQuietWindow,
  isQuietAt,
  parseQuietHours,
  type QuietHours,
  type QuietHoursError,
  type QuietHoursResult,
  type QuietOff,
  type QuietWindow,
  quietHoursErrorText,
} from "./quiet.js";
export {
  isFar,
  maxSuggestionDistance,
  rankSuggestions,
  type SuggestionCandidate,
  type SuggestionKind,
  type SuggestionTextOptions,
  suggestionText,
} from "./suggest.js";
export { fold, foldKey, type Token, tokenize, wordDistance } from "./text.js";
export type { Intent, PlaceKind } from "./vocabulary.js";
