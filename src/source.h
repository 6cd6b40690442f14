/* source.h: a data source is one entry of source_table: how it is made
 * from the loop and the shared handles, started, refreshed and stopped.
 * main.c loops over the table; a new source is a file and one entry. */
#ifndef WARROOM_SOURCE_H
#define WARROOM_SOURCE_H

struct uv_loop_s;
struct http;
struct kube;
struct model;

/* What a source is made from. Everything is borrowed and must outlive the
 * source. */
struct source_env {
	struct uv_loop_s *loop;
	struct http	*http;
	struct kube	*kube;
	struct model	*model;
	int		 watch;		/* 1 the dashboard: keep watching; 0
					 * a snapshot: Kubernetes lists once */
	void		(*on_poll)(void *); /* has answered (or failed);
					 * may be NULL, see each source */
	void		*arg;		/* on_poll's */
};

struct source_ops {
	const char	*name;
	/*
	 * A new source, or NULL when the config names none of its servers:
	 * then it takes no part (liveness: a snapshot waits for the sources
	 * that were made, each until its first on_poll).
	 */
	void		*(*create)(const struct source_env *);
	void		 (*start)(void *);
	/* The user's refresh: poll or list again now. */
	void		 (*refresh)(void *);
	/* Cancel its requests and close its handles; the memory is freed
	 * once the loop has run the close callbacks. */
	void		 (*free)(void *);
	/* A snapshot's deadline passed before every source answered; NULL
	 * if the source has nothing to mark. */
	void		 (*timed_out)(void *);
};

/* Every source, in the order they start and stop; NULL-terminated. */
extern const struct source_ops *const source_table[];

#endif
