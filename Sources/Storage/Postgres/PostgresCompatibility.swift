/// SQLite's built-in functions that the gateway's SQL calls where PostgreSQL has no function of that name, defined on
/// the server with SQLite's behaviour, so the statement is written once. Kept to the few that cannot be replaced by SQL
/// both engines accept; ``PostgresMigrator`` (re)defines them before every pass.
enum PostgresCompatibility {
    static let functions = """
        -- instr(haystack, needle): the 1-based position of needle in haystack, 0 when absent, NULL with a NULL.
        CREATE OR REPLACE FUNCTION instr(text, text) RETURNS integer LANGUAGE sql IMMUTABLE STRICT
            AS 'SELECT strpos($1, $2)';
        -- instr(haystack, needle) over stored bytes (a raw body): where the needle's UTF-8 bytes start, 0 when absent
        -- (SQLite reads a blob as text for it).
        CREATE OR REPLACE FUNCTION instr(bytea, text) RETURNS integer LANGUAGE sql IMMUTABLE STRICT
            AS 'SELECT position(convert_to($2, ''UTF8'') IN $1)';
        -- json_valid(text): whether the text is well-formed JSON (false for NULL).
        CREATE OR REPLACE FUNCTION json_valid(text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
        BEGIN
            PERFORM $1::jsonb;
            RETURN $1 IS NOT NULL;
        EXCEPTION WHEN others THEN
            RETURN false;
        END $$;
        -- julianday(text): the Julian day of a date or time ('YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS', 'now'; UTC), NULL
        -- for text that is none.
        CREATE OR REPLACE FUNCTION julianday(text) RETURNS double precision LANGUAGE plpgsql STABLE STRICT AS $$
        BEGIN
            RETURN extract(epoch FROM CASE WHEN $1 = 'now' THEN now()
                                           ELSE $1::timestamp AT TIME ZONE 'UTC' END) / 86400.0 + 2440587.5;
        EXCEPTION WHEN others THEN
            RETURN NULL;
        END $$;
        """
}
