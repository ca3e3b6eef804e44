/** The newsroom's actions waiting for the editor's confirmation (the preview's buttons). */
import type { ComuneCode } from "../../data/model.js";
import type { Html } from "../../format/html.js";
import type { Lang } from "../../i18n/index.js";

/** A newsroom action waiting for the editor's confirmation (the preview's buttons). */
export type DraftKind = "publish" | "correct" | "withdraw";

export interface NewDraft {
  kind: DraftKind;
  /** The editor who asked; only they may confirm. */
  userId: number;
  /** Where the preview was shown (the editor's private chat). */
  chatId: number;
  lang: Lang;
  text: string;
  /** The formatting's HTML, as in NewBulletin. */
  html?: Html;
  comuni: ComuneCode[];
  /** The bulletin a correction or withdrawal is about (its seq). */
  target?: number;
  createdAt: number;
  expiresAt: number;
}

export interface Draft extends NewDraft {
  id: number;
  /** The preview's message, once shown. */
  messageId?: number;
  state: "open" | "done" | "cancelled" | "expired";
  /** What confirming made: the bulletin's seq, or the amendment's id. */
  result?: number;
}

/** Confirming or cancelling a draft: done now, or why not (the draft as it stands, expired included). */
export type DraftSettlement = { ok: true; draft: Draft; result?: number } | { ok: false; draft: Draft | undefined };

export interface DraftRepository {
  createDraft(d: NewDraft): Promise<Draft>;
  draft(id: number): Promise<Draft | undefined>;
  setDraftMessage(id: number, messageId: number): Promise<void>;
  /** The comuni of an open draft, as the editor settled its tags (which Castro). */
  setDraftComuni(id: number, comuni: readonly ComuneCode[]): Promise<void>;
  /**
   * Closes an open draft as done (running `act`, in the same transaction, for what it makes) or
   * cancelled. A draft already closed, or past its expiry (then marked expired), is left as it is.
   * Drafts a day old are forgotten.
   */
  settleDraft(
    id: number,
    now: number,
    to: "done" | "cancelled",
    act?: (d: Draft) => Promise<number | undefined>,
  ): Promise<DraftSettlement>;
}
