//! The store's schema: version 1 as it was, and the migrations after it
//! (rusqlite_migration steps, like central's).

pub(super) const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// Schema 1, as it was; later versions are the migrations below.
pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS sequences (
    day TEXT NOT NULL,
    grp TEXT NOT NULL,
    slot INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (day, grp, slot)
) WITHOUT ROWID;

-- Tickets this kiosk gave out: numbered here (origin 'local': slot 0 when
-- no central is used, the kiosk's slot while central is out of reach), or
-- numbered by central and kept here for the record (origin 'central').
CREATE TABLE IF NOT EXISTS tickets (
    id INTEGER PRIMARY KEY,
    origin TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'central')),
    day TEXT NOT NULL,
    grp TEXT NOT NULL,
    slot INTEGER NOT NULL DEFAULT 0,
    number INTEGER NOT NULL CHECK (number > 0),
    lane TEXT NOT NULL CHECK (lane IN ('normal', 'priority')),
    procedure_code TEXT,
    issued_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'waiting',
    UNIQUE (origin, day, grp, slot, number)
);
CREATE INDEX IF NOT EXISTS tickets_waiting ON tickets (day, grp, status, lane, number);

-- Satisfaction answers; `central_ticket` is the served ticket (central's
-- id) when the answer was given at a counter: one answer per ticket.
CREATE TABLE IF NOT EXISTS ratings (
    id INTEGER PRIMARY KEY,
    rated_at TEXT NOT NULL,
    answer TEXT NOT NULL CHECK (answer IN ('satisfied', 'neutral', 'unsatisfied')),
    ticket_id INTEGER REFERENCES tickets (id)
);

-- Dossiers a counter took in (personal data: kept until central has them
-- and the retention period has passed).
CREATE TABLE IF NOT EXISTS dossiers (
    code TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    status INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

-- Officers who may sign in at this counter; PINs as Argon2 hashes.
-- `failures` and `locked_until` are no longer used: failed sign-ins are
-- counted per ID as typed, in `meta`, so unknown IDs count alike.
CREATE TABLE IF NOT EXISTS officers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    pin_hash TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT
) WITHOUT ROWID;

-- Writes still to send to central, in order. A record is never deleted
-- unsent: it is 'sent', or 'failed' with the reason central gave.
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('ticket', 'void', 'rating', 'dossier', 'status')),
    idempotency_key TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at TEXT
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (state, id);
";

/// Schema 2: ratings carry the served ticket, the criteria and a comment.
pub(super) const MIGRATE_1_TO_2: &str = "
ALTER TABLE ratings ADD COLUMN central_ticket INTEGER;
ALTER TABLE ratings ADD COLUMN criteria TEXT NOT NULL DEFAULT '[]';
ALTER TABLE ratings ADD COLUMN comment TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX IF NOT EXISTS ratings_central_ticket ON ratings (central_ticket);
";

/// Schema 3: each record carries the device that wrote it (central's device
/// id), and goes out under that device's credential alone: the kiosk, the
/// counter and the board of one machine share one database, not one outbox.
const MIGRATE_2_TO_3: &str = "
ALTER TABLE outbox ADD COLUMN device INTEGER;
CREATE INDEX IF NOT EXISTS outbox_device ON outbox (device, state, id);
";

/// Schema 4: records are found by the dossier they are about. Retention
/// asks, for each dossier still holding personal data, about its records;
/// without this index each question read the whole outbox, which is never
/// emptied, so the hourly purge grew with every record ever written (a
/// month of office time: seconds per purge, holding the writer).
const MIGRATE_3_TO_4: &str = "
CREATE INDEX IF NOT EXISTS outbox_code ON outbox (json_extract(body, '$.code'));
";

/// Schema 5: fee payments recorded at a counter ('payment') and dossier
/// evaluations on the national criteria ('evaluation') go out as records
/// of their own. A CHECK cannot be altered in SQLite: the table is copied
/// into one that allows the new kinds, rows and ids kept.
const MIGRATE_4_TO_5: &str = "
CREATE TABLE outbox_5 (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('ticket', 'void', 'rating', 'dossier', 'status', 'payment', 'evaluation')),
    idempotency_key TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at TEXT,
    device INTEGER
);
INSERT INTO outbox_5 (id, kind, idempotency_key, body, created_at, state, attempts, last_error, sent_at, device)
    SELECT id, kind, idempotency_key, body, created_at, state, attempts, last_error, sent_at, device FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_5 RENAME TO outbox;
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (state, id);
CREATE INDEX IF NOT EXISTS outbox_device ON outbox (device, state, id);
CREATE INDEX IF NOT EXISTS outbox_code ON outbox (json_extract(body, '$.code'));
";

/// Schema 6: documents scanned at the counter, one PDF per checklist item,
/// kept with their dossier in the same commit; each goes to central as an
/// outbox record of its own ('document', uploaded in chunks). Once central
/// has a file and retention has passed, `pdf` is emptied and the row says
/// what there was. The outbox is copied again to allow the new kind.
const MIGRATE_5_TO_6: &str = "
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    item TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('intake', 'result')),
    pages INTEGER NOT NULL,
    size INTEGER NOT NULL,
    pdf BLOB,
    scanned_at TEXT NOT NULL,
    UNIQUE (code, sha256)
);
CREATE TABLE outbox_6 (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('ticket', 'void', 'rating', 'dossier', 'status', 'payment', 'evaluation', 'document')),
    idempotency_key TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at TEXT,
    device INTEGER
);
INSERT INTO outbox_6 (id, kind, idempotency_key, body, created_at, state, attempts, last_error, sent_at, device)
    SELECT id, kind, idempotency_key, body, created_at, state, attempts, last_error, sent_at, device FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_6 RENAME TO outbox;
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (state, id);
CREATE INDEX IF NOT EXISTS outbox_device ON outbox (device, state, id);
CREATE INDEX IF NOT EXISTS outbox_code ON outbox (json_extract(body, '$.code'));
";

/// The store's schema, one migration after another; the database's
/// `user_version` is the number applied (`rusqlite_migration`, as central's).
/// Append a step for every change; never edit one that has shipped.
pub(super) const MIGRATIONS: &[rusqlite_migration::M<'static>] = &[
    rusqlite_migration::M::up(SCHEMA),
    rusqlite_migration::M::up(MIGRATE_1_TO_2),
    rusqlite_migration::M::up(MIGRATE_2_TO_3),
    rusqlite_migration::M::up(MIGRATE_3_TO_4),
    rusqlite_migration::M::up(MIGRATE_4_TO_5),
    rusqlite_migration::M::up(MIGRATE_5_TO_6),
];
