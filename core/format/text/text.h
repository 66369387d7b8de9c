/*
 * text: plain text as a format module (format.h). Paragraphs end at blank lines, as the segmenter
 * cuts them; the skeleton is what lies between paragraphs and the encoding the bytes came in.
 * Serves `--format doc`, XLIFF export and merge for plain text; a run that writes TSV, JSONL or
 * TMX streams plain text through pipeline.h instead.
 */
#ifndef XLATE_CORE_FORMAT_TEXT_H
#define XLATE_CORE_FORMAT_TEXT_H

#include "format.h"

extern const xlate_format_module xlate_format_text;

#endif
