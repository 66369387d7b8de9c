/* Tests of error: messages are set, replaced and prefixed with the file; the kind decides the
 * exit status (0 none, 1 run, 2 usage). */
#include "check.h"
#include "error.h"

int main(void) {
    xlate_error err = {0};
    CHECK_INT(xlate_error_exit_status(&err), XLATE_EXIT_OK);
    xlate_error_set(&err, XLATE_ERR_RUN, "invalid UTF-8 at byte offset %d", 47);
    CHECK_STR(err.message, "invalid UTF-8 at byte offset 47");
    CHECK_INT(xlate_error_exit_status(&err), XLATE_EXIT_FAILED);
    xlate_error_prefix(&err, "%s", "article.txt");
    CHECK_STR(err.message, "article.txt: invalid UTF-8 at byte offset 47");
    xlate_error_set(&err, XLATE_ERR_USAGE, "unknown plugin '%s'", "nosuch");
    CHECK_STR(err.message, "unknown plugin 'nosuch'");
    CHECK_INT(xlate_error_exit_status(&err), XLATE_EXIT_USAGE);
    xlate_error_clear(&err);
    CHECK(err.message == NULL && err.kind == XLATE_ERR_NONE);
    xlate_error_prefix(&err, "%s", "ignored when there is no error");
    CHECK(err.message == NULL);
    xlate_error_set(NULL, XLATE_ERR_RUN, "a NULL error is allowed");
    return check_result("test_error");
}
