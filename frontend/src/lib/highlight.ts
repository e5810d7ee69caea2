// Syntax highlighting of generated code: highlight.js's core with only the
// languages the code generators write.

import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import go from 'highlight.js/lib/languages/go';
import javascript from 'highlight.js/lib/languages/javascript';
import python from 'highlight.js/lib/languages/python';
import type { Lang } from './types';

hljs.registerLanguage('bash', bash);
hljs.registerLanguage('go', go);
hljs.registerLanguage('javascript', javascript);
hljs.registerLanguage('python', python);

const GRAMMAR: Record<Lang, string> = { python: 'python', javascript: 'javascript', go: 'go', curl: 'bash' };

/** The code as HTML, its tokens in hljs-* spans; the text itself is escaped. */
export function highlight(code: string, lang: Lang): string {
  return hljs.highlight(code, { language: GRAMMAR[lang], ignoreIllegals: true }).value;
}
