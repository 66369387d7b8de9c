/*
 * Harness: the checks that decide whether an archive entry's name and link target are safe
 * (core/batch/archive_in.h: xlate_entry_path_clean, xlate_link_stays_inside), on any name. The input is
 * the name, then, after a FUZZ_SEPARATOR line, a link target. A name that passes must come back
 * clean: relative, no "..", no empty or "." part, valid UTF-8, no control character, no backslash,
 * not the state folder; a link that "stays inside" must not climb above the root.
 */
#include "fuzz.h"

#include "archive_in.h"
#include "utf8.h"

static void check_clean(const char *path) {
    size_t len = strlen(path);
    if (len == 0 || path[0] == '/' || xlate_utf8_first_invalid(path, len, NULL) != len)
        abort();
    for (const char *p = path;;) {
        size_t n = strcspn(p, "/");
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            abort();
        if (p == path && n == 12 && memcmp(p, ".xlate-state", 12) == 0)
            abort();
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\')
                abort();
        if (!p[n])
            break;
        p += n + 1;
    }
}

/* How far above the root a path climbs when its ".." parts are taken from `depth` folders down;
 * > 0 when it leaves the root at some point. */
static int climbs_out(const char *path, int depth) {
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.' && --depth < 0)
            return 1;
        else if (n > 0 && !(n == 1 && p[0] == '.') && !(n == 2 && p[0] == '.' && p[1] == '.'))
            depth++;
        p += n + (p[n] == '/');
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t name_len, target_len;
    const uint8_t *name8 = fuzz_part(&data, &size, &name_len);
    const uint8_t *target8 = fuzz_part(&data, &size, &target_len);
    char *name = fuzz_strndup(name8, name_len), *target = fuzz_strndup(target8, target_len);
    const char *why = NULL;
    char *clean = xlate_entry_path_clean(name, &why);
    if (!clean && !why)
        abort();
    if (clean) {
        check_clean(clean);
        for (int symbolic = 0; symbolic <= 1; symbolic++) {
            if (!xlate_link_stays_inside(clean, target, symbolic) || target[0] == '/')
                continue;
            /* A symbolic link's target is taken from the link's folder, a hard link's from the
             * root. */
            int depth = 0;
            if (symbolic)
                for (const char *s = clean; (s = strchr(s, '/')) != NULL; s++)
                    depth++;
            if (climbs_out(target, depth))
                abort();
        }
    }
    free(clean);
    free(name);
    free(target);
    return 0;
}
