/*
 * md: the Markdown (CommonMark) format module (format.h). Headings, paragraphs and table cells
 * are paragraphs with emphasis, links and images as inline codes; write puts each translation in
 * its paragraph's place, every other byte as it was.
 */
#ifndef XLATE_CORE_FORMAT_MD_H
#define XLATE_CORE_FORMAT_MD_H

#include "format.h"

extern const xlate_format_module xlate_format_md;

#endif
