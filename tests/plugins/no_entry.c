/* no_entry: a shared object that exports something, but not xlate_plugin_entry. */
#include "xlate/plugin.h"

XLATE_PLUGIN_EXPORT int xlate_plugin_entry_misspelled(void) { return 0; }
