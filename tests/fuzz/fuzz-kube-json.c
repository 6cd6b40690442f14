/* fuzz-kube-json.c: Kubernetes answers as the decoders see them: a list
 * (every item as a pod, deployment, replica set and HPA), a Table (columns
 * and rows), a Status, and every line as a watch event. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "decode-kube.h"
#include "model.h"
#include "warroom.h"
#include "fuzz-common.h"

/* A decoder's answer: an object or a cause, never both. */
static void
fuzz_item(void *item, char *cause, void (*free_fn)(void *))
{
	FUZZ_CHECK(item == NULL || cause == NULL);
	if (item != NULL)
		free_fn(item);
	free(cause);
}

static void
fuzz_object(json_t *obj, const struct kube_pod_columns *cols)
{
	char	 key[512], *cause = NULL, *sel;

	fuzz_item(decode_kube_pod(obj, 1764340455, &cause), cause,
	    kube_pod_free);
	cause = NULL;
	if (cols != NULL) {
		fuzz_item(decode_kube_pod_row(cols, obj, &cause), cause,
		    kube_pod_free);
		cause = NULL;
	}
	fuzz_item(decode_kube_deploy(obj, &cause), cause, kube_deploy_free);
	cause = NULL;
	fuzz_item(decode_kube_rs(obj, &cause), cause, kube_rs_free);
	cause = NULL;
	fuzz_item(decode_kube_hpa(obj, &cause), cause, kube_hpa_free);
	if (decode_kube_key(obj, key, sizeof key) != NULL)
		FUZZ_CHECK(memchr(key, '\0', sizeof key) != NULL);
	sel = decode_kube_selector(json_object_get(json_object_get(obj,
	    "spec"), "selector"));
	free(sel);
}

static void
fuzz_doc(json_t *root)
{
	struct kube_pod_columns	 cols, *colsp = NULL;
	struct kube_status	 st;
	json_t			*items, *obj, *ev;
	size_t			 i;

	if (decode_kube_status(root, &st) != 0)
		FUZZ_CHECK(st.reason == NULL && st.message == NULL);
	decode_kube_status_clear(&st);
	(void)decode_kube_list_rv(root);
	(void)decode_kube_list_continue(root);
	if (decode_kube_pod_columns(root, &cols) == 0)
		colsp = &cols;
	if ((items = json_object_get(root, "items")) == NULL)
		items = json_object_get(root, "rows");
	json_array_foreach(items, i, obj)
		fuzz_object(obj, colsp);
	if (json_is_object(root) && json_object_get(root, "rows") == NULL)
		fuzz_object(root, NULL);
	/* As a watch event line. */
	obj = NULL;
	switch (decode_kube_event(root, &obj)) {
	case KUBE_EVENT_BAD:
		break;
	case KUBE_EVENT_ERROR:
		FUZZ_CHECK(obj != NULL);
		if (decode_kube_status(obj, &st) != 0)
			FUZZ_CHECK(st.reason == NULL && st.message == NULL);
		decode_kube_status_clear(&st);
		break;
	default:
		FUZZ_CHECK(obj != NULL);
		if (decode_kube_pod_columns(obj, &cols) == 0) {
			ev = json_object_get(obj, "rows");
			json_array_foreach(ev, i, items)
				fuzz_object(items, &cols);
		} else
			fuzz_object(obj, NULL);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*p = (const char *)data, *end = p + size, *nl;
	json_t		*root;

	/* The whole body, as a list, Table or Status. */
	if ((root = json_loadb(p, size, 0, NULL)) != NULL) {
		fuzz_doc(root);
		json_decref(root);
		return 0;
	}
	/* A watch stream: one event a line. */
	while (p < end) {
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			nl = end;
		if ((root = json_loadb(p, nl - p, 0, NULL)) != NULL) {
			fuzz_doc(root);
			json_decref(root);
		}
		p = nl + 1;
	}
	return 0;
}
