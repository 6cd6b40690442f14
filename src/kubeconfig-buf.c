/* kubeconfig-buf.c: buffers that may hold secrets, for the kubeconfig files:
 * wiping, capped growth, capped file reads, string vectors and base64. */
#include <sys/types.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kubeconfig.h"
#include "kubeconfig-private.h"
#include "warroom.h"

void
kcfg_wipe(void *p, size_t n)
{
	if (p == NULL || n == 0)
		return;
#if defined(__OpenBSD__) || defined(__FreeBSD__) || \
    (defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 25))
	explicit_bzero(p, n);
#else
	{
		volatile unsigned char	*vp = p;

		while (n-- > 0)
			*vp++ = 0;
	}
#endif
}

void
kcfg_free_secret(char *s)
{
	if (s != NULL) {
		kcfg_wipe(s, strlen(s));
		free(s);
	}
}

/* Append to a buffer, wiping the old copy when it moves; -1 past cap. */
int
kcfg_buf_add(struct kcfg_buf *b, const char *p, size_t n, size_t cap)
{
	char	*nd;
	size_t	 ns;

	if (n > cap || b->len > cap - n)
		return -1;
	if (b->len + n + 1 > b->size) {
		ns = b->size == 0 ? 4096 : b->size;
		while (ns < b->len + n + 1)
			ns *= 2;
		nd = xmalloc(ns);
		if (b->len != 0)
			memcpy(nd, b->data, b->len);
		kcfg_wipe(b->data, b->size);
		free(b->data);
		b->data = nd;
		b->size = ns;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

void
kcfg_buf_free(struct kcfg_buf *b)
{
	kcfg_wipe(b->data, b->size);
	free(b->data);
	b->data = NULL;
	b->len = b->size = 0;
}

/*
 * Read a file of at most max bytes into a new NUL-terminated buffer (which
 * the caller wipes and frees). NULL with errno set on failure, EFBIG if the
 * file is too large.
 */
char *
kcfg_read_file(const char *path, size_t max, size_t *lenp)
{
	struct kcfg_buf	 b = { NULL, 0, 0 };
	struct stat	 sb;
	char		 tmp[8192];
	ssize_t		 n;
	int		 fd, saved;

	if ((fd = open(path, O_RDONLY|O_CLOEXEC)) == -1)
		return NULL;
	if (fstat(fd, &sb) == -1)
		goto fail;
	if (S_ISDIR(sb.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	for (;;) {
		n = read(fd, tmp, sizeof tmp);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto fail;
		if (n == 0)
			break;
		if (kcfg_buf_add(&b, tmp, n, max) != 0) {
			errno = EFBIG;
			goto fail;
		}
	}
	close(fd);
	kcfg_wipe(tmp, sizeof tmp);
	if (b.data == NULL)
		b.data = xcalloc(1, 1);
	*lenp = b.len;
	return b.data;

fail:
	saved = errno;
	close(fd);
	kcfg_wipe(tmp, sizeof tmp);
	kcfg_buf_free(&b);
	errno = saved;
	return NULL;
}

void
kcfg_strv_free(char **v, int secret)
{
	char	**p;

	if (v == NULL)
		return;
	for (p = v; *p != NULL; p++) {
		if (secret)
			kcfg_free_secret(*p);
		else
			free(*p);
	}
	free(v);
}

void
kcfg_strv_add(char ***v, size_t *n, char *s)
{
	*v = xreallocarray(*v, *n + 2, sizeof **v);
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
}

char *
kcfg_join(char **v, size_t n, const char *none)
{
	struct kcfg_buf	 b = { NULL, 0, 0 };
	size_t		 i;

	if (n == 0)
		return xstrdup(none);
	for (i = 0; i < n; i++) {
		if (i != 0)
			kcfg_buf_add(&b, ", ", 2, SIZE_MAX / 2);
		kcfg_buf_add(&b, v[i], strlen(v[i]), SIZE_MAX / 2);
	}
	return b.data;
}

/* Base64 decoding and encoding. */

static int
kcfg_b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

char *
kubeconfig_base64_decode(const char *in, size_t *len)
{
	const unsigned char	*p;
	unsigned char		*out;
	uint32_t		 acc = 0;
	size_t			 n = 0, bits = 0, pad = 0, chars = 0;
	int			 v;

	if (in == NULL)
		return NULL;
	out = xmalloc(strlen(in) / 4 * 3 + 4);
	for (p = (const unsigned char *)in; *p != '\0'; p++) {
		if (isspace(*p))
			continue;
		if (*p == '=') {
			pad++;
			continue;
		}
		if (pad != 0 || (v = kcfg_b64_value(*p)) == -1)
			goto bad;
		chars++;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (acc >> bits) & 0xff;
		}
	}
	/* A lone character carries no byte; padding must fill the quad. */
	if (chars % 4 == 1 || pad > 2 || (pad != 0 && (chars + pad) % 4 != 0))
		goto bad;
	out[n] = '\0';
	if (len != NULL)
		*len = n;
	return (char *)out;

bad:
	kcfg_wipe(out, strlen(in) / 4 * 3 + 4);
	free(out);
	return NULL;
}

char *
kcfg_base64_encode(const unsigned char *in, size_t len)
{
	static const char	 tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char			*out, *o;
	uint32_t		 v;
	size_t			 i;

	o = out = xmalloc((len + 2) / 3 * 4 + 1);
	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
		    in[i + 2];
		*o++ = tab[v >> 18];
		*o++ = tab[(v >> 12) & 63];
		*o++ = tab[(v >> 6) & 63];
		*o++ = tab[v & 63];
	}
	if (i < len) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		*o++ = tab[v >> 18];
		*o++ = tab[(v >> 12) & 63];
		*o++ = i + 1 < len ? tab[(v >> 6) & 63] : '=';
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

char *
kcfg_trim(char *buf, size_t len, char **end)
{
	char	*s = buf, *e = buf + len;

	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	*e = '\0';
	*end = e;
	return s;
}
