// Generated from api-schema/asyncapi.json by clients/typescript/scripts/generate.mjs (make client).
// Do not edit by hand.

export type paths = Record<string, never>;
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description The author of an event or a message, as stored and shown. */
        Actor: {
            id: components["schemas"]["UserId"];
            /** @enum {string} */
            type: "user";
        } | {
            id: components["schemas"]["BotId"];
            /** @enum {string} */
            type: "bot";
        } | {
            id?: null | components["schemas"]["CustomerId"];
            /** @enum {string} */
            type: "customer";
        } | {
            id: components["schemas"]["ChannelId"];
            /** @enum {string} */
            type: "channel";
        } | {
            /** @enum {string} */
            type: "system";
        };
        ActorOut: {
            /** Format: uuid */
            id?: string | null;
            name?: string | null;
            type: string;
        };
        /** @description A file attached to a message; the bytes live in the file store under `file_id`. */
        Attachment: {
            file_id: components["schemas"]["FileId"];
            /** Format: int32 */
            height?: number | null;
            kind: components["schemas"]["AttachmentKind"];
            mime: string;
            name: string;
            /** Format: int64 */
            size: number;
            /** Format: int32 */
            width?: number | null;
        };
        /** @enum {string} */
        AttachmentKind: "image" | "audio" | "video" | "file";
        /** Format: uuid */
        BotId: string;
        /** Format: uuid */
        ChannelId: string;
        ChannelRef: {
            /** Format: uuid */
            id: string;
            name?: string | null;
            type?: null | components["schemas"]["ChannelType"];
        };
        /** @enum {string} */
        ChannelType: "telegram" | "whatsapp_qr" | "whatsapp_business" | "facebook" | "instagram" | "livechat" | "custom";
        CustomerBrief: {
            /** Format: uuid */
            id: string;
            name: string;
            pinned_tags: components["schemas"]["TagOut"][];
        };
        CustomerCard: {
            avatar_url?: string | null;
            blocked: boolean;
            email?: string | null;
            /** @description R35: the customer's personal data was erased; name and texts read `[erased]`. */
            erased: boolean;
            external_id: string;
            /** Format: uuid */
            id: string;
            name: string;
            phone?: string | null;
            source: components["schemas"]["Source"];
            tags: components["schemas"]["CustomerTagOut"][];
        };
        /** Format: uuid */
        CustomerId: string;
        CustomerTagOut: {
            color: components["schemas"]["TagColor"];
            /** Format: uuid */
            id: string;
            name: string;
            pinned: boolean;
        };
        CustomerUpdated: {
            customer: components["schemas"]["CustomerCard"];
        };
        DialogFrame: {
            dialog: components["schemas"]["DialogRowOut"];
        };
        DialogRemoved: {
            /** Format: uuid */
            dialog_id: string;
        };
        DialogRowOut: {
            channel: components["schemas"]["ChannelRef"];
            customer?: null | components["schemas"]["CustomerBrief"];
            draft?: string | null;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            last_activity_at: string;
            last_message?: null | components["schemas"]["LastMessageOut"];
            marked_unread: boolean;
            /**
             * Format: int64
             * @description R31: the dialog's place in its channel's distribution queue (1 = next), in
             *     `queued=true` lists; `null` elsewhere.
             */
            queue_position?: number | null;
            /** Format: date-time */
            reply_deadline?: string | null;
            /**
             * Format: date-time
             * @description R25: until when a free-form message may be sent (after it, only an approved template);
             *     `null` when the channel has no reply window.
             */
            reply_window_closes_at?: string | null;
            responsible?: null | components["schemas"]["ActorOut"];
            /**
             * Format: date-time
             * @description R37: snoozed (out of the open lists) until then; `null` when not snoozed.
             */
            snoozed_until?: string | null;
            status: components["schemas"]["DialogStatus"];
            /** Format: int64 */
            unread_count: number;
            waiting_level: components["schemas"]["WaitingLevel"];
            /** Format: date-time */
            waiting_since?: string | null;
        };
        /** @enum {string} */
        DialogStatus: "open" | "closed";
        /** @description No resource: the write's answer is just its `position`. */
        Empty: Record<string, never>;
        /**
         * Format: uuid
         * @description An uploaded file; attachments reference files by this id.
         */
        FileId: string;
        Frame: components["schemas"]["FrameData"] & {
            /**
             * Format: int32
             * @description This frame's place (0, 1, …) among the frames one change makes for the recipient (a
             *     message makes `message_new`, then `dialog_updated`). Reconnect with
             *     `since=<position>&part=<part>` to resume after this frame: a connection cut between two
             *     frames of one change loses neither. Absent on live-only frames (typing, presence, a
             *     user going online, a waiting level crossed), which are never replayed.
             */
            part?: number | null;
            /** @description Global position of the change; reconnect with `since=<position>` to resume after it. */
            position?: string | null;
        };
        /**
         * @description Every frame the feed sends: `{"type": ..., "data": ..., "position": ...}`. This enum is the
         *     list of frame types; `api-schema/asyncapi.json` is generated from it.
         */
        FrameData: {
            /** @description R17: a new message, with the recipient's new header counter. */
            data: components["schemas"]["MessageNew"];
            /** @enum {string} */
            type: "message_new";
        } | {
            /**
             * @description A message changed: its delivery status moved forward (R14), it was edited (R21) or
             *     deleted (R22), or a reaction was set or cleared (R23). `change` says which.
             */
            data: components["schemas"]["MessageUpdated"];
            /** @enum {string} */
            type: "message_updated";
        } | {
            /** @description R24: someone is typing. Live only: `position` is `null` (not a point to resume from). */
            data: components["schemas"]["TypingFrame"];
            /** @enum {string} */
            type: "typing";
        } | {
            /** @description R27: a note was added, edited or deleted in a dialog the recipient sees. */
            data: components["schemas"]["NoteFrame"];
            /** @enum {string} */
            type: "note_updated";
        } | {
            /**
             * @description R27: the recipient was mentioned in a note: the note and the dialog's row (which they see
             *     until they mark the mention done).
             */
            data: components["schemas"]["MentionNew"];
            /** @enum {string} */
            type: "mention_new";
        } | {
            data: components["schemas"]["DialogFrame"];
            /** @enum {string} */
            type: "dialog_opened";
        } | {
            /** @description Any change of a list row: status, responsible, deadline, waiting level, last message, draft. */
            data: components["schemas"]["DialogFrame"];
            /** @enum {string} */
            type: "dialog_updated";
        } | {
            /** @description The dialog left the recipient's sight (reassigned away, deleted); nothing more follows. */
            data: components["schemas"]["DialogRemoved"];
            /** @enum {string} */
            type: "dialog_removed";
        } | {
            data: components["schemas"]["UnreadCount"];
            /** @enum {string} */
            type: "unread_count";
        } | {
            data: components["schemas"]["CustomerUpdated"];
            /** @enum {string} */
            type: "customer_updated";
        } | {
            /** @description A user changed, or went online or offline. */
            data: components["schemas"]["UserUpdated"];
            /** @enum {string} */
            type: "user_updated";
        } | {
            /**
             * @description More users than a handful went online or offline within a quarter of a second (a shift
             *     starting): their ids, instead of a `user_updated` each. At most 256 in one frame and one
             *     such frame a quarter second; a larger crowd is told over the next ones. Live only:
             *     `position` is `null`.
             */
            data: components["schemas"]["PresenceFrame"];
            /** @enum {string} */
            type: "presence";
        } | {
            /**
             * @description R37: a scheduled message was scheduled, edited, cancelled, sent or failed: to whoever
             *     sees the dialog, and a failure also to its author when the dialog is no longer theirs.
             */
            data: components["schemas"]["ScheduledFrame"];
            /** @enum {string} */
            type: "scheduled_updated";
        } | {
            /** @description The client missed more than this node kept, or fell too far behind: reload and reconnect. */
            data: components["schemas"]["Empty"];
            /** @enum {string} */
            type: "resync_required";
        };
        LastMessageOut: {
            /** Format: date-time */
            at: string;
            author_type: string;
            /** @description R22 */
            deleted: boolean;
            /** Format: uuid */
            id: string;
            /** @description Empty when the message was deleted (R22). */
            text: string;
        };
        MentionNew: {
            dialog: components["schemas"]["DialogRowOut"];
            /** Format: uuid */
            mention_id: string;
            note: components["schemas"]["NoteFrame"];
        };
        /** @description Why a message failed: `{code, message}`. */
        MessageError: {
            code: string;
            message: string;
        };
        /**
         * Format: uuid
         * @description An individual message inside a dialog stream.
         */
        MessageId: string;
        MessageNew: {
            /** Format: uuid */
            dialog_id: string;
            message?: null | components["schemas"]["MessageOut"];
            /**
             * Format: int64
             * @description The recipient's header counter after this message (R5).
             */
            unread_dialogs: number;
        };
        MessageOut: {
            /** @description Empty once the message was deleted. */
            attachments: components["schemas"]["Attachment"][];
            author: components["schemas"]["ActorOut"];
            /** Format: date-time */
            created_at: string;
            /** @description R22 */
            deleted: boolean;
            /** Format: uuid */
            dialog_id: string;
            /**
             * Format: date-time
             * @description R21: when the text last changed; `null` if it never did.
             */
            edited_at?: string | null;
            error?: null | components["schemas"]["MessageError"];
            /** Format: uuid */
            id: string;
            quote?: null | components["schemas"]["Quote"];
            /** @description R23: one per actor. */
            reactions: components["schemas"]["ReactionOut"][];
            status?: null | components["schemas"]["MessageStatus"];
            template?: null | components["schemas"]["TemplateUse"];
            /** @description `null` once the message was deleted (R22; auditors read the original in the log). */
            text?: string | null;
        };
        /**
         * @description R14: delivery status of an outgoing message. Forward only: queued < sent < delivered < read;
         *     `failed` is terminal and reachable before delivery only.
         * @enum {string}
         */
        MessageStatus: "queued" | "sent" | "delivered" | "read" | "failed";
        MessageUpdated: {
            /** @description What changed: `status`, `edited`, `deleted` or `reaction`. */
            change: string;
            /** @description `true` on `deleted`: the text and attachments are gone from the view. */
            deleted: boolean;
            /** Format: uuid */
            dialog_id: string;
            /**
             * Format: date-time
             * @description On `edited`.
             */
            edited_at?: string | null;
            error?: null | components["schemas"]["MessageError"];
            /** Format: uuid */
            message_id: string;
            reaction?: null | components["schemas"]["ReactionChange"];
            status?: null | components["schemas"]["MessageStatus"];
            /** @description The new text, on `edited`. */
            text?: string | null;
        };
        /** @description R27: a note's change. `change`: `added`, `edited` or `deleted`. */
        NoteFrame: {
            /** Format: date-time */
            at: string;
            /** @description Who made the change (the author). */
            by: components["schemas"]["ActorOut"];
            change: string;
            /** Format: uuid */
            dialog_id: string;
            /** @description On `added`: the mentioned users. */
            mentions: components["schemas"]["ActorOut"][];
            /** Format: uuid */
            note_id: string;
            /** @description The text (empty when deleted). */
            text: string;
        };
        PresenceFrame: {
            /** @description Users whose last socket closed. */
            offline: string[];
            /** @description Users whose first socket opened. */
            online: string[];
        };
        /** @description R9: the quoted message's text and author, embedded at the time of quoting. */
        Quote: {
            author: components["schemas"]["Actor"];
            message_id: components["schemas"]["MessageId"];
            text: string;
        };
        ReactionChange: {
            by: components["schemas"]["ActorOut"];
            emoji?: string | null;
        };
        /** @description R23: who reacted to a message, with what. */
        ReactionOut: {
            by: components["schemas"]["ActorOut"];
            emoji: string;
        };
        /**
         * @description Rights granted by groups (SPEC §3).
         * @enum {string}
         */
        Right: "dialogs.delete" | "dialogs.view_all" | "settings.manage" | "quick_replies.manage_shared";
        /** @enum {string} */
        Role: "admin" | "chat_admin" | "manager" | "auditor";
        /**
         * @description R37: `change`: `scheduled`, `edited`, `cancelled`, `sent` or `failed`. The dialog's
         *     `GET /dialogs/{id}/scheduled` has the content.
         */
        ScheduledFrame: {
            change: string;
            /** Format: uuid */
            dialog_id: string;
            error?: null | components["schemas"]["MessageError"];
            /**
             * Format: uuid
             * @description On `sent`: the message it became.
             */
            message_id?: string | null;
            /** Format: uuid */
            schedule_id: string;
            /**
             * Format: date-time
             * @description On `scheduled` and `edited`.
             */
            send_at?: string | null;
        };
        /** @description Where a customer came from (R1): shown on the customer card and copied onto orders. */
        Source: {
            channel_id: components["schemas"]["ChannelId"];
            channel_type: components["schemas"]["ChannelType"];
            utm?: components["schemas"]["Utm"];
        };
        /**
         * @description R19: one of twelve colours.
         * @enum {string}
         */
        TagColor: "red" | "orange" | "yellow" | "lime" | "green" | "teal" | "cyan" | "blue" | "indigo" | "purple" | "pink" | "grey";
        TagOut: {
            color: components["schemas"]["TagColor"];
            /** Format: uuid */
            id: string;
            name: string;
        };
        /** @description R26: which template a message was, with what: in the message's event and every view of it. */
        TemplateUse: {
            code: string;
            language: string;
            params: string[];
        };
        TypingFrame: {
            /** @description Who is typing: a user, a bot, or the customer. */
            actor: components["schemas"]["ActorOut"];
            /** Format: uuid */
            dialog_id: string;
        };
        UnreadCount: {
            /**
             * Format: int64
             * @description Dialogs visible to the caller with unread customer messages or the unread mark.
             */
            dialogs: number;
        };
        /** Format: uuid */
        UserId: string;
        UserOut: {
            active: boolean;
            group_ids: string[];
            /** Format: uuid */
            id: string;
            login: string;
            name: string;
            /** @description Holds an open WebSocket (SPEC §3). */
            online: boolean;
            rights: components["schemas"]["Right"][];
            role: components["schemas"]["Role"];
            work_status: components["schemas"]["WorkStatus"];
        };
        UserUpdated: {
            user: components["schemas"]["UserOut"];
        };
        /** @description UTM fields of the customer's first contact. */
        Utm: {
            campaign?: string | null;
            content?: string | null;
            medium?: string | null;
            source?: string | null;
            term?: string | null;
        };
        /**
         * @description R15: `none`, `warning` or `danger` at `now`.
         * @enum {string}
         */
        WaitingLevel: "none" | "warning" | "danger";
        /** @enum {string} */
        WorkStatus: "free" | "busy" | "lunch" | "break";
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
