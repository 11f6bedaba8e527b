import Storage

/// Migration 37: the built-in contact fields every organisation has out of the box, in the same table as its own —
/// the default customer fields (job title, owner, sex, date of birth, source, status, domicile, company), loyalty
/// membership, and the per-customer commerce, marketing and communication metrics only an outside system knows
/// (lifetime value, average order value, bookings, ad results, …), each number with the bounds its metric allows.
/// Their values are set like any field's (`PATCH /v1/contacts/{id}/fields`, the bulk import). A field of the
/// organisation's own that already holds one of these keys keeps it and stays its own.
enum DefaultContactFieldsMigration {
    static let migration = Migration(version: 37, name: "built-in contact fields", sql: """
        ALTER TABLE contact_fields ADD COLUMN built_in INTEGER NOT NULL DEFAULT 0;
        -- Bounds of a number field's values (either may be missing).
        ALTER TABLE contact_fields ADD COLUMN minimum REAL;
        ALTER TABLE contact_fields ADD COLUMN maximum REAL;
        INSERT OR IGNORE INTO contact_fields (key, label, type, options, built_in, minimum, maximum, created_at) VALUES
            ('job_title', 'Job title', 'single_line_text', NULL, 1, NULL, NULL, 0),
            ('owner', 'Owner', 'single_line_text', NULL, 1, NULL, NULL, 0),
            ('sex', 'Sex', 'dropdown', '["Male","Female"]', 1, NULL, NULL, 0),
            ('date_of_birth', 'Date of birth', 'date', NULL, 1, NULL, NULL, 0),
            ('source', 'Source', 'dropdown',
             '["WhatsApp","Email","Instagram","Facebook","Telegram","LINE","Live chat","Web form","Phone call","Manual entry","Import"]',
             1, NULL, NULL, 0),
            ('status', 'Status', 'single_line_text', NULL, 1, NULL, NULL, 0),
            ('domicile', 'Domicile (province / region)', 'single_line_text', NULL, 1, NULL, NULL, 0),
            ('company', 'Company', 'single_line_text', NULL, 1, NULL, NULL, 0),
            ('loyalty_tier', 'Current tier', 'single_line_text', NULL, 1, NULL, NULL, 0),
            ('loyalty_points', 'Total available points', 'number', NULL, 1, 0, NULL, 0),
            ('loyalty_points_pending', 'Total balance pending', 'number', NULL, 1, 0, NULL, 0),
            ('loyalty_points_lifetime', 'Total lifetime earned', 'number', NULL, 1, 0, NULL, 0),
            ('loyalty_member_since', 'Member created at', 'date', NULL, 1, NULL, NULL, 0),
            ('average_call_duration_seconds', 'Avg call duration (seconds)', 'number', NULL, 1, 0, NULL, 0),
            ('average_nps_score', 'Avg NPS score', 'number', NULL, 1, 0, 10, 0),
            ('ai_containment_rate', 'AI containment rate', 'number', NULL, 1, 0, 100, 0),
            ('campaign_attributed_revenue', 'Campaign-attributed revenue', 'number', NULL, 1, 0, NULL, 0),
            ('ad_impressions', 'Ad impressions', 'number', NULL, 1, 0, NULL, 0),
            ('ad_clicks', 'Ad clicks', 'number', NULL, 1, 0, NULL, 0),
            ('ads_conversion_rate', 'Ads conversion rate', 'number', NULL, 1, 0, 100, 0),
            ('cost_per_lead', 'Cost per lead (CPL)', 'number', NULL, 1, 0, NULL, 0),
            ('cost_per_acquisition', 'Cost per acquisition (CPA)', 'number', NULL, 1, 0, NULL, 0),
            ('roas', 'ROAS', 'number', NULL, 1, 0, NULL, 0),
            ('total_bookings', 'Total bookings', 'number', NULL, 1, 0, NULL, 0),
            ('booking_completed_rate', 'Booking completed rate', 'number', NULL, 1, 0, 100, 0),
            ('lifetime_value', 'Total spend (LTV)', 'number', NULL, 1, 0, NULL, 0),
            ('average_order_value', 'Avg order value (AOV)', 'number', NULL, 1, 0, NULL, 0),
            ('purchase_frequency', 'Purchase frequency (orders / 90 days)', 'number', NULL, 1, 0, NULL, 0),
            ('paid_rate', 'Paid rate', 'number', NULL, 1, 0, 100, 0),
            ('preferred_payment_method', 'Preferred payment method', 'single_line_text', NULL, 1, NULL, NULL, 0),
            ('last_order_date', 'Last order / purchase date', 'date', NULL, 1, NULL, NULL, 0);
        DROP VIEW contact_field_definitions;
        CREATE VIEW contact_field_definitions AS SELECT key, label, type, options, built_in FROM contact_fields;
        """, postgres: .replacing([
            .init("INSERT OR IGNORE INTO", with: "INSERT INTO"),
            .init("NULL, NULL, 0);\nDROP VIEW", with: "NULL, NULL, 0) ON CONFLICT (key) DO NOTHING;\nDROP VIEW"),
        ]))
}
