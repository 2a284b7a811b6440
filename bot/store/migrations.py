"""The schema, as the scripts that build it: one entry per version, never edited once shipped.

``PRAGMA user_version`` counts the scripts a file has had; ``Database.migrate`` applies the rest.
``SEALED`` names the columns that hold what people said: the store keeps them encrypted
(bot/store/crypto.py), and docs/privacy.md lists every table.
"""

__all__ = ["MIGRATIONS", "SEALED"]

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE users (
        user_id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL,
        language TEXT NOT NULL CHECK (language IN ('ko', 'en')),
        language_fixed INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE recent_messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL,
        at TEXT NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX recent_by_user ON recent_messages (user_id, id);
    CREATE TABLE cases (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL,
        chat_id INTEGER NOT NULL,
        language TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'claimed', 'resolved')),
        priority TEXT NOT NULL CHECK (priority IN ('high', 'normal')),
        kind TEXT NOT NULL DEFAULT 'standard',
        reason TEXT NOT NULL,
        created_at TEXT NOT NULL,
        claimed_by INTEGER,
        claimed_at TEXT,
        resolved_by INTEGER,
        resolved_at TEXT,
        last_alert_at TEXT
    );
    CREATE UNIQUE INDEX one_active_case_per_user ON cases (user_id)
        WHERE status != 'resolved';
    CREATE TABLE transcript (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id INTEGER NOT NULL REFERENCES cases (id),
        at TEXT NOT NULL,
        author TEXT NOT NULL CHECK (author IN ('user', 'staff', 'bot')),
        kind TEXT NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX transcript_by_case ON transcript (case_id, id);
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor_id INTEGER,
        action TEXT NOT NULL,
        case_id INTEGER,
        allowed INTEGER NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL,
        chat_id INTEGER NOT NULL,
        case_id INTEGER,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        markup TEXT,
        copy_from_chat INTEGER,
        copy_message_id INTEGER,
        dedupe_key TEXT UNIQUE,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        sent_at TEXT,
        message_id INTEGER,
        last_error TEXT
    );
    CREATE INDEX outbox_pending ON outbox (sent_at, id);
    CREATE TABLE staff_messages (
        chat_id INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        case_id INTEGER NOT NULL,
        PRIMARY KEY (chat_id, message_id)
    );
    """,
    """
    ALTER TABLE users ADD COLUMN codeword_hash TEXT;
    ALTER TABLE users ADD COLUMN safety_word TEXT;
    ALTER TABLE cases ADD COLUMN contact_note TEXT;
    ALTER TABLE cases ADD COLUMN last_location TEXT;
    CREATE TABLE chat_messages (
        chat_id INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        at TEXT NOT NULL,
        author TEXT NOT NULL CHECK (author IN ('user', 'bot')),
        delete_at TEXT,
        deleted INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (chat_id, message_id)
    );
    CREATE INDEX chat_messages_due ON chat_messages (delete_at) WHERE deleted = 0;
    CREATE TABLE flows (
        user_id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        step INTEGER NOT NULL,
        answers TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE checkins (
        user_id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL,
        language TEXT NOT NULL,
        destination TEXT NOT NULL,
        departure TEXT NOT NULL,
        interval_minutes REAL NOT NULL,
        grace_minutes REAL NOT NULL,
        duress_hash TEXT,
        next_prompt_at TEXT NOT NULL,
        awaiting_since TEXT,
        created_at TEXT NOT NULL
    );
    """,
    """
    CREATE TABLE staff_notes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id INTEGER NOT NULL REFERENCES cases (id),
        at TEXT NOT NULL,
        author_id INTEGER NOT NULL,
        author_name TEXT NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX staff_notes_by_case ON staff_notes (case_id, id);
    """,
    """
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    ALTER TABLE users ADD COLUMN erase_after_case INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE staff_messages ADD COLUMN at TEXT;
    ALTER TABLE staff_messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'text';
    CREATE INDEX staff_messages_by_case ON staff_messages (case_id);
    CREATE TABLE redactions (
        chat_id INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        case_id INTEGER NOT NULL,
        at TEXT,
        kind TEXT NOT NULL,
        PRIMARY KEY (chat_id, message_id)
    );
    CREATE INDEX cases_resolved ON cases (resolved_at) WHERE status = 'resolved';
    CREATE INDEX recent_by_time ON recent_messages (at);
    CREATE INDEX outbox_by_case ON outbox (case_id);
    CREATE INDEX outbox_by_chat ON outbox (chat_id);
    CREATE INDEX chat_messages_by_time ON chat_messages (at);
    """,
    # 5: delivery you can trust. Dead letters leave the queue without blocking their chat; a
    # copied message's source may be deleted only once the copy is accepted; a case notes that
    # its user blocked the bot; a group that became a supergroup is followed to its new id.
    """
    ALTER TABLE outbox ADD COLUMN dead_at TEXT;
    ALTER TABLE outbox ADD COLUMN delete_source INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX outbox_live ON outbox (id) WHERE sent_at IS NULL AND dead_at IS NULL;
    ALTER TABLE cases ADD COLUMN blocked_at TEXT;
    CREATE TABLE chat_moves (
        old_chat_id INTEGER PRIMARY KEY,
        new_chat_id INTEGER NOT NULL,
        at TEXT NOT NULL
    );
    """,
    # 6: the staff desk. Each case's forum topic; digests linked to the cases they announced
    # (so erasing one case removes the digest); and a per-case timeline for the numbers and
    # the escalation ladder, with no user id and no text, so it outlives the case.
    """
    CREATE TABLE case_topics (
        case_id INTEGER PRIMARY KEY REFERENCES cases (id),
        chat_id INTEGER NOT NULL,
        thread_id INTEGER NOT NULL,
        closed INTEGER NOT NULL DEFAULT 0,
        at TEXT NOT NULL
    );
    CREATE INDEX case_topics_by_thread ON case_topics (chat_id, thread_id);
    CREATE TABLE digest_cases (
        chat_id INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        case_id INTEGER NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (chat_id, message_id, case_id)
    );
    CREATE INDEX digest_cases_by_case ON digest_cases (case_id);
    CREATE TABLE case_metrics (
        case_id INTEGER PRIMARY KEY,
        opened_at TEXT NOT NULL,
        priority TEXT NOT NULL,
        language TEXT NOT NULL,
        missed_checkin INTEGER NOT NULL DEFAULT 0,
        seen_at TEXT,
        claimed_at TEXT,
        first_reply_at TEXT,
        resolved_at TEXT,
        tag TEXT,
        waiting_since TEXT NOT NULL,
        realerts INTEGER NOT NULL DEFAULT 0,
        supervisors_at TEXT
    );
    CREATE INDEX case_metrics_opened ON case_metrics (opened_at);
    INSERT INTO case_metrics (case_id, opened_at, priority, language, missed_checkin,
        claimed_at, resolved_at, waiting_since)
        SELECT id, created_at, priority, language, reason = 'missed check-in', claimed_at,
        resolved_at, created_at FROM cases;
    """,
    # 7: discretion on a watched phone. What each person agreed to share, and with whom; and
    # when a case's one safety note (mute, hide previews, delete, the code phrase) was sent.
    """
    CREATE TABLE case_consents (
        case_id INTEGER NOT NULL REFERENCES cases (id),
        party TEXT NOT NULL,
        answer TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (case_id, party)
    );
    ALTER TABLE cases ADD COLUMN safety_note_at TEXT;
    """,
    # 8: running it for real. Who asked to be forgotten, as keyed pseudonyms only
    # (bot/engine/pseudonym.py), so a restore of an older backup erases them again
    # (bot/store/backup.py), kept as long as the backups are; and the updates fetched from
    # Telegram but not handled yet, so a crash loses none (bot/telegram/inbox.py).
    """
    CREATE TABLE erasures (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        key_id TEXT NOT NULL,
        pseudonym TEXT NOT NULL
    );
    CREATE INDEX erasures_by_time ON erasures (at);
    CREATE TABLE inbox (
        update_id INTEGER PRIMARY KEY,
        user_id INTEGER,
        at TEXT NOT NULL,
        body TEXT NOT NULL
    );
    """,
)

# (table, column, key column) of every column kept sealed. A new column of what people say
# belongs here, and in docs/privacy.md.
SEALED: tuple[tuple[str, str, str], ...] = (
    ("users", "safety_word", "user_id"),
    ("recent_messages", "text", "id"),
    ("cases", "contact_note", "id"),
    ("cases", "last_location", "id"),
    ("transcript", "text", "id"),
    ("outbox", "text", "id"),
    ("flows", "answers", "user_id"),
    ("checkins", "destination", "user_id"),
    ("checkins", "departure", "user_id"),
    ("staff_notes", "text", "id"),
    ("inbox", "body", "update_id"),
)
