/*
 * export: the memory out of `xlate tm export` — TMX 1.4b (valid against the TMX 1.4 DTD: a
 * header with every required attribute, one <tu> per unit with its dates and origin, one <tuv>
 * per language) or TSV (the header "source<TAB>target", with \t \n \r \\ escaped as xlate's TSV
 * output escapes them). A text that XML 1.0 cannot hold (a control character) is written
 * without it in TMX, and counted.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tool.h"

#define XLATE_TM_VERSION "1.0.0"

static void put_xml(FILE *out, const char *s, size_t *dropped) {
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        case '"': fputs("&quot;", out); break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                (*dropped)++;
            else
                fputc(c, out);
        }
    }
}

static void put_date(FILE *out, long long t) {
    time_t tt = (time_t)t;
    struct tm tm;
    char buf[32];
    gmtime_r(&tt, &tm);
    strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    fputs(buf, out);
}

typedef struct export_state {
    FILE *out;
    size_t units, dropped;
} export_state;

static int tmx_unit(void *data, const char *src_lang, const char *tgt_lang, const char *source,
                    const char *target, const char *origin, long long created, long long used) {
    export_state *e = data;
    FILE *out = e->out;
    e->units++;
    fprintf(out, "    <tu tuid=\"%zu\" srclang=\"", e->units);
    put_xml(out, src_lang, &e->dropped);
    fputs("\" creationdate=\"", out);
    put_date(out, created);
    fputs("\" changedate=\"", out);
    put_date(out, used);
    fputs("\">\n      <prop type=\"x-origin\">", out);
    put_xml(out, origin, &e->dropped);
    fputs("</prop>\n      <tuv xml:lang=\"", out);
    put_xml(out, src_lang, &e->dropped);
    fputs("\"><seg>", out);
    put_xml(out, source, &e->dropped);
    fputs("</seg></tuv>\n      <tuv xml:lang=\"", out);
    put_xml(out, tgt_lang, &e->dropped);
    fputs("\"><seg>", out);
    put_xml(out, target, &e->dropped);
    fputs("</seg></tuv>\n    </tu>\n", out);
    return ferror(out) ? 1 : 0;
}

int tool_export_tmx(xlate_tm_store *s, long long pair, const char *srclang, FILE *out, char *err,
                    size_t err_size) {
    export_state e = {out, 0, 0};
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n"
          "<tmx version=\"1.4\">\n"
          "  <header creationtool=\"xlate\" creationtoolversion=\"" XLATE_TM_VERSION "\" "
          "segtype=\"sentence\" o-tmf=\"xlate-tm\" adminlang=\"en\" srclang=\"", out);
    put_xml(out, srclang, &e.dropped);
    fputs("\" datatype=\"plaintext\"/>\n  <body>\n", out);
    int rc = xlate_tm_each_unit(s, pair, tmx_unit, &e);
    if (rc < 0) {
        snprintf(err, err_size, "%s", xlate_tm_errmsg(s));
        return -1;
    }
    fputs("  </body>\n</tmx>\n", out);
    if (rc != 0 || ferror(out)) {
        snprintf(err, err_size, "writing the TMX failed");
        return -1;
    }
    if (e.dropped)
        fprintf(stderr, "xlate tm: export: %zu control character(s) that XML cannot hold were "
                "left out\n", e.dropped);
    return 0;
}

static void put_tsv(FILE *out, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '\t': fputs("\\t", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\\': fputs("\\\\", out); break;
        default: fputc(*s, out);
        }
    }
}

static int tsv_unit(void *data, const char *src_lang, const char *tgt_lang, const char *source,
                    const char *target, const char *origin, long long created, long long used) {
    (void)src_lang, (void)tgt_lang, (void)origin, (void)created, (void)used;
    FILE *out = data;
    put_tsv(out, source);
    fputc('\t', out);
    put_tsv(out, target);
    fputc('\n', out);
    return ferror(out) ? 1 : 0;
}

int tool_export_tsv(xlate_tm_store *s, long long pair, FILE *out, char *err, size_t err_size) {
    fputs("source\ttarget\n", out);
    int rc = xlate_tm_each_unit(s, pair, tsv_unit, out);
    if (rc < 0)
        snprintf(err, err_size, "%s", xlate_tm_errmsg(s));
    else if (rc != 0 || ferror(out))
        snprintf(err, err_size, "writing the TSV failed");
    return rc == 0 && !ferror(out) ? 0 : -1;
}
