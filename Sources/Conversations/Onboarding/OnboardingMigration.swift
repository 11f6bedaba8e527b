import Storage

/// Migration 50: onboarding sessions booked on lead tickets — one per ticket, rescheduled and cancelled in place so
/// its calendar invite keeps one UID and counts its versions in `sequence`.
enum OnboardingMigration {
    static let migration = Migration(version: 50, name: "onboarding bookings", sql: """
        -- status: booked or cancelled. uid: the invite's RFC 5545 UID, never changed; sequence: its SEQUENCE, 0 when
        -- booked and +1 at each reschedule or cancellation. *_message_id: the WhatsApp messages of the current
        -- version (whatsapp_outbound_messages.id): the confirmation and the reminders waiting for their time (NULL
        -- when a reminder is not due: too close to the start, or pushed into it by quiet hours).
        CREATE TABLE onboarding_bookings (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER NOT NULL UNIQUE REFERENCES tickets (id),
            uid TEXT NOT NULL UNIQUE,
            sequence INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled')),
            starts_at INTEGER NOT NULL,
            ends_at INTEGER NOT NULL,
            owner TEXT NOT NULL,
            confirmation_message_id INTEGER,
            day_before_message_id INTEGER,
            hour_before_message_id INTEGER,
            booked_by TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        -- The team takes one onboarding at a time: a slot is booked once.
        CREATE UNIQUE INDEX onboarding_bookings_by_slot ON onboarding_bookings (starts_at) WHERE status = 'booked';
        """)
}
