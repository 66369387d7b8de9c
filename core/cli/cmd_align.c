/*
 * cmd_align: `xlate align SRC TGT` and `xlate align --batch SRC_DIR TGT_DIR` — a text and its
 * existing translation, each through decode, normalize and segment (the source through the plugin
 * chain too when --plugin names a translator, for the MT similarity), aligned sentence by sentence
 * (core/align) and written as TSV, JSONL, TMX or XLIFF (align_write.h). With --tm the pairs go
 * into a translation memory through `xlate tm import`, so that this command links no SQLite.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "align.h"
#include "align_dict.h"
#include "align_write.h"
#include "cli.h"
#include "json.h"
#include "segment.h"
#include "xlate/number.h"
#include "xlate_config.h"

enum { OPT_DICT = 1, OPT_THRESHOLD, OPT_LENGTH_ONLY, OPT_BATCH, OPT_PATTERN, OPT_TM, OPT_REPORT };

static void print_align_help(FILE *out) {
    fprintf(out,
            "Usage: xlate align [OPTIONS] SRC_FILE TGT_FILE\n"
            "       xlate align --batch [OPTIONS] SRC_DIR TGT_DIR -o OUT_DIR\n"
            "\n"
            "Align a text with its existing translation, sentence by sentence: both files are\n"
            "decoded, normalized and segmented as 'xlate run' does; beads 1-1, 1-0, 0-1, 2-1 and\n"
            "1-2 are chosen by a dynamic programme over the sentence lengths (Gale-Church), anchors\n"
            "(numbers, dates, URLs, quotes, colons), names across scripts (ICU transliteration),\n"
            "a term map as dictionary (--dict) and, with --plugin, the similarity of the source's\n"
            "machine translation to the target. Every sentence is in the output: one the other\n"
            "side lacks is marked 'unaligned', a pair scoring below --threshold 'low'.\n"
            "\n"
            "Options:\n"
            "  --from LANG / --to LANG  languages of SRC and TGT (default uk and en)\n"
            "  --format FMT          tsv (default: src, tgt (sentence numbers), score, status,\n"
            "                        source, target), jsonl, tmx, xliff (1.2)\n"
            "  -o, --output FILE     write to FILE (a folder with --batch)\n"
            "  --dict MAP            a term map (TSV or CSV, as the glossary plugin reads) used as a\n"
            "                        bilingual dictionary\n"
            "  --plugin NAME[:K=V]   translate the source through this plugin chain and compare\n"
            "                        the translation with the target (repeatable)\n"
            "  --plugin-path DIR     where to look for plugins\n"
            "  --threshold N         0..100: a pair scoring below is marked low (default %d)\n"
            "  --length-only         sentence lengths alone (the Gale-Church baseline)\n"
            "  --tm DB               also import the pairs that are neither low nor unaligned into\n"
            "                        the translation memory DB (through 'xlate tm import')\n"
            "  --batch               SRC_DIR and TGT_DIR are folders; files are paired by name\n"
            "  --pattern SRC=TGT     with --batch: how names pair, one '*' each side standing for\n"
            "                        the same text ('*.uk.txt=*.en.txt'; default '*=*')\n"
            "  -j, --jobs N          with --batch: pairs aligned at once (default 2)\n"
            "  --srx FILE            segmentation rules (SRX 2.0) for both sides\n"
            "  --isolate, --plugin-timeout S  as for 'xlate run', for the --plugin chain\n"
            "%s"
            "  -h, --help            show this help\n"
            "\n"
            "With --batch each pair is written to OUT_DIR/NAME.EXT (NAME: what '*' matched) and a\n"
            "report to OUT_DIR/report.json; nothing there is written over.\n"
            "\n"
            "Exit status: 0 every pair aligned; 1 a file could not be read or written, a pair had\n"
            "no partner, or the import failed; 2 usage error.\n"
            "\n"
            "Example: xlate align --format tmx -o a.tmx article.uk.txt article.en.txt\n",
            XLATE_ALIGN_THRESHOLD_DEFAULT, xlate_input_settings_help());
}

static int usage_error(const char *message, const char *value) {
    fprintf(stderr, "xlate: align: %s%s; see 'xlate align --help'\n", message, value);
    return XLATE_EXIT_USAGE;
}

/* What the command line asked for. */
typedef struct align_job {
    xlate_run_settings run;
    xlate_align_format format;
    const char *output, *dict_path, *tm_db, *pattern;
    xlate_align_options opts;
    xlate_align_dict *dict;
    int batch;
    unsigned jobs;
    /* the MT chain, when --plugin was given */
    xlate_plugin_search search;
    xlate_chain *chain;
    xlate_pipeline_config cfg;
} align_job;

/* What one thread needs to align a pair. */
typedef struct worker {
    xlate_aligner *aligner;
    xlate_segmenter *seg_src, *seg_tgt;
    xlate_pipeline *pipe;
} worker;

static void worker_free(worker *w) {
    xlate_aligner_free(w->aligner);
    xlate_segmenter_free(w->seg_src);
    xlate_segmenter_free(w->seg_tgt);
    xlate_pipeline_free(w->pipe);
    memset(w, 0, sizeof *w);
}

static int worker_init(const align_job *job, worker *w, xlate_error *err) {
    memset(w, 0, sizeof *w);
    if (xlate_aligner_new(&job->opts, &w->aligner, err) != 0 ||
        xlate_segmenter_new(job->run.source_lang, job->run.srx_path, &w->seg_src, err) != 0 ||
        xlate_segmenter_new(job->run.target_lang, job->run.srx_path, &w->seg_tgt, err) != 0 ||
        (job->chain && xlate_pipeline_new(&job->cfg, job->chain, &w->pipe, err) != 0)) {
        worker_free(w);
        return -1;
    }
    return 0;
}

/* One pair, aligned: both texts and their spans, the MT of the source, and the beads (owned). */
typedef struct aligned_pair {
    char *src_text, *tgt_text;
    xlate_span *ss, *ts;
    size_t ns, nt;
    char **mt;
    xlate_doc mt_doc; /* owns src_text's twin and the MT targets when a chain ran */
    int have_doc;
    xlate_align_bead *beads;
    size_t nb;
} aligned_pair;

static void aligned_pair_free(aligned_pair *p) {
    if (p->have_doc)
        xlate_doc_free(&p->mt_doc);
    else
        free(p->src_text);
    free(p->tgt_text);
    free(p->ss);
    free(p->ts);
    free(p->mt);
    free(p->beads);
    memset(p, 0, sizeof *p);
}

/* The source through the whole chain: its text, spans and each segment's translation. */
static int read_source_translated(worker *w, const char *path, aligned_pair *p, xlate_error *err) {
    char *bytes = NULL;
    size_t len = 0;
    if (xlate_read_input(path, &bytes, &len, err) != 0)
        return -1;
    int rc = xlate_pipeline_run(w->pipe, path, bytes, len, &p->mt_doc, err);
    free(bytes);
    if (rc != 0) {
        if (rc > 0)
            xlate_error_set(err, XLATE_ERROR, "%s: stopped", path);
        return -1;
    }
    p->have_doc = 1;
    const xlate_doc *d = &p->mt_doc;
    p->src_text = d->text;
    p->ns = d->n_segs;
    p->ss = malloc((d->n_segs ? d->n_segs : 1) * sizeof *p->ss);
    p->mt = calloc(d->n_segs ? d->n_segs : 1, sizeof *p->mt);
    if (!p->ss || !p->mt) {
        xlate_error_set(err, XLATE_ENOMEM, "%s: out of memory", path);
        return -1;
    }
    for (size_t k = 0; k < d->n_segs; k++) {
        p->ss[k] = (xlate_span){d->segs[k].start, d->segs[k].end, d->segs[k].paragraph};
        p->mt[k] = d->segs[k].status == XLATE_SEG_FAILED ? NULL : d->segs[k].target;
    }
    return 0;
}

static int read_segmented(const align_job *job, xlate_segmenter *seg, const char *path, char **text,
                          xlate_span **spans, size_t *n, xlate_error *err) {
    size_t len = 0;
    if (xlate_read_clean_text(path, &job->run.input, text, &len, err) != 0)
        return -1;
    if (xlate_segmenter_split(seg, *text, len, spans, n, err) != 0) {
        xlate_error_prefix(err, "%s", path);
        return -1;
    }
    return 0;
}

static int align_pair(const align_job *job, worker *w, const char *src, const char *tgt, aligned_pair *p,
                      xlate_error *err) {
    memset(p, 0, sizeof *p);
    int rc = w->pipe ? read_source_translated(w, src, p, err)
                     : read_segmented(job, w->seg_src, src, &p->src_text, &p->ss, &p->ns, err);
    if (rc == 0)
        rc = read_segmented(job, w->seg_tgt, tgt, &p->tgt_text, &p->ts, &p->nt, err);
    if (rc == 0) {
        xlate_align_side s = {p->src_text, p->ss, p->ns, job->run.source_lang,
                              (const char *const *)p->mt};
        xlate_align_side t = {p->tgt_text, p->ts, p->nt, job->run.target_lang, NULL};
        rc = xlate_align(w->aligner, &s, &t, &p->beads, &p->nb, err);
    }
    if (rc != 0)
        aligned_pair_free(p);
    return rc;
}

/* Writes one pair as a document of `writer` into buf. */
static int write_pair(xlate_align_writer *writer, const align_job *job, const char *src, const char *tgt,
                      const aligned_pair *p, xlate_buf *buf, xlate_error *err) {
    xlate_align_side s = {p->src_text, p->ss, p->ns, job->run.source_lang, NULL};
    xlate_align_side t = {p->tgt_text, p->ts, p->nt, job->run.target_lang, NULL};
    xlate_align_result r = {src, tgt, &s, &t, p->beads, p->nb, job->opts.threshold};
    return xlate_align_writer_document(writer, &r, buf, err);
}

/* --- the translation memory ------------------------------------------------------------------ */

/* A temporary TMX of the pairs beside the memory (its folder is the user's), for `xlate tm
 * import`. Returns an open descriptor and the name in *path (free()), or -1 with err. */
static int tm_temp_open(const char *db, char **path, xlate_error *err) {
    const char *slash = strrchr(db, '/');
    size_t dir = slash ? (size_t)(slash - db) + 1 : 0;
    char *name = malloc(dir + 40);
    if (!name) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    memcpy(name, db, dir);
    strcpy(name + dir, ".xlate-align-XXXXXX");
    int fd = mkstemp(name);
    if (fd < 0) {
        xlate_error_set(err, XLATE_ERROR, "%s: cannot make a temporary file beside the memory: %s", name,
                        strerror(errno));
        free(name);
        return -1;
    }
    *path = name;
    return fd;
}

static int write_all(int fd, const char *where, const char *data, size_t len, xlate_error *err) {
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            xlate_error_set(err, XLATE_ERROR, "%s: write error: %s", where, strerror(errno));
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* `xlate tm import --db DB --from F --to T FILE`, this program run again; its output is the
 * user's (how many units went in). */
static int tm_import(const align_job *job, const char *tmx, xlate_error *err) {
    char *self = xlate_cli_program_path();
    if (!self) {
        xlate_error_set(err, XLATE_ERROR, "--tm: cannot find this program to run 'xlate tm import'");
        return -1;
    }
    char *argv2[] = {self, "tm", "import", "--db", (char *)job->tm_db, "--from",
                     (char *)job->run.source_lang, "--to", (char *)job->run.target_lang, (char *)tmx, NULL};
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        execv(self, argv2);
        _exit(127);
    }
    free(self);
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0) {
        xlate_error_set(err, XLATE_ERROR, "--tm: cannot run 'xlate tm import': %s", strerror(errno));
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        xlate_error_set(err, XLATE_ERROR, "--tm %s: 'xlate tm import' failed (status %d); the "
                        "alignment itself was written", job->tm_db,
                        WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        return -1;
    }
    return 0;
}

/* The shared TMX of pairs for --tm, written as pairs come (by several workers in a batch). */
typedef struct tm_sink {
    int fd;
    char *path;
    xlate_align_writer *writer;
    pthread_mutex_t lock;
} tm_sink;

static int tm_sink_open(const align_job *job, tm_sink *t, xlate_error *err) {
    memset(t, 0, sizeof *t);
    t->fd = -1;
    if (!job->tm_db)
        return 0;
    if (xlate_align_writer_new(XLATE_ALIGN_TMX, job->run.source_lang, job->run.target_lang, XLATE_VERSION, 1,
                               &t->writer) != 0) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    if ((t->fd = tm_temp_open(job->tm_db, &t->path, err)) < 0) {
        xlate_align_writer_free(t->writer);
        t->writer = NULL;
        return -1;
    }
    pthread_mutex_init(&t->lock, NULL);
    xlate_buf b = XLATE_BUF_INIT;
    int rc = xlate_align_writer_begin(t->writer, &b) != 0 ? (xlate_error_set(err, XLATE_ENOMEM, "out of memory"), -1)
                                                         : write_all(t->fd, t->path, b.data, b.len, err);
    xlate_buf_free(&b);
    return rc;
}

static int tm_sink_pair(const align_job *job, tm_sink *t, const char *src, const char *tgt,
                        const aligned_pair *p, xlate_error *err) {
    if (!t->writer)
        return 0;
    xlate_buf b = XLATE_BUF_INIT;
    pthread_mutex_lock(&t->lock);
    int rc = write_pair(t->writer, job, src, tgt, p, &b, err);
    if (rc == 0)
        rc = write_all(t->fd, t->path, b.data, b.len, err);
    pthread_mutex_unlock(&t->lock);
    xlate_buf_free(&b);
    return rc;
}

/* Ends the TMX and imports it (when `import`); the temporary file is removed either way. */
static int tm_sink_close(const align_job *job, tm_sink *t, int import, xlate_error *err) {
    if (!t->writer)
        return 0;
    xlate_buf b = XLATE_BUF_INIT;
    int rc = 0;
    if (import) {
        rc = xlate_align_writer_end(t->writer, &b) != 0 ? (xlate_error_set(err, XLATE_ENOMEM, "out of memory"), -1)
                                                       : write_all(t->fd, t->path, b.data, b.len, err);
    }
    if (close(t->fd) != 0 && rc == 0 && import) {
        xlate_error_set(err, XLATE_ERROR, "%s: %s", t->path, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && import)
        rc = tm_import(job, t->path, err);
    unlink(t->path);
    free(t->path);
    xlate_buf_free(&b);
    xlate_align_writer_free(t->writer);
    pthread_mutex_destroy(&t->lock);
    memset(t, 0, sizeof *t);
    return rc;
}

/* --- one pair ------------------------------------------------------------------------------------ */

static int write_buffer(xlate_outfile *f, const align_job *job, xlate_buf *b, xlate_error *err) {
    FILE *out = xlate_outfile_stream(f);
    if (!out) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    int rc = xlate_write_output(out, xlate_outfile_shown(f), &job->run.input, b->data, b->len, err);
    xlate_buf_reset(b);
    return rc;
}

static int align_one(align_job *job, const char *src, const char *tgt) {
    xlate_error err = {0};
    worker w;
    if (worker_init(job, &w, &err) != 0)
        return xlate_cli_fail_clear(&err);
    aligned_pair p;
    xlate_align_writer *writer = NULL;
    xlate_outfile *file = NULL;
    xlate_buf b = XLATE_BUF_INIT;
    tm_sink tm = {0};
    tm.fd = -1;
    int status = XLATE_EXIT_OK;
    if (align_pair(job, &w, src, tgt, &p, &err) != 0) {
        worker_free(&w);
        return xlate_cli_fail_clear(&err);
    }
    if (xlate_align_writer_new(job->format, job->run.source_lang, job->run.target_lang, XLATE_VERSION, 0,
                               &writer) != 0) {
        xlate_error_set(&err, XLATE_ENOMEM, "out of memory");
        goto fail;
    }
    if (xlate_outfile_open(AT_FDCWD, job->output ? job->output : "-", 0, NULL, &file, &err) != 0)
        goto fail;
    if (xlate_align_writer_begin(writer, &b) != 0 || write_pair(writer, job, src, tgt, &p, &b, &err) != 0 ||
        xlate_align_writer_end(writer, &b) != 0) {
        if (!err.status)
            xlate_error_set(&err, XLATE_ENOMEM, "out of memory");
        goto fail;
    }
    if (write_buffer(file, job, &b, &err) != 0)
        goto fail;
    int rc = xlate_outfile_commit(file, &err);
    file = NULL;
    if (rc != 0)
        goto fail;
    if (tm_sink_open(job, &tm, &err) != 0 || tm_sink_pair(job, &tm, src, tgt, &p, &err) != 0) {
        tm_sink_close(job, &tm, 0, &err);
        goto fail;
    }
    if (tm_sink_close(job, &tm, 1, &err) != 0)
        goto fail;
    goto done;
fail:
    status = xlate_cli_fail_clear(&err);
    xlate_outfile_abort(file);
done:
    xlate_buf_free(&b);
    xlate_align_writer_free(writer);
    aligned_pair_free(&p);
    worker_free(&w);
    return status;
}

/* --- batch ----------------------------------------------------------------------------------- */

typedef struct batch_pair {
    char *name;              /* what '*' matched: the output's name */
    char *src, *tgt;         /* paths; tgt NULL when the target folder has no partner */
    /* filled by the worker */
    int failed;
    char *error;
    size_t ns, nt, pairs, low, unaligned_src, unaligned_tgt;
    double mean_score;
} batch_pair;

typedef struct batch_state {
    align_job *job;
    batch_pair *pairs;
    size_t n, next;
    const char *out_dir;
    tm_sink tm;
    pthread_mutex_t lock;
} batch_state;

static char *path_join(const char *dir, const char *name) {
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (p) {
        memcpy(p, dir, a);
        p[a] = '/';
        memcpy(p + a + 1, name, b + 1);
    }
    return p;
}

/* The part of `name` that the '*' of `glob` matched, or NULL when it does not match. */
static char *star_part(const char *glob, const char *name) {
    const char *star = strchr(glob, '*');
    size_t pre = (size_t)(star - glob), post = strlen(star + 1), n = strlen(name);
    if (n < pre + post || strncmp(name, glob, pre) != 0 || strcmp(name + n - post, star + 1) != 0)
        return NULL;
    return strndup(name + pre, n - pre - post);
}

static char *star_fill(const char *glob, const char *part) {
    const char *star = strchr(glob, '*');
    size_t pre = (size_t)(star - glob);
    char *s = malloc(strlen(glob) + strlen(part) + 1);
    if (s) {
        memcpy(s, glob, pre);
        strcpy(s + pre, part);
        strcat(s, star + 1);
    }
    return s;
}

static int cmp_pair(const void *a, const void *b) {
    return strcmp(((const batch_pair *)a)->name, ((const batch_pair *)b)->name);
}

/* The pairs of files: every regular file of src_dir the source glob matches, with its partner. */
static int list_pairs(const char *src_dir, const char *tgt_dir, const char *src_glob, const char *tgt_glob,
                      batch_pair **out, size_t *n_out, xlate_error *err) {
    DIR *d = opendir(src_dir);
    if (!d) {
        xlate_error_set(err, XLATE_ERROR, "%s: %s", src_dir, strerror(errno));
        return -1;
    }
    batch_pair *pairs = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *part = star_part(src_glob, e->d_name);
        if (!part)
            continue;
        char *src = path_join(src_dir, e->d_name), *tname = star_fill(tgt_glob, part);
        char *tgt = tname ? path_join(tgt_dir, tname) : NULL;
        free(tname);
        struct stat st;
        if (src && stat(src, &st) == 0 && !S_ISREG(st.st_mode)) {
            free(part);
            free(src);
            free(tgt);
            continue;
        }
        if (tgt && (stat(tgt, &st) != 0 || !S_ISREG(st.st_mode))) {
            free(tgt);
            tgt = strdup("");
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            batch_pair *np = realloc(pairs, cap * sizeof *np);
            if (!np)
                goto oom;
            pairs = np;
        }
        if (!src || !tgt)
            goto oom;
        pairs[n++] = (batch_pair){.name = part, .src = src, .tgt = tgt};
        continue;
    oom:
        free(part);
        free(src);
        free(tgt);
        closedir(d);
        for (size_t k = 0; k < n; k++) {
            free(pairs[k].name);
            free(pairs[k].src);
            free(pairs[k].tgt);
        }
        free(pairs);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    closedir(d);
    if (n)
        qsort(pairs, n, sizeof *pairs, cmp_pair);
    *out = pairs;
    *n_out = n;
    return 0;
}

static void pair_stats(batch_pair *bp, const aligned_pair *p) {
    long sum = 0;
    bp->ns = p->ns;
    bp->nt = p->nt;
    for (size_t k = 0; k < p->nb; k++) {
        const xlate_align_bead *b = &p->beads[k];
        if (!b->n_tgt)
            bp->unaligned_src += b->n_src;
        else if (!b->n_src)
            bp->unaligned_tgt += b->n_tgt;
        else {
            bp->pairs++;
            bp->low += b->low != 0;
            sum += b->score;
        }
    }
    bp->mean_score = bp->pairs ? (double)sum / (double)bp->pairs : 0;
}

static int batch_one(batch_state *st, worker *w, batch_pair *bp, xlate_error *err) {
    const align_job *job = st->job;
    if (!*bp->tgt) {
        xlate_error_set(err, XLATE_ERROR, "%s: no partner in the target folder (pattern %s)", bp->src,
                        job->pattern);
        return -1;
    }
    aligned_pair p;
    if (align_pair(job, w, bp->src, bp->tgt, &p, err) != 0)
        return -1;
    pair_stats(bp, &p);
    xlate_align_writer *writer = NULL;
    xlate_outfile *file = NULL;
    xlate_buf b = XLATE_BUF_INIT;
    char *name = malloc(strlen(bp->name) + 8);
    int rc = -1;
    if (!name || xlate_align_writer_new(job->format, job->run.source_lang, job->run.target_lang,
                                        XLATE_VERSION, 0, &writer) != 0) {
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        goto done;
    }
    sprintf(name, "%s.%s", bp->name, xlate_align_format_extension(job->format));
    if (xlate_cli_open_in_dir(st->out_dir, name, &file, err) != 0)
        goto done;
    if (xlate_align_writer_begin(writer, &b) != 0 || write_pair(writer, job, bp->src, bp->tgt, &p, &b, err) != 0 ||
        xlate_align_writer_end(writer, &b) != 0) {
        if (!err->status)
            xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        goto done;
    }
    if (write_buffer(file, job, &b, err) != 0)
        goto done;
    rc = xlate_outfile_commit(file, err);
    file = NULL;
    if (rc == 0)
        rc = tm_sink_pair(job, &st->tm, bp->src, bp->tgt, &p, err);
done:
    xlate_outfile_abort(file);
    xlate_buf_free(&b);
    xlate_align_writer_free(writer);
    free(name);
    aligned_pair_free(&p);
    return rc;
}

static void *batch_worker(void *data) {
    batch_state *st = data;
    worker w;
    xlate_error err = {0};
    int ready = worker_init(st->job, &w, &err) == 0;
    for (;;) {
        pthread_mutex_lock(&st->lock);
        size_t i = st->next < st->n ? st->next++ : st->n;
        pthread_mutex_unlock(&st->lock);
        if (i == st->n)
            break;
        batch_pair *bp = &st->pairs[i];
        if (ready && batch_one(st, &w, bp, &err) == 0)
            continue;
        bp->failed = 1;
        bp->error = strdup(err.message ? err.message : "failed");
        xlate_cli_report(&err);
        if (ready)
            xlate_error_clear(&err);
    }
    if (ready)
        worker_free(&w);
    xlate_error_clear(&err);
    return NULL;
}

static int write_report(const batch_state *st, xlate_error *err) {
    xlate_buf b = XLATE_BUF_INIT;
    size_t failed = 0, pairs = 0, low = 0, us = 0, ut = 0;
    int rc = xlate_buf_puts(&b, "{\n  \"pairs\": [\n");
    for (size_t k = 0; rc == 0 && k < st->n; k++) {
        const batch_pair *p = &st->pairs[k];
        failed += p->failed;
        pairs += p->pairs;
        low += p->low;
        us += p->unaligned_src;
        ut += p->unaligned_tgt;
        rc = xlate_buf_puts(&b, "    {\"name\": ") || xlate_json_cstring(&b, p->name) ||
             xlate_buf_puts(&b, ", \"source\": ") || xlate_json_cstring(&b, p->src) ||
             xlate_buf_puts(&b, ", \"target\": ") ||
             (*p->tgt ? xlate_json_cstring(&b, p->tgt) : xlate_buf_puts(&b, "null"));
        if (rc == 0 && p->failed)
            rc = xlate_buf_puts(&b, ", \"status\": \"failed\", \"error\": ") ||
                 xlate_json_cstring(&b, p->error ? p->error : "failed");
        else if (rc == 0)
            rc = xlate_buf_printf(&b, ", \"status\": \"ok\", \"source_sentences\": %zu, "
                                      "\"target_sentences\": %zu, \"pairs\": %zu, \"low\": %zu, "
                                      "\"unaligned_source\": %zu, \"unaligned_target\": %zu, "
                                      "\"mean_score\": %.1f",
                                  p->ns, p->nt, p->pairs, p->low, p->unaligned_src, p->unaligned_tgt,
                                  p->mean_score);
        if (rc == 0)
            rc = xlate_buf_puts(&b, k + 1 < st->n ? "},\n" : "}\n");
    }
    if (rc == 0)
        rc = xlate_buf_printf(&b, "  ],\n  \"summary\": {\"documents\": %zu, \"failed\": %zu, \"pairs\": %zu, "
                                  "\"low\": %zu, \"unaligned_source\": %zu, \"unaligned_target\": %zu}\n}\n",
                              st->n, failed, pairs, low, us, ut);
    if (rc != 0) {
        xlate_buf_free(&b);
        xlate_error_set(err, XLATE_ENOMEM, "out of memory");
        return -1;
    }
    xlate_outfile *f;
    if (xlate_cli_open_in_dir(st->out_dir, "report.json", &f, err) != 0) {
        xlate_buf_free(&b);
        return -1;
    }
    rc = xlate_outfile_write(f, b.data, b.len, err);
    xlate_buf_free(&b);
    if (rc != 0) {
        xlate_outfile_abort(f);
        return -1;
    }
    return xlate_outfile_commit(f, err);
}

static int align_batch(align_job *job, const char *src_dir, const char *tgt_dir) {
    xlate_error err = {0};
    if (!job->output)
        return usage_error("--batch needs -o OUT_DIR", "");
    const char *pattern = job->pattern ? job->pattern : "*=*";
    const char *eq = strchr(pattern, '=');
    char *src_glob = eq ? strndup(pattern, (size_t)(eq - pattern)) : NULL;
    const char *tgt_glob = eq ? eq + 1 : NULL;
    if (!src_glob || !strchr(src_glob, '*') || strchr(strchr(src_glob, '*') + 1, '*') ||
        !strchr(tgt_glob, '*') || strchr(strchr(tgt_glob, '*') + 1, '*')) {
        free(src_glob);
        return usage_error("--pattern must be SRC=TGT with one '*' on each side, not ", pattern);
    }
    job->pattern = pattern;
    batch_state st = {.job = job, .out_dir = job->output};
    int rc = list_pairs(src_dir, tgt_dir, src_glob, tgt_glob, &st.pairs, &st.n, &err);
    free(src_glob);
    if (rc != 0)
        return xlate_cli_fail_clear(&err);
    if (st.n == 0) {
        fprintf(stderr, "xlate: align: no file of %s matches the pattern %s\n", src_dir, pattern);
        free(st.pairs);
        return XLATE_EXIT_FAILED;
    }
    int status = XLATE_EXIT_OK;
    if (tm_sink_open(job, &st.tm, &err) != 0) {
        status = xlate_cli_fail_clear(&err);
        goto done;
    }
    pthread_mutex_init(&st.lock, NULL);
    unsigned n_threads = job->jobs < st.n ? job->jobs : (unsigned)st.n;
    pthread_t *threads = calloc(n_threads, sizeof *threads);
    unsigned started = 0;
    for (; threads && started < n_threads; started++)
        if (pthread_create(&threads[started], NULL, batch_worker, &st) != 0)
            break;
    if (started == 0)
        batch_worker(&st);
    for (unsigned k = 0; k < started; k++)
        pthread_join(threads[k], NULL);
    free(threads);
    pthread_mutex_destroy(&st.lock);
    size_t failed = 0;
    for (size_t k = 0; k < st.n; k++)
        failed += st.pairs[k].failed;
    if (write_report(&st, &err) != 0) {
        status = xlate_cli_fail_clear(&err);
        tm_sink_close(job, &st.tm, 0, &err);
        goto done;
    }
    if (tm_sink_close(job, &st.tm, 1, &err) != 0)
        status = xlate_cli_fail_clear(&err);
    fprintf(stderr, "xlate: align: %zu pairs of documents aligned, %zu failed; report in %s/report.json\n",
            st.n - failed, failed, st.out_dir);
    if (failed)
        status = XLATE_EXIT_FAILED;
done:
    for (size_t k = 0; k < st.n; k++) {
        free(st.pairs[k].name);
        free(st.pairs[k].src);
        free(st.pairs[k].tgt);
        free(st.pairs[k].error);
    }
    free(st.pairs);
    return status;
}

/* --- options ------------------------------------------------------------------------------- */

static int parse_whole(const char *flag, const char *arg, uint64_t max, uint64_t *out) {
    if (xlate_parse_uint(arg, strlen(arg), max, out) != XLATE_NUMBER_OK) {
        fprintf(stderr, "xlate: align: %s %s: give a whole number from 0 to %llu; see 'xlate align --help'\n",
                flag, arg, (unsigned long long)max);
        return -1;
    }
    return 0;
}

static void job_free(align_job *job) {
    xlate_align_dict_free(job->dict);
    if (job->chain) {
        xlate_chain_free(job->chain);
        xlate_plugin_search_free(&job->search);
    }
    xlate_run_settings_free(&job->run);
}

int xlate_cmd_align(int argc, char **argv) {
    static const struct option longopts[] = {{"dict", required_argument, NULL, OPT_DICT},
                                              {"threshold", required_argument, NULL, OPT_THRESHOLD},
                                              {"length-only", no_argument, NULL, OPT_LENGTH_ONLY},
                                              {"batch", no_argument, NULL, OPT_BATCH},
                                              {"pattern", required_argument, NULL, OPT_PATTERN},
                                              {"tm", required_argument, NULL, OPT_TM},
                                              {"jobs", required_argument, NULL, 'j'},
                                              {"help", no_argument, NULL, 'h'},
                                              XLATE_RUN_LONG_OPTIONS,
                                              XLATE_INPUT_LONG_OPTIONS,
                                              {0}};
    align_job job = {.run = XLATE_RUN_SETTINGS_INIT, .opts = XLATE_ALIGN_OPTIONS_INIT, .jobs = 2};
    xlate_error err = {0};
    uint64_t v;
    int opt, status;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "ho:j:", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            print_align_help(stdout);
            job_free(&job);
            return XLATE_EXIT_OK;
        case 'o':
            job.output = optarg;
            continue;
        case 'j':
            if (parse_whole("-j", optarg, 256, &v) != 0 || v == 0) {
                job_free(&job);
                return v == 0 ? usage_error("-j must be at least 1, not ", optarg) : XLATE_EXIT_USAGE;
            }
            job.jobs = (unsigned)v;
            continue;
        case XLATE_OPT_FORMAT:
            if (xlate_align_format_parse(optarg, &job.format) != 0) {
                job_free(&job);
                return usage_error("--format must be tsv, jsonl, tmx or xliff, not ", optarg);
            }
            continue;
        case OPT_DICT:
            job.dict_path = optarg;
            continue;
        case XLATE_OPT_MAX_DOC_SIZE:
            job_free(&job);
            return usage_error("--max-doc-size is for run and batch; align reads each file whole", "");
        case OPT_THRESHOLD:
            if (parse_whole("--threshold", optarg, 100, &v) != 0) {
                job_free(&job);
                return XLATE_EXIT_USAGE;
            }
            job.opts.threshold = (int)v;
            continue;
        case OPT_LENGTH_ONLY:
            job.opts.length_only = 1;
            continue;
        case OPT_BATCH:
            job.batch = 1;
            continue;
        case OPT_PATTERN:
            job.pattern = optarg;
            continue;
        case OPT_TM:
            job.tm_db = optarg;
            continue;
        default:
            break;
        }
        int applied = opt == '?' ? 0 : xlate_run_settings_apply(&job.run, opt, optarg, &err);
        if (applied < 0) {
            job_free(&job);
            return xlate_cli_fail_clear(&err);
        }
        if (applied == 0) {
            job_free(&job);
            return usage_error("unknown option or missing value: ", argv[optind - 1]);
        }
    }
    if (argc - optind != 2) {
        job_free(&job);
        return usage_error(job.batch ? "give SRC_DIR and TGT_DIR" : "give SRC_FILE and TGT_FILE", "");
    }
    if (job.pattern && !job.batch) {
        job_free(&job);
        return usage_error("--pattern goes with --batch", "");
    }
    if (job.dict_path && !job.opts.length_only &&
        xlate_align_dict_load(job.dict_path, job.run.source_lang, job.run.target_lang, &job.dict, &err) != 0) {
        job_free(&job);
        return xlate_cli_fail_clear(&err);
    }
    job.opts.dict = job.dict;
    if (job.run.n_plugins && !job.opts.length_only) {
        if (xlate_run_settings_prepare(&job.run, &job.search, &job.chain, &job.cfg, &err) != 0) {
            job_free(&job);
            return xlate_cli_fail_clear(&err);
        }
        /* the similarity is only as good as what the chain makes of the source */
        xlate_run_settings_note_targets(job.chain);
    }
    status = job.batch ? align_batch(&job, argv[optind], argv[optind + 1])
                       : align_one(&job, argv[optind], argv[optind + 1]);
    job_free(&job);
    return status;
}
