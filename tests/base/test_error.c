/* Tests of error: messages are set, replaced and prefixed with the file; the status is the
 * xlate_status code set, kept through a prefix, and XLATE_OK again once cleared. */
#include "check.h"
#include "error.h"

int main(void) {
    xlate_error err = {0};
    CHECK_INT(err.status, XLATE_OK);
    xlate_error_set(&err, XLATE_ERROR, "invalid UTF-8 at byte offset %d", 47);
    CHECK_STR(err.message, "invalid UTF-8 at byte offset 47");
    CHECK_INT(err.status, XLATE_ERROR);
    xlate_error_prefix(&err, "%s", "article.txt");
    CHECK_STR(err.message, "article.txt: invalid UTF-8 at byte offset 47");
    CHECK_INT(err.status, XLATE_ERROR);
    xlate_error_set(&err, XLATE_ENOTFOUND, "unknown plugin '%s'", "nosuch");
    CHECK_STR(err.message, "unknown plugin 'nosuch'");
    CHECK_INT(err.status, XLATE_ENOTFOUND);
    xlate_error_clear(&err);
    CHECK(err.message == NULL && err.status == XLATE_OK);
    xlate_error_prefix(&err, "%s", "ignored when there is no error");
    CHECK(err.message == NULL && err.status == XLATE_OK);
    xlate_error_set(NULL, XLATE_ERROR, "a NULL error is allowed");
    return check_result("test_error");
}
