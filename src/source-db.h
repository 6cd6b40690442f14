/* source-db.h: PostgreSQL (slow statements, sessions, connections) and
 * Redis (SLOWLOG, INFO) polled on a timer, each connection kept up by
 * itself; their health checks too. */
#ifndef WARROOM_SOURCE_DB_H
#define WARROOM_SOURCE_DB_H

struct uv_loop_s;
struct model;
struct source_db;

/* NULL if neither postgres nor redis is configured. on_poll (may be NULL)
 * is called once, after the first answers (or failures) of both. */
struct source_db *source_db_create(struct uv_loop_s *, struct model *,
	    void (*on_poll)(void *), void *arg);
void	 source_db_start(struct source_db *);
void	 source_db_refresh(struct source_db *);
void	 source_db_free(struct source_db *);

#endif
