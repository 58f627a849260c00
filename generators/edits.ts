import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionType } from 'node-plop';
import { GeneratorError } from './errors.js';

/** A line (or block) the generator adds to an existing file, before the anchor comment `// microtown:<anchor>`. */
export interface Edit {
  /** Path inside the service folder. */
  file: string;
  anchor: string;
  /** Code to insert, or a template file under templates/ (rendered with the plan's data). */
  text?: string;
  templateFile?: string;
  /** Text that is in the file once this edit is done: the edit is skipped when it is already there. */
  marker: string;
  /** An import the inserted code needs; biome sorts and merges it afterwards. */
  imports?: string;
}

const anchorPattern = (anchor: string) => new RegExp(`(?=^[ \\t]*(?://|<!--) microtown:${anchor}\\b)`, 'm');
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `boxes: []` is not done by `lunchboxes: []`: a marker starts at a word boundary. */
export const hasMarker = (text: string, marker: string) =>
  new RegExp(`(?<![\\w$])${escapeRegExp(marker)}`).test(text);
/** `String.replace` reads `$&` and friends in a replacement; inserted code may contain `$`. */
const literal = (text: string) => text.replaceAll('$', '$$$$');

const importPattern = /^import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/gm;

/** The names `text` imports from each module, `type` or not. */
function importedNames(text: string): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  for (const [, list = '', module = ''] of text.matchAll(importPattern)) {
    const set = names.get(module) ?? new Set<string>();
    for (const name of list.split(',')) set.add(name.replace(/^\s*type\s+/, '').trim());
    names.set(module, set);
  }
  return names;
}

/** True when every name `line` imports is already imported from the same module (a second call needs no new import). */
export function alreadyImported(text: string, line: string): boolean {
  const wanted = importedNames(line);
  const present = importedNames(text);
  if (wanted.size === 0) return false;
  return [...wanted].every(([module, names]) =>
    [...names].every((name) => !name || present.get(module)?.has(name)),
  );
}

/**
 * plop `modify` actions for the edits still to do in `folder`. An edit whose marker is already in the file is left
 * out (so a second run never duplicates a line); a missing file or anchor is refused before anything is written.
 */
export function editActions(root: string, folder: string, edits: Edit[]): ActionType[] {
  const actions: ActionType[] = [];
  for (const edit of edits) {
    const path = `${folder}/${edit.file}`;
    const file = join(root, path);
    if (!existsSync(file)) throw new GeneratorError(`${path} is missing; the generator adds code to it`);
    const text = readFileSync(file, 'utf8');
    if (hasMarker(text, edit.marker)) continue;
    if (!anchorPattern(edit.anchor).test(text)) {
      throw new GeneratorError(
        `${path} has no "microtown:${edit.anchor}" anchor comment; put it back where the generated lines go (see the service's README)`,
      );
    }
    const insert = edit.templateFile
      ? { templateFile: edit.templateFile }
      : { template: `${literal(edit.text ?? '')}\n` };
    actions.push({ type: 'modify', path: edit.file, pattern: anchorPattern(edit.anchor), ...insert });
    if (edit.imports && !alreadyImported(text, edit.imports)) {
      if (!/^import /m.test(text))
        throw new GeneratorError(`${path} has no import to add "${edit.imports}" beside`);
      actions.push({
        type: 'modify',
        path: edit.file,
        pattern: /(?=^import )/m,
        template: `${literal(edit.imports)}\n`,
      });
    }
  }
  return actions;
}
