/* source-db.h: PostgreSQL (slow statements, sessions, connections) and
 * Redis (SLOWLOG, INFO) polled on a timer, each connection kept up by
 * itself; their health checks too. */
#ifndef WARROOM_SOURCE_DB_H
#define WARROOM_SOURCE_DB_H

struct source_ops;

/* NULL if neither postgres nor redis is configured. on_poll (may be NULL)
 * is called once, after the first answers (or failures) of both. */
extern const struct source_ops source_db_ops;

#endif
