/*
 * Harness: every answer the http plugin reads from a translation server — APy's /listPairs and
 * /translate, LibreTranslate's /languages and /translate, their error bodies — through the
 * plugin's own code (plugins/http/http.c, json_field.c, markup.c) on the real plugin host. The
 * plugin is built for the harness with a scripted transport (http_script.c) in place of libcurl:
 * the first byte picks the plugin's options, whether segments carry glossary terms and how many
 * segments the batch has; the rest is the script of answers, one part per request (FUZZ_SEPARATOR
 * lines between them), the server check first. Whatever the answers, the instance is refused with
 * a message or the batch ends with each segment translated (valid UTF-8) or failed with a message.
 */
#include "fuzz.h"

#include <dlfcn.h>

#include "document.h"
#include "host_services.h"
#include "utf8.h"

static const char *const option_sets[] = {
    "api=apy",
    "api=libretranslate,batch=3",
    "api=libretranslate,batch=1,max_request_bytes=300",
    "api=apy,mark_unknown=yes,pair=eng|spa",
    "api=libretranslate,key_env=XLATE_FUZZ_KEY,url=https://lt.example/",
    "api=apy,url=http://127.0.0.1:2737/,retries=0",
    "api=libretranslate",
    "api=apy,pair=en|es",
};

static const char *const sources[] = {
    "Hello world.",
    "NATO ministers met in Brussels.",
    "Fish & chips <b>bold</b> \"quoted\" 'single'",
    "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD1\x96\xD1\x82, NATO!",
    "Tab\there and a very long word Donaudampfschifffahrtsgesellschaftskapit\xC3\xA4n",
    "NATO and NATO again.",
    "x",
    "The EU and NATO &amp; <x id=\"0\"/>.",
};

static const xlate_loaded_plugin *plugin;
static void (*set_script)(const uint8_t *data, size_t size);

/* Loads the harness's http plugin once, through the host's loader. */
static void load_plugin(void) {
    xlate_plugin_search s;
    xlate_loaded_plugin *p = NULL;
    xlate_error err = {0};
    if (xlate_plugin_search_init(&s, NULL, 0, 0, xlate_host_services()) != 0 ||
        xlate_plugin_load(&s, FUZZ_HTTP_SO, &p, &err) != 0) {
        fprintf(stderr, "http_answers: %s\n", err.message ? err.message : "cannot load");
        abort();
    }
    xlate_plugin_search_free(&s);
    void *handle = dlopen(FUZZ_HTTP_SO, RTLD_NOW | RTLD_NOLOAD);
    if (!handle || !(set_script = (void (*)(const uint8_t *, size_t))dlsym(handle, "fuzz_http_script")))
        abort();
    plugin = p; /* kept for the whole run, as a run keeps its chain */
}

/* A document of `n` segments from `sources`, with "NATO" a glossary term when `terms`. */
static void make_doc(xlate_doc *doc, size_t n, int terms) {
    xlate_span spans[8];
    size_t len = 0;
    char *text = malloc(1024);
    if (!text)
        abort();
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(sources[i]);
        spans[i] = (xlate_span){len, len + l, i};
        memcpy(text + len, sources[i], l);
        len += l;
        text[len++] = '\n';
    }
    text[len] = '\0';
    if (xlate_doc_init(doc, "fuzz.txt", text, len, spans, n) != 0)
        abort();
    for (size_t i = 0; terms && i < n; i++) {
        xlate_seg *seg = &doc->segs[i];
        for (const char *at = seg->source; (at = strstr(at, "NATO")) != NULL; at += 4)
            if (xlate_seg_add_term(seg, (size_t)(at - seg->source), (size_t)(at - seg->source) + 4,
                                   "OTAN", NULL, 0) != 0)
                abort();
    }
}

static void check_segments(const xlate_doc *doc) {
    for (size_t i = 0; i < doc->n_segs; i++) {
        const xlate_seg *seg = &doc->segs[i];
        if (seg->target && (seg->target[seg->target_len] != '\0' ||
                            xlate_utf8_first_invalid(seg->target, seg->target_len, NULL) !=
                                seg->target_len))
            abort();
        if (seg->status == XLATE_SEG_FAILED && !seg->message)
            abort(); /* a failed segment says why */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!plugin)
        load_plugin();
    unsigned choice = fuzz_byte(&data, &size);
    const char *options = option_sets[choice & 7];
    int terms = (choice >> 3) & 1;
    size_t n = 1 + ((choice >> 4) & 7);
    set_script(data, size);

    xlate_instance *inst = NULL;
    xlate_error err = {0};
    if (xlate_instance_new(plugin, options, "en", "es", NULL, &inst, &err) != 0) {
        if (!err.message)
            abort();
        xlate_error_clear(&err);
        return 0;
    }
    xlate_doc doc;
    make_doc(&doc, n, terms);
    if (xlate_instance_process(inst, &doc, 0, doc.n_segs, &err) != 0 && !err.message)
        abort();
    xlate_error_clear(&err);
    check_segments(&doc);
    xlate_doc_free(&doc);
    xlate_instance_free(inst);
    return 0;
}
