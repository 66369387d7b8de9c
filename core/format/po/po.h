/*
 * po: the gettext PO/POT format module (format.h). Each msgid, and each msgid_plural, is a
 * paragraph; msgstr is written back with the translation in place, every other line of the file
 * as it was read.
 */
#ifndef XLATE_CORE_FORMAT_PO_H
#define XLATE_CORE_FORMAT_PO_H

#include "format.h"

extern const xlate_format_module xlate_format_po;

#endif
