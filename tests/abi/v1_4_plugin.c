/*
 * abi_v1_4: the 1.4 test translator testusage (tests/plugins/testusage.c: count_usage,
 * segment_status, dry_run, batch_done) compiled against tests/abi/v1_4/plugin.h, the ABI 1.4
 * header as released, so that it has no load/unload and its tables end where 1.4's did. The
 * frozen header comes first; its include guard makes testusage's own include a no-op.
 */
#include "plugin.h" /* tests/abi/v1_4/plugin.h: the ABI 1.4 header, frozen */

#include "../plugins/testusage.c"
