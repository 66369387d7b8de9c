/* Tests of buf: appends keep the data NUL-terminated, growth keeps earlier bytes, steal hands
 * the memory over and leaves the buffer empty, a bulk reserve gives room at once and behaves as a
 * plain one afterwards, an exact reserve gives the room asked for and no more. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"

static void test_append_and_printf(void) {
    xlate_buf b = XLATE_BUF_INIT;
    CHECK_INT(xlate_buf_puts(&b, "Київ"), 0);
    CHECK_INT(xlate_buf_putc(&b, ' '), 0);
    CHECK_INT(xlate_buf_printf(&b, "%d-%s", 24, "травня"), 0);
    CHECK_STR(b.data, "Київ 24-травня");
    CHECK_INT(b.len, strlen("Київ 24-травня"));
    xlate_buf_reset(&b);
    CHECK_INT(b.len, 0);
    CHECK_STR(b.data, "");
    xlate_buf_free(&b);
}

static void test_growth_keeps_bytes(void) {
    xlate_buf b = XLATE_BUF_INIT;
    for (int i = 0; i < 100000; i++)
        CHECK_INT(xlate_buf_putc(&b, (char)('a' + i % 26)), 0);
    CHECK_INT(b.len, 100000);
    int intact = 1;
    for (int i = 0; i < 100000; i++)
        intact &= b.data[i] == (char)('a' + i % 26);
    CHECK(intact);
    CHECK(b.data[b.len] == '\0');
    xlate_buf_free(&b);
}

static void test_binary_and_steal(void) {
    xlate_buf b = XLATE_BUF_INIT;
    CHECK_INT(xlate_buf_append(&b, "a\0b", 3), 0);
    size_t len = 0;
    char *p = xlate_buf_steal(&b, &len);
    CHECK_INT(len, 3);
    CHECK(p && memcmp(p, "a\0b", 4) == 0);
    CHECK(b.data == NULL && b.len == 0);
    free(p);
    p = xlate_buf_steal(&b, &len); /* an empty buffer still gives an allocated "" */
    CHECK(p && *p == '\0' && len == 0);
    free(p);
}

static void test_reserve_overflow_is_refused(void) {
    xlate_buf b = XLATE_BUF_INIT;
    xlate_buf_puts(&b, "x");
    CHECK_INT(xlate_buf_reserve(&b, (size_t)-1), -1);
    CHECK_STR(b.data, "x");
    xlate_buf_free(&b);
}

static void test_bulk_reserve(void) {
    size_t big = (5u << 20) + 3;
    xlate_buf b = XLATE_BUF_INIT;
    CHECK_INT(xlate_buf_reserve_bulk(&b, big), 0);
    CHECK(b.data != NULL && b.cap >= big + 1 && b.len == 0 && b.data[0] == '\0');
    memset(b.data, 'x', big);
    b.len = big;
    CHECK_INT(xlate_buf_append(&b, "Київ", strlen("Київ")), 0);
    CHECK(b.len == big + strlen("Київ") && strcmp(b.data + big, "Київ") == 0);
    CHECK(b.data[0] == 'x' && b.data[big - 1] == 'x');
    /* on a buffer already in use: a plain reserve, nothing lost */
    CHECK_INT(xlate_buf_reserve_bulk(&b, big), 0);
    CHECK(b.cap >= b.len + big + 1 && strcmp(b.data + big, "Київ") == 0);
    size_t len = 0;
    char *p = xlate_buf_steal(&b, &len);
    CHECK(p != NULL && len == big + strlen("Київ"));
    CHECK(b.data == NULL);
    free(p);
        /* small sizes are an ordinary reserve */
    CHECK_INT(xlate_buf_reserve_bulk(&b, 10), 0);
    CHECK(b.cap >= 11);
    xlate_buf_free(&b);
}

/* An archive entry of 600,000 bytes must cost 600,001, not the 1 MiB a doubling reserve rounds
 * it to: each document waiting in the batch queue holds its buffer. */
static void test_exact_reserve(void) {
    xlate_buf b = XLATE_BUF_INIT;
    CHECK_INT(xlate_buf_reserve_exact(&b, 600000), 0);
    CHECK_INT(b.cap, 600001);
    char chunk[1000];
    memset(chunk, 'k', sizeof chunk);
    for (int i = 0; i < 600; i++)
        CHECK_INT(xlate_buf_append(&b, chunk, sizeof chunk), 0);
    CHECK_INT(b.cap, 600001);
    CHECK(b.len == 600000 && b.data[599999] == 'k' && b.data[600000] == '\0');
    /* room already there: nothing changes; more than there: grows, keeping the bytes */
    CHECK_INT(xlate_buf_reserve_exact(&b, 0), 0);
    CHECK_INT(b.cap, 600001);
    CHECK_INT(xlate_buf_reserve_exact(&b, 5), 0);
    CHECK(b.cap == 600006 && b.data[0] == 'k');
    CHECK_INT(xlate_buf_reserve_exact(&b, (size_t)-1), -1);
    CHECK(xlate_buf_failed(&b));
    xlate_buf_free(&b);
}

/* A long document's segment array: zeroed however it was obtained (malloc may hand back memory
 * used before), small or large; a size that cannot be counted is refused. */
static void test_calloc_bulk(void) {
    size_t n = (6u << 20) / 24 + 5;
    for (int round = 0; round < 2; round++) {
        unsigned char *p = xlate_calloc_bulk(n, 24);
        CHECK(p != NULL);
        size_t nonzero = 0;
        for (size_t i = 0; p && i < n * 24; i++)
            nonzero += p[i] != 0;
        CHECK_INT(nonzero, 0);
        if (p)
            memset(p, 0xAB, n * 24); /* a second round may get these bytes back */
        free(p);
    }
    unsigned char *small = xlate_calloc_bulk(3, 5);
    CHECK(small != NULL && small[0] == 0 && small[14] == 0);
    free(small);
    CHECK(xlate_calloc_bulk((size_t)-1 / 8, 16) == NULL);
}

int main(void) {
    test_exact_reserve();
    test_calloc_bulk();
    test_append_and_printf();
    test_bulk_reserve();
    test_growth_keeps_bytes();
    test_binary_and_steal();
    test_reserve_overflow_is_refused();
    return check_result("test_buf");
}
