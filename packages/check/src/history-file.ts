import type { History } from '@dsim/core';
import { historyFromEdn } from './jepsen-edn.ts';
import { historyFromJson } from './json-history.ts';

export type HistoryFormat = 'edn' | 'json';

export interface ParsedHistory {
  readonly history: History;
  readonly format: HistoryFormat;
  /** Non-client operations skipped (Jepsen's :nemesis). */
  readonly skipped: number;
}

/**
 * Reads a history in any format dsim knows, from the text itself: EDN starts with '{', '#', ';'
 * or '[' followed by '{' or '#' or ':' (a vector of op maps); JSON starts with '[' or a '{"'. A file
 * name's extension, when given, decides first.
 */
export function parseHistory(
  text: string,
  options: { readonly source?: string; readonly format?: HistoryFormat } = {},
): ParsedHistory {
  const format = options.format ?? detectHistoryFormat(text, options.source);
  if (format === 'edn') {
    const { history, skipped } = historyFromEdn(text, options);
    return { history, format, skipped };
  }
  return { history: historyFromJson(text, options), format, skipped: 0 };
}

export function detectHistoryFormat(text: string, source?: string): HistoryFormat {
  if (source !== undefined) {
    if (/\.edn$/i.test(source)) return 'edn';
    if (/\.(json|jsonl|ndjson)$/i.test(source)) return 'json';
  }
  const start = text.replace(/^[\s,]+/, '');
  if (start.startsWith('{"') || /^\[\s*(\{\s*"|\]|\s*$)/.test(start)) return 'json';
  return 'edn';
}
