/* draw.h: text measuring, fitting and column layout for the screen. The
 * pure helpers need no terminal (tests call them); draw_text and draw_hline
 * write into a curses window. */
#ifndef WARROOM_DRAW_H
#define WARROOM_DRAW_H

#include <stddef.h>

#include <curses.h>

/* Longest cell we ever format, in bytes (a 512-column cell of 4-byte UTF-8). */
#define DRAW_CELL_MAX	2048

/* One table column. The caller fills title..right, draw_layout sets width. */
struct draw_col {
	const char	*title;		/* header text */
	int		 min;		/* narrowest useful width; -1 absent */
	int		 want;		/* widest content (and title) */
	int		 flex;		/* may take spare room beyond want */
	int		 prio;		/* hidden first when too narrow (0 never) */
	int		 right;		/* right-aligned */
	int		 width;		/* out: columns given, 0 = hidden */
};

/* Display columns of a UTF-8 string (ascii: one per character). */
int	 draw_width(const char *s, int ascii);

/*
 * Fit s into exactly width display columns in buf (size len): pad with
 * spaces (on the left if right), or cut and end with an ellipsis ("…", or
 * "~" when ascii). When ascii, every non-ASCII character becomes '?'; control
 * characters always do. Returns buf.
 */
char	*draw_fit(char *buf, size_t len, const char *s, int width, int right,
	    int ascii);

/*
 * Give the n columns widths that fit total display columns, with one space
 * between visible columns. Columns are hidden from the highest prio down
 * until the minimums fit, and further while the prio-0 columns could not
 * all reach want. Then columns grow toward want: fixed prio-0 ones, flex
 * prio-0 ones, other fixed ones, other flex ones; the rest widens the last
 * column. Returns the number of visible columns.
 */
int	 draw_layout(struct draw_col *cols, int n, int total);

/* Case-insensitive (ASCII) substring match; an empty needle matches. */
int	 draw_match(const char *haystack, const char *needle);

/* Encode a code point as UTF-8 into buf (at least 5 bytes); returns len. */
size_t	 draw_utf8_encode(char *buf, unsigned int cp);
/* Decode one UTF-8 character; returns its length (1 for an invalid byte,
 * with *cp = 0xfffd), 0 at the end of the string. */
size_t	 draw_utf8_next(const char *s, unsigned int *cp);

/* Columns added to every x of draw_text and draw_hline: a panel drawn in
 * the right half of the screen sets it and puts it back to 0. */
extern int draw_x0;

/* Write text (already fitted or not) at y, x in at most width columns. */
void	 draw_text(WINDOW *, int y, int x, int width, const char *text,
	    attr_t attr, int ascii);
/* A horizontal rule of width columns ("─", or "-" when ascii). */
void	 draw_hline(WINDOW *, int y, int x, int width, attr_t attr, int ascii);
/* A box's top (or bottom) edge of w columns at y, x, with a label in it;
 * and one of its sides. */
void	 draw_box_edge(WINDOW *, int y, int x, int w, int bottom,
	    const char *label, attr_t attr, int ascii);
void	 draw_box_side(WINDOW *, int y, int x, attr_t attr, int ascii);

#endif
