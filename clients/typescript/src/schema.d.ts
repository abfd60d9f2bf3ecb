// Generated from api-schema/openapi.json by clients/typescript/scripts/generate.mjs (make client).
// Do not edit by hand.

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers and its store is open. */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness: 200 once the read models have caught up with the log as it was at start, 503
         *     `not_ready` before, and 503 `store_unavailable` while the store cannot be reached (R33).
         */
        get: operations["ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The Prometheus text exposition of every `chatd_` figure (docs/OPERATIONS.md lists them). */
        get: operations["metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["log_in"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["log_out"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["list_users"];
        put?: never;
        post: operations["create_user"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: operations["update_user"];
        trace?: never;
    };
    "/api/v1/groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["list_groups"];
        put?: never;
        post: operations["create_group"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/groups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: operations["update_group"];
        trace?: never;
    };
    "/api/v1/channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["list_channels"];
        put?: never;
        post: operations["create_channel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/channels/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: operations["update_channel"];
        trace?: never;
    };
    "/api/v1/channels/{id}/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["list_templates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["list_dialogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs/facets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["dialog_facets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs/unread-count": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["unread_count"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs/delete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** R13: bulk delete. All or nothing per dialog: each id answers `deleted` or the problem's code. */
        post: operations["delete_dialogs"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_dialog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs/{id}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_timeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs/{id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["send_message"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs/{id}/reassign": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["reassign_dialog"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs/{id}/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["close_dialog"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs/{id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["mark_read"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs/{id}/unread": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["mark_unread"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs/{id}/draft": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: operations["save_draft"];
        post?: never;
        delete: operations["clear_draft"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs/{id}/unpin-customer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["unpin_customer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs/{id}/pin-customer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["pin_customer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs/{id}/messages/{message_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["delete_message"];
        options?: never;
        head?: never;
        patch: operations["edit_message"];
        trace?: never;
    };
    "/api/v1/dialogs/{id}/messages/{message_id}/reaction": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: operations["set_reaction"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs/{id}/typing": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["send_typing"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs/{id}/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["add_note"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs/{id}/notes/{note_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["delete_note"];
        options?: never;
        head?: never;
        patch: operations["edit_note"];
        trace?: never;
    };
    "/api/v1/mentions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["list_mentions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mentions/{id}/done": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["mark_mention_done"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_customer"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customers/{id}/block": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["block_customer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customers/{id}/unblock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["unblock_customer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customers/{id}/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["tag_customer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customers/{id}/tags/{tag_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["untag_customer"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["list_tags"];
        put?: never;
        post: operations["create_tag"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tags/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["delete_tag"];
        options?: never;
        head?: never;
        patch: operations["update_tag"];
        trace?: never;
    };
    "/api/v1/customers/{id}/erase": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["erase_customer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customers/{id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["export_customer"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["report_summary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/dialogs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["report_dialogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/settings/calendar": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_calendar"];
        put: operations["set_calendar"];
        post?: never;
        delete: operations["remove_calendar"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs/{id}/snooze": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["snooze_dialog"];
        delete: operations["unsnooze_dialog"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs/{id}/scheduled": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["list_scheduled"];
        put?: never;
        post: operations["schedule_message"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs/{id}/scheduled/{schedule_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["cancel_scheduled"];
        options?: never;
        head?: never;
        patch: operations["edit_scheduled"];
        trace?: never;
    };
    "/api/v1/test/clock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_test_clock"];
        /** Testing only: the test clock (`test_clock` in the configuration); 404 otherwise. */
        put: operations["set_test_clock"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/settings/time-limits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_time_limits"];
        put: operations["set_time_limits"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/quick-replies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Shared replies and the caller's own, most used first. */
        get: operations["list_quick_replies"];
        put?: never;
        post: operations["create_quick_reply"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/quick-replies/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["delete_quick_reply"];
        options?: never;
        head?: never;
        patch: operations["update_quick_reply"];
        trace?: never;
    };
    "/api/v1/quick-replies/{id}/use": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["use_quick_reply"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bots": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["list_bots"];
        put?: never;
        post: operations["create_bot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bots/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: operations["update_bot"];
        trace?: never;
    };
    "/api/v1/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Orders of dialogs the caller can see, newest first. */
        get: operations["list_orders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/transport/v1/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["transport_receive_message"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/transport/v1/messages/ack": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["transport_ack"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/transport/v1/messages/read-until": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["transport_read_until"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/transport/v1/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: operations["transport_publish_templates"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/transport/v1/messages/edit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["transport_edit_message"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/transport/v1/messages/delete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["transport_delete_message"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/transport/v1/messages/reaction": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["transport_set_reaction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/transport/v1/typing": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["transport_typing"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["upload_file"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/files/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_file"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/files/{id}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_file_preview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dialogs/{id}/attachments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["list_attachments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/transport/v1/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["transport_upload_file"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/transport/v1/files/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["transport_get_file"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit/v1/dialogs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["audit_find_dialogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit/v1/dialogs/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["audit_dialog_events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["audit_log"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit/v1/checkpoint": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["audit_checkpoint"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit/v1/key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["audit_key"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/bot/v1/dialogs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["bot_list_dialogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/bot/v1/dialogs/{id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["bot_send_message"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/bot/v1/dialogs/{id}/reassign": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["bot_reassign_dialog"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/bot/v1/dialogs/{id}/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["bot_close_dialog"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AckBody: {
            /**
             * Format: uuid
             * @description Our id of the message (the webhook's `id`), or
             */
            message_id?: string | null;
            /** @description the integration's id, as it answered the webhook. */
            external_message_id?: string | null;
            status: components["schemas"]["MessageStatus"];
            error?: null | components["schemas"]["MessageError"];
        };
        /** @description A status report's effect. */
        AckOut: {
            /** Format: uuid */
            message_id: string;
            /** Format: uuid */
            dialog_id: string;
            /** @description `false` when the report moved nothing (a late or repeated one, R14). */
            changed: boolean;
        };
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
            type: string;
            /** Format: uuid */
            id?: string | null;
            name?: string | null;
        };
        /** @description Who a dialog is assigned to: `{type: "user"|"bot", id}`. */
        Assignee: {
            id: components["schemas"]["UserId"];
            /** @enum {string} */
            type: "user";
        } | {
            id: components["schemas"]["BotId"];
            /** @enum {string} */
            type: "bot";
        };
        /** @description A file attached to a message; the bytes live in the file store under `file_id`. */
        Attachment: {
            file_id: components["schemas"]["FileId"];
            kind: components["schemas"]["AttachmentKind"];
            name: string;
            mime: string;
            /** Format: int64 */
            size: number;
            /** Format: int32 */
            width?: number | null;
            /** Format: int32 */
            height?: number | null;
        };
        /** @enum {string} */
        AttachmentKind: "image" | "audio" | "video" | "file";
        /** @description Per-kind size limits in bytes; `None` means the kind is not carried at all. */
        AttachmentLimits: {
            /** Format: int64 */
            image?: number | null;
            /** Format: int64 */
            audio?: number | null;
            /** Format: int64 */
            video?: number | null;
            /** Format: int64 */
            file?: number | null;
        };
        /** @description One attachment of a dialog, with the message that carried it. */
        AttachmentOut: {
            /** Format: uuid */
            message_id: string;
            author: components["schemas"]["ActorOut"];
            /** Format: date-time */
            at: string;
            file: components["schemas"]["FileOut"];
        };
        /**
         * @description Which tab of the seed's "Show attachments": images, or every other file.
         * @enum {string}
         */
        AttachmentTab: "image" | "file";
        /** @description A dialog as an auditor finds it: deleted ones included. */
        AuditDialog: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            customer_id: string;
            customer_name: string;
            channel: components["schemas"]["ChannelRef"];
            status: components["schemas"]["DialogStatus"];
            deleted: boolean;
            /** Format: date-time */
            opened_at: string;
            /** Format: date-time */
            last_activity_at: string;
        };
        /**
         * @description One stored event as an auditor reads it: exactly as stored (type and schema version as
         *     written, data as written but for redacted secrets and, R35, with sealed personal strings
         *     opened, or `"[erased]"` once their customer was erased), with its place and its chain links.
         */
        AuditEvent: {
            stream: string;
            /**
             * Format: int64
             * @description Version within the stream (0-based).
             */
            version: number;
            /** @description Global position: pass as `after` to continue. */
            position: string;
            /** Format: uuid */
            id: string;
            /**
             * Format: date-time
             * @description When the store recorded it.
             */
            recorded_at: string;
            /** @description When it happened, as the domain recorded it (`metadata.at`). */
            at?: string | null;
            /** @description Who did it (`metadata.actor`): `{type: user|bot|customer|channel|system, id}`. */
            author: Record<string, never>;
            /** @description The stored metadata, whole. */
            metadata: Record<string, never>;
            type: string;
            /** Format: int32 */
            schema_version: number;
            data: Record<string, never>;
            /** @description SHA-256 chain: this event's hash and its stream predecessor's. */
            hash: string;
            prev_hash: string;
        };
        /** @description The key checkpoints are signed with. */
        AuditKeyView: {
            /** @description `Ed25519`. */
            algorithm: string;
            /** @description First 16 hex digits of SHA-256 over the key's 32 bytes. */
            key_id: string;
            /** @description The key's 32 bytes in hex. */
            public_key: string;
            /** @description The key as SPKI PEM (`openssl pkeyutl -verify -pubin -inkey`). */
            pem: string;
        };
        /** Format: uuid */
        BotId: string;
        BotOut: {
            /** Format: uuid */
            id: string;
            name: string;
            active: boolean;
            distribution: components["schemas"]["DistributionRule"][];
            /** @description `X-Bot-Token`, shown once, on creation. */
            token?: string | null;
        };
        BotPatch: {
            name?: string | null;
            active?: boolean | null;
            distribution?: components["schemas"]["DistributionRule"][] | null;
        };
        /** @description R37: the shop's calendar. */
        Calendar: {
            /** @description An IANA time zone name, e.g. `Europe/Berlin`. */
            time_zone: string;
            /** @description The shop's weekly hours. */
            week: components["schemas"]["Week"];
            /**
             * @description Local dates the shop is closed all day (every channel), `YYYY-MM-DD`.
             * @example [
             *       "2026-12-25"
             *     ]
             */
            holidays?: string[];
            /** @description Channels with hours of their own instead of the shop's. */
            channels?: {
                [key: string]: components["schemas"]["Week"];
            };
            /** @description R15: count a dialog's waiting time in working hours only. */
            working_hours_only?: boolean;
        };
        /** @description The calendar, and the shop's state now. */
        CalendarOut: {
            calendar?: null | components["schemas"]["Calendar"];
            /** @description Open now (the shop's own hours; a channel may differ). */
            open: boolean;
            /**
             * Format: date-time
             * @description While open: when it closes.
             */
            closes_at?: string | null;
            /**
             * Format: date-time
             * @description While closed: when it opens (`null`: not within a year).
             */
            opens_at?: string | null;
        };
        /** @description What a channel declares it can carry (R20, R21–R23). */
        Capabilities: {
            /** @description Longest text the channel carries; the effective limit is the lower of this and R8's 2000. */
            text_max_len: number;
            quoting: boolean;
            /** @description R21: sent messages can be edited (and the integration reports customers' edits). */
            editing: boolean;
            /** @description R22: sent messages can be deleted (and the integration reports customers' deletions). */
            deleting: boolean;
            /** @description The integration reports `delivered`. */
            delivered_status: boolean;
            /** @description The integration reports `read`. */
            read_status: boolean;
            max_attachments: number;
            /**
             * Format: int64
             * @description R21: an outgoing message can be edited only this many seconds after it was sent;
             *     `null`: no limit.
             */
            edit_window_s?: number | null;
            /** @description R23: the channel carries reactions. */
            reactions?: boolean;
            /**
             * Format: int64
             * @description R25: free-form messages only until this many seconds after the customer's latest
             *     message; `null`: no window.
             */
            reply_window_s?: number | null;
            /**
             * @description R23: the emoji it carries; `null`: any. Shared: a profile is copied into every message
             *     command, the list is not.
             */
            reaction_emoji?: string[] | null;
        };
        /**
         * @description R38: a partial `capabilities` object. What it names replaces the current value (on an
         *     update) or the channel type's default (on registration); the rest is kept.
         */
        CapabilitiesPatch: {
            text_max_len?: number | null;
            quoting?: boolean | null;
            editing?: boolean | null;
            deleting?: boolean | null;
            delivered_status?: boolean | null;
            read_status?: boolean | null;
            max_attachments?: number | null;
            /**
             * Format: int64
             * @description `null`: no edit window.
             */
            edit_window_s?: number | null;
            reactions?: boolean | null;
            /**
             * Format: int64
             * @description `null`: no reply window.
             */
            reply_window_s?: number | null;
            /** @description `null`: any emoji. */
            reaction_emoji?: string[] | null;
        };
        /** Format: uuid */
        ChannelId: string;
        ChannelOut: {
            /** Format: uuid */
            id: string;
            type: components["schemas"]["ChannelType"];
            name: string;
            /** @description `null` also for a caller without `settings.manage` (integrators put keys in URLs). */
            webhook_url?: string | null;
            capabilities: components["schemas"]["Capabilities"];
            limits: components["schemas"]["AttachmentLimits"];
            /** @description Shown once, on creation. */
            transport_token?: string | null;
            /** @description Shown once, on creation. */
            webhook_secret?: string | null;
            /** @description R37: the reply a customer gets outside working hours (`null`: none). */
            away_text?: string | null;
        };
        ChannelPatch: {
            name?: string | null;
            /** @description `null` removes the webhook; absent leaves it. */
            webhook_url?: string | null;
            settings?: components["schemas"]["ChannelSettings"];
            /**
             * @description R37: the reply a customer gets outside working hours (once per closed period and
             *     dialog); `null` removes it, absent leaves it.
             */
            away_text?: string | null;
        };
        ChannelRef: {
            /** Format: uuid */
            id: string;
            type?: null | components["schemas"]["ChannelType"];
            name?: string | null;
        };
        /**
         * @description R38: partial objects. On creation what they name replaces the channel type's defaults, on
         *     an update the channel's current values; the rest is kept.
         */
        ChannelSettings: {
            capabilities?: null | components["schemas"]["CapabilitiesPatch"];
            limits?: null | components["schemas"]["LimitsPatch"];
        };
        /** @enum {string} */
        ChannelType: "telegram" | "whatsapp_qr" | "whatsapp_business" | "facebook" | "instagram" | "livechat" | "custom";
        /** @description A signed checkpoint, as served and as an auditor keeps it. */
        Checkpoint: {
            /** @description `chatd-checkpoint-v1`. */
            format: string;
            /** @description The last position of the log it covers (`"0"`: the empty log). */
            position: string;
            /** @description When it was signed (RFC 3339, UTC, whole seconds). */
            at: string;
            /**
             * Format: int64
             * @description Chained streams, and the events in them.
             */
            streams: number;
            /** Format: int64 */
            events: number;
            /** @description Merkle root (RFC 6962) over the sorted heads, hex. */
            root: string;
            /** @description The signing key: its id and its 32 bytes in hex. */
            key_id: string;
            public_key: string;
            /** @description The exact bytes signed (UTF-8). */
            signed: string;
            /** @description Ed25519 signature over `signed`, 64 bytes in hex. */
            signature: string;
            /** @description Every chained stream's head, sorted by name; left out when asked for `heads=false`. */
            heads?: components["schemas"]["HeadEntry"][] | null;
        };
        ClockBody: {
            /** Format: date-time */
            now: string;
        };
        Counted_ActorOut: {
            type: string;
            /** Format: uuid */
            id?: string | null;
            name?: string | null;
        } & {
            /** Format: int64 */
            dialogs: number;
        };
        Counted_ChannelOut: {
            /** Format: uuid */
            id: string;
            type: components["schemas"]["ChannelType"];
            name: string;
            /** @description `null` also for a caller without `settings.manage` (integrators put keys in URLs). */
            webhook_url?: string | null;
            capabilities: components["schemas"]["Capabilities"];
            limits: components["schemas"]["AttachmentLimits"];
            /** @description Shown once, on creation. */
            transport_token?: string | null;
            /** @description Shown once, on creation. */
            webhook_secret?: string | null;
            /** @description R37: the reply a customer gets outside working hours (`null`: none). */
            away_text?: string | null;
        } & {
            /** Format: int64 */
            dialogs: number;
        };
        Counted_TagOut: {
            /** Format: uuid */
            id: string;
            name: string;
            color: components["schemas"]["TagColor"];
        } & {
            /** Format: int64 */
            dialogs: number;
        };
        CustomerBrief: {
            /** Format: uuid */
            id: string;
            name: string;
            pinned_tags: components["schemas"]["TagOut"][];
        };
        CustomerCard: {
            /** Format: uuid */
            id: string;
            name: string;
            external_id: string;
            avatar_url?: string | null;
            phone?: string | null;
            email?: string | null;
            source: components["schemas"]["Source"];
            blocked: boolean;
            tags: components["schemas"]["CustomerTagOut"][];
            /** @description R35: the customer's personal data was erased; name and texts read `[erased]`. */
            erased: boolean;
        };
        /** @description Everything chatd holds about one customer (R35, GDPR Art. 15). */
        CustomerExport: {
            /** Format: date-time */
            exported_at: string;
            customer: components["schemas"]["CustomerCard"];
            /**
             * @description The customer's own stream as the audit reads it: registration, blocks, tags, refused
             *     messages.
             */
            customer_events: components["schemas"]["AuditEvent"][];
            dialogs: components["schemas"]["DialogExport"][];
            /**
             * @description Files sent or received in their dialogs or carried by their refused messages, with
             *     download links.
             */
            files: components["schemas"]["FileOut"][];
        };
        /** Format: uuid */
        CustomerId: string;
        CustomerTagOut: {
            /** Format: uuid */
            id: string;
            name: string;
            color: components["schemas"]["TagColor"];
            pinned: boolean;
        };
        DeleteBody: {
            ids: string[];
        };
        DeleteResult: {
            /** Format: uuid */
            id: string;
            /** @description `deleted`, or the problem code for this id (`not_found`, ...). */
            result: string;
        };
        DialogDetail: components["schemas"]["DialogRowOut"] & {
            /**
             * @description The chat's id at the channel (often a phone number); empty for a viewer who sees the
             *     dialog only through an open mention (R27).
             */
            external_chat_id: string;
            customer_card?: null | components["schemas"]["CustomerCard"];
            /** Format: date-time */
            opened_at: string;
            /**
             * Format: date-time
             * @description R37: when the shop next opens for this dialog's channel, while it is closed; `null`
             *     while open or without a calendar.
             */
            shop_opens_at?: string | null;
        };
        /**
         * @description One of the customer's dialogs: its row, its timeline as it is now, and every event of its
         *     stream as the audit reads it (earlier texts of edited and deleted messages included).
         */
        DialogExport: {
            dialog: components["schemas"]["DialogRowOut"];
            timeline: components["schemas"]["TimelineEntryOut"][];
            events: components["schemas"]["AuditEvent"][];
        };
        DialogList: {
            items: components["schemas"]["DialogRowOut"][];
            next_cursor?: string | null;
            /** @description The read models' position this page was read at. */
            position?: string | null;
        };
        DialogReport: {
            /** Format: int32 */
            definitions_version: number;
            items: components["schemas"]["DialogReportRow"][];
            /** @description Rows after these (`null`: none). */
            next_offset?: number | null;
        };
        /** @description One dialog's figures in the period. */
        DialogReportRow: {
            /** Format: uuid */
            dialog_id: string;
            channel: components["schemas"]["ChannelRef"];
            /** @description The pinned customer's name (`null` when none is pinned). */
            customer?: string | null;
            /**
             * Format: int64
             * @description Openings (opened or reopened) in the period.
             */
            openings: number;
            /** Format: int64 */
            closed: number;
            /** Format: int64 */
            messages_in: number;
            /**
             * Format: int64
             * @description By people and bots, templates included (away replies not).
             */
            messages_out: number;
            /**
             * Format: int64
             * @description Seconds: the first opening's first response by a person.
             */
            first_response_s?: number | null;
            /**
             * Format: int64
             * @description Seconds: the same, by a person or a bot.
             */
            first_response_incl_bot_s?: number | null;
            /**
             * Format: int64
             * @description Seconds: every closed opening's resolution, summed.
             */
            resolution_s?: number | null;
            /** @description Every customer turn's response. */
            response: components["schemas"]["StatOut"];
        };
        DialogRowOut: {
            /** Format: uuid */
            id: string;
            status: components["schemas"]["DialogStatus"];
            customer?: null | components["schemas"]["CustomerBrief"];
            channel: components["schemas"]["ChannelRef"];
            responsible?: null | components["schemas"]["ActorOut"];
            /** Format: int64 */
            unread_count: number;
            marked_unread: boolean;
            last_message?: null | components["schemas"]["LastMessageOut"];
            draft?: string | null;
            /** Format: date-time */
            last_activity_at: string;
            /** Format: date-time */
            waiting_since?: string | null;
            /** Format: date-time */
            reply_deadline?: string | null;
            waiting_level: components["schemas"]["WaitingLevel"];
            /**
             * Format: date-time
             * @description R25: until when a free-form message may be sent (after it, only an approved template);
             *     `null` when the channel has no reply window.
             */
            reply_window_closes_at?: string | null;
            /**
             * Format: int64
             * @description R31: the dialog's place in its channel's distribution queue (1 = next), in
             *     `queued=true` lists; `null` elsewhere.
             */
            queue_position?: number | null;
            /**
             * Format: date-time
             * @description R37: snoozed (out of the open lists) until then; `null` when not snoozed.
             */
            snoozed_until?: string | null;
        };
        /** @enum {string} */
        DialogStatus: "open" | "closed";
        /** @description R18: the distribution rules of one channel. */
        DistributionRule: {
            channel_id: components["schemas"]["ChannelId"];
            manager_ids: components["schemas"]["UserId"][];
            /** Format: int32 */
            max_open_per_manager?: number | null;
            /** @description Only managers whose work status is `free` take part. */
            require_free: boolean;
            /** @description Only managers with an open WebSocket take part. */
            require_online: boolean;
            strategy: components["schemas"]["Strategy"];
            reassign_when_unavailable?: null | components["schemas"]["ReassignWhenUnavailable"];
            create_customer: boolean;
            create_order: boolean;
        };
        DraftBody: {
            text: string;
        };
        EditBody: {
            /** @description The new text (R8: at most 2000 characters; empty only when the message has attachments). */
            text: string;
        };
        EditedMessage: {
            external_id?: string | null;
            /** Format: uuid */
            message_id?: string | null;
            /** @description The new text. */
            text: string;
        };
        /** @description No resource: the write's answer is just its `position`. */
        Empty: Record<string, never>;
        EraseBody: {
            /**
             * @description Why (e.g. "GDPR Art. 17 request #2041"): kept in clear in the log, so it must name the
             *     request, never the person. 1 to 500 characters.
             */
            reason: string;
        };
        ErasureOut: {
            /** @description `false`: the customer was erased before; nothing new was recorded. */
            changed: boolean;
            /** @description File bytes deleted from the file store now (their previews too). */
            files_deleted: number;
        };
        /** @description R16's filter window. */
        FacetsOut: {
            tags: components["schemas"]["Counted_TagOut"][];
            /** @description `null` when no bot exists (the bot filter is not shown). */
            bots?: components["schemas"]["Counted_ActorOut"][] | null;
            managers: components["schemas"]["Counted_ActorOut"][];
            /** Format: int64 */
            unassigned: number;
            /**
             * Format: int64
             * @description R37: snoozed dialogs the other filters leave (`status=snoozed` lists them).
             */
            snoozed: number;
            channels: components["schemas"]["Counted_ChannelOut"][];
            /**
             * @description R31: dialogs waiting in the distribution bot's queue, per channel (channels with none
             *     are left out).
             */
            queued: components["schemas"]["QueueCount"][];
        };
        /** @description One group's figures (docs/REPORTS.md defines each). */
        FiguresOut: {
            /**
             * Format: int64
             * @description Dialogs opened (a first customer message).
             */
            opened: number;
            /** Format: int64 */
            reopened: number;
            /** Format: int64 */
            closed: number;
            /**
             * Format: int64
             * @description Customer messages.
             */
            messages_in: number;
            /**
             * Format: int64
             * @description Free-form messages by people (users).
             */
            messages_by_person: number;
            /**
             * Format: int64
             * @description Free-form messages by bots.
             */
            messages_by_bot: number;
            /**
             * Format: int64
             * @description Templates (R26), by people or bots.
             */
            templates: number;
            /**
             * Format: int64
             * @description R37's away replies (never an answer).
             */
            away_replies: number;
            /** @description From an opening's first customer message to the first reply by a person. */
            first_response: components["schemas"]["StatOut"];
            /** @description The same, to the first reply by a person or a bot. */
            first_response_incl_bot: components["schemas"]["StatOut"];
            /** @description Every customer turn, to the next reply by a person. */
            response: components["schemas"]["StatOut"];
            /** @description Opening (or reopening) to closing. */
            resolution: components["schemas"]["StatOut"];
            working?: null | components["schemas"]["WorkingOut"];
            /**
             * Format: int64
             * @description R15: responses that reached the warning level.
             */
            warnings: number;
            /**
             * Format: int64
             * @description R15: responses that reached the limit (the danger level).
             */
            breaches: number;
            /**
             * Format: int64
             * @description Open dialogs of the group's managers at the group's end (periods and managers; `null`
             *     for channels and tags).
             */
            open_at_end?: number | null;
        };
        /**
         * Format: uuid
         * @description An uploaded file; attachments reference files by this id.
         */
        FileId: string;
        /** @description An uploaded file as the API shows it. */
        FileOut: {
            /** Format: uuid */
            id: string;
            name: string;
            /** @description Sniffed from the bytes. */
            mime: string;
            kind: components["schemas"]["AttachmentKind"];
            /** Format: int64 */
            size: number;
            /** Format: int32 */
            width?: number | null;
            /** Format: int32 */
            height?: number | null;
            sha256: string;
            /** @description Where to download it (relative to the API's origin). */
            url: string;
            /** @description A JPEG thumbnail, for images that decode. */
            preview_url?: string | null;
        };
        GroupOut: components["schemas"]["FiguresOut"] & {
            /**
             * @description The period's label (`2026-11-23`; a week by its Monday; `2026-11`), or the manager's,
             *     channel's or tag's id (`null`: nobody's, or no tag).
             */
            key?: string | null;
            /** @description What to show: the period, the manager's or channel's name, the tag's name. */
            label: string;
        };
        GroupPatch: {
            name?: string | null;
            rights?: components["schemas"]["Right"][] | null;
        };
        HeadEntry: {
            stream: string;
            /** Format: int64 */
            version: number;
            /** @description The head event's hash (hex). */
            hash: string;
            position: string;
        };
        InboundBody: {
            external_chat_id: string;
            customer: components["schemas"]["InboundCustomer"];
            message: components["schemas"]["InboundMessage"];
        };
        InboundCustomer: {
            external_id: string;
            name: string;
            avatar_url?: string | null;
            phone?: string | null;
            email?: string | null;
            utm?: components["schemas"]["Utm"];
        };
        InboundMessage: {
            external_id: string;
            text?: string | null;
            attachment_ids?: string[];
            quote_external_id?: string | null;
            /** Format: date-time */
            created_at?: string | null;
        };
        InboundOut: {
            /** Format: uuid */
            message_id: string;
            /** Format: uuid */
            dialog_id: string;
        };
        Items_AuditDialog: {
            items: {
                /** Format: uuid */
                id: string;
                /** Format: uuid */
                customer_id: string;
                customer_name: string;
                channel: components["schemas"]["ChannelRef"];
                status: components["schemas"]["DialogStatus"];
                deleted: boolean;
                /** Format: date-time */
                opened_at: string;
                /** Format: date-time */
                last_activity_at: string;
            }[];
        };
        Items_BotOut: {
            items: {
                /** Format: uuid */
                id: string;
                name: string;
                active: boolean;
                distribution: components["schemas"]["DistributionRule"][];
                /** @description `X-Bot-Token`, shown once, on creation. */
                token?: string | null;
            }[];
        };
        Items_ChannelOut: {
            items: {
                /** Format: uuid */
                id: string;
                type: components["schemas"]["ChannelType"];
                name: string;
                /** @description `null` also for a caller without `settings.manage` (integrators put keys in URLs). */
                webhook_url?: string | null;
                capabilities: components["schemas"]["Capabilities"];
                limits: components["schemas"]["AttachmentLimits"];
                /** @description Shown once, on creation. */
                transport_token?: string | null;
                /** @description Shown once, on creation. */
                webhook_secret?: string | null;
                /** @description R37: the reply a customer gets outside working hours (`null`: none). */
                away_text?: string | null;
            }[];
        };
        Items_GroupOut: {
            items: {
                /** Format: uuid */
                id: string;
                name: string;
                rights: components["schemas"]["Right"][];
            }[];
        };
        Items_OrderOut: {
            items: {
                /** Format: uuid */
                id: string;
                /** Format: uuid */
                dialog_id: string;
                /** Format: uuid */
                customer_id?: string | null;
                /** Format: uuid */
                manager_id?: string | null;
                status: components["schemas"]["OrderStatus"];
                source?: null | components["schemas"]["Source"];
                /** Format: date-time */
                created_at: string;
            }[];
        };
        Items_QuickReplyOut: {
            items: {
                /** Format: uuid */
                id: string;
                shared: boolean;
                name: string;
                text: string;
                /** Format: int64 */
                uses: number;
                /** Format: uuid */
                from_message_id?: string | null;
            }[];
        };
        Items_ScheduledOut: {
            items: {
                /** Format: uuid */
                id: string;
                /** Format: uuid */
                dialog_id: string;
                /** @description Who scheduled it (and will be its author). */
                author: components["schemas"]["ActorOut"];
                /** Format: date-time */
                send_at: string;
                status: components["schemas"]["ScheduledStatus"];
                text: string;
                attachments: components["schemas"]["Attachment"][];
                template?: null | components["schemas"]["ScheduledTemplate"];
                error?: null | components["schemas"]["MessageError"];
                /**
                 * Format: uuid
                 * @description With `sent`: the message it became.
                 */
                message_id?: string | null;
                /** Format: date-time */
                created_at: string;
                /** Format: date-time */
                updated_at: string;
            }[];
        };
        Items_TagOut: {
            items: {
                /** Format: uuid */
                id: string;
                name: string;
                color: components["schemas"]["TagColor"];
            }[];
        };
        Items_Template: {
            items: {
                code: string;
                name: string;
                language: string;
                body: string;
                status: components["schemas"]["TemplateStatus"];
            }[];
        };
        Items_UserOut: {
            items: {
                /** Format: uuid */
                id: string;
                login: string;
                name: string;
                role: components["schemas"]["Role"];
                group_ids: string[];
                active: boolean;
                work_status: components["schemas"]["WorkStatus"];
                /** @description Holds an open WebSocket (SPEC §3). */
                online: boolean;
                rights: components["schemas"]["Right"][];
            }[];
        };
        LastMessageOut: {
            /** Format: uuid */
            id: string;
            author_type: string;
            /** @description Empty when the message was deleted (R22). */
            text: string;
            /** @description R22 */
            deleted: boolean;
            /** Format: date-time */
            at: string;
        };
        /** @description R38: a partial `limits` object (bytes per kind; `null`: the kind is not carried). */
        LimitsPatch: {
            /** Format: int64 */
            image?: number | null;
            /** Format: int64 */
            audio?: number | null;
            /** Format: int64 */
            video?: number | null;
            /** Format: int64 */
            file?: number | null;
        };
        Login: {
            login: string;
            password: string;
        };
        LoginOut: {
            /** @description The bearer token: `Authorization: Bearer <token>`. */
            token: string;
            user?: null | components["schemas"]["UserOut"];
        };
        MeOut: {
            user: components["schemas"]["UserOut"];
            /**
             * Format: int64
             * @description R5: the header counter.
             */
            unread_dialogs: number;
            /**
             * Format: int64
             * @description R27: mentions of the caller not yet marked done.
             */
            open_mentions: number;
        };
        /** @description R27: one of the caller's mentions. */
        MentionOut: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            dialog_id: string;
            /** Format: uuid */
            note_id: string;
            /** @description Who wrote the note. */
            by: components["schemas"]["ActorOut"];
            text: string;
            /** @description `open` or `done`. */
            status: string;
            /** Format: date-time */
            created_at: string;
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
        MessageOut: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            dialog_id: string;
            author: components["schemas"]["ActorOut"];
            /** @description `null` once the message was deleted (R22; auditors read the original in the log). */
            text?: string | null;
            /** @description Empty once the message was deleted. */
            attachments: components["schemas"]["Attachment"][];
            quote?: null | components["schemas"]["Quote"];
            status?: null | components["schemas"]["MessageStatus"];
            error?: null | components["schemas"]["MessageError"];
            /** Format: date-time */
            created_at: string;
            /**
             * Format: date-time
             * @description R21: when the text last changed; `null` if it never did.
             */
            edited_at?: string | null;
            /** @description R22 */
            deleted: boolean;
            /** @description R23: one per actor. */
            reactions: components["schemas"]["ReactionOut"][];
            template?: null | components["schemas"]["TemplateUse"];
        };
        /**
         * @description R14: delivery status of an outgoing message. Forward only: queued < sent < delivered < read;
         *     `failed` is terminal and reachable before delivery only.
         * @enum {string}
         */
        MessageStatus: "queued" | "sent" | "delivered" | "read" | "failed";
        /** @description Which message: our id, or the integration's. */
        NamedMessage: {
            external_id?: string | null;
            /** Format: uuid */
            message_id?: string | null;
        };
        NewBot: {
            name: string;
            distribution?: components["schemas"]["DistributionRule"][];
        };
        NewChannel: {
            type: components["schemas"]["ChannelType"];
            name: string;
            webhook_url?: string | null;
            settings?: components["schemas"]["ChannelSettings"];
        };
        NewGroup: {
            name: string;
            rights?: components["schemas"]["Right"][];
        };
        NewReply: {
            name: string;
            /** @description Optional with `from_message_id`: the message's text is used. */
            text?: string | null;
            shared?: boolean;
            /** Format: uuid */
            from_message_id?: string | null;
            /**
             * Format: uuid
             * @description The dialog holding `from_message_id`.
             */
            dialog_id?: string | null;
        };
        NewTag: {
            name: string;
            color: components["schemas"]["TagColor"];
        };
        NewUser: {
            login: string;
            name: string;
            password: string;
            role: components["schemas"]["Role"];
            group_ids?: string[];
        };
        NoteBody: {
            /** @description R8: at most 2000 characters. */
            text: string;
            /**
             * @description Users to ask: each gets a `mention_new` frame and sees the dialog until they mark the
             *     mention done. At most 20.
             */
            mentions?: string[];
        };
        NoteEdit: {
            text: string;
        };
        /** @description R27: an internal note as the team sees it. */
        NoteOut: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            dialog_id: string;
            author: components["schemas"]["ActorOut"];
            /** @description Empty once deleted. */
            text: string;
            /** @description The mentioned users. */
            mentions: components["schemas"]["ActorOut"][];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            edited_at?: string | null;
            deleted: boolean;
        };
        OrderOut: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            dialog_id: string;
            /** Format: uuid */
            customer_id?: string | null;
            /** Format: uuid */
            manager_id?: string | null;
            status: components["schemas"]["OrderStatus"];
            source?: null | components["schemas"]["Source"];
            /** Format: date-time */
            created_at: string;
        };
        /** @enum {string} */
        OrderStatus: "new";
        Page_AttachmentOut: {
            items: {
                /** Format: uuid */
                message_id: string;
                author: components["schemas"]["ActorOut"];
                /** Format: date-time */
                at: string;
                file: components["schemas"]["FileOut"];
            }[];
            /** @description Pass as `cursor` for the next page; `null` on the last page. */
            next_cursor?: string | null;
        };
        Page_AuditEvent: {
            items: {
                stream: string;
                /**
                 * Format: int64
                 * @description Version within the stream (0-based).
                 */
                version: number;
                /** @description Global position: pass as `after` to continue. */
                position: string;
                /** Format: uuid */
                id: string;
                /**
                 * Format: date-time
                 * @description When the store recorded it.
                 */
                recorded_at: string;
                /** @description When it happened, as the domain recorded it (`metadata.at`). */
                at?: string | null;
                /** @description Who did it (`metadata.actor`): `{type: user|bot|customer|channel|system, id}`. */
                author: Record<string, never>;
                /** @description The stored metadata, whole. */
                metadata: Record<string, never>;
                type: string;
                /** Format: int32 */
                schema_version: number;
                data: Record<string, never>;
                /** @description SHA-256 chain: this event's hash and its stream predecessor's. */
                hash: string;
                prev_hash: string;
            }[];
            /** @description Pass as `cursor` for the next page; `null` on the last page. */
            next_cursor?: string | null;
        };
        Page_MentionOut: {
            items: {
                /** Format: uuid */
                id: string;
                /** Format: uuid */
                dialog_id: string;
                /** Format: uuid */
                note_id: string;
                /** @description Who wrote the note. */
                by: components["schemas"]["ActorOut"];
                text: string;
                /** @description `open` or `done`. */
                status: string;
                /** Format: date-time */
                created_at: string;
            }[];
            /** @description Pass as `cursor` for the next page; `null` on the last page. */
            next_cursor?: string | null;
        };
        Page_TimelineEntryOut: {
            items: ({
                message: components["schemas"]["MessageOut"];
                /** @enum {string} */
                type: "message";
            } | {
                note: components["schemas"]["NoteOut"];
                /** @enum {string} */
                type: "note";
            } | {
                /**
                 * @description `opened`, `closed`, `reopened`, `reassigned`, `customer_unpinned`, `customer_pinned`,
                 *     `snoozed` (with `until`), `woke` (with `reason`: time, customer, manual, closed).
                 */
                event: string;
                /** Format: date-time */
                at: string;
                by: components["schemas"]["ActorOut"];
                from?: null | components["schemas"]["ActorOut"];
                to?: null | components["schemas"]["ActorOut"];
                /** Format: date-time */
                until?: string | null;
                reason?: null | components["schemas"]["WakeReason"];
                /** @enum {string} */
                type: "system";
            })[];
            /** @description Pass as `cursor` for the next page; `null` on the last page. */
            next_cursor?: string | null;
        };
        /** @description One opening period of a day, `from` before `to`. */
        Period: {
            /** @example 09:00 */
            from: string;
            /** @example 18:00 */
            to: string;
        };
        PinBody: {
            /** Format: uuid */
            customer_id: string;
        };
        /** @description RFC 9457 problem document; `code` is the stable machine code. */
        Problem: {
            type: string;
            title: string;
            /** Format: int32 */
            status: number;
            code: string;
            detail: string;
        };
        QueueCount: {
            /** Format: uuid */
            channel_id: string;
            /** Format: int64 */
            dialogs: number;
        };
        QuickReplyOut: {
            /** Format: uuid */
            id: string;
            shared: boolean;
            name: string;
            text: string;
            /** Format: int64 */
            uses: number;
            /** Format: uuid */
            from_message_id?: string | null;
        };
        /** @description R9: the quoted message's text and author, embedded at the time of quoting. */
        Quote: {
            message_id: components["schemas"]["MessageId"];
            author: components["schemas"]["Actor"];
            text: string;
        };
        ReactionBody: {
            /** @description The emoji, or `null` to clear the caller's reaction. */
            emoji?: string | null;
        };
        /** @description R23: who reacted to a message, with what. */
        ReactionOut: {
            emoji: string;
            by: components["schemas"]["ActorOut"];
        };
        ReadUntilBody: {
            external_chat_id: string;
            /**
             * Format: date-time
             * @description The customer read every message we sent up to this time.
             */
            until: string;
        };
        ReadUntilOut: {
            /** Format: uuid */
            dialog_id: string;
            /** @description How many messages became `read`. */
            read: number;
        };
        ReassignBody: {
            to: components["schemas"]["Assignee"];
        };
        /**
         * @description R18: which dialogs move away from a manager who went offline or busy.
         * @enum {string}
         */
        ReassignWhenUnavailable: "all_unanswered" | "only_new";
        ReplyPatch: {
            name?: string | null;
            text?: string | null;
        };
        ReportedDeletion: {
            /** @description The chat the message is in: needed to find a customer's message by `external_id`. */
            external_chat_id?: string | null;
            message: components["schemas"]["NamedMessage"];
        };
        ReportedEdit: {
            /** @description The chat the message is in: needed to find a customer's message by `external_id`. */
            external_chat_id?: string | null;
            message: components["schemas"]["EditedMessage"];
        };
        /** @description What a report did. */
        ReportedOut: {
            /** Format: uuid */
            dialog_id: string;
            /** Format: uuid */
            message_id: string;
            /** @description `false` when the report changed nothing (a repeated one). */
            changed: boolean;
        };
        ReportedReaction: {
            /** @description The chat the message is in: needed to find a customer's message by `external_id`. */
            external_chat_id?: string | null;
            message?: null | components["schemas"]["NamedMessage"];
            /** Format: uuid */
            message_id?: string | null;
            /** @description The customer's reaction, or `null` when they removed it. */
            emoji?: string | null;
        };
        ReportedTyping: {
            external_chat_id: string;
        };
        /**
         * @description Rights granted by groups (SPEC §3).
         * @enum {string}
         */
        Right: "dialogs.delete" | "dialogs.view_all" | "settings.manage" | "quick_replies.manage_shared";
        /** @enum {string} */
        Role: "admin" | "chat_admin" | "manager" | "auditor";
        ScheduleBody: {
            /**
             * Format: date-time
             * @description When to send it (RFC 3339; in the future, at most a year ahead).
             */
            send_at: string;
            text?: string | null;
            attachment_ids?: string[] | null;
            template?: null | components["schemas"]["TemplateRef"];
        };
        SchedulePatch: {
            /** Format: date-time */
            send_at?: string | null;
            text?: string | null;
            attachment_ids?: string[] | null;
            template?: null | components["schemas"]["TemplateRef"];
        };
        /** @description A scheduled message. */
        ScheduledOut: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            dialog_id: string;
            /** @description Who scheduled it (and will be its author). */
            author: components["schemas"]["ActorOut"];
            /** Format: date-time */
            send_at: string;
            status: components["schemas"]["ScheduledStatus"];
            text: string;
            attachments: components["schemas"]["Attachment"][];
            template?: null | components["schemas"]["ScheduledTemplate"];
            error?: null | components["schemas"]["MessageError"];
            /**
             * Format: uuid
             * @description With `sent`: the message it became.
             */
            message_id?: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** @enum {string} */
        ScheduledStatus: "pending" | "sent" | "failed" | "cancelled";
        ScheduledTemplate: {
            code: string;
            params?: string[];
        };
        SendBody: {
            template?: null | components["schemas"]["TemplateBody"];
            text?: string;
            /** Format: uuid */
            quote_message_id?: string | null;
            attachment_ids?: string[];
        };
        SnoozeBody: {
            /**
             * Format: date-time
             * @description Until when (RFC 3339; in the future, at most a year ahead).
             */
            until: string;
        };
        /** @description Where a customer came from (R1): shown on the customer card and copied onto orders. */
        Source: {
            channel_id: components["schemas"]["ChannelId"];
            channel_type: components["schemas"]["ChannelType"];
            utm?: components["schemas"]["Utm"];
        };
        /** @description A duration's summary, in seconds. */
        StatOut: {
            /**
             * Format: int64
             * @description How many intervals were measured.
             */
            count: number;
            /**
             * Format: double
             * @description Seconds (`null` with none).
             */
            mean_s?: number | null;
            /**
             * Format: int64
             * @description Seconds: the lower median (nearest rank).
             */
            median_s?: number | null;
            /**
             * Format: int64
             * @description Seconds: the 90th percentile (nearest rank).
             */
            p90_s?: number | null;
        };
        /**
         * @description R18: how the distribution bot picks a manager.
         * @enum {string}
         */
        Strategy: "round_robin" | "least_loaded";
        SummaryOut: {
            /**
             * Format: int32
             * @description The version of the definitions used (docs/REPORTS.md).
             */
            definitions_version: number;
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            /** @description The time zone periods are cut in: the calendar's, else UTC. */
            time_zone: string;
            group_by: string;
            /** @description `true` when the shop keeps a calendar: `working` figures are given. */
            working_hours: boolean;
            /**
             * Format: uuid
             * @description Only this manager's figures (a manager's own report).
             */
            manager?: string | null;
            groups: components["schemas"]["GroupOut"][];
            total: components["schemas"]["FiguresOut"];
        };
        TagBody: {
            /** Format: uuid */
            tag_id: string;
            pinned?: boolean;
        };
        /**
         * @description R19: one of twelve colours.
         * @enum {string}
         */
        TagColor: "red" | "orange" | "yellow" | "lime" | "green" | "teal" | "cyan" | "blue" | "indigo" | "purple" | "pink" | "grey";
        TagOut: {
            /** Format: uuid */
            id: string;
            name: string;
            color: components["schemas"]["TagColor"];
        };
        TagPatch: {
            name?: string | null;
            color?: null | components["schemas"]["TagColor"];
        };
        /** @description R26: a template as the platform approved it; `body` holds `{{1}}`, `{{2}}`, …. */
        Template: {
            code: string;
            name: string;
            language: string;
            body: string;
            status: components["schemas"]["TemplateStatus"];
        };
        /** @description R26: an approved template of the channel, by code, with its positional parameters. */
        TemplateBody: {
            code: string;
            params?: string[];
        };
        TemplateRef: {
            code: string;
            params?: string[];
        };
        TemplateSet: {
            /** @description The channel's whole set: templates not listed are gone. */
            templates: components["schemas"]["Template"][];
        };
        /** @enum {string} */
        TemplateStatus: "approved" | "pending" | "rejected" | "paused" | "disabled";
        /** @description R26: which template a message was, with what: in the message's event and every view of it. */
        TemplateUse: {
            code: string;
            language: string;
            params: string[];
        };
        /** @description What a publication did. */
        TemplatesOut: {
            /** @description How many templates the channel has now. */
            templates: number;
            /** @description `false` when the set was the same as before. */
            changed: boolean;
        };
        /** @description R15: seconds, multiples of 10, at least 10; `warning_after <= limit`. */
        TimeLimit: {
            /** Format: int32 */
            warning_after: number;
            /** Format: int32 */
            limit: number;
        };
        TimeLimits: {
            default?: null | components["schemas"]["TimeLimit"];
            channels?: {
                [key: string]: components["schemas"]["TimeLimit"];
            };
        };
        /** @description One entry of a dialog's timeline, newest first. */
        TimelineEntryOut: {
            message: components["schemas"]["MessageOut"];
            /** @enum {string} */
            type: "message";
        } | {
            note: components["schemas"]["NoteOut"];
            /** @enum {string} */
            type: "note";
        } | {
            /**
             * @description `opened`, `closed`, `reopened`, `reassigned`, `customer_unpinned`, `customer_pinned`,
             *     `snoozed` (with `until`), `woke` (with `reason`: time, customer, manual, closed).
             */
            event: string;
            /** Format: date-time */
            at: string;
            by: components["schemas"]["ActorOut"];
            from?: null | components["schemas"]["ActorOut"];
            to?: null | components["schemas"]["ActorOut"];
            /** Format: date-time */
            until?: string | null;
            reason?: null | components["schemas"]["WakeReason"];
            /** @enum {string} */
            type: "system";
        };
        /** @description R24's answer. */
        TypingOut: {
            /** @description `false` when a typing notice for this dialog went out less than 3 s ago (nothing sent). */
            sent: boolean;
        };
        TypingReported: {
            /** Format: uuid */
            dialog_id: string;
            /** @description `false` when the customer's typing in this dialog was passed on less than 3 s ago. */
            sent: boolean;
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
            /** Format: uuid */
            id: string;
            login: string;
            name: string;
            role: components["schemas"]["Role"];
            group_ids: string[];
            active: boolean;
            work_status: components["schemas"]["WorkStatus"];
            /** @description Holds an open WebSocket (SPEC §3). */
            online: boolean;
            rights: components["schemas"]["Right"][];
        };
        UserPatch: {
            name?: string | null;
            role?: null | components["schemas"]["Role"];
            group_ids?: string[] | null;
            active?: boolean | null;
            work_status?: null | components["schemas"]["WorkStatus"];
            password?: string | null;
        };
        /** @description UTM fields of the customer's first contact. */
        Utm: {
            source?: string | null;
            medium?: string | null;
            campaign?: string | null;
            content?: string | null;
            term?: string | null;
        };
        /**
         * @description R15: `none`, `warning` or `danger` at `now`.
         * @enum {string}
         */
        WaitingLevel: "none" | "warning" | "danger";
        /**
         * @description R37: why a snoozed dialog came back.
         * @enum {string}
         */
        WakeReason: "time" | "customer" | "manual" | "closed";
        WebhookAttachment: {
            /** Format: uuid */
            file_id: string;
            kind: components["schemas"]["AttachmentKind"];
            name: string;
            mime: string;
            /** Format: int64 */
            size: number;
            /** @description Download with the transport token: `GET` this path on chatd. */
            url: string;
        };
        /**
         * @description POSTed to a channel's `webhook_url` when a manager or bot edits a message
         *     (`message_updated`, R21), deletes one (`message_deleted`, R22), reacts to one
         *     (`reaction_set`, R23), or is typing (`typing`, R24), and once per dialog when an admin
         *     erases the dialog's customer (`customer_erased`, R35: delete your copies; the chat's and
         *     the customer's external ids read `[erased]`, the message fields are `null`). Bodies of one dialog arrive in the
         *     order the changes were made; `event_id` is the same on every attempt.
         */
        WebhookChange: {
            /** @description `message_updated`, `message_deleted`, `reaction_set`, `typing` or `customer_erased`. */
            type: string;
            /** Format: uuid */
            event_id: string;
            data: components["schemas"]["WebhookChangeData"];
        };
        WebhookChangeData: {
            /** Format: uuid */
            dialog_id: string;
            /** Format: uuid */
            channel_id: string;
            /** @description The chat in the messenger. */
            external_chat_id: string;
            /** @description The customer's id in the messenger, when the dialog has a customer. */
            customer_external_id?: string | null;
            /**
             * Format: uuid
             * @description The message changed (`null` for `typing`).
             */
            message_id?: string | null;
            /**
             * @description The messenger's id of that message, when it has one (the answer to `message_sent`, or
             *     the customer's message id).
             */
            external_message_id?: string | null;
            /** @description Who made the change, or is typing. */
            by: components["schemas"]["ActorOut"];
            /** @description `message_updated`: the new text. */
            text?: string | null;
            /** @description `reaction_set`: the emoji, or `null` when the reaction was cleared. */
            emoji?: string | null;
            /** Format: date-time */
            at: string;
        };
        WebhookMessage: {
            /** Format: uuid */
            message_id: string;
            /** Format: uuid */
            dialog_id: string;
            /** Format: uuid */
            channel_id: string;
            /** @description The chat in the messenger to write to. */
            external_chat_id: string;
            /** @description The customer's id in the messenger, when the dialog has a customer. */
            customer_external_id?: string | null;
            author: components["schemas"]["ActorOut"];
            text: string;
            attachments: components["schemas"]["WebhookAttachment"][];
            quote?: null | components["schemas"]["WebhookQuote"];
            /** Format: date-time */
            created_at: string;
            template?: null | components["schemas"]["TemplateUse"];
        };
        /**
         * @description POSTed to a channel's `webhook_url` for every message a manager or bot sends (SPEC §5).
         *     `id` is the message id; `event_id` names this body, the same on every attempt: an
         *     integration that sees it twice (at-least-once) can drop the copy.
         */
        WebhookPayload: {
            /** @description Always `message_sent`. */
            type: string;
            /** Format: uuid */
            event_id: string;
            /** Format: uuid */
            id: string;
            data: components["schemas"]["WebhookMessage"];
        };
        WebhookQuote: {
            /** Format: uuid */
            message_id: string;
            /** @description The quoted message's id in the messenger, when it has one. */
            external_id?: string | null;
            text: string;
        };
        /** @description The integration's answer to a delivery: `{external_message_id}` (optional). */
        WebhookReply: {
            external_message_id?: string | null;
        };
        /** @description Opening periods per weekday; a day not listed is closed. */
        Week: {
            mon?: components["schemas"]["Period"][];
            tue?: components["schemas"]["Period"][];
            wed?: components["schemas"]["Period"][];
            thu?: components["schemas"]["Period"][];
            fri?: components["schemas"]["Period"][];
            sat?: components["schemas"]["Period"][];
            sun?: components["schemas"]["Period"][];
        };
        /** @enum {string} */
        WorkStatus: "free" | "busy" | "lunch" | "break";
        /** @description The same durations counted in the shop's working hours only (its calendar as it is now). */
        WorkingOut: {
            first_response: components["schemas"]["StatOut"];
            first_response_incl_bot: components["schemas"]["StatOut"];
            response: components["schemas"]["StatOut"];
            resolution: components["schemas"]["StatOut"];
        };
        /**
         * @description A write's answer: the resource, plus `position`, the global position of the write's last event
         *     (or of the log when it changed nothing) for the next read's `min_position`.
         */
        Written_AckOut: {
            /** Format: uuid */
            message_id: string;
            /** Format: uuid */
            dialog_id: string;
            /** @description `false` when the report moved nothing (a late or repeated one, R14). */
            changed: boolean;
        } & {
            position?: string | null;
        };
        /**
         * @description A write's answer: the resource, plus `position`, the global position of the write's last event
         *     (or of the log when it changed nothing) for the next read's `min_position`.
         */
        Written_BotOut: {
            /** Format: uuid */
            id: string;
            name: string;
            active: boolean;
            distribution: components["schemas"]["DistributionRule"][];
            /** @description `X-Bot-Token`, shown once, on creation. */
            token?: string | null;
        } & {
            position?: string | null;
        };
        /**
         * @description A write's answer: the resource, plus `position`, the global position of the write's last event
         *     (or of the log when it changed nothing) for the next read's `min_position`.
         */
        Written_CalendarOut: {
            calendar?: null | components["schemas"]["Calendar"];
            /** @description Open now (the shop's own hours; a channel may differ). */
            open: boolean;
            /**
             * Format: date-time
             * @description While open: when it closes.
             */
            closes_at?: string | null;
            /**
             * Format: date-time
             * @description While closed: when it opens (`null`: not within a year).
             */
            opens_at?: string | null;
        } & {
            position?: string | null;
        };
        /**
         * @description A write's answer: the resource, plus `position`, the global position of the write's last event
         *     (or of the log when it changed nothing) for the next read's `min_position`.
         */
        Written_ChannelOut: {
            /** Format: uuid */
            id: string;
            type: components["schemas"]["ChannelType"];
            name: string;
            /** @description `null` also for a caller without `settings.manage` (integrators put keys in URLs). */
            webhook_url?: string | null;
            capabilities: components["schemas"]["Capabilities"];
            limits: components["schemas"]["AttachmentLimits"];
            /** @description Shown once, on creation. */
            transport_token?: string | null;
            /** @description Shown once, on creation. */
            webhook_secret?: string | null;
            /** @description R37: the reply a customer gets outside working hours (`null`: none). */
            away_text?: string | null;
        } & {
            position?: string | null;
        };
        /**
         * @description A write's answer: the resource, plus `position`, the global position of the write's last event
         *     (or of the log when it changed nothing) for the next read's `min_position`.
         */
        Written_Empty: Record<string, never> & {
            position?: string | null;
        };
        /**
         * @description A write's answer: the resource, plus `position`, the global position of the write's last event
         *     (or of the log when it changed nothing) for the next read's `min_position`.
         */
        Written_ErasureOut: {
            /** @description `false`: the customer was erased before; nothing new was recorded. */
            changed: boolean;
            /** @description File bytes deleted from the file store now (their previews too). */
            files_deleted: number;
        } & {
            position?: string | null;
        };
        /**
         * @description A write's answer: the resource, plus `position`, the global position of the write's last event
         *     (or of the log when it changed nothing) for the next read's `min_position`.
         */
        Written_FileOut: {
            /** Format: uuid */
            id: string;
            name: string;
            /** @description Sniffed from the bytes. */
            mime: string;
            kind: components["schemas"]["AttachmentKind"];
            /** Format: int64 */
            size: number;
            /** Format: int32 */
            width?: number | null;
            /** Format: int32 */
            height?: number | null;
            sha256: string;
            /** @description Where to download it (relative to the API's origin). */
            url: string;
            /** @description A JPEG thumbnail, for images that decode. */
            preview_url?: string | null;
        } & {
            position?: string | null;
        };
        /**
         * @description A write's answer: the resource, plus `position`, the global position of the write's last event
         *     (or of the log when it changed nothing) for the next read's `min_position`.
         */
        Written_GroupOut: {
            /** Format: uuid */
            id: string;
            name: string;
            rights: components["schemas"]["Right"][];
        } & {
            position?: string | null;
        };
        /**
         * @description A write's answer: the resource, plus `position`, the global position of the write's last event
         *     (or of the log when it changed nothing) for the next read's `min_position`.
         */
        Written_InboundOut: {
            /** Format: uuid */
            message_id: string;
            /** Format: uuid */
            dialog_id: string;
        } & {
            position?: string | null;
        };
        /**
         * @description A write's answer: the resource, plus `position`, the global position of the write's last event
         *     (or of the log when it changed nothing) for the next read's `min_position`.
         */
        Written_Items_DeleteResult: {
            items: {
                /** Format: uuid */
                id: string;
                /** @description `deleted`, or the problem code for this id (`not_found`, ...). */
                result: string;
            }[];
        } & {
            position?: string | null;
        };
        /**
         * @description A write's answer: the resource, plus `position`, the global position of the write's last event
         *     (or of the log when it changed nothing) for the next read's `min_position`.
         */
        Written_LoginOut: {
            /** @description The bearer token: `Authorization: Bearer <token>`. */
            token: string;
            user?: null | components["schemas"]["UserOut"];
        } & {
            position?: string | null;
        };
        /**
         * @description A write's answer: the resource, plus `position`, the global position of the write's last event
         *     (or of the log when it changed nothing) for the next read's `min_position`.
         */
        Written_MessageOut: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            dialog_id: string;
            author: components["schemas"]["ActorOut"];
            /** @description `null` once the message was deleted (R22; auditors read the original in the log). */
            text?: string | null;
            /** @description Empty once the message was deleted. */
            attachments: components["schemas"]["Attachment"][];
            quote?: null | components["schemas"]["Quote"];
            status?: null | components["schemas"]["MessageStatus"];
            error?: null | components["schemas"]["MessageError"];
            /** Format: date-time */
            created_at: string;
            /**
             * Format: date-time
             * @description R21: when the text last changed; `null` if it never did.
             */
            edited_at?: string | null;
            /** @description R22 */
            deleted: boolean;
            /** @description R23: one per actor. */
            reactions: components["schemas"]["ReactionOut"][];
            template?: null | components["schemas"]["TemplateUse"];
        } & {
            position?: string | null;
        };
        /**
         * @description A write's answer: the resource, plus `position`, the global position of the write's last event
         *     (or of the log when it changed nothing) for the next read's `min_position`.
         */
        Written_NoteOut: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            dialog_id: string;
            author: components["schemas"]["ActorOut"];
            /** @description Empty once deleted. */
            text: string;
            /** @description The mentioned users. */
            mentions: components["schemas"]["ActorOut"][];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            edited_at?: string | null;
            deleted: boolean;
        } & {
            position?: string | null;
        };
        /**
         * @description A write's answer: the resource, plus `position`, the global position of the write's last event
         *     (or of the log when it changed nothing) for the next read's `min_position`.
         */
        Written_QuickReplyOut: {
            /** Format: uuid */
            id: string;
            shared: boolean;
            name: string;
            text: string;
            /** Format: int64 */
            uses: number;
            /** Format: uuid */
            from_message_id?: string | null;
        } & {
            position?: string | null;
        };
        /**
         * @description A write's answer: the resource, plus `position`, the global position of the write's last event
         *     (or of the log when it changed nothing) for the next read's `min_position`.
         */
        Written_ReadUntilOut: {
            /** Format: uuid */
            dialog_id: string;
            /** @description How many messages became `read`. */
            read: number;
        } & {
            position?: string | null;
        };
        /**
         * @description A write's answer: the resource, plus `position`, the global position of the write's last event
         *     (or of the log when it changed nothing) for the next read's `min_position`.
         */
        Written_ReportedOut: {
            /** Format: uuid */
            dialog_id: string;
            /** Format: uuid */
            message_id: string;
            /** @description `false` when the report changed nothing (a repeated one). */
            changed: boolean;
        } & {
            position?: string | null;
        };
        /**
         * @description A write's answer: the resource, plus `position`, the global position of the write's last event
         *     (or of the log when it changed nothing) for the next read's `min_position`.
         */
        Written_ScheduledOut: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            dialog_id: string;
            /** @description Who scheduled it (and will be its author). */
            author: components["schemas"]["ActorOut"];
            /** Format: date-time */
            send_at: string;
            status: components["schemas"]["ScheduledStatus"];
            text: string;
            attachments: components["schemas"]["Attachment"][];
            template?: null | components["schemas"]["ScheduledTemplate"];
            error?: null | components["schemas"]["MessageError"];
            /**
             * Format: uuid
             * @description With `sent`: the message it became.
             */
            message_id?: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        } & {
            position?: string | null;
        };
        /**
         * @description A write's answer: the resource, plus `position`, the global position of the write's last event
         *     (or of the log when it changed nothing) for the next read's `min_position`.
         */
        Written_TagOut: {
            /** Format: uuid */
            id: string;
            name: string;
            color: components["schemas"]["TagColor"];
        } & {
            position?: string | null;
        };
        /**
         * @description A write's answer: the resource, plus `position`, the global position of the write's last event
         *     (or of the log when it changed nothing) for the next read's `min_position`.
         */
        Written_TemplatesOut: {
            /** @description How many templates the channel has now. */
            templates: number;
            /** @description `false` when the set was the same as before. */
            changed: boolean;
        } & {
            position?: string | null;
        };
        /**
         * @description A write's answer: the resource, plus `position`, the global position of the write's last event
         *     (or of the log when it changed nothing) for the next read's `min_position`.
         */
        Written_TimeLimits: {
            default?: null | components["schemas"]["TimeLimit"];
            channels?: {
                [key: string]: components["schemas"]["TimeLimit"];
            };
        } & {
            position?: string | null;
        };
        /**
         * @description A write's answer: the resource, plus `position`, the global position of the write's last event
         *     (or of the log when it changed nothing) for the next read's `min_position`.
         */
        Written_UserOut: {
            /** Format: uuid */
            id: string;
            login: string;
            name: string;
            role: components["schemas"]["Role"];
            group_ids: string[];
            active: boolean;
            work_status: components["schemas"]["WorkStatus"];
            /** @description Holds an open WebSocket (SPEC §3). */
            online: boolean;
            rights: components["schemas"]["Right"][];
        } & {
            position?: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `{status, position, projected}` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `{status: "ready", position}` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description not_ready: still catching up; store_unavailable: the event store cannot be reached */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text format 0.0.4 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": unknown;
                };
            };
        };
    };
    log_in: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Login"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_LoginOut"];
                };
            };
            /** @description invalid_credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description too_many_attempts: too many failed logins for this login; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    log_out: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_me: {
        parameters: {
            query?: {
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeOut"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_users: {
        parameters: {
            query?: {
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Items_UserOut"];
                };
            };
            /** @description unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    create_user: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewUser"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_UserOut"];
                };
            };
            /** @description unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description already_exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description validation_failed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    update_user: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserPatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_UserOut"];
                };
            };
            /** @description unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description last_admin: the change would leave no active admin */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_groups: {
        parameters: {
            query?: {
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Items_GroupOut"];
                };
            };
            /** @description unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    create_group: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewGroup"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_GroupOut"];
                };
            };
            /** @description unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    update_group: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GroupPatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_GroupOut"];
                };
            };
            /** @description unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_channels: {
        parameters: {
            query?: {
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Items_ChannelOut"];
                };
            };
            /** @description unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    create_channel: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewChannel"];
            };
        };
        responses: {
            /** @description the channel, with `transport_token` and `webhook_secret` shown once */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_ChannelOut"];
                };
            };
            /** @description unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    update_channel: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChannelPatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_ChannelOut"];
                };
            };
            /** @description unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_templates: {
        parameters: {
            query?: {
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description R26: the channel's templates as its integration published them last, by code; send one with `{template: {code, params}}` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Items_Template"];
                };
            };
            /** @description unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not_found: no such channel */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_dialogs: {
        parameters: {
            query?: {
                sort?: string;
                /** @description `open` (default: open and not snoozed), `snoozed` (R37), `closed` or `all`. */
                status?: string;
                responsible?: string;
                channel?: string;
                tags?: string;
                no_tags?: boolean;
                pinned_only?: boolean;
                last_message?: string;
                q?: string;
                /**
                 * @description R27: `me` lists the dialogs the caller has open mentions in (newest activity first, one
                 *     page of at most `limit`; other filters do not apply).
                 */
                mentioned?: string;
                /**
                 * @description R31: `true` lists the dialogs waiting in the distribution bot's queues, in processing
                 *     order, each with `queue_position` in its channel's queue (one page of at most `limit`;
                 *     only `channel` applies with it).
                 */
                queued?: boolean;
                cursor?: string;
                limit?: number;
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DialogList"];
                };
            };
            /** @description invalid_query, sort_unavailable */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description projection_lagging */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    dialog_facets: {
        parameters: {
            query?: {
                status?: string;
                pinned_only?: boolean;
                /**
                 * @description The list's other filters, as in `GET /api/v1/dialogs`: each facet's counts narrow with
                 *     every filter but its own (the channel counts ignore `channel`, the tag counts `tags` and
                 *     `no_tags`, the responsible counts `responsible`).
                 */
                responsible?: string;
                channel?: string;
                tags?: string;
                no_tags?: boolean;
                last_message?: string;
                q?: string;
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FacetsOut"];
                };
            };
            /** @description unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    unread_count: {
        parameters: {
            query?: {
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UnreadCount"];
                };
            };
            /** @description unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    delete_dialogs: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DeleteBody"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Items_DeleteResult"];
                };
            };
            /** @description missing_right */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_dialog: {
        parameters: {
            query?: {
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DialogDetail"];
                };
            };
            /** @description not_found: no such dialog, or not visible to the caller (an open mention makes it visible, R27) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_timeline: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_TimelineEntryOut"];
                };
            };
            /** @description not_found: no such dialog, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    send_message: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SendBody"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_MessageOut"];
                };
            };
            /** @description not_responsible */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not_found: no such dialog, or not visible to the caller; template_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description customer_blocked; reply_window_closed (R25: outside the channel's reply window only an approved template may be sent) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description attachment_too_large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description text_too_long, empty_message, quote_not_found, unsupported_by_channel, too_many_attachments, unknown_file; template_not_approved, template_params (R26) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    reassign_dialog: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReassignBody"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            /** @description not_responsible */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not_found: no such dialog, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description invalid_assignee */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    close_dialog: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description closed; closing a closed dialog is a no-op */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            /** @description not_responsible */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not_found: no such dialog, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    mark_read: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description read up to now by the caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            /** @description not_found: no such dialog, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    mark_unread: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description marked unread for the caller only */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            /** @description not_found: no such dialog, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    save_draft: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DraftBody"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            /** @description not_found: no such dialog, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description text_too_long */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    clear_draft: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the caller's draft cleared */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            /** @description not_found: no such dialog, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    unpin_customer: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the customer unpinned; the customer stays */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            /** @description not_found: no such dialog, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description customer_not_pinned */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    pin_customer: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PinBody"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            /** @description not_found: no such dialog, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description customer_already_pinned */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    delete_message: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
                message_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description R22: the message as it is now (`deleted: true`, `text: null`, no attachments); deleting it again changes nothing */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_MessageOut"];
                };
            };
            /** @description not_author */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not_found: no such dialog or message in it, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description unsupported_by_channel (no `deleting`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    edit_message: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
                message_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EditBody"];
            };
        };
        responses: {
            /** @description R21: the message as it is now (`edited_at` set); the same text again changes nothing */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_MessageOut"];
                };
            };
            /** @description not_author: only the message's author, an admin or a chat admin edits it (a customer's message is edited by the customer) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not_found: no such dialog or message in it, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description message_deleted */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description unsupported_by_channel (no `editing`), edit_window_passed, text_too_long, empty_message */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    set_reaction: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
                message_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReactionBody"];
            };
        };
        responses: {
            /** @description R23: the caller's one reaction set (or cleared); the message as it is now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_MessageOut"];
                };
            };
            /** @description forbidden: auditors do not react */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not_found: no such dialog or message in it, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description message_deleted */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description unsupported_by_channel: the channel carries no reactions, or not this emoji; validation_failed: not an emoji */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    send_typing: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description R24: a `typing` frame to the other users who see the dialog and a `typing` body to the channel's webhook, at most once per dialog every 3 s; nothing is stored */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TypingOut"];
                };
            };
            /** @description forbidden: auditors */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not_found: no such dialog, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    add_note: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NoteBody"];
            };
        };
        responses: {
            /** @description R27: the note; it never reaches the channel, its webhook or any counter */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_NoteOut"];
                };
            };
            /** @description forbidden: auditors; mention_not_allowed: the caller sees the dialog only through a mention and may not mention others into it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not_found: no such dialog, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description invalid_mention (oneself, not an active user, more than 20), text_too_long, empty_message */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    delete_note: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
                note_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description R27: the note, deleted (its open mentions close) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_NoteOut"];
                };
            };
            /** @description not_author */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    edit_note: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
                note_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NoteEdit"];
            };
        };
        responses: {
            /** @description R27: the note as it is now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_NoteOut"];
                };
            };
            /** @description not_author */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description message_deleted: the note was deleted */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description text_too_long, empty_message */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_mentions: {
        parameters: {
            query?: {
                /** @description `open` (default) or `done`. */
                status?: string;
                cursor?: string;
                /** @description 1 to 200 (default 50). */
                limit?: number;
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description R27: the caller's mentions, newest first, cursor-paged */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_MentionOut"];
                };
            };
            /** @description invalid_query */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    mark_mention_done: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description R27: the mention is done; the dialog leaves the caller's sight unless R2 shows it (`dialog_removed`) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            /** @description not_found: no such mention of the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_customer: {
        parameters: {
            query?: {
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerCard"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    block_customer: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    unblock_customer: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    tag_customer: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TagBody"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            /** @description no such customer or tag */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    untag_customer: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
                tag_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_tags: {
        parameters: {
            query?: {
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Items_TagOut"];
                };
            };
        };
    };
    create_tag: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewTag"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_TagOut"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    delete_tag: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description R39: the tag is gone from the catalogue and every customer (the log keeps its history) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            /** @description missing_right: settings.manage */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    update_tag: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TagPatch"];
            };
        };
        responses: {
            /** @description R39: the tag renamed or recoloured */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_TagOut"];
                };
            };
            /** @description not_found: no such tag (or deleted) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    erase_customer: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EraseBody"];
            };
        };
        responses: {
            /** @description R35: the customer's data key and files are destroyed; every view shows `[erased]` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_ErasureOut"];
                };
            };
            /** @description forbidden: admins only */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not_found: no such customer, or not reachable by the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description erasure_unsealed: the customer's data predates sealing (docs/PRIVACY.md) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description validation_failed: the reason */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    export_customer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description R35: everything chatd holds about the customer */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerExport"];
                };
            };
            /** @description forbidden: admins only */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not_found: no such customer, or not reachable by the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    report_summary: {
        parameters: {
            query?: {
                /**
                 * @description Start: an RFC 3339 time, or a date `YYYY-MM-DD` (that day's start in the shop's time
                 *     zone). Default: seven days before `to`.
                 */
                from?: string;
                /**
                 * @description End (exclusive): an RFC 3339 time, or a date (inclusive: up to that day's end in the
                 *     shop's time zone). Default: now. At most 400 days after `from`.
                 */
                to?: string;
                /** @description `day` (default), `week`, `month` (in the shop's time zone), `manager`, `channel` or `tag`. */
                group_by?: string;
                channel?: string;
                /** @description Only this manager's figures (a manager always gets their own). */
                manager?: string;
                tag?: string;
                /** @description `/reports/dialogs`: rows to skip and to give (at most 10000). */
                offset?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the period's figures by group, and in total; `text/csv` with `Accept: text/csv` (one row per group, then the total) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SummaryOut"];
                };
            };
            /** @description invalid_query */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description reports_rebuilding: rebuilt from the log after a start; `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    report_dialogs: {
        parameters: {
            query?: {
                /**
                 * @description Start: an RFC 3339 time, or a date `YYYY-MM-DD` (that day's start in the shop's time
                 *     zone). Default: seven days before `to`.
                 */
                from?: string;
                /**
                 * @description End (exclusive): an RFC 3339 time, or a date (inclusive: up to that day's end in the
                 *     shop's time zone). Default: now. At most 400 days after `from`.
                 */
                to?: string;
                /** @description `day` (default), `week`, `month` (in the shop's time zone), `manager`, `channel` or `tag`. */
                group_by?: string;
                channel?: string;
                /** @description Only this manager's figures (a manager always gets their own). */
                manager?: string;
                tag?: string;
                /** @description `/reports/dialogs`: rows to skip and to give (at most 10000). */
                offset?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description one row per dialog with a fact in the period, in the order of its first; `text/csv` with `Accept: text/csv` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DialogReport"];
                };
            };
            /** @description invalid_query */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description reports_rebuilding */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_calendar: {
        parameters: {
            query?: {
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarOut"];
                };
            };
        };
    };
    set_calendar: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Calendar"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_CalendarOut"];
                };
            };
            /** @description missing_right: settings.manage */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description validation_failed: an unknown time zone, overlapping or backward periods, too many */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    remove_calendar: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the shop keeps no calendar: always open */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            /** @description missing_right: settings.manage */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    snooze_dialog: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SnoozeBody"];
            };
        };
        responses: {
            /** @description out of the open lists (under `status=snoozed`) until `until` or the customer's next message; a `dialog_updated` frame then */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            /** @description not_responsible */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not_found: no such dialog, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description dialog_closed: a closed dialog is not snoozed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description validation_failed: `until` not in the future or more than a year ahead */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    unsnooze_dialog: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description back in the open lists; a no-op when not snoozed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            /** @description not_responsible */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_scheduled: {
        parameters: {
            query?: {
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the timeline's scheduled part, in the order they were scheduled: pending ones and what became of the others */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Items_ScheduledOut"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    schedule_message: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ScheduleBody"];
            };
        };
        responses: {
            /** @description scheduled; at `send_at` it is sent by the ordinary send as its author, or becomes `failed` with the reason */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_ScheduledOut"];
                };
            };
            /** @description not_responsible */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not_found, template_not_found, unknown file */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description too_many_scheduled */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description validation_failed, empty_message, text_too_long, too_many_attachments */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancel_scheduled: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
                schedule_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description cancelled (by its author, an admin or a chat admin) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            /** @description not_author */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description scheduled_not_pending */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    edit_scheduled: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
                schedule_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SchedulePatch"];
            };
        };
        responses: {
            /** @description what is given replaces what it holds (text and attachments together, or a template) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_ScheduledOut"];
                };
            };
            /** @description not_author */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description scheduled_not_pending: sent, failed or cancelled already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description validation_failed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_test_clock: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClockBody"];
                };
            };
            /** @description not_found: no test clock */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    set_test_clock: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClockBody"];
            };
        };
        responses: {
            /** @description the clock now says `now`; due timers fire */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClockBody"];
                };
            };
            /** @description not_found: no test clock (always, in service) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_time_limits: {
        parameters: {
            query?: {
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TimeLimits"];
                };
            };
        };
    };
    set_time_limits: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TimeLimits"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_TimeLimits"];
                };
            };
            /** @description missing_right */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description validation_failed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_quick_replies: {
        parameters: {
            query?: {
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description shared replies and the caller's own, most used first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Items_QuickReplyOut"];
                };
            };
        };
    };
    create_quick_reply: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewReply"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_QuickReplyOut"];
                };
            };
            /** @description missing_right */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    delete_quick_reply: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    update_quick_reply: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReplyPatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    use_quick_reply: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_bots: {
        parameters: {
            query?: {
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Items_BotOut"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    create_bot: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewBot"];
            };
        };
        responses: {
            /** @description the bot, with its `token` shown once */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_BotOut"];
                };
            };
            /** @description missing_right */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    update_bot: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BotPatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_BotOut"];
                };
            };
            /** @description missing_right */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_orders: {
        parameters: {
            query?: {
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Items_OrderOut"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    transport_receive_message: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InboundBody"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_InboundOut"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description customer_blocked */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description attachment_too_large: bigger than the channel carries for its kind (R7) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description empty_message, unsupported_by_channel, too_many_attachments, unknown_file, validation_failed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    transport_ack: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AckBody"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_AckOut"];
                };
            };
            /** @description no such outgoing message in this channel */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description unsupported_by_channel: a status the channel does not declare; validation_failed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    transport_read_until: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReadUntilBody"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_ReadUntilOut"];
                };
            };
            /** @description no live dialog for this chat */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description unsupported_by_channel: the channel does not declare read statuses */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    transport_publish_templates: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TemplateSet"];
            };
        };
        responses: {
            /** @description R26: the channel's template set, replacing the last one (an event on the channel's stream) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_TemplatesOut"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description validation_failed: a code listed twice, a field too long, placeholders not `{{1}}…{{n}}` first used in order (the detail names the template's code) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    transport_edit_message: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReportedEdit"];
            };
        };
        responses: {
            /** @description R21: the customer's message has the new text */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_ReportedOut"];
                };
            };
            /** @description not_author: only the customer's own messages are edited this way */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description no such message in this channel's live dialogs */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description message_deleted */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description unsupported_by_channel (no `editing`), text_too_long, empty_message, validation_failed; chat_required: a message that is not one we sent, named without `external_chat_id` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    transport_delete_message: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReportedDeletion"];
            };
        };
        responses: {
            /** @description R22: the customer's message is deleted (the log keeps it for auditors) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_ReportedOut"];
                };
            };
            /** @description not_author */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description no such message in this channel's live dialogs */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description unsupported_by_channel (no `deleting`), validation_failed; chat_required: a message that is not one we sent, named without `external_chat_id` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    transport_set_reaction: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReportedReaction"];
            };
        };
        responses: {
            /** @description R23: the customer's one reaction to the message, set or cleared */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_ReportedOut"];
                };
            };
            /** @description no such message in this channel's live dialogs */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description message_deleted */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description unsupported_by_channel: no reactions, or not this emoji; validation_failed; chat_required: a message that is not one we sent, named without `external_chat_id` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    transport_typing: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReportedTyping"];
            };
        };
        responses: {
            /** @description R24: a `typing` frame to every user who sees the dialog, at most once per dialog every 3 s; nothing is stored */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TypingReported"];
                };
            };
            /** @description no live dialog for this chat */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description validation_failed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    upload_file: {
        parameters: {
            query?: {
                /** @description The file's name; otherwise the multipart part's or `Content-Disposition`'s filename. */
                name?: string;
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description the raw bytes with their `Content-Type`, or `multipart/form-data` with one file part */
        requestBody: {
            content: {
                "application/octet-stream": number[];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_FileOut"];
                };
            };
            /** @description file_too_large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description empty_file */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_file: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the bytes, with their sniffed type */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": number[];
                };
            };
            /** @description not_found: no such file, or in no dialog the caller sees */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_file_preview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a JPEG thumbnail, at most 256 px a side */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/jpeg": number[];
                };
            };
            /** @description not_found, or no_preview for a file that is not a decodable image */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_attachments: {
        parameters: {
            query?: {
                /** @description `image`, or `file` for everything that is not an image; both when absent. */
                kind?: components["schemas"]["AttachmentTab"];
                cursor?: string;
                limit?: number;
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description sent and received attachments, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_AttachmentOut"];
                };
            };
            /** @description not_found: no such dialog, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    transport_upload_file: {
        parameters: {
            query?: {
                /** @description The file's name; otherwise the multipart part's or `Content-Disposition`'s filename. */
                name?: string;
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description the raw bytes with their `Content-Type`, or `multipart/form-data` with one file part */
        requestBody: {
            content: {
                "application/octet-stream": number[];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_FileOut"];
                };
            };
            /** @description file_too_large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description empty_file */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    transport_get_file: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the bytes of a file attached in one of the channel's dialogs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": number[];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    audit_find_dialogs: {
        parameters: {
            query: {
                /** @description Words of the customer's name: each must start a word of it (`ann ber` finds Anna Berg). */
                q: string;
                /** @description 1 to 200; 50 by default. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description R39: the dialogs of customers whose name matches, deleted ones included, most recent activity first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Items_AuditDialog"];
                };
            };
            /** @description invalid_query */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not an auditor or admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    audit_dialog_events: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. */
                cursor?: number;
                /** @description 1 to 1000; 200 by default. */
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description every event of the dialog's stream, oldest first, deleted dialogs included; secrets redacted */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_AuditEvent"];
                };
            };
            /** @description not an auditor or admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description no such dialog in the log */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    audit_log: {
        parameters: {
            query?: {
                /**
                 * @description A global position (exclusive): the `position` of the last event read, or the previous
                 *     page's `next_cursor`. From the beginning when absent.
                 */
                after?: string;
                /** @description 1 to 1000; 200 by default. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the global log after `after`, in order; `next_cursor` is the `after` of the next page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_AuditEvent"];
                };
            };
            /** @description invalid_query */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not an auditor or admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    audit_checkpoint: {
        parameters: {
            query?: {
                /**
                 * @description `false`: only the signed summary, without every stream's head (for frequent polling;
                 *     keep a full one to verify against).
                 */
                heads?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description R29: a signed checkpoint of every stream's head at the log's current end (made at most every 5 s; in between the last one is served). Keep it off the machine; `chatd audit verify --checkpoint FILE` proves the log still extends it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Checkpoint"];
                };
            };
            /** @description not an auditor or admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description log_not_intact: the log does not verify, so nothing is signed */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    audit_key: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description R29: the public key checkpoints are signed with */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditKeyView"];
                };
            };
            /** @description not an auditor or admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    bot_list_dialogs: {
        parameters: {
            query?: {
                sort?: string;
                /** @description `open` (default: open and not snoozed), `snoozed` (R37), `closed` or `all`. */
                status?: string;
                responsible?: string;
                channel?: string;
                tags?: string;
                no_tags?: boolean;
                pinned_only?: boolean;
                last_message?: string;
                q?: string;
                /**
                 * @description R27: `me` lists the dialogs the caller has open mentions in (newest activity first, one
                 *     page of at most `limit`; other filters do not apply).
                 */
                mentioned?: string;
                /**
                 * @description R31: `true` lists the dialogs waiting in the distribution bot's queues, in processing
                 *     order, each with `queue_position` in its channel's queue (one page of at most `limit`;
                 *     only `channel` applies with it).
                 */
                queued?: boolean;
                cursor?: string;
                limit?: number;
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the dialogs assigned to the bot, with every filter of the manager list */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DialogList"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description unknown token, or the bot is deactivated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    bot_send_message: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SendBody"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_MessageOut"];
                };
            };
            /** @description not_responsible: the dialog is not assigned to this bot */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description not_found; template_not_found (R26) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description customer_blocked; reply_window_closed (R25) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    bot_reassign_dialog: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReassignBody"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            /** @description not_responsible */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description invalid_assignee */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    bot_close_dialog: {
        parameters: {
            query?: {
                /** @description R38: act only once the read models have reached this position (5 s at most, then 503 `projection_lagging`), e.g. the `position` of a write on another node */
                min_position?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Written_Empty"];
                };
            };
            /** @description not_responsible */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
