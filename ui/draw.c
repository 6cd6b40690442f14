/* draw.c: measuring and fitting UTF-8 text into terminal columns, table
 * column layout and substring matching; plus two small curses writers. */
#include <ctype.h>
#include <string.h>
#include <wchar.h>

#include "draw.h"
#include "warroom.h"

size_t
draw_utf8_next(const char *s, unsigned int *cp)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned int		 c, min;
	size_t			 n, i;

	if (p[0] == '\0')
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		c = p[0] & 0x1f;
		n = 2;
		min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		c = p[0] & 0x0f;
		n = 3;
		min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		c = p[0] & 0x07;
		n = 4;
		min = 0x10000;
	} else
		goto bad;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = 0xfffd;
	return 1;
}

size_t
draw_utf8_encode(char *buf, unsigned int cp)
{
	if (cp < 0x80) {
		buf[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		buf[0] = (char)(0xc0 | (cp >> 6));
		buf[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		buf[0] = (char)(0xe0 | (cp >> 12));
		buf[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		buf[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	buf[0] = (char)(0xf0 | (cp >> 18));
	buf[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	buf[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	buf[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A code point that must never reach the terminal as itself. */
static int
draw_is_control(unsigned int cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}

/*
 * A format character (Unicode category Cf): the bidi marks, embeddings,
 * overrides and isolates, zero-width joiners and spaces, invisible
 * operators, tags. They draw nothing of their own but can reorder or hide
 * what follows, so whatever reached here unsanitized, they are not sent.
 */
static int
draw_is_format(unsigned int cp)
{
	static const unsigned int fmt[][2] = {
		{ 0x00ad, 0x00ad }, { 0x0600, 0x0605 }, { 0x061c, 0x061c },
		{ 0x06dd, 0x06dd }, { 0x070f, 0x070f }, { 0x0890, 0x0891 },
		{ 0x08e2, 0x08e2 }, { 0x180e, 0x180e }, { 0x200b, 0x200f },
		{ 0x202a, 0x202e }, { 0x2060, 0x2064 }, { 0x2066, 0x206f },
		{ 0xfeff, 0xfeff }, { 0xfff9, 0xfffb }, { 0x110bd, 0x110bd },
		{ 0x110cd, 0x110cd }, { 0x13430, 0x1343f },
		{ 0x1bca0, 0x1bca3 }, { 0x1d173, 0x1d17a },
		{ 0xe0001, 0xe0001 }, { 0xe0020, 0xe007f },
	};
	size_t	 i;

	if (cp < 0xad)
		return 0;
	for (i = 0; i < nitems(fmt); i++) {
		if (cp >= fmt[i][0] && cp <= fmt[i][1])
			return 1;
	}
	return 0;
}

/* Columns one code point takes, and the bytes to write for it. */
static int
draw_char(unsigned int cp, int ascii, char *out, size_t *outlen)
{
	int	 w;

	if (draw_is_control(cp) || cp == 0xfffd || (ascii && cp >= 0x80) ||
	    draw_is_format(cp)) {
		out[0] = '?';
		*outlen = 1;
		return 1;
	}
	*outlen = draw_utf8_encode(out, cp);
	if (cp < 0x80)
		return 1;
	w = wcwidth((wchar_t)cp);
	if (w < 0) {
		out[0] = '?';
		*outlen = 1;
		return 1;
	}
	return w;
}

int
draw_width(const char *s, int ascii)
{
	unsigned int	 cp;
	size_t		 n, outlen;
	char		 out[8];
	int		 w = 0;

	if (s == NULL)
		return 0;
	while ((n = draw_utf8_next(s, &cp)) != 0) {
		if (cp >= 0x20 && cp < 0x7f) {	/* printable ASCII: one cell */
			w++;
			s++;
			continue;
		}
		w += draw_char(cp, ascii, out, &outlen);
		s += n;
	}
	return w;
}

char *
draw_fit(char *buf, size_t len, const char *s, int width, int right,
    int ascii)
{
	const char	*ell = ascii ? "~" : "\xe2\x80\xa6";
	unsigned int	 cp;
	size_t		 n, outlen, used = 0, elllen = strlen(ell);
	char		 out[8];
	int		 w, total, col = 0, pad, fits;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (width <= 0)
		return buf;
	if (s == NULL)
		s = "";
	total = draw_width(s, ascii);
	fits = total <= width;
	pad = fits ? width - total : 0;
	if (right) {
		for (; pad > 0 && used + 1 < len; pad--)
			buf[used++] = ' ';
	}
	while ((n = draw_utf8_next(s, &cp)) != 0) {
		w = draw_char(cp, ascii, out, &outlen);
		if (!fits && col + w > width - 1)
			break;
		if (col + w > width || used + outlen + elllen + 1 > len)
			break;
		memcpy(buf + used, out, outlen);
		used += outlen;
		col += w;
		s += n;
	}
	if (!fits) {
		memcpy(buf + used, ell, elllen);
		used += elllen;
		col++;
		/* A wide character may have left one column over. */
		for (; col < width && used + 1 < len; col++)
			buf[used++] = ' ';
	}
	for (; pad > 0 && used + 1 < len; pad--)
		buf[used++] = ' ';
	buf[used] = '\0';
	return buf;
}

/* Grow the visible columns of one kind toward want; returns what is left.
 * Flex columns share evenly, fixed ones take their turn in order. */
static int
draw_layout_grow(struct draw_col *cols, int n, int spare, int flex,
    int essential)
{
	int	 i, grow, share, left;

	for (;;) {
		left = 0;
		for (i = 0; i < n; i++) {
			if (cols[i].width != 0 && !cols[i].flex == !flex &&
			    (cols[i].prio == 0) == essential &&
			    cols[i].width < cols[i].want)
				left++;
		}
		if (left == 0 || spare <= 0)
			return spare;
		share = flex ? spare / left : spare;
		if (share == 0)
			share = 1;
		for (i = 0; i < n && spare > 0; i++) {
			if (cols[i].width == 0 || !cols[i].flex != !flex ||
			    (cols[i].prio == 0) != essential ||
			    cols[i].width >= cols[i].want)
				continue;
			grow = cols[i].want - cols[i].width;
			if (grow > share)
				grow = share;
			if (grow > spare)
				grow = spare;
			cols[i].width += grow;
			spare -= grow;
		}
	}
}

int
draw_layout(struct draw_col *cols, int n, int total)
{
	int	 i, need, visible, spare, grow, best;

	for (i = 0; i < n; i++) {
		if (cols[i].min < 0) {
			cols[i].width = 0;	/* absent */
			continue;
		}
		if (cols[i].want < cols[i].min)
			cols[i].want = cols[i].min;
		cols[i].width = cols[i].min > 0 ? cols[i].min : 1;
	}
	for (;;) {
		need = 0;
		visible = 0;
		for (i = 0; i < n; i++) {
			if (cols[i].width == 0)
				continue;
			need += cols[i].width;
			visible++;
		}
		if (visible > 1)
			need += visible - 1;
		if (need <= total)
			break;
		best = -1;
		for (i = 0; i < n; i++) {
			if (cols[i].width == 0 || cols[i].prio == 0)
				continue;
			if (best == -1 || cols[i].prio >= cols[best].prio)
				best = i;
		}
		if (best == -1)
			break;
		cols[best].width = 0;
	}
	spare = total - need;

	/* Hide more rather than cut what must be whole (prio 0). */
	for (;;) {
		grow = 0;
		for (i = 0; i < n; i++) {
			if (cols[i].width != 0 && cols[i].prio == 0)
				grow += cols[i].want - cols[i].width;
		}
		if (grow <= spare)
			break;
		best = -1;
		for (i = 0; i < n; i++) {
			if (cols[i].width == 0 || cols[i].prio == 0)
				continue;
			if (best == -1 || cols[i].prio >= cols[best].prio)
				best = i;
		}
		if (best == -1)
			break;
		spare += cols[best].width + 1;
		cols[best].width = 0;
	}

	/*
	 * Grow to want in this order: the essential fixed columns (short,
	 * they hold the numbers and the status), the essential flex ones
	 * (the name), then the other fixed ones, then the other flex ones.
	 */
	spare = draw_layout_grow(cols, n, spare, 0, 1);
	spare = draw_layout_grow(cols, n, spare, 1, 1);
	spare = draw_layout_grow(cols, n, spare, 0, 0);
	spare = draw_layout_grow(cols, n, spare, 1, 0);

	/* Anything left widens the last visible column (a clean edge). */
	for (i = n - 1; i >= 0 && spare > 0; i--) {
		if (cols[i].width != 0) {
			cols[i].width += spare;
			break;
		}
	}
	visible = 0;
	for (i = 0; i < n; i++) {
		if (cols[i].width != 0)
			visible++;
	}
	return visible;
}

int
draw_match(const char *hay, const char *needle)
{
	size_t	 i, nlen;

	if (needle == NULL || *needle == '\0')
		return 1;
	if (hay == NULL)
		return 0;
	nlen = strlen(needle);
	for (; *hay != '\0'; hay++) {
		for (i = 0; i < nlen; i++) {
			if (hay[i] == '\0')
				return 0;
			if (tolower((unsigned char)hay[i]) !=
			    tolower((unsigned char)needle[i]))
				break;
		}
		if (i == nlen)
			return 1;
	}
	return 0;
}

int	 draw_x0;

void
draw_text(WINDOW *w, int y, int x, int width, const char *text, attr_t attr,
    int ascii)
{
	char	 buf[DRAW_CELL_MAX];

	if (width <= 0)
		return;
	if (width > (int)(sizeof buf / 4) - 1)
		width = (int)(sizeof buf / 4) - 1;
	draw_fit(buf, sizeof buf, text, width, 0, ascii);
	wattrset(w, attr);
	mvwaddstr(w, y, x + draw_x0, buf);
}

void
draw_hline(WINDOW *w, int y, int x, int width, attr_t attr, int ascii)
{
	const char	*rule = ascii ? "-" : "\xe2\x94\x80";
	int		 i;

	wattrset(w, attr);
	wmove(w, y, x + draw_x0);
	for (i = 0; i < width; i++)
		waddstr(w, rule);
}

/* Box parts: corners and rules, UTF-8 or ASCII. */
static const char *const draw_box_utf8[] = {
	"\xe2\x94\x8c", "\xe2\x94\x90", "\xe2\x94\x94", "\xe2\x94\x98",
	"\xe2\x94\x80", "\xe2\x94\x82"
};
static const char *const draw_box_ascii[] = { "+", "+", "+", "+", "-", "|" };

void
draw_box_edge(WINDOW *win, int y, int x, int w, int bottom, const char *label,
    attr_t attr, int ascii)
{
	const char *const *b = ascii ? draw_box_ascii : draw_box_utf8;
	int		 i, lw;

	wattrset(win, attr);
	mvwaddstr(win, y, x, b[bottom ? 2 : 0]);
	for (i = 1; i < w - 1; i++)
		waddstr(win, b[4]);
	waddstr(win, b[bottom ? 3 : 1]);
	if (label != NULL && (lw = draw_width(label, ascii)) < w - 4)
		draw_text(win, y, x + 2, lw, label, attr, ascii);
}

void
draw_box_side(WINDOW *win, int y, int x, attr_t attr, int ascii)
{
	wattrset(win, attr);
	mvwaddstr(win, y, x, ascii ? draw_box_ascii[5] : draw_box_utf8[5]);
}
