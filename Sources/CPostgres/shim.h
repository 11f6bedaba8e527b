#ifndef GATEWAY_CPOSTGRES_SHIM_H
#define GATEWAY_CPOSTGRES_SHIM_H
#include <libpq-fe.h>
// The type OIDs of the result columns the engine maps to integers, reals and bytes, and of the parameters it binds
// (pg_type.h is a server header).
enum {
    GW_PG_BOOL = 16, GW_PG_BYTEA = 17, GW_PG_INT8 = 20, GW_PG_INT2 = 21, GW_PG_INT4 = 23, GW_PG_TEXT = 25,
    GW_PG_OID = 26,
    GW_PG_FLOAT4 = 700, GW_PG_FLOAT8 = 701, GW_PG_NUMERIC = 1700
};
#endif
