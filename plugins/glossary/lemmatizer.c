/*
 * lemmatizer: word → lemma keys through hunspell's stemmer, cached (see lemmatizer.h).
 * The glossary's hot path: the cache answers most words of a news text, so hunspell, at tens
 * of microseconds a call, sees each distinct word once — and, once focused on a term map's keys
 * (dictfilter.h), only the words that can reach one of them.
 */
#include "casefold.h"
#include "lemmatizer.h"

#include "dictcache.h"
#include "dictfilter.h"
#include "strtab.h"

#include <xlate/plugin.h>

#include <hunspell/hunspell.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucasemap.h>
#include <unicode/uloc.h>
#include <unicode/utf8.h>
#include <unistd.h>

/* hunspell refuses longer words; a longer token is looked up by its folded form only. */
#define MAX_STEMMED_BYTES 200
/* The cache starts over when it holds this much, so a long run cannot grow it without bound. */
#define CACHE_MAX_WORDS 500000
#define CACHE_MAX_BYTES (64u << 20)
#define RECORD_HEADER 2
#define RECORD_LEMMA 1u /* the word is one of its own stems */

/* hunspell keeps its UTF-8 character tables in a process-wide, reference-counted global that
 * Hunspell_create and Hunspell_destroy update without a lock (csutil's initialize_utf_tbl and
 * free_utf_tbl). Batch workers open and close their glossaries at the same time, so two creates
 * could both allocate the table (one leaks) and a destroy could free it under another instance's
 * feet. This lock, the plugin's one piece of shared state, exists only to serialize that pair. */
static pthread_mutex_t hunspell_lifecycle = PTHREAD_MUTEX_INITIALIZER;

static Hunhandle *hunspell_open(const char *aff, const char *dic) {
    pthread_mutex_lock(&hunspell_lifecycle);
    Hunhandle *h = Hunspell_create(aff, dic);
    pthread_mutex_unlock(&hunspell_lifecycle);
    return h;
}

static void hunspell_close(Hunhandle *h) {
    pthread_mutex_lock(&hunspell_lifecycle);
    Hunspell_destroy(h);
    pthread_mutex_unlock(&hunspell_lifecycle);
}

struct xlate_lemmatizer {
    Hunhandle *hunspell; /* NULL when stems are off */
    xlate_dictfilter *filter; /* what the dictionary filter kept, when hunspell loaded its part */
    xlate_dictcache *pending; /* the cache entry to write once focused (a miss) */
    int restored;             /* the filter came from the cache, focused already */
    char origin[512];         /* where the loaded dictionary came from, for the debug log */
    UCaseMap *casemap;
    int any_script;      /* look up words of any script, not only Cyrillic ones (set_language) */
    int possessive_s;    /* English: "NATO's" also has the keys of "NATO" */
    xlate_strtab cache;  /* normalized word → offset of its record in `records` */
    char *records;       /* each record: a count byte, a flags byte (RECORD_LEMMA), then the
                          * NUL-terminated keys */
    size_t records_len, records_cap;
    char *norm;          /* scratch: the word with apostrophes made equal, NUL-terminated */
    size_t norm_cap;
    char *fold;          /* scratch: one folded string */
    size_t fold_cap;
    size_t hits, misses;
};

static int file_readable(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

/* The words whose keys must be exact (xlate_lemmatizer_open_for). */
typedef struct vocabulary {
    const char *const *words;
    const size_t *lens;
    size_t n;
} vocabulary;

static long normalize_apostrophes(xlate_lemmatizer *lem, const char *word, size_t len);

/* The vocabulary as hunspell will be asked about it: apostrophes made ' (see
 * normalize_apostrophes), the words NUL-terminated in one block. */
static int normalized_vocabulary(xlate_lemmatizer *lem, const vocabulary *v, char **block,
                                 const char ***words, size_t **lens) {
    size_t total = 0;
    for (size_t i = 0; i < v->n; i++)
        total += v->lens[i] + 1;
    *block = malloc(total ? total : 1);
    *words = malloc((v->n ? v->n : 1) * sizeof **words);
    *lens = malloc((v->n ? v->n : 1) * sizeof **lens);
    if (!*block || !*words || !*lens)
        return -1;
    size_t at = 0;
    for (size_t i = 0; i < v->n; i++) {
        long n = normalize_apostrophes(lem, v->words[i], v->lens[i]);
        if (n < 0)
            return -1;
        memcpy(*block + at, lem->norm, (size_t)n + 1);
        (*words)[i] = *block + at;
        (*lens)[i] = (size_t)n;
        at += (size_t)n + 1;
    }
    return 0;
}

/* What hunspell is loaded from: the .aff, and the filter's output for the .dic; or both as
 * bytes (a cache entry's core .aff and .dic). */
typedef struct dict_source {
    const char *aff, *dic;   /* the filter's input */
    const vocabulary *words; /* normalized; NULL: the texts below instead */
    const char *aff_text, *dic_text;
    size_t aff_len, dic_len;
} dict_source;

typedef struct temporary {
    char *path; /* NULL when not made */
    FILE *f;
} temporary;

/* A private temporary file, open for writing. */
static temporary make_temporary(void) {
    temporary t = {NULL, NULL};
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    size_t n = strlen(dir) + sizeof "/xlate-glossary-XXXXXX";
    if (!(t.path = malloc(n)))
        return t;
    snprintf(t.path, n, "%s/xlate-glossary-XXXXXX", dir);
    int fd = mkstemp(t.path);
    if (fd >= 0 && !(t.f = fdopen(fd, "w"))) {
        close(fd);
        unlink(t.path);
    }
    if (!t.f) {
        free(t.path);
        t.path = NULL;
    }
    return t;
}

/* Closes the file; 1 when everything written reached it. */
static int close_temporary(temporary *t, int written) {
    int closed = fclose(t->f) == 0;
    t->f = NULL;
    return closed && written == 1;
}

static void remove_temporary(temporary *t) {
    if (t->path)
        unlink(t->path);
    free(t->path);
    t->path = NULL;
}

static int write_text(const char *text, size_t len, FILE *f) {
    return fwrite(text, 1, len, f) == len ? 1 : -1;
}

static int write_dic(xlate_lemmatizer *lem, const dict_source *src, FILE *f) {
    if (!src->words)
        return write_text(src->dic_text, src->dic_len, f);
    return xlate_dictfilter_write(src->aff, src->dic, src->words->words, src->words->lens,
                                  src->words->n, f, &lem->filter);
}

/* Loads hunspell from a .dic (and, from bytes, an .aff) written to private temporary files that
 * are gone once hunspell has read them. Returns the handle, or NULL when the .dic was not
 * written (the filter declined or failed) or hunspell failed. */
static Hunhandle *create_from_temporary(xlate_lemmatizer *lem, const dict_source *src) {
    Hunhandle *h = NULL;
    temporary dic = make_temporary(), aff = {NULL, NULL};
    int ready = dic.f && close_temporary(&dic, write_dic(lem, src, dic.f));
    if (ready && !src->words) {
        aff = make_temporary();
        ready = aff.f && close_temporary(&aff, write_text(src->aff_text, src->aff_len, aff.f));
    }
    if (ready)
        h = hunspell_open(aff.path ? aff.path : src->aff, dic.path);
    remove_temporary(&dic);
    remove_temporary(&aff);
    return h;
}

/* The lemmatizer's word records as bytes: the record count, the records' bytes, then each
 * cached word with the offset of its record (4-byte numbers, 8 for the records' length). */
static int save_records(const xlate_lemmatizer *lem, char **out, size_t *len) {
    const xlate_strtab *t = &lem->cache;
    size_t total = 4 + 8 + lem->records_len;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].hash)
            total += 8 + t->slots[i].key_len;
    char *s = malloc(total);
    if (!s)
        return -1;
    uint32_t count = (uint32_t)xlate_strtab_count(t);
    uint64_t records_len = lem->records_len;
    memcpy(s, &count, 4);
    memcpy(s + 4, &records_len, 8);
    if (lem->records_len)
        memcpy(s + 12, lem->records, lem->records_len);
    size_t at = 12 + lem->records_len;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].hash) {
            memcpy(s + at, &t->slots[i].value, 4);
            memcpy(s + at + 4, &t->slots[i].key_len, 4);
            memcpy(s + at + 8, t->keys + t->slots[i].key_off, t->slots[i].key_len);
            at += 8 + t->slots[i].key_len;
        }
    *out = s;
    *len = at;
    return 0;
}

/* Takes the records save_records wrote into an empty lemmatizer. Returns 1, 0 when the bytes
 * are not such records, -1 when out of memory. */
static int restore_records(xlate_lemmatizer *lem, const char *s, size_t len) {
    uint32_t count;
    uint64_t records_len;
    if (len < 12)
        return 0;
    memcpy(&count, s, 4);
    memcpy(&records_len, s + 4, 8);
    /* every record ends with the NUL of its last key, so no walk through them runs off */
    if (records_len > len - 12 || records_len > UINT32_MAX ||
        (records_len > 0 && s[12 + records_len - 1] != '\0'))
        return 0;
    if (xlate_grow_bytes(&lem->records, &lem->records_cap, (size_t)records_len + 1) != 0)
        return -1;
    memcpy(lem->records, s + 12, (size_t)records_len);
    lem->records_len = (size_t)records_len;
    size_t at = 12 + (size_t)records_len;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t offset, word_len, unused;
        if (len - at < 8)
            return 0;
        memcpy(&offset, s + at, 4);
        memcpy(&word_len, s + at + 4, 4);
        if (offset + (uint64_t)RECORD_HEADER > records_len || word_len > len - at - 8 ||
            xlate_strtab_find(&lem->cache, s + at + 8, word_len, &unused))
            return 0;
        if (xlate_strtab_insert(&lem->cache, s + at + 8, word_len, offset) != 0)
            return -1;
        at += 8 + word_len;
    }
    return at == len;
}

/* The parts of a cache entry. */
enum { PART_CORE_AFF, PART_CORE_DIC, PART_RECORDS, PART_FOCUS };

/* Everything from a cache entry: hunspell on the core dictionary, the filter's focus and the
 * records of the vocabulary's words, as the run that wrote the entry had them once focused.
 * Returns the handle, or NULL when the entry is missing or unusable (nothing is left set). */
static Hunhandle *create_from_cache(xlate_lemmatizer *lem, const char *aff, xlate_dictcache *c) {
    const char *parts[XLATE_DICTCACHE_PARTS];
    size_t lens[XLATE_DICTCACHE_PARTS];
    if (xlate_dictcache_load(c, parts, lens) != 1)
        return NULL;
    dict_source core = {aff, NULL, NULL, parts[PART_CORE_AFF], parts[PART_CORE_DIC],
                        lens[PART_CORE_AFF], lens[PART_CORE_DIC]};
    Hunhandle *h = NULL;
    if (xlate_dictfilter_restore(parts[PART_CORE_AFF], lens[PART_CORE_AFF], parts[PART_FOCUS],
                                 lens[PART_FOCUS], &lem->filter) == 1 &&
        restore_records(lem, parts[PART_RECORDS], lens[PART_RECORDS]) == 1)
        h = create_from_temporary(lem, &core);
    if (!h) {
        xlate_dictfilter_free(lem->filter);
        lem->filter = NULL;
        xlate_strtab_clear(&lem->cache);
        lem->records_len = 0;
    }
    return h;
}

/* Writes the cache entry of a focused lemmatizer; a failure only means no entry. */
static void store_in_cache(xlate_lemmatizer *lem) {
    char *records = NULL, *focus = NULL;
    const char *parts[XLATE_DICTCACHE_PARTS];
    size_t lens[XLATE_DICTCACHE_PARTS];
    parts[PART_CORE_AFF] = xlate_dictfilter_core_aff(lem->filter, &lens[PART_CORE_AFF]);
    parts[PART_CORE_DIC] = xlate_dictfilter_core_dic(lem->filter, &lens[PART_CORE_DIC]);
    if (parts[PART_CORE_AFF] && parts[PART_CORE_DIC] &&
        save_records(lem, &records, &lens[PART_RECORDS]) == 0 &&
        xlate_dictfilter_save(lem->filter, &focus, &lens[PART_FOCUS]) == 0) {
        parts[PART_RECORDS] = records;
        parts[PART_FOCUS] = focus;
        if (xlate_dictcache_store(lem->pending, parts, lens) == 0)
            snprintf(lem->origin, sizeof lem->origin, "filtered; cached in %s",
                     xlate_dictcache_path(lem->pending));
    }
    free(records);
    free(focus);
}

/* Loads hunspell with the entries of dic that can matter for the vocabulary: from the cache
 * entry of this dictionary and vocabulary when there is a usable one, else through the filter
 * (and the entry is written once focused). Returns the handle, or NULL when the filter declined
 * or failed (the caller loads the whole dictionary: same stems). */
static Hunhandle *create_filtered(xlate_lemmatizer *lem, const char *aff, const char *dic,
                                  const vocabulary *v) {
    char *block = NULL;
    const char **words = NULL;
    size_t *lens = NULL;
    Hunhandle *h = NULL;
    xlate_dictcache *c = NULL;
    if (normalized_vocabulary(lem, v, &block, &words, &lens) == 0) {
        vocabulary normalized = {words, lens, v->n};
        if (xlate_dictcache_open(aff, dic, words, lens, v->n, &c) == 0 && c &&
            (h = create_from_cache(lem, aff, c))) {
            lem->restored = 1;
            snprintf(lem->origin, sizeof lem->origin, "from the cache, %s",
                     xlate_dictcache_path(c));
        }
        dict_source src = {aff, dic, &normalized, NULL, NULL, 0, 0};
        if (!h && (h = create_from_temporary(lem, &src))) {
            snprintf(lem->origin, sizeof lem->origin, "filtered");
            lem->pending = c;
            c = NULL;
        }
        if (!h) {
            xlate_dictfilter_free(lem->filter);
            lem->filter = NULL;
        }
    }
    xlate_dictcache_free(c);
    free(block);
    free(words);
    free(lens);
    return h;
}

static int open_hunspell(xlate_lemmatizer *lem, const char *dict_base, const vocabulary *v,
                         char *err, size_t err_size) {
    size_t n = strlen(dict_base) + 5;
    char *aff = malloc(n), *dic = malloc(n);
    int rc = XLATE_OK;
    if (!aff || !dic) {
        rc = XLATE_ENOMEM;
        snprintf(err, err_size, "out of memory opening the hunspell dictionary");
    } else {
        snprintf(aff, n, "%s.aff", dict_base);
        snprintf(dic, n, "%s.dic", dict_base);
        if (!file_readable(aff) || !file_readable(dic)) {
            rc = XLATE_ENOTFOUND;
            snprintf(err, err_size, "hunspell dictionary %s.aff/.dic not found; install the "
                     "Debian package hunspell-uk, give dict=PATH (without .aff/.dic), or "
                     "stem=off", dict_base);
        } else if (!(v && (lem->hunspell = create_filtered(lem, aff, dic, v))) &&
                   !(lem->hunspell = hunspell_open(aff, dic))) {
            rc = XLATE_ENOMEM;
            snprintf(err, err_size, "hunspell could not load %s.aff/.dic", dict_base);
        } else if (!lem->origin[0]) {
            snprintf(lem->origin, sizeof lem->origin, "the whole dictionary");
        }
    }
    free(aff);
    free(dic);
    return rc;
}

static int open_lemmatizer(const char *dict_base, int use_stems, const vocabulary *v,
                           xlate_lemmatizer **out, char *err, size_t err_size) {
    *out = NULL;
    xlate_lemmatizer *lem = calloc(1, sizeof *lem);
    if (!lem) {
        snprintf(err, err_size, "out of memory creating the lemmatizer");
        return XLATE_ENOMEM;
    }
    UErrorCode status = U_ZERO_ERROR;
    lem->casemap = ucasemap_open("", U_FOLD_CASE_DEFAULT, &status);
    if (U_FAILURE(status)) {
        snprintf(err, err_size, "ICU case mapping unavailable: %s", u_errorName(status));
        xlate_lemmatizer_close(lem);
        return XLATE_ENOMEM;
    }
    if (use_stems) {
        int rc = open_hunspell(lem, dict_base, v, err, err_size);
        if (rc != XLATE_OK) {
            xlate_lemmatizer_close(lem);
            return rc;
        }
    }
    *out = lem;
    return XLATE_OK;
}

int xlate_lemmatizer_focus(xlate_lemmatizer *lem,
                           int (*is_key)(void *arg, const char *key, size_t len), void *arg) {
    if (!lem->filter || lem->restored)
        return XLATE_OK; /* no filter, or one restored from the cache already focused */
    int rc = xlate_dictfilter_focus(lem->filter, is_key, arg) == 0 ? XLATE_OK : XLATE_ENOMEM;
    if (rc == XLATE_OK && lem->pending)
        store_in_cache(lem);
    xlate_dictcache_free(lem->pending);
    lem->pending = NULL;
    return rc;
}

void xlate_lemmatizer_set_language(xlate_lemmatizer *lem, const char *lang) {
    char locale[ULOC_FULLNAME_CAPACITY], maximal[ULOC_FULLNAME_CAPACITY], script[8] = "";
    char language[16] = "";
    UErrorCode status = U_ZERO_ERROR;
    uloc_forLanguageTag(lang ? lang : "", locale, sizeof locale, NULL, &status);
    uloc_addLikelySubtags(locale, maximal, sizeof maximal, &status);
    uloc_getScript(maximal, script, sizeof script, &status);
    uloc_getLanguage(maximal, language, sizeof language, &status);
    if (U_FAILURE(status))
        return;
    lem->any_script = strcmp(script, "Cyrl") != 0;
    lem->possessive_s = strcmp(language, "en") == 0;
}

const char *xlate_lemmatizer_origin(const xlate_lemmatizer *lem) {
    return lem->origin[0] ? lem->origin : "none (stems off)";
}

int xlate_lemmatizer_open(const char *dict_base, int use_stems, xlate_lemmatizer **out,
                          char *err, size_t err_size) {
    return open_lemmatizer(dict_base, use_stems, NULL, out, err, err_size);
}

int xlate_lemmatizer_open_for(const char *dict_base, int use_stems, const char *const *words,
                              const size_t *lens, size_t n, xlate_lemmatizer **out, char *err,
                              size_t err_size) {
    vocabulary v = {words, lens, n};
    return open_lemmatizer(dict_base, use_stems, &v, out, err, err_size);
}

void xlate_lemmatizer_close(xlate_lemmatizer *lem) {
    if (!lem)
        return;
    if (lem->hunspell)
        hunspell_close(lem->hunspell);
    xlate_dictfilter_free(lem->filter);
    xlate_dictcache_free(lem->pending);
    if (lem->casemap)
        ucasemap_close(lem->casemap);
    xlate_strtab_free(&lem->cache);
    free(lem->records);
    free(lem->norm);
    free(lem->fold);
    free(lem);
}

void xlate_lemmatizer_stats(const xlate_lemmatizer *lem, size_t *hits, size_t *misses) {
    *hits = lem->hits;
    *misses = lem->misses;
}

/* Writes the word into lem->norm with ’ (U+2019), ‘ (U+2018) and ʼ (U+02BC) as ', the form the
 * Ukrainian dictionary uses. Returns the new length, or -1. */
static long normalize_apostrophes(xlate_lemmatizer *lem, const char *word, size_t len) {
    if (xlate_grow_bytes(&lem->norm, &lem->norm_cap, len + 1) != 0)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        const unsigned char *u = (const unsigned char *)word + i;
        if (i + 3 <= len && u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0x99 || u[2] == 0x98)) {
            lem->norm[o++] = '\'';
            i += 3;
        } else if (i + 2 <= len && u[0] == 0xCA && u[1] == 0xBC) {
            lem->norm[o++] = '\'';
            i += 2;
        } else {
            lem->norm[o++] = word[i++];
        }
    }
    lem->norm[o] = '\0';
    return (long)o;
}

/* Folds s into lem->fold; returns the folded length, or -1. */
static long fold_case(xlate_lemmatizer *lem, const char *s, size_t len) {
    return xlate_casefold(lem->casemap, &lem->fold, &lem->fold_cap, s, len);
}

static int has_cyrillic(const char *s, size_t len) {
    /* Cyrillic (U+0400..U+052F) lead bytes are 0xD0..0xD4. */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0xD0 && c <= 0xD4)
            return 1;
    }
    return 0;
}

/* Appends the folded form of s to the record being built, unless the record has it already;
 * a stem equal to the word itself marks the record RECORD_LEMMA. */
static int add_key(xlate_lemmatizer *lem, size_t record, const char *s, size_t len) {
    long n = fold_case(lem, s, len);
    if (n < 0)
        return -1;
    const char *keys = lem->records + record + RECORD_HEADER;
    const char *end = lem->records + lem->records_len;
    for (const char *k = keys; k < end; k += strlen(k) + 1) {
        if ((size_t)n == strlen(k) && memcmp(k, lem->fold, (size_t)n) == 0) {
            if (k == keys)
                lem->records[record + 1] |= RECORD_LEMMA;
            return 0;
        }
    }
    if (xlate_grow_bytes(&lem->records, &lem->records_cap, lem->records_len + (size_t)n + 1) != 0)
        return -1;
    memcpy(lem->records + lem->records_len, lem->fold, (size_t)n);
    lem->records_len += (size_t)n;
    lem->records[lem->records_len++] = '\0';
    if ((unsigned char)lem->records[record] < 255)
        lem->records[record]++;
    return 0;
}

static int add_stems(xlate_lemmatizer *lem, size_t record) {
    char **stems = NULL;
    int n = Hunspell_stem(lem->hunspell, &stems, lem->norm);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++)
        rc = add_key(lem, record, stems[i], strlen(stems[i]));
    if (stems)
        Hunspell_free_list(lem->hunspell, &stems, n);
    return rc;
}

/* Adds the stems hunspell gives for lem->norm (norm_len bytes, NUL-terminated), when the
 * dictionary can know the word: of its script, and not passed over by the focused filter. */
static int add_stems_of(xlate_lemmatizer *lem, size_t record, size_t norm_len) {
    if (!lem->hunspell || norm_len > MAX_STEMMED_BYTES ||
        !(lem->any_script || has_cyrillic(lem->norm, norm_len)) ||
        (lem->filter && !xlate_dictfilter_may_stem(lem->filter, lem->norm, norm_len)))
        return 0;
    return add_stems(lem, record);
}

/* The length of an English possessive's base: "NATO's" → 4, "allies'" is cut by the matcher's
 * words already; 0 when the word is no possessive. */
static size_t possessive_base(const char *w, size_t len) {
    if (len > 2 && w[len - 2] == '\'' && (w[len - 1] == 's' || w[len - 1] == 'S'))
        return len - 2;
    return 0;
}

static void start_over_when_full(xlate_lemmatizer *lem) {
    if (xlate_strtab_count(&lem->cache) < CACHE_MAX_WORDS && lem->records_len < CACHE_MAX_BYTES)
        return;
    xlate_strtab_clear(&lem->cache);
    lem->records_len = 0;
}

/* Looks the normalized word up in hunspell and caches its record; returns the record offset. */
static long build_record(xlate_lemmatizer *lem, size_t norm_len) {
    start_over_when_full(lem);
    size_t record = lem->records_len;
    if (xlate_grow_bytes(&lem->records, &lem->records_cap, record + RECORD_HEADER) != 0)
        return -1;
    lem->records[lem->records_len++] = 0;
    lem->records[lem->records_len++] = 0;
    int rc = add_key(lem, record, lem->norm, norm_len);
    if (rc == 0)
        rc = add_stems_of(lem, record, norm_len);
    size_t base_len = lem->possessive_s ? possessive_base(lem->norm, norm_len) : 0;
    if (rc == 0 && base_len) {
        /* the base's keys after the word's own: lem->norm is cut to the base for hunspell and
         * restored for the cache's key */
        char cut = lem->norm[base_len];
        lem->norm[base_len] = '\0';
        rc = add_key(lem, record, lem->norm, base_len);
        if (rc == 0)
            rc = add_stems_of(lem, record, base_len);
        lem->norm[base_len] = cut;
    }
    if (rc == 0)
        rc = xlate_strtab_insert(&lem->cache, lem->norm, norm_len, (uint32_t)record);
    if (rc != 0) {
        lem->records_len = record;
        return -1;
    }
    return (long)record;
}

int xlate_lemmatizer_keys(xlate_lemmatizer *lem, const char *word, size_t len, const char **keys,
                          int *is_lemma) {
    long norm_len = normalize_apostrophes(lem, word, len);
    if (norm_len < 0)
        return -1;
    uint32_t record;
    long at;
    if (xlate_strtab_find(&lem->cache, lem->norm, (size_t)norm_len, &record)) {
        lem->hits++;
        at = record;
    } else {
        lem->misses++;
        if ((at = build_record(lem, (size_t)norm_len)) < 0)
            return -1;
    }
    *keys = lem->records + at + RECORD_HEADER;
    if (is_lemma)
        *is_lemma = (lem->records[at + 1] & RECORD_LEMMA) != 0;
    return (unsigned char)lem->records[at];
}
