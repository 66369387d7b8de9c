/*
 * matcher: term index and longest-match search of the glossary plugin (see matcher.h).
 * Every distinct lemma key of the map gets a dense id; the index lists, for each id, the terms
 * whose first word has it. A word of the text whose keys have no id cannot start or continue a
 * term, so most words cost one cache lookup and a few hash probes.
 */
#include "matcher.h"

#include "strtab.h"

#include <xlate/plugin.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#define MAX_TERM_WORDS 16
#define MAX_GAP_BYTES 32
#define MAX_WORD_KEYS 32
/* The word cache starts over past this many words, so a long run cannot grow it without bound;
 * only between two texts, since the words of the current one point into it. */
#define WORD_CACHE_MAX 500000

enum { SHAPE_INITIAL_CAPITAL = 1, SHAPE_ALL_CAPITALS = 2 };

typedef struct word {
    size_t start, end;
    uint64_t hash;    /* xlate_strtab_hash of the word's bytes */
    uint32_t ids_off; /* the word's key ids, in word_records */
    uint8_t n_ids;
    uint8_t shape;
} word;

typedef struct term_word {
    uint32_t ids_off;
    uint8_t n_ids;
    uint8_t shape;
    uint8_t gap_len;  /* normalized punctuation before this word (none for the first) */
    char gap[MAX_GAP_BYTES];
} term_word;

typedef struct pattern {
    uint32_t first_word; /* in term_words */
    uint32_t n_words;
    uint32_t entry;
    int case_sensitive;
} pattern;

typedef struct u32_vec {
    uint32_t *v;
    size_t len, cap;
} u32_vec;

struct xlate_matcher {
    xlate_lemmatizer *lem;
    xlate_strtab key_ids;    /* folded lemma key → id */
    u32_vec term_ids;        /* key ids of the terms' words */
    term_word *term_words;
    size_t n_term_words, term_words_cap;
    pattern *patterns;
    size_t n_patterns;
    uint32_t *index_start;   /* per id: first slot in index_patterns; n_ids + 1 of them */
    uint32_t *index_patterns;
    /* word of the text → its key ids, so a repeated word costs one lookup: the record at
     * `word_records.v[value]` is the id count, then the ids. */
    xlate_strtab word_cache;
    u32_vec word_records;
    /* per-call scratch, kept to spare allocations */
    word *words;
    size_t words_cap;
    xlate_match *matches;
    size_t matches_cap;
};

static int u32_push(u32_vec *a, uint32_t x) {
    if (a->len == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 256;
        uint32_t *v = realloc(a->v, cap * sizeof *v);
        if (!v)
            return -1;
        a->v = v;
        a->cap = cap;
    }
    a->v[a->len++] = x;
    return 0;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

/* --- words ------------------------------------------------------------------------------- */

static int is_apostrophe(UChar32 c) {
    return c == 0x27 || c == 0x2019 || c == 0x2018 || c == 0x02BC;
}

enum { CH_WORD = 1, CH_ALPHA = 2, CH_UPPER = 4, CH_LOWER = 8 };

/* What the character is for cutting words: a word character (letter, digit, combining mark),
 * a letter, upper or lower case. */
static unsigned classify_code_point(UChar32 c) {
    if (c < 0)
        return 0;
    if (u_isalpha(c))
        return CH_WORD | CH_ALPHA | (u_isupper(c) || u_istitle(c) ? CH_UPPER : 0) |
               (u_islower(c) ? CH_LOWER : 0);
    if (u_isdigit(c))
        return CH_WORD;
    int8_t t = u_charType(c);
    return t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK ? CH_WORD : 0;
}

static UChar32 char_at(const char *s, size_t len, size_t i, size_t *next) {
    int32_t k = (int32_t)i;
    UChar32 c;
    U8_NEXT(s, k, (int32_t)len, c);
    *next = (size_t)k;
    return c;
}

/* The class of the character at i, and its code point. ASCII and the modern Cyrillic block
 * (U+0400..U+045F, the letters of Ukrainian news) are decided here: they are nearly all of the
 * text, and ICU's property lookups for them cost more than the rest of the matching. Inlined:
 * called for every character, the call itself was a third of cutting words. */
static inline __attribute__((always_inline)) unsigned class_at(const char *s, size_t len, size_t i,
                                                                 size_t *next, UChar32 *cp) {
    unsigned char b = (unsigned char)s[i];
    if (b < 0x80) {
        *next = i + 1;
        *cp = b;
        if ((b | 0x20) >= 'a' && (b | 0x20) <= 'z')
            return CH_WORD | CH_ALPHA | (b <= 'Z' ? CH_UPPER : CH_LOWER);
        return b >= '0' && b <= '9' ? CH_WORD : 0;
    }
    if ((b == 0xD0 || (b == 0xD1 && i + 1 < len && (unsigned char)s[i + 1] < 0xA0)) &&
        i + 1 < len && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
        *next = i + 2;
        *cp = ((b & 0x1F) << 6) | ((unsigned char)s[i + 1] & 0x3F);
        return CH_WORD | CH_ALPHA | (*cp < 0x430 ? CH_UPPER : CH_LOWER);
    }
    *cp = char_at(s, len, i, next);
    return classify_code_point(*cp);
}

/* Finds the next word at or after *pos; returns 0 at the end of the text. An apostrophe belongs
 * to a word when letters stand on both sides of it ("об’єкт", "п'ять"). */
static int next_word(const char *s, size_t len, size_t *pos, size_t *start, size_t *end,
                     uint8_t *shape) {
    size_t i = *pos, next;
    UChar32 c;
    while (i < len && !(class_at(s, len, i, &next, &c) & CH_WORD))
        i = next;
    if (i >= len)
        return 0;
    *start = i;
    int letters = 0, lower = 0, first_upper = -1;
    /* the letters and case before the last apostrophe, and the letters after it */
    int apos_letters = -1, apos_lower = 0, tail = 0;
    while (i < len) {
        unsigned cls = class_at(s, len, i, &next, &c);
        if (!(cls & CH_WORD)) {
            size_t after;
            UChar32 c2;
            if (letters && is_apostrophe(c) && next < len &&
                (class_at(s, len, next, &after, &c2) & CH_ALPHA)) {
                apos_letters = letters;
                apos_lower = lower;
                tail = 0;
                i = next;
                continue;
            }
            break;
        }
        if (cls & CH_ALPHA) {
            if (first_upper < 0)
                first_upper = (cls & CH_UPPER) != 0;
            letters++;
            tail++;
            lower |= (cls & CH_LOWER) != 0;
        }
        i = next;
    }
    /* A short ending after an apostrophe (English 's, 'll) does not decide whether the word is
     * written in capitals: "NATO's" is NATO in capitals. */
    if (apos_letters > 0 && tail <= 2) {
        letters = apos_letters;
        lower = apos_lower;
    }
    *end = *pos = i;
    *shape = (uint8_t)((first_upper > 0 ? SHAPE_INITIAL_CAPITAL : 0) |
                       (letters >= 2 && !lower ? SHAPE_ALL_CAPITALS : 0));
    return 1;
}

/* Whether c only joins or parts two words: white space (no-break spaces included), a soft
 * hyphen, a hyphen or a dash of any kind, a minus sign. "Secretary General", "Secretary-General"
 * and "Secretary‑General" are one term. */
static int is_joiner(UChar32 c) {
    if (c == ' ' || c == '-')
        return 1;
    if (c < 0x80)
        return c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    return u_isUWhiteSpace(c) || c == 0xAD || c == 0x2212 ||
           u_charType(c) == U_DASH_PUNCTUATION;
}

/* The punctuation between two words with spaces, hyphens and dashes dropped. Returns its
 * length, or -1 when longer than MAX_GAP_BYTES (such a gap never matches). */
static int normalize_gap(const char *s, size_t from, size_t to, char *out) {
    int n = 0;
    for (size_t i = from, next; i < to; i = next) {
        UChar32 c = char_at(s, to, i, &next);
        if (is_joiner(c))
            continue;
        if (n + (int)(next - i) > MAX_GAP_BYTES)
            return -1;
        memcpy(out + n, s + i, next - i);
        n += (int)(next - i);
    }
    return n;
}

int xlate_matcher_term_words(const xlate_termmap *map,
                             int (*fn)(void *arg, const char *word, size_t len), void *arg) {
    for (size_t i = 0; i < map->count; i++) {
        const char *s = map->entries[i].source;
        size_t len = strlen(s), pos = 0, start, end;
        uint8_t shape;
        while (next_word(s, len, &pos, &start, &end, &shape)) {
            int rc = fn(arg, s + start, end - start);
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

int xlate_matcher_has_key(void *m, const char *key, size_t len) {
    uint32_t id;
    return xlate_strtab_find(&((xlate_matcher *)m)->key_ids, key, len, &id);
}

/* --- key ids ----------------------------------------------------------------------------- */

/* Appends the ids of the word's keys to ids. For a word of a term (intern set) keys without an
 * id get one, and a word in its dictionary form keeps that form alone: a term is written in
 * dictionary form, so "Київ" must not also stand for its homograph stem "кий", nor "Суми" for
 * "сума"; an inflected word of a term ("оборони" in "Сили оборони України") keeps all its stems.
 * For a word of the text, keys without an id are dropped. Returns the number appended, or -1
 * when out of memory. */
static int word_key_ids(xlate_matcher *m, const char *w, size_t len, int intern, u32_vec *ids) {
    const char *keys;
    int is_lemma;
    int n = xlate_lemmatizer_keys(m->lem, w, len, &keys, &is_lemma);
    if (n < 0)
        return -1;
    if (intern && is_lemma)
        n = 1;
    int added = 0;
    for (int k = 0; k < n; k++, keys += strlen(keys) + 1) {
        size_t klen = strlen(keys);
        uint32_t id;
        if (!xlate_strtab_find(&m->key_ids, keys, klen, &id)) {
            if (!intern)
                continue;
            id = (uint32_t)xlate_strtab_count(&m->key_ids);
            if (xlate_strtab_insert(&m->key_ids, keys, klen, id) != 0)
                return -1;
        }
        if (added == MAX_WORD_KEYS)
            break;
        if (u32_push(ids, id) != 0)
            return -1;
        added++;
    }
    return added;
}

static int ids_meet(const uint32_t *a, size_t na, const uint32_t *b, size_t nb) {
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            if (a[i] == b[j])
                return 1;
    return 0;
}

/* --- building the index ------------------------------------------------------------------ */

static int fail_entry(const xlate_termmap *map, const xlate_term_entry *e, char *err,
                      size_t err_size, const char *what) {
    snprintf(err, err_size, "%s:%u: the source term \"%s\" %s", map->name, e->line, e->source,
             what);
    return XLATE_ERROR;
}

static int add_pattern(xlate_matcher *m, const xlate_termmap *map, size_t entry, char *err,
                       size_t err_size) {
    const xlate_term_entry *e = &map->entries[entry];
    const char *s = e->source;
    size_t len = strlen(s), pos = 0, start, end, prev_end = 0;
    uint8_t shape;
    pattern p = {(uint32_t)m->n_term_words, 0, (uint32_t)entry, e->case_sensitive};
    while (next_word(s, len, &pos, &start, &end, &shape)) {
        if (p.n_words == MAX_TERM_WORDS)
            return fail_entry(map, e, err, err_size, "has more than 16 words; shorten it");
        if (grow((void **)&m->term_words, &m->term_words_cap, m->n_term_words + 1, sizeof *m->term_words) != 0)
            return XLATE_ENOMEM;
        term_word *tw = &m->term_words[m->n_term_words];
        memset(tw, 0, sizeof *tw);
        if (p.n_words > 0) {
            int g = normalize_gap(s, prev_end, start, tw->gap);
            if (g < 0)
                return fail_entry(map, e, err, err_size, "has too much punctuation between words");
            tw->gap_len = (uint8_t)g;
        }
        tw->ids_off = (uint32_t)m->term_ids.len;
        int n = word_key_ids(m, s + start, end - start, 1, &m->term_ids);
        if (n < 0)
            return XLATE_ENOMEM;
        tw->n_ids = (uint8_t)n;
        tw->shape = shape;
        m->n_term_words++;
        p.n_words++;
        prev_end = end;
    }
    if (p.n_words == 0)
        return fail_entry(map, e, err, err_size, "has no letters or digits; it cannot match");
    m->patterns[m->n_patterns++] = p;
    return XLATE_OK;
}

/* Longer terms first; then case-sensitive ones; then map order. */
static int pattern_ranks_before(const pattern *a, const pattern *b) {
    if (a->n_words != b->n_words)
        return a->n_words > b->n_words;
    if (a->case_sensitive != b->case_sensitive)
        return a->case_sensitive > b->case_sensitive;
    return a->entry < b->entry;
}

/* Insertion sort: index lists are short (a few terms share a first word), and qsort would need
 * the pattern table through a global. */
static void sort_index_list(const xlate_matcher *m, uint32_t *list, size_t n) {
    for (size_t i = 1; i < n; i++) {
        uint32_t x = list[i];
        size_t j = i;
        while (j > 0 && pattern_ranks_before(&m->patterns[x], &m->patterns[list[j - 1]])) {
            list[j] = list[j - 1];
            j--;
        }
        list[j] = x;
    }
}

/* Counting sort of (id, pattern) pairs: every key id of a term's first word indexes the term. */
static int build_index(xlate_matcher *m) {
    size_t n_ids = xlate_strtab_count(&m->key_ids);
    m->index_start = calloc(n_ids + 1, sizeof *m->index_start);
    if (!m->index_start)
        return XLATE_ENOMEM;
    size_t total = 0;
    for (size_t p = 0; p < m->n_patterns; p++) {
        const term_word *w = &m->term_words[m->patterns[p].first_word];
        for (size_t k = 0; k < w->n_ids; k++)
            m->index_start[m->term_ids.v[w->ids_off + k] + 1]++;
        total += w->n_ids;
    }
    for (size_t i = 0; i < n_ids; i++)
        m->index_start[i + 1] += m->index_start[i];
    m->index_patterns = malloc((total ? total : 1) * sizeof *m->index_patterns);
    uint32_t *fill = calloc(n_ids + 1, sizeof *fill);
    if (!m->index_patterns || !fill) {
        free(fill);
        return XLATE_ENOMEM;
    }
    for (size_t p = 0; p < m->n_patterns; p++) {
        const term_word *w = &m->term_words[m->patterns[p].first_word];
        for (size_t k = 0; k < w->n_ids; k++) {
            uint32_t id = m->term_ids.v[w->ids_off + k];
            m->index_patterns[m->index_start[id] + fill[id]++] = (uint32_t)p;
        }
    }
    free(fill);
    for (size_t id = 0; id < n_ids; id++)
        sort_index_list(m, m->index_patterns + m->index_start[id],
                        m->index_start[id + 1] - m->index_start[id]);
    return XLATE_OK;
}

int xlate_matcher_build(const xlate_termmap *map, xlate_lemmatizer *lem, xlate_matcher **out,
                        char *err, size_t err_size) {
    *out = NULL;
    xlate_matcher *m = calloc(1, sizeof *m);
    int rc = m ? XLATE_OK : XLATE_ENOMEM;
    if (m) {
        m->lem = lem;
        m->patterns = malloc((map->count ? map->count : 1) * sizeof *m->patterns);
        if (!m->patterns)
            rc = XLATE_ENOMEM;
    }
    for (size_t i = 0; rc == XLATE_OK && i < map->count; i++)
        rc = add_pattern(m, map, i, err, err_size);
    if (rc == XLATE_OK)
        rc = build_index(m);
    if (rc == XLATE_ENOMEM)
        snprintf(err, err_size, "%s: out of memory indexing the term map", map->name);
    if (rc != XLATE_OK) {
        xlate_matcher_free(m);
        return rc;
    }
    *out = m;
    return XLATE_OK;
}

void xlate_matcher_free(xlate_matcher *m) {
    if (!m)
        return;
    xlate_strtab_free(&m->key_ids);
    free(m->term_ids.v);
    free(m->term_words);
    free(m->patterns);
    free(m->index_start);
    free(m->index_patterns);
    xlate_strtab_free(&m->word_cache);
    free(m->word_records.v);
    free(m->words);
    free(m->matches);
    free(m);
}

/* --- searching --------------------------------------------------------------------------- */

/* The offset in word_records of the key ids of a word of the text; adds them on first sight. */
static int cached_word_ids(xlate_matcher *m, const char *w, size_t len, uint64_t hash,
                           uint32_t *off) {
    if (xlate_strtab_find_hashed(&m->word_cache, w, len, hash, off))
        return XLATE_OK;
    size_t at = m->word_records.len;
    if (at > UINT32_MAX - MAX_WORD_KEYS - 1 || u32_push(&m->word_records, 0) != 0)
        return XLATE_ENOMEM;
    int n = word_key_ids(m, w, len, 0, &m->word_records);
    if (n < 0)
        return XLATE_ENOMEM;
    m->word_records.v[at] = (uint32_t)n;
    *off = (uint32_t)at;
    return xlate_strtab_insert(&m->word_cache, w, len, *off) == 0 ? XLATE_OK : XLATE_ENOMEM;
}

/* Cuts the text into words, then looks each up in the word cache. Two passes: the first starts
 * loading every word's cache slot, so that the lookups of the second, most of the matcher's time
 * when each waited for memory in turn, wait side by side. */
static int cut_words(xlate_matcher *m, const char *text, size_t len, size_t *n_words) {
    size_t n = 0, pos = 0, start, end;
    uint8_t shape;
    if (xlate_strtab_count(&m->word_cache) > WORD_CACHE_MAX) {
        xlate_strtab_clear(&m->word_cache);
        m->word_records.len = 0;
    }
    while (next_word(text, len, &pos, &start, &end, &shape)) {
        if (grow((void **)&m->words, &m->words_cap, n + 1, sizeof *m->words) != 0)
            return XLATE_ENOMEM;
        word *w = &m->words[n++];
        w->start = start;
        w->end = end;
        w->shape = shape;
        w->hash = xlate_strtab_hash(text + start, end - start);
        xlate_strtab_prefetch(&m->word_cache, w->hash);
    }
    for (size_t i = 0; i < n; i++) {
        word *w = &m->words[i];
        uint32_t off;
        if (cached_word_ids(m, text + w->start, w->end - w->start, w->hash, &off) != XLATE_OK)
            return XLATE_ENOMEM;
        w->n_ids = (uint8_t)m->word_records.v[off];
        w->ids_off = off + 1;
    }
    *n_words = n;
    return XLATE_OK;
}

static int shape_fits(const term_word *tw, const word *w) {
    if ((tw->shape & SHAPE_INITIAL_CAPITAL) != (w->shape & SHAPE_INITIAL_CAPITAL))
        return 0;
    return !(tw->shape & SHAPE_ALL_CAPITALS) || (w->shape & SHAPE_ALL_CAPITALS);
}

static int pattern_matches_at(const xlate_matcher *m, const pattern *p, const char *text,
                              size_t at) {
    for (uint32_t j = 0; j < p->n_words; j++) {
        const term_word *tw = &m->term_words[p->first_word + j];
        const word *w = &m->words[at + j];
        if (p->case_sensitive && !shape_fits(tw, w))
            return 0;
        if (!ids_meet(m->term_ids.v + tw->ids_off, tw->n_ids, m->word_records.v + w->ids_off,
                      w->n_ids))
            return 0;
        if (j > 0) {
            char gap[MAX_GAP_BYTES];
            int g = normalize_gap(text, m->words[at + j - 1].end, w->start, gap);
            if (g != tw->gap_len || memcmp(gap, tw->gap, (size_t)g) != 0)
                return 0;
        }
    }
    return 1;
}

typedef struct blocked_ranges {
    const xlate_byte_range *v;
    size_t n;
} blocked_ranges;

/* Blocked ranges come in source order and do not overlap (they are a segment's term spans), so
 * their ends are sorted too: the first range ending after `start` is the only candidate. */
static int overlaps_blocked(const blocked_ranges *blocked, size_t start, size_t end) {
    size_t lo = 0, hi = blocked->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (blocked->v[mid].end <= start)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < blocked->n && blocked->v[lo].start < end;
}

/* The best term starting at word `at` that overlaps no blocked range, or NULL. */
static const pattern *best_pattern_at(const xlate_matcher *m, const char *text, size_t at,
                                      size_t n_words, const blocked_ranges *blocked) {
    const word *w = &m->words[at];
    const pattern *best = NULL;
    for (uint32_t k = 0; k < w->n_ids; k++) {
        uint32_t id = m->word_records.v[w->ids_off + k];
        for (uint32_t s = m->index_start[id]; s < m->index_start[id + 1]; s++) {
            const pattern *p = &m->patterns[m->index_patterns[s]];
            if (best && !pattern_ranks_before(p, best))
                break; /* the list is sorted: nothing after p ranks before best either */
            if (at + p->n_words > n_words || !pattern_matches_at(m, p, text, at))
                continue;
            if (overlaps_blocked(blocked, w->start, m->words[at + p->n_words - 1].end))
                continue;
            best = p;
            break;
        }
    }
    return best;
}

int xlate_matcher_find(xlate_matcher *m, const char *text, size_t len,
                       const xlate_byte_range *blocked, size_t n_blocked,
                       const xlate_match **matches, size_t *n_matches) {
    size_t n_words, n = 0;
    blocked_ranges ranges = {blocked, n_blocked};
    *matches = NULL;
    *n_matches = 0;
    if (cut_words(m, text, len, &n_words) != XLATE_OK)
        return XLATE_ENOMEM;
    for (size_t i = 0; i < n_words;) {
        const pattern *p =
            m->words[i].n_ids ? best_pattern_at(m, text, i, n_words, &ranges) : NULL;
        if (!p) {
            i++;
            continue;
        }
        if (grow((void **)&m->matches, &m->matches_cap, n + 1, sizeof *m->matches) != 0)
            return XLATE_ENOMEM;
        m->matches[n++] = (xlate_match){m->words[i].start, m->words[i + p->n_words - 1].end,
                                        p->entry};
        i += p->n_words;
    }
    *matches = m->matches;
    *n_matches = n;
    return XLATE_OK;
}
