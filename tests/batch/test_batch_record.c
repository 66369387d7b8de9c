/* batch_record: the record of what a batch's outputs are made with — canonical values, so that
 * the same run written two ways is one record; every setting that shapes the outputs in it; the
 * content hash of a file an option names; secrets kept out; and the differences, named with their
 * old and new values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch_record.h"
#include "check.h"
#include "pipeline.h"

#define PLUGIN_DIR BUILD_ROOT "/tests/plugins"

static xlate_plugin_search search;

static xlate_chain *chain_of(const char *spec) {
    xlate_chain *chain = NULL;
    xlate_error err = {0};
    const char *specs[] = {spec};
    CHECK_INT(xlate_chain_load(&search, specs, spec ? 1 : 0, "uk", "en", &chain, &err), 0);
    if (err.message)
        fprintf(stderr, "  %s\n", err.message);
    xlate_error_clear(&err);
    return chain;
}

typedef struct setup {
    xlate_pipeline_config pipeline;
    xlate_format formats[3];
    xlate_bulk_config batch;
} setup;

static void setup_init(setup *s, const xlate_chain *chain) {
    xlate_decode_options d = XLATE_DECODE_OPTIONS_INIT;
    xlate_normalize_options n = XLATE_NORMALIZE_OPTIONS_INIT;
    memset(s, 0, sizeof *s);
    s->pipeline.decode = d;
    s->pipeline.normalize = n;
    s->pipeline.source_lang = "uk";
    s->pipeline.target_lang = "en";
    s->formats[0] = XLATE_FORMAT_TSV;
    s->batch.chain = chain;
    s->batch.pipeline = &s->pipeline;
    s->batch.formats = s->formats;
    s->batch.n_formats = 1;
}

static char *record_of(const setup *s) {
    char *r = NULL;
    xlate_error err = {0};
    CHECK_INT(xlate_bulk_record_make(&s->batch, &r, &err), 0);
    xlate_error_clear(&err);
    return r;
}

static char *diff_of(const char *a, const char *b) {
    int oom = 0;
    char *d = xlate_bulk_record_diff(a, b, &oom);
    CHECK_INT(oom, 0);
    return d;
}

static void test_hash(void) {
    char hex[24];
    xlate_bulk_record_hash("abc", 3, hex);
    CHECK_STR(hex, "sha256:ba7816bf8f01cfea"); /* FIPS 180-2's example */
}

/* The same run, written two ways, is one record; each setting that shapes the outputs shows. */
static void test_canonical_and_complete(void) {
    xlate_chain *plain = chain_of("testtrans"), *spelled = chain_of("testtrans:count=01,fail_batch=no");
    setup a, b;
    setup_init(&a, plain);
    setup_init(&b, spelled);
    a.pipeline.decode.encoding = "cp1251";
    b.pipeline.decode.encoding = "windows-1251";
    a.formats[0] = XLATE_FORMAT_TMX, a.formats[1] = XLATE_FORMAT_TSV, a.batch.n_formats = 2;
    b.formats[0] = XLATE_FORMAT_TSV, b.formats[1] = XLATE_FORMAT_TMX, b.batch.n_formats = 2;
    char *ra = record_of(&a), *rb = record_of(&b);
    CHECK_STR(ra, rb);
    CHECK(diff_of(ra, rb) == NULL);
    const char *wanted[] = {
        "version\txlate ", "\n--from\tuk\n", "\n--to\ten\n", "\n--format\ttsv,tmx\n",
        "\n--output-encoding\tUTF-8\n", "\n--encoding\twindows-1251\n", "\n--on-invalid\terror\n",
        "\n--normalize\tnfc\n", "\n--apostrophe\tU+02BC\n", "\n--srx\tbuilt-in rules sha256:",
        "\nplugins\ttesttrans\n", "\nplugin 1 (testtrans)\ttesttrans 1.0.0\n",
        "\nplugin 1 (testtrans) count\t1\n", "\nplugin 1 (testtrans) fail_batch\toff\n",
        "\nplugin 1 (testtrans) fail_word\t(none)\n", "\nplugin 1 (testtrans) placeholders\tkeep\n"};
    for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++)
        if (!ra || !strstr(ra, wanted[i])) {
            fprintf(stderr, "record lacks '%s':\n%s\n", wanted[i], ra ? ra : "(null)");
            CHECK(0);
        }
    free(ra);
    free(rb);
    xlate_chain_free(plain);
    xlate_chain_free(spelled);
}

/* A file is recorded by its content: the same name with other bytes is another record. */
static void test_file_content_is_hashed(void) {
    char path[] = "/tmp/xlate-test-record-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0 && write(fd, "<srx/>", 6) == 6);
    close(fd);
    setup s;
    setup_init(&s, chain_of(NULL));
    s.pipeline.srx_path = path;
    char *before = record_of(&s), hex[24], want[256];
    xlate_bulk_record_hash("<srx/>", 6, hex);
    snprintf(want, sizeof want, "\n--srx\t%s %s\n", path, hex);
    CHECK(before && strstr(before, want));
    FILE *f = fopen(path, "a");
    fputs("<!-- changed -->", f);
    fclose(f);
    char *after = record_of(&s), *d = diff_of(before, after);
    CHECK(d && strstr(d, "--srx: ") == d && strstr(d, hex) && strstr(d, " \xE2\x86\x92 "));
    free(d);
    free(before);
    free(after);
    unlink(path);
    xlate_chain_free((xlate_chain *)s.batch.chain);
}

/* What changed is named with both values; a setting only one side has reads "(none)". */
static void test_diff(void) {
    const char *old = "xlate batch record 1\n--to\ten\nplugins\tglossary\nplugin 1 (glossary)\tg 1\n";
    const char *now = "xlate batch record 1\n--to\tes\nplugins\tglossary http\nplugin 1 (glossary)\tg 1\n"
                      "plugin 2 (http)\thttp 1\n";
    char *d = diff_of(old, now);
    CHECK_STR(d, "--to: en \xE2\x86\x92 es; plugins: glossary \xE2\x86\x92 glossary http; "
                 "plugin 2 (http): (none) \xE2\x86\x92 http 1");
    free(d);
    d = diff_of(now, old);
    CHECK_STR(d, "--to: es \xE2\x86\x92 en; plugins: glossary http \xE2\x86\x92 glossary; "
                 "plugin 2 (http): http 1 \xE2\x86\x92 (none)");
    free(d);
    CHECK(diff_of(old, old) == NULL);
    d = diff_of("some other file\n", now);
    CHECK_STR(d, "the record was written in another layout");
    free(d);
}

/* An API key given as an option never lands in OUTPUT as it is; a change of it still shows. */
static void test_secrets_are_hashed(void) {
    xlate_chain *one = chain_of("http:key=hunter2,url=http://127.0.0.1:9"),
                *two = chain_of("http:key=hunter3,url=http://127.0.0.1:9");
    setup a, b;
    setup_init(&a, one);
    setup_init(&b, two);
    char *ra = record_of(&a), *rb = record_of(&b), hex[24], want[96];
    xlate_bulk_record_hash("hunter2", 7, hex);
    snprintf(want, sizeof want, "\nplugin 1 (http) key\t(secret) %s\n", hex);
    CHECK(ra && strstr(ra, want));
    CHECK(ra && !strstr(ra, "hunter2") && rb && !strstr(rb, "hunter3"));
    CHECK(ra && strstr(ra, "\nplugin 1 (http) url\thttp://127.0.0.1:9\n"));
    char *d = diff_of(ra, rb);
    CHECK(d && strstr(d, "plugin 1 (http) key: (secret) sha256:") == d && !strstr(d, "hunter"));
    free(d);
    free(ra);
    free(rb);
    xlate_chain_free(one);
    xlate_chain_free(two);
}

int main(void) {
    const char *dirs[] = {PLUGIN_DIR, BUILD_ROOT "/plugins/http"};
    CHECK_INT(xlate_plugin_search_init(&search, dirs, 2, 0, xlate_host_services()), 0);
    test_hash();
    test_canonical_and_complete();
    test_file_content_is_hashed();
    test_diff();
    test_secrets_are_hashed();
    xlate_plugin_search_free(&search);
    return check_result("batch_record");
}
